/**
 * COPY's binary format (PostgreSQL documentation, COPY, « Binary Format »): a signature, a flags field and a
 * header extension, then each row as its field count and each field as its length (-1: null) and its bytes in
 * the type's binary form, then -1 as the count that ends it. No text to escape nor to parse on either side: a
 * first load writes its rows this way (writer.ts), the stored digests are read this way (line-digest.ts).
 */

/** The signature, then the flags (none) and the length of the header extension (none) of a writer. */
const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Texts up to this length are copied byte by byte when they are ASCII; longer ones go to Buffer#write at once. */
const ASCII_COPIED = 64;

/** Rows in COPY's binary format, written field by field into a buffer grown as needed. */
export class BinaryRows {
  private bytes: Buffer;
  private at = BINARY_SIGNATURE.length + 8;

  constructor(capacity = 1 << 20) {
    this.bytes = Buffer.alloc(Math.max(capacity, this.at));
    BINARY_SIGNATURE.copy(this.bytes);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.reserve(2);
    this.at = this.bytes.writeInt16BE(fields, this.at);
    return this;
  }

  /** A text (text's binary form is its UTF-8 bytes), or null. */
  text(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(4 + value.length * 3);
    const { bytes } = this;
    const start = this.at + 4;
    // Codes and most names are ASCII: copied here, a short one costs half of Buffer#write's call.
    let ascii = 0;
    if (value.length <= ASCII_COPIED) {
      for (; ascii < value.length; ascii++) {
        const code = value.charCodeAt(ascii);
        if (code >= 0x80) break;
        bytes[start + ascii] = code;
      }
    }
    const length = ascii === value.length ? ascii : bytes.write(value, start, 'utf8');
    bytes.writeInt32BE(length, this.at);
    this.at = start + length;
    return this;
  }

  float8(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.reserve(12);
    this.bytes.writeInt32BE(8, this.at);
    this.at = this.bytes.writeDoubleBE(value, this.at + 4);
    return this;
  }

  /** A bigint from a non-negative safe integer (the line digests). */
  int8(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.reserve(12);
    this.bytes.writeInt32BE(8, this.at);
    this.bytes.writeUInt32BE(Math.floor(value / 2 ** 32), this.at + 4);
    this.at = this.bytes.writeUInt32BE(value >>> 0, this.at + 8);
    return this;
  }

  /** A uuid from its 32 hexadecimal digits. */
  uuid(hex: string): this {
    this.reserve(20);
    this.bytes.writeInt32BE(16, this.at);
    this.bytes.write(hex, this.at + 4, 16, 'hex');
    this.at += 20;
    return this;
  }

  /** The rows written, ended. */
  end(): Buffer {
    this.reserve(2);
    this.at = this.bytes.writeInt16BE(-1, this.at);
    return this.bytes.subarray(0, this.at);
  }

  private null(): this {
    this.reserve(4);
    this.at = this.bytes.writeInt32BE(-1, this.at);
    return this;
  }

  private reserve(length: number): void {
    if (this.at + length <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + length));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }
}

/** The values of a `COPY (select one column) TO STDOUT (FORMAT binary)`, each as its bytes; null ones are skipped. */
export async function* binaryValues(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  /** The next `length` bytes of the stream, once that many have come (undefined before). */
  const take = (length: number): Buffer | undefined => {
    if (size < length) return undefined;
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    chunks.length = 0;
    size -= length;
    if (size > 0) chunks.push(all.subarray(length));
    return all.subarray(0, length);
  };
  let expected: 'header' | 'extension' | 'count' | 'length' | 'value' = 'header';
  let length = BINARY_SIGNATURE.length + 8;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    for (let bytes = take(length); bytes !== undefined; bytes = take(length)) {
      if (expected === 'header') {
        if (!bytes.subarray(0, BINARY_SIGNATURE.length).equals(BINARY_SIGNATURE)) throw new Error('COPY binaire : en-tête inattendu');
        [expected, length] = ['extension', bytes.readUInt32BE(BINARY_SIGNATURE.length + 4)];
      } else if (expected === 'extension' || expected === 'value') {
        if (expected === 'value') yield bytes;
        [expected, length] = ['count', 2];
      } else if (expected === 'count') {
        const count = bytes.readInt16BE(0);
        if (count === -1) return;
        if (count !== 1) throw new Error(`COPY binaire : ${count} colonnes au lieu d’une`);
        [expected, length] = ['length', 4];
      } else {
        const value = bytes.readInt32BE(0);
        [expected, length] = value === -1 ? ['count', 2] : ['value', value];
      }
    }
  }
  throw new Error('COPY binaire : fin inattendue');
}
