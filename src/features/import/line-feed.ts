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
  // Per chunk rather than per record: no await per line but at a flush.
  for await (const batch of file.batches) {
    for (const record of batch) {
      if (++rowsRead % PROGRESS_EVERY === 0) onProgress?.({ phase: 'lignes', rowsRead, bytesRead: file.bytesRead(), totalBytes: file.size });
      if (record.line <= pipeline.resumeAfter || !file.accepts(record)) continue;
      if (pipeline.add(file.path, record.line, convert(record.fields))) await pipeline.flush();
    }
  }
}
