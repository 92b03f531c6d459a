/**
 * The reading loop of a one-file import: each record of the file turned into an outcome and added to the
 * pipeline, lines committed by an earlier attempt skipped, progress every thousand lines.
 */
import type { CsvFile } from './csv-source.ts';
import type { Outcome, Pipeline } from './pipeline.ts';
import type { ImportProgress } from './progress.ts';

const PROGRESS_EVERY = 1000;

export async function feedLines<Row>(
  file: CsvFile,
  pipeline: Pipeline<Row>,
  convert: (fields: string[]) => Outcome<Row>,
  onProgress?: (progress: ImportProgress) => void,
): Promise<void> {
  let rowsRead = 0;
  for await (const { line, fields } of file.records) {
    if (++rowsRead % PROGRESS_EVERY === 0) onProgress?.({ phase: 'lignes', rowsRead, bytesRead: file.bytesRead(), totalBytes: file.size });
    if (line <= pipeline.resumeAfter) continue;
    if (pipeline.add(file.path, line, convert(fields))) await pipeline.flush();
  }
}
