/**
 * The CSV reader of the imports, written for the files they read: chosen over csv-parse, fast-csv and papaparse
 * by measurement (bench/import-parsers.ts). It works on the bytes of the file: a line is cut at its newline
 * byte and first offered to the import's drop path (a LineDropper reading two or three fields in place, as
 * bytes), so that the lines an import leaves aside (most of the national SIRENE stock) are never decoded
 * into strings nor split. A line kept is decoded; without a quote it is cut with `String.split`, with one it
 * goes through a small state machine (RFC 4180: a field is quoted only when it starts with a quote, `""`
 * inside it is one quote, a quoted field may span lines; elsewhere a quote is an ordinary character, as
 * csv-parse's relax_quotes reads it). UTF-8 is checked per chunk (node's isUtf8), per line only in a chunk
 * that fails.
 */
import { isUtf8 } from 'node:buffer';

export interface SplitRecord {
  /** Line of the file where the record ends (1 is the first line). */
  line: number;
  fields: string[];
  /** Set when the drop path decided on the raw line: `fields` is then empty. */
  dropped?: string;
  /** The digest the drop path made of the raw line it kept (line-digest.ts), when it made one. */
  digest?: number;
  /** Set when the line holds bytes that are not UTF-8 (decoded as U+FFFD): the line is to be rejected. */
  invalid?: string;
}

const NOT_UTF8 = 'encodage invalide : octets qui ne sont pas de l’UTF-8 (enregistrez le fichier en « CSV UTF-8 »)';

export interface CsvLineSplitter {
  /** Records completed by this chunk of the file. */
  push(chunk: Buffer): SplitRecord[];
  /** The last record when the file does not end with a newline; throws on a quote left open. */
  end(): SplitRecord[];
  /** The drop path, set once the header is read. */
  drop?: LineDropper;
}

/** A quoted field still open at the end of the file. */
export class UnclosedQuoteError extends Error {
  constructor(readonly line: number) {
    super('guillemet ouvert jamais refermé');
  }
}

const QUOTE = 34;

/** Fields of one record; undefined when a quoted field is still open at the end of the text (it continues on the next line). */
export function splitQuoted(text: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  const separator = delimiter.charCodeAt(0);
  let at = 0;
  for (;;) {
    if (text.charCodeAt(at) === QUOTE) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return undefined;
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += '"';
          from = quote + 2;
          continue;
        }
        // Text between the closing quote and the separator is kept, as csv-parse's relax_quotes does.
        const next = text.indexOf(delimiter, quote + 1);
        const end = next === -1 ? text.length : next;
        fields.push(value + text.slice(quote + 1, end));
        if (next === -1) return fields;
        at = next + 1;
        break;
      }
      continue;
    }
    let next = at;
    while (next < text.length && text.charCodeAt(next) !== separator) next++;
    fields.push(text.slice(at, next));
    if (next >= text.length) return fields;
    at = next + 1;
  }
}

/**
 * Decides on the bytes of a raw line (`start` to `end` of `bytes`, not continuing a quoted field) whether it
 * is dropped (the name of the reason), must be read in full (undefined), or is kept as the drop path read it:
 * the fields it needs, with the digest it made of the line (FieldPicker.record). The cheap path of the lines
 * most imports leave aside, find unchanged, or read only a third of.
 */
export type LineDropper = (bytes: Buffer, start: number, end: number) => string | KeptLine | undefined;

export interface KeptLine {
  fields: string[];
  digest: number;
}

const NO_FIELDS: string[] = [];

/** A field of a raw line, between its bytes `from` and `to`: decoded, and unquoted when it starts with a quote (as splitQuoted reads it). */
export function decodeField(bytes: Buffer, from: number, to: number, delimiter: string): string {
  const text = bytes.toString('utf8', from, to);
  return bytes[from] === QUOTE && from < to ? splitQuoted(text, delimiter)![0]! : text;
}
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Finds in place the byte ranges of a few fields of a raw line, for a LineDropper: `pick` fills `ranges` with a
 * start and an end per wanted field when the line has exactly `width` fields, closes its quotes and does not
 * quote a wanted field (they are codes and identifiers), and returns false otherwise (the full reader decides).
 * With `quoted`, a wanted field may be quoted: its range then holds the quotes (for a digest of the raw field).
 */
export class FieldPicker {
  /** For each wanted field, in the order given: its start then its end byte. */
  readonly ranges: Int32Array;
  private readonly slots: Int32Array;
  private readonly delimiterText: string;

  constructor(
    private readonly delimiter: number,
    private readonly width: number,
    wanted: readonly number[],
    private readonly quoted = false,
  ) {
    this.ranges = new Int32Array(wanted.length * 2);
    this.delimiterText = String.fromCharCode(delimiter);
    this.slots = new Int32Array(width).fill(-1);
    wanted.forEach((column, slot) => void (this.slots[column] = slot));
  }

  pick(bytes: Buffer, start: number, end: number): boolean {
    const { delimiter, width, slots, ranges } = this;
    let field = 0;
    let at = start;
    for (;;) {
      const fieldStart = at;
      if (at < end && bytes[at] === QUOTE) {
        for (at++; ; at++) {
          if (at >= end) return false;
          if (bytes[at] !== QUOTE) continue;
          if (bytes[at + 1] !== QUOTE || at + 1 >= end) break;
          at++;
        }
      }
      while (at < end && bytes[at] !== delimiter) at++;
      if (field >= width) return false;
      const slot = slots[field]!;
      if (slot !== -1) {
        if (!this.quoted && bytes[fieldStart] === QUOTE && fieldStart < end) return false;
        ranges[slot * 2] = fieldStart;
        ranges[slot * 2 + 1] = at;
      }
      field++;
      if (at >= end) return field === width;
      at++;
    }
  }

  /** Whether the wanted field `slot` starts with a quote (with `quoted`: the full reader must read it). */
  quotedAt(bytes: Buffer, slot: number): boolean {
    const from = this.ranges[slot * 2]!;
    return from < this.ranges[slot * 2 + 1]! && bytes[from] === QUOTE;
  }

  /** Whether the wanted field `slot` holds exactly `value` (one byte, for a flag or a state). */
  is(bytes: Buffer, slot: number, value: number): boolean {
    return this.ranges[slot * 2 + 1]! - this.ranges[slot * 2]! === 1 && bytes[this.ranges[slot * 2]!] === value;
  }

  /** The wanted field `slot` read as a number when it is made of `digits` digits exactly (a SIREN, a SIRET), else -1. */
  digits(bytes: Buffer, slot: number, digits: number): number {
    const from = this.ranges[slot * 2]!;
    if (this.ranges[slot * 2 + 1]! - from !== digits) return -1;
    let value = 0;
    for (let at = from; at < from + digits; at++) {
      const digit = bytes[at]! - 48;
      if (digit < 0 || digit > 9) return -1;
      value = value * 10 + digit;
    }
    return value;
  }

  /**
   * The line as a record of `width` fields, the wanted ones decoded (the range of the last pick), the others empty.
   * Each field is decoded on its own: slices of the line decoded once were cheaper to make, but each kept the whole
   * line alive, and the first load's collector paid more than the decoding saved (measured end to end).
   */
  record(bytes: Buffer): string[] {
    const fields = new Array<string>(this.width).fill('');
    for (let column = 0; column < this.width; column++) {
      const slot = this.slots[column]!;
      if (slot !== -1) fields[column] = decodeField(bytes, this.ranges[slot * 2]!, this.ranges[slot * 2 + 1]!, this.delimiterText);
    }
    return fields;
  }
}

export function csvLineSplitter(delimiter: ',' | ';'): CsvLineSplitter {
  /** The end of the last chunk, after its last newline: the beginning of the next line. */
  let pending: Buffer | undefined;
  let line = 0;
  /** A record whose quoted field spans lines: its text so far. */
  let open: string | undefined;

  const record = (bytes: Buffer, start: number, end: number, checkUtf8: boolean, out: SplitRecord[]): void => {
    if (open === undefined) {
      if (checkUtf8 && !isUtf8(bytes.subarray(start, end))) {
        out.push({ line, fields: NO_FIELDS, invalid: NOT_UTF8 });
        return;
      }
      if (start === end) return;
      const dropped = splitter.drop?.(bytes, start, end);
      if (typeof dropped === 'string') {
        out.push({ line, fields: NO_FIELDS, dropped });
        return;
      }
      if (dropped !== undefined) {
        out.push({ line, fields: dropped.fields, digest: dropped.digest });
        return;
      }
    }
    const decoded = bytes.toString('utf8', start, end);
    // The byte order mark of a file saved by a spreadsheet; the header line is always decoded.
    const text = line === 1 && decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
    const full = open === undefined ? text : `${open}\n${text}`;
    if (full.indexOf('"') === -1) {
      open = undefined;
      out.push({ line, fields: full.split(delimiter) });
      return;
    }
    const fields = splitQuoted(full, delimiter);
    if (fields === undefined) {
      open = full;
      return;
    }
    open = undefined;
    out.push({ line, fields });
  };

  /** The complete lines of `bytes`; what follows the last newline waits in `pending`. */
  const cut = (bytes: Buffer, out: SplitRecord[]): void => {
    const last = bytes.lastIndexOf(NEWLINE);
    const checkUtf8 = last > 0 && !isUtf8(bytes.subarray(0, last));
    let from = 0;
    while (from <= last) {
      const newline = bytes.indexOf(NEWLINE, from);
      line++;
      record(bytes, from, newline > from && bytes[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline, checkUtf8, out);
      from = newline + 1;
    }
    if (from < bytes.length) pending = bytes.subarray(from);
  };

  const splitter: CsvLineSplitter = {
    push(chunk) {
      const out: SplitRecord[] = [];
      let bytes = chunk;
      // The line cut by the previous chunk is completed on its own, so that the chunk itself is never copied.
      if (pending !== undefined) {
        const newline = bytes.indexOf(NEWLINE);
        if (newline === -1) {
          pending = Buffer.concat([pending, bytes]);
          return out;
        }
        const joined = Buffer.concat([pending, bytes.subarray(0, newline + 1)]);
        pending = undefined;
        cut(joined, out);
        bytes = bytes.subarray(newline + 1);
      }
      cut(bytes, out);
      return out;
    },
    end() {
      const out: SplitRecord[] = [];
      if (pending !== undefined || open !== undefined) {
        line++;
        const rest = pending ?? Buffer.alloc(0);
        record(rest, 0, rest.length, !isUtf8(rest), out);
        pending = undefined;
      }
      if (open !== undefined) throw new UnclosedQuoteError(line);
      return out;
    },
  };
  return splitter;
}
