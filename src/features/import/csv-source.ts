/**
 * Streaming CSV reading shared by the imports: one record at a time with its line number, so that any
 * file size fits in memory and every rejection can point at its line. Rows with a wrong number of
 * columns or broken quoting are handed to `onMalformed` instead of stopping the import. The reader itself is
 * csv-lines.ts, chosen by measurement.
 */
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { csvLineSplitter, UnclosedQuoteError, type CsvLineSplitter, type LineDropper, type SplitRecord } from './csv-lines.ts';
import { ImportInputError } from './errors.ts';

/** A record, with the line of the file where it ends (1 is the header), as a text editor shows it. */
export type CsvRecord = SplitRecord;

export interface CsvFile {
  path: string;
  header: string[];
  delimiter: ',' | ';';
  size: number;
  /** Bytes read so far, for progress. */
  bytesRead(): number;
  /** The well-formed records, one at a time. */
  records: AsyncIterable<CsvRecord>;
  /** Or, without an await per record, the records of each chunk read, each to be checked with `accepts`: one of the two. */
  batches: AsyncIterable<CsvRecord[]>;
  /** False for a record of the wrong width, reported to `onMalformed`. */
  accepts(record: CsvRecord): boolean;
  /** Sets the drop path of the records to come (csv-lines.ts): a dropped record has no fields, only its reason. */
  dropWith(dropper: LineDropper): void;
  /** Stops reading (records already stops it when its loop ends early). */
  close(): void;
}

export interface OpenCsvOptions {
  /** Forced separator; by default the one of `;` and `,` the header line holds most of. */
  delimiter?: ',' | ';';
  onMalformed(line: number, reason: string): void;
}

const HEAD_BYTES = 64 * 1024;
/**
 * The file is read 1 MiB at a time, and split 64 KiB at a time with a turn of the event loop between: a read of
 * 64 KiB cost as much processor time as one of 1 MiB (measured, 180 ms against 55 for a 50 MB file), and the
 * turns let a first load send its rows to PostgreSQL while the file is split (without them, PostgreSQL waited
 * for the bytes of a whole 1 MiB of lines: the first import was slower).
 */
const READ_BYTES = 1024 * 1024;
const SPLIT_BYTES = 64 * 1024;

/** The first complete lines of the file (up to 64 kB), decoded as UTF-8, without the BOM. */
function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    // Cut after the last complete line, so that no character is split in two.
    const end = length === HEAD_BYTES ? buffer.lastIndexOf(0x0a, length - 1) + 1 || length : length;
    return buffer.toString('utf8', 0, end).replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

export function readFirstLine(path: string): string {
  return readHead(path).split(/\r?\n/, 1)[0] ?? '';
}

/**
 * Spreadsheets often save « CSV » in Windows-1252, whose accents are not UTF-8: better stop with the way out
 * than import garbled names.
 */
function assertUtf8(path: string): void {
  if (readHead(path).includes('\uFFFD')) {
    throw new ImportInputError(`Le fichier n'est pas encodé en UTF-8 (caractères illisibles) : ${path}\nEnregistrez-le au format « CSV UTF-8 » puis relancez.`);
  }
}

function detectDelimiter(headerLine: string): ',' | ';' {
  const count = (char: string) => headerLine.split(char).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

export function assertReadableFile(path: string, label: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new ImportInputError(`${label} introuvable : ${path}`);
}

/** Opens a CSV file: reads its header, then streams its records, leaving aside rows of the wrong width. */
export async function openCsv(path: string, options: OpenCsvOptions): Promise<CsvFile> {
  assertUtf8(path);
  const delimiter = options.delimiter ?? detectDelimiter(readFirstLine(path));
  const stream = createReadStream(path, { highWaterMark: READ_BYTES });
  const splitter = csvLineSplitter(delimiter);
  const iterator = splitChunks(stream, splitter, options)[Symbol.asyncIterator]();
  const close = () => void stream.destroy();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) {
    close();
    throw new ImportInputError(`Le fichier est vide : ${path}`);
  }
  const header = first.value[0]!.fields.map((name) => name.trim());
  const batches = allBatches(first.value.slice(1), iterator, close);
  // Checked in the reading order, so that a malformed line is reported between its neighbours.
  const accepts = (record: CsvRecord) => {
    if (record.invalid !== undefined) {
      options.onMalformed(record.line, record.invalid);
      return false;
    }
    if (record.dropped !== undefined || record.fields.length === header.length) return true;
    options.onMalformed(record.line, `ligne mal formée : ${record.fields.length} colonnes au lieu de ${header.length}`);
    return false;
  };
  return {
    path,
    header,
    delimiter,
    size: statSync(path).size,
    bytesRead: () => stream.bytesRead,
    batches,
    accepts,
    records: wellFormed(batches, accepts),
    dropWith: (dropper) => void (splitter.drop = dropper),
    close,
  };
}

/** The records of each chunk of the stream; a quote left open at the end is reported, not thrown. */
async function* splitChunks(stream: AsyncIterable<Buffer>, splitter: CsvLineSplitter, options: OpenCsvOptions): AsyncGenerator<SplitRecord[]> {
  let headerRead = false;
  for await (const chunk of stream) {
    let from = 0;
    if (!headerRead) {
      const newline = chunk.indexOf(0x0a);
      if (newline === -1) {
        yield splitter.push(chunk);
        continue;
      }
      // The header line alone first: the drop path, set once the header is read, then meets every line after it.
      headerRead = true;
      yield splitter.push(chunk.subarray(0, newline + 1));
      from = newline + 1;
    }
    for (; from < chunk.length; from += SPLIT_BYTES) {
      yield splitter.push(chunk.subarray(from, from + SPLIT_BYTES));
      await setImmediate();
    }
  }
  try {
    yield splitter.end();
  } catch (error) {
    if (!(error instanceof UnclosedQuoteError)) throw error;
    options.onMalformed(error.line, `ligne mal formée : ${error.message}`);
  }
}

async function* allBatches(head: SplitRecord[], iterator: AsyncIterator<SplitRecord[]>, close: () => void): AsyncGenerator<CsvRecord[]> {
  try {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    close();
  }
}

async function* wellFormed(batches: AsyncIterable<CsvRecord[]>, accepts: (record: CsvRecord) => boolean): AsyncGenerator<CsvRecord> {
  for await (const batch of batches) for (const record of batch) if (accepts(record)) yield record;
}

/** Position of each named column in the header; throws a French message naming the missing ones. */
export function columnIndexes<const K extends string>(file: CsvFile, required: readonly K[], label: string): Record<K, number> {
  const missing = required.filter((name) => !file.header.includes(name));
  if (missing.length > 0) {
    throw new ImportInputError(
      `${label} : colonne${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ${missing.join(', ')} (${file.path})`,
    );
  }
  return Object.fromEntries(required.map((name) => [name, file.header.indexOf(name)])) as Record<K, number>;
}
