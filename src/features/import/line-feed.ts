/**
 * One-file imports whose rows go to a writer of their own (RNA, ESS France list): the file opened and its
 * header checked before anything is written, then each record turned into an outcome and added to the
 * pipeline of a journaled run, lines committed by an earlier attempt skipped, progress every thousand lines.
 */
import { resolve } from 'node:path';
import type { Database } from '../../db/database.ts';
import { assertReadableFile, openCsv, type CsvFile } from './csv-source.ts';
import { runJournaled, type BatchInfo, type BatchWriter, type Outcome, type Pipeline } from './pipeline.ts';
import type { ImportProgress } from './progress.ts';
import type { ImportSummary } from './report.ts';

/** What the command gives every one-file import. */
export interface FileImportOptions {
  file: string;
  batchSize?: number;
  resume?: boolean;
  reportPath: string;
  onProgress?: (progress: ImportProgress) => void;
  onBatch?: (info: BatchInfo) => void | Promise<void>;
}

/** What sets one one-file import apart from another. */
export interface FileImportKind<Row> {
  kind: 'rna' | 'ess_france';
  /** How messages name the file (« Fichier RNA »). */
  label: string;
  /** Unset: told from the header line. */
  delimiter?: ',' | ';';
  writer: BatchWriter<Row>;
  /** Reads the header (throwing ImportInputError for a wrong one) and gives the conversion of a record. */
  converter(file: CsvFile): Promise<(fields: string[]) => Outcome<Row>>;
  /** What else, besides the file, makes a run the same run (resumable). */
  runOptions?(file: CsvFile): Record<string, unknown>;
}

export async function importFile<Row>(database: Database, options: FileImportOptions, spec: FileImportKind<Row>): Promise<ImportSummary> {
  const path = resolve(options.file);
  assertReadableFile(path, spec.label);
  let pipeline: Pipeline<Row> | undefined;
  const file = await openCsv(path, { delimiter: spec.delimiter, onMalformed: (line, reason) => pipeline!.malformed(path, line, reason) });
  try {
    const convert = await spec.converter(file);
    const setup = {
      identity: { kind: spec.kind, files: [path], options: spec.runOptions?.(file) ?? {} },
      resume: options.resume,
      reportPath: options.reportPath,
      batchSize: options.batchSize,
      provided: [],
      writer: spec.writer,
      onBatch: options.onBatch,
    };
    const summary = await runJournaled(database, setup, async (started) => {
      pipeline = started;
      await feedLines(file, started, convert, options.onProgress);
    });
    return { ...summary, kind: spec.kind };
  } finally {
    file.close();
  }
}

const PROGRESS_EVERY = 1000;

async function feedLines<Row>(
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
