/**
 * The CSV reader of the imports, written for the files they read: chosen over csv-parse and fast-csv by
 * measurement (bench/import-parsers.ts: about four times csv-parse's rate on the national SIRENE mix). Most
 * lines hold no quote at all and are cut with `String.split`; a line with a quote goes through a small state
 * machine (RFC 4180: a field is quoted only when it starts with a quote, `""` inside it is one quote, a quoted
 * field may span lines; elsewhere a quote is an ordinary character, as csv-parse's relax_quotes reads it).
 */

export interface SplitRecord {
  /** Line of the file where the record ends (1 is the first line). */
  line: number;
  fields: string[];
  /** Set when the drop path decided on the raw line: `fields` is then empty. */
  dropped?: string;
  /** Set when the line holds bytes that are not UTF-8 (decoded as U+FFFD): the line is to be rejected. */
  invalid?: string;
}

const NOT_UTF8 = 'encodage invalide : octets qui ne sont pas de l’UTF-8 (enregistrez le fichier en « CSV UTF-8 »)';

export interface CsvLineSplitter {
  /** Records completed by this chunk of text. */
  push(chunk: string): SplitRecord[];
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
 * Decides on a raw line without a quote whether it is dropped (the name of the reason) or must be read
 * (undefined): the cheap path of the lines most imports leave aside.
 */
export type LineDropper = (text: string) => string | undefined;

const NO_FIELDS: string[] = [];

/**
 * The fields at `wanted` positions of a line without quotes that has exactly `width` fields, found without
 * cutting the others; undefined for any other line (the full reader then decides).
 */
export function fieldsAt(text: string, delimiter: string, width: number, wanted: readonly number[]): string[] | undefined {
  if (text.indexOf('"') !== -1) return undefined;
  const found: string[] = new Array(wanted.length);
  let start = 0;
  let index = 0;
  for (;;) {
    const end = text.indexOf(delimiter, start);
    const slot = wanted.indexOf(index);
    if (slot !== -1) found[slot] = text.slice(start, end === -1 ? text.length : end);
    index++;
    if (end === -1) return index === width ? found : undefined;
    start = end + 1;
  }
}

export function csvLineSplitter(delimiter: ',' | ';'): CsvLineSplitter {
  let pending = '';
  let line = 0;
  /** A record whose quoted field spans lines: its text so far. */
  let open: string | undefined;

  /** Whether the text being cut holds a replacement character: only then are its lines searched for one. */
  let suspicious = false;
  const record = (text: string, out: SplitRecord[]): void => {
    const full = open === undefined ? text : `${open}\n${text}`;
    if (suspicious && full.indexOf('\uFFFD') !== -1 && open === undefined) {
      out.push({ line, fields: NO_FIELDS, invalid: NOT_UTF8 });
      return;
    }
    if (full.indexOf('"') === -1) {
      open = undefined;
      if (full.length === 0) return;
      const dropped = splitter.drop?.(full);
      out.push(dropped === undefined ? { line, fields: full.split(delimiter) } : { line, fields: NO_FIELDS, dropped });
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

  const splitter: CsvLineSplitter = {
    push(chunk) {
      const out: SplitRecord[] = [];
      const text = pending.length > 0 ? pending + chunk : chunk;
      suspicious = text.indexOf('\uFFFD') !== -1;
      let from = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
        line++;
        const end = newline > from && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        record(text.slice(from, end), out);
        from = newline + 1;
      }
      pending = text.slice(from);
      return out;
    },
    end() {
      const out: SplitRecord[] = [];
      if (pending.length > 0 || open !== undefined) {
        line++;
        record(pending, out);
        pending = '';
      }
      if (open !== undefined) throw new UnclosedQuoteError(line);
      return out;
    },
  };
  return splitter;
}
