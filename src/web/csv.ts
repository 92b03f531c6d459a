/** CSV writing in the two dialects people ask for: French Excel (`;`, UTF-8 BOM) and plain RFC 4180 (`,`). */
export type CsvDialect = 'excel-fr' | 'rfc4180';

export const UTF8_BOM = '\uFEFF';

export function csvSeparator(dialect: CsvDialect): string {
  return dialect === 'excel-fr' ? ';' : ',';
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before them) as a formula:
 * such a text is written after an apostrophe, which spreadsheets show as text (OWASP « CSV injection »).
 * Numbers are written as numbers. `fromCsvText` takes the apostrophe back off when Maillage reads its own files.
 */
/** A formula start, or a text that already looks neutralised (so that reading back is exact). */
const TO_NEUTRALISE = /^'*[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return TO_NEUTRALISE.test(text) ? `'${text}` : text;
}

export function fromCsvText(text: string): string {
  return text.startsWith("'") && TO_NEUTRALISE.test(text.slice(1)) ? text.slice(1) : text;
}

function csvField(value: unknown, separator: string): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value).replace('.', separator === ';' ? ',' : '.') : neutraliseFormula(String(value));
  const needsQuotes = text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 says. */
export function csvLine(values: readonly unknown[], dialect: CsvDialect): string {
  const separator = csvSeparator(dialect);
  return `${values.map((value) => csvField(value, separator)).join(separator)}\r\n`;
}
