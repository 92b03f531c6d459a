/**
 * The batching loop shared by the imports. Source lines are turned into outcomes (a row to write, a
 * rejection, a row ignored on purpose) and gathered in a window; a window is committed in one transaction,
 * while the next one is read (one window in flight: the reading and the database work side by side),
 * with its counts and its last line in `import_run`. Its rejections reach the report once it is committed,
 * so that a resumed import reports each line once.
 *
 * An import writes no version of the organisations it creates (object_version): their history starts at their
 * first edit through Maillage, which records the state the imports left as version 1 (contributions/versions.ts).
 * A national stock is millions of rows; a copy of each as its first version doubled the first load's database
 * work and its size, for a state the row itself and its source (`source`, import_run) already tell.
 */
import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database, Db } from '../../db/database.ts';
import { organisationsEmpty, startBulkLoad, type BulkLoad } from './bulk-load.ts';
import { RejectionReport, type ImportSummary, type Rejection } from './report.ts';
import { addCounts, emptyCounts, finishRun, recordBatch, resumeRun, startRun, type ImportCounts, type ImportRun, type RunIdentity } from './runs.ts';
import { NumberTable } from './line-digest.ts';
import {
  type BatchResult,
  type CommuneTerritory,
  loadCommuneTerritories,
  type OrganisationColumn,
  type OrganisationRow,
  type PreparedBatch,
  prepareFirstLoadCopy,
  prepareMerge,
} from './writer.ts';

/**
 * What a line becomes; `siret` of a rejection is the line's identifier (its RNA id, its SIREN for those imports);
 * `unchanged`: its row is already what it would write (same line digest), counted as written and unchanged.
 */
export type Outcome<Row = OrganisationRow> = { row: Row } | { rejected: string; siret: string } | { ignored: 'closed' | 'notEss' } | { unchanged: true };

/** How a window's rows reach the database: the organisations merge of writer.ts, or an import's own (RNA, ESS France). */
export interface BatchWriter<Row> {
  /** The identifier column of the report; two rows of one key in a window: the later line wins. */
  identifier: 'siret' | 'rna' | 'siren';
  key(row: Row): string;
  /**
   * Called as soon as a window is full, while the window before is still being written: does the CPU work of
   * writing the rows (their COPY text), and gives what writes them inside the batch's transaction. The rows
   * it refuses come back by key with their reason. A long preparation is done in slices (a promise): the COPY
   * in flight is fed from this thread, and the database waits while it is busy.
   */
  prepare(rows: Row[]): BatchWrite | Promise<BatchWrite>;
}

type BatchWrite = (client: pg.PoolClient) => Promise<BatchResult & { refused?: ReadonlyMap<string, string> }>;

const organisationWriter = (provided: readonly OrganisationColumn[], firstLoad: FirstLoad | undefined): BatchWriter<OrganisationRow> => ({
  identifier: 'siret',
  key: (row) => row.siret,
  prepare: firstLoad ? firstLoadWriter(provided, firstLoad) : (rows) => prepareMerge(rows, provided),
});

/**
 * A first load's batches: rows of SIRETs it has not loaded yet are copied straight into the table; one met in
 * an earlier batch (a file that repeats it) goes through the merge, which updates it. The search words of its
 * rows are added as they come, beside the COPY (bulk-load.ts).
 */
function firstLoadWriter(provided: readonly OrganisationColumn[], { communes, bulk }: FirstLoad): BatchWriter<OrganisationRow>['prepare'] {
  const loaded = new NumberTable();
  return async (rows) => {
    const fresh: OrganisationRow[] = [];
    const again: OrganisationRow[] = [];
    for (const row of rows) {
      const siret = Number(row.siret);
      if (loaded.get(siret) === -1) {
        loaded.set(siret, 0);
        fresh.push(row);
      } else again.push(row);
    }
    const copy = await prepareFirstLoadCopy(fresh, provided, communes);
    // Every row's: the merge of the rows met again writes no words either, its trigger disabled too.
    const addWords = bulk.searchWords(rows.map((row) => row.name));
    const merge: PreparedBatch | undefined = again.length > 0 ? prepareMerge(again, provided, true) : undefined;
    return async (client) => {
      await addWords();
      const copied = await copy(client);
      if (!merge) return copied;
      const merged = await merge(client);
      return { ...merged, inserted: copied.inserted + merged.inserted };
    };
  };
}

export interface BatchInfo {
  /** Number of this batch in this attempt, from 1. */
  batch: number;
  lastLine: number;
  counts: ImportCounts;
}

export interface PipelineOptions<Row = OrganisationRow> {
  database: Database;
  run: ImportRun;
  report: RejectionReport;
  /** Columns the source provides: an update keeps the others. */
  provided: readonly OrganisationColumn[];
  /** Another writer than the organisations merge of the provided columns. */
  writer?: BatchWriter<Row>;
  batchSize: number;
  /** Called after each committed batch; an error it throws stops the import (the batch stays committed). */
  onBatch?: (info: BatchInfo) => void | Promise<void>;
  /** A first load: every batch goes into this one transaction, committed at the end. */
  firstLoad?: FirstLoad;
}

/** The transaction of a first load into an empty table (bulk-load.ts), held from the first batch to the last. */
interface FirstLoad {
  client: pg.PoolClient;
  tx: Db;
  bulk: BulkLoad;
  /** What the rows take from their commune (writer.ts, prepareFirstLoadCopy). */
  communes: Map<string, CommuneTerritory>;
}

/** Opens the transaction of a first load when the organisation table is empty; undefined otherwise. */
async function openFirstLoad(database: Database): Promise<FirstLoad | undefined> {
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    if (await organisationsEmpty(client)) {
      const communes = await loadCommuneTerritories(client);
      return { client, tx: drizzle(client) as unknown as Db, bulk: await startBulkLoad(client, database.pool), communes };
    }
    await client.query('rollback');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    client.release();
    throw error;
  }
  client.release();
  return undefined;
}

export const DEFAULT_BATCH_SIZE = 5000;

/** One transaction on one client of the pool, seen both raw (for COPY) and through drizzle; or a first load's, held open. */
async function inTransaction(database: Database, fn: (client: pg.PoolClient, tx: Db) => Promise<void>, held?: FirstLoad): Promise<void> {
  if (held) return fn(held.client, held.tx);
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    await fn(client, drizzle(client) as unknown as Db);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A window handed to the database: its rows by key and their prepared writing, its counts and rejections, its first and last lines. */
interface PendingWindow<Row> {
  rows: Map<string, { row: Row; line: number; file: string }>;
  write: BatchWrite;
  counts: ImportCounts;
  rejections: Rejection[];
  firstLine: number;
  lastLine: number;
}

/** A window also ends after this many lines per batch size, so that long runs of ignored rows commit progress. */
const LINES_PER_ROW_SLOT = 20;

export class Pipeline<Row = OrganisationRow> {
  /** Totals of this attempt. */
  readonly counts = emptyCounts();
  private window = emptyCounts();
  private rows = new Map<string, { row: Row; line: number; file: string }>();
  private rejections: Rejection[] = [];
  /** Rejections of a first load's batches, reported once it is committed. */
  private heldRejections: Rejection[] = [];
  private firstLine = 0;
  private lastLine = 0;
  private batches = 0;
  /** The window being committed while the next one is read (resolved when none is). */
  private inFlight: Promise<void> = Promise.resolve();

  private readonly writer: BatchWriter<Row>;

  constructor(private readonly options: PipelineOptions<Row>) {
    // Without a writer of its own, an import writes organisations: Row is OrganisationRow.
    this.writer = options.writer ?? (organisationWriter(options.provided, options.firstLoad) as unknown as BatchWriter<Row>);
  }

  /** Lines up to this one were committed by an earlier attempt. */
  get resumeAfter(): number {
    return this.options.run.lastLine;
  }

  reject(file: string, line: number, siret: string, reason: string): void {
    this.rejections.push({ file, line, siret, reason });
    this.window.rejected++;
  }

  /** A line of the main file the parser could not read. */
  malformed(file: string, line: number, reason: string): void {
    if (line <= this.resumeAfter) return;
    if (this.window.read === 0) this.firstLine = line;
    this.window.read++;
    this.lastLine = Math.max(this.lastLine, line);
    this.reject(file, line, '', reason);
  }

  /** Adds the outcome of a line; returns true when the window is full and must be flushed. */
  add(file: string, line: number, outcome: Outcome<Row>): boolean {
    if (this.window.read === 0) this.firstLine = line;
    this.window.read++;
    this.lastLine = line;
    if ('row' in outcome) this.addRow(file, line, outcome.row);
    else if ('rejected' in outcome) this.reject(file, line, outcome.siret, outcome.rejected);
    else if ('unchanged' in outcome) {
      this.window.written++;
      this.window.unchanged++;
    } else this.window[outcome.ignored]++;
    return this.windowFull();
  }

  /**
   * Prepares what is pending, then starts committing it once the window before it is committed: the caller
   * reads and converts the next window while the database writes this one. An error of the window before is
   * thrown here.
   */
  async flush(): Promise<void> {
    if (this.window.read === 0 && this.rejections.length === 0) return this.inFlight;
    const { rows, window: counts, rejections, firstLine, lastLine } = this;
    this.window = emptyCounts();
    this.rows = new Map();
    this.rejections = [];
    const write = await this.writer.prepare([...rows.values()].map((entry) => entry.row));
    const pending: PendingWindow<Row> = { rows, write, counts, rejections, firstLine, lastLine };
    await this.inFlight;
    this.inFlight = this.commit(pending);
    // Awaited by the next flush or by drain; until then its failure must not count as unhandled.
    this.inFlight.catch(() => undefined);
  }

  /** Commits what is pending and waits for every window to be committed: at the end of the file. */
  async drain(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  private async commit(pending: PendingWindow<Row>): Promise<void> {
    const { rows, counts, rejections } = pending;
    try {
      await inTransaction(
        this.options.database,
        async (client, tx) => {
          const result = await pending.write(client);
          for (const [key, reason] of result.refused ?? []) {
            const entry = rows.get(key)!;
            rejections.push({ file: entry.file, line: entry.line, siret: key, reason });
            counts.rejected++;
          }
          counts.written += rows.size - (result.refused?.size ?? 0);
          counts.inserted += result.inserted;
          counts.unchanged += result.unchanged;
          await recordBatch(tx, this.options.run.id, counts, pending.lastLine);
        },
        this.options.firstLoad,
      );
    } catch (error) {
      throw new Error(
        `le lot des lignes ${pending.firstLine} à ${pending.lastLine} n'a pas pu être enregistré (rien n'en a été écrit) : ` +
          (error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)),
        { cause: error },
      );
    }
    if (this.options.firstLoad) this.heldRejections.push(...rejections);
    else this.options.report.add(rejections);
    addCounts(this.counts, counts);
    this.batches++;
    await this.options.onBatch?.({ batch: this.batches, lastLine: pending.lastLine, counts: { ...this.counts } });
  }

  /** Commits a first load: what was set aside built again, then its rejections reported. */
  async commitFirstLoad(): Promise<void> {
    const { firstLoad } = this.options;
    if (!firstLoad) return;
    await firstLoad.bulk.finish();
    await firstLoad.client.query('commit');
    this.options.report.add(this.heldRejections);
    this.heldRejections = [];
    await firstLoad.bulk.afterCommit();
  }

  /** A SIRET (or the writer's key) met twice in a window: the later line wins, the earlier one is reported (two rows, one key). */
  private addRow(file: string, line: number, row: Row): void {
    const key = this.writer.key(row);
    const previous = this.rows.get(key);
    if (previous) this.reject(previous.file, previous.line, key, `${this.writer.identifier.toUpperCase()} en double : remplacé par la ligne ${line}`);
    this.rows.set(key, { row, line, file });
  }

  private windowFull(): boolean {
    const { batchSize } = this.options;
    return this.rows.size >= batchSize || this.rejections.length >= batchSize || this.window.read >= batchSize * LINES_PER_ROW_SLOT;
  }
}

export interface ImportSetup<Row = OrganisationRow> {
  identity: RunIdentity;
  /** Continue the last unfinished run of the same identity, if any. */
  resume?: boolean;
  reportPath: string;
  batchSize?: number;
  provided: readonly OrganisationColumn[];
  writer?: BatchWriter<Row>;
  onBatch?: PipelineOptions['onBatch'];
  /** Loads an empty organisation table in one transaction (bulk-load.ts) instead of committing each batch. */
  firstLoadWhenEmpty?: boolean;
}

/**
 * Runs `read` (which feeds the pipeline) inside a journaled run: started or resumed, the last window
 * flushed, then marked done — or failed with its message, the committed batches staying in place.
 */
export async function runJournaled<Row = OrganisationRow>(
  database: Database,
  setup: ImportSetup<Row>,
  read: (pipeline: Pipeline<Row>) => Promise<Partial<ImportSummary> | void>,
): Promise<ImportSummary> {
  const started = performance.now();
  const previous = setup.resume ? await resumeRun(database.db, setup.identity, setup.reportPath) : undefined;
  const run = previous ?? (await startRun(database.db, setup.identity, setup.reportPath));
  let firstLoad: FirstLoad | undefined;
  try {
    firstLoad = setup.firstLoadWhenEmpty && !setup.writer && run.lastLine === 0 ? await openFirstLoad(database) : undefined;
    const pipeline = new Pipeline<Row>({
      database,
      run,
      provided: setup.provided,
      writer: setup.writer,
      batchSize: setup.batchSize ?? DEFAULT_BATCH_SIZE,
      onBatch: setup.onBatch,
      report: new RejectionReport(setup.reportPath, previous !== undefined, setup.writer?.identifier),
      firstLoad,
    });
    const extra = await read(pipeline);
    await pipeline.drain();
    await pipeline.commitFirstLoad();
    // A first load analysed the table after its commit (bulk-load.ts); rows written since the run began need it.
    const rewritten = (counts: ImportCounts) => counts.written - counts.unchanged;
    const finished = await finishRun(database.db, run.id, { analyse: !firstLoad && rewritten(run.counts) + rewritten(pipeline.counts) > 0 });
    const durationMs = performance.now() - started;
    return {
      runId: run.id,
      counts: finished.counts,
      resumedAfterLine: run.lastLine,
      rowsRead: pipeline.counts.read,
      durationMs,
      rowsPerSecond: (pipeline.counts.read * 1000) / Math.max(1, durationMs),
      reportPath: setup.reportPath,
      ...extra,
    };
  } catch (error) {
    // Rolled back first: the held transaction locks the run's row that finishRun updates.
    await firstLoad?.client.query('rollback').catch(() => undefined);
    await finishRun(database.db, run.id, { error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    firstLoad?.client.release();
  }
}
