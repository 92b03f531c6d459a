/** CSV writing in the two dialects people ask for: French Excel (`;`, UTF-8 BOM) and plain RFC 4180 (`,`). */
export type CsvDialect = 'excel-fr' | 'rfc4180';

export const UTF8_BOM = '\uFEFF';

export function csvSeparator(dialect: CsvDialect): string {
  return dialect === 'excel-fr' ? ';' : ',';
}

function csvField(value: unknown, separator: string): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value).replace('.', separator === ';' ? ',' : '.') : String(value);
  const needsQuotes = text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 says. */
export function csvLine(values: readonly unknown[], dialect: CsvDialect): string {
  const separator = csvSeparator(dialect);
  return values.map((value) => csvField(value, separator)).join(separator) + '\r\n';
}
