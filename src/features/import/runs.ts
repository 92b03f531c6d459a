/**
 * The `import_run` journal. Each batch adds its counts and moves `last_line` in the transaction that writes
 * its organisations, so the journal and the data never disagree, even after a kill.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, type Db } from '../../db/database.ts';

export type ImportKind = 'sirene' | 'csv' | 'communes' | 'rna' | 'ess_france';

export interface ImportCounts {
  read: number;
  /** Rows the import leaves in the base: inserted + updated + unchanged. */
  written: number;
  inserted: number;
  /** Rows already there with the same values (or the same line digest): not rewritten. */
  unchanged: number;
  closed: number;
  notEss: number;
  rejected: number;
}

export const emptyCounts = (): ImportCounts => ({ read: 0, written: 0, inserted: 0, unchanged: 0, closed: 0, notEss: 0, rejected: 0 });

export function addCounts(target: ImportCounts, delta: ImportCounts): void {
  for (const key of Object.keys(target) as (keyof ImportCounts)[]) target[key] += delta[key];
}

export interface ImportRun {
  id: number;
  lastLine: number;
  reportPath: string | null;
  counts: ImportCounts;
}

export interface RunIdentity {
  kind: ImportKind;
  files: string[];
  options: Record<string, unknown>;
}

const runRow = z.object({
  id: z.number(),
  last_line: z.number(),
  report_path: z.string().nullable(),
  rows_read: z.number(),
  rows_written: z.number(),
  rows_inserted: z.number(),
  rows_unchanged: z.number(),
  rows_closed: z.number(),
  rows_not_ess: z.number(),
  rows_rejected: z.number(),
});
type RunRow = z.infer<typeof runRow>;

const RUN_COLUMNS = sql`id::int as id, last_line::int as last_line, report_path, rows_read::int as rows_read,
  rows_written::int as rows_written, rows_inserted::int as rows_inserted, rows_unchanged::int as rows_unchanged,
  rows_closed::int as rows_closed, rows_not_ess::int as rows_not_ess, rows_rejected::int as rows_rejected`;

function toRun(row: RunRow): ImportRun {
  return {
    id: row.id,
    lastLine: row.last_line,
    reportPath: row.report_path,
    counts: {
      read: row.rows_read,
      written: row.rows_written,
      inserted: row.rows_inserted,
      unchanged: row.rows_unchanged,
      closed: row.rows_closed,
      notEss: row.rows_not_ess,
      rejected: row.rows_rejected,
    },
  };
}

export async function startRun(db: Db, identity: RunIdentity, reportPath: string): Promise<ImportRun> {
  const row = await checkedFirstRow(
    db,
    runRow,
    sql`insert into import_run (kind, files, options, report_path)
    values (${identity.kind}, ${JSON.stringify(identity.files)}::jsonb, ${JSON.stringify(identity.options)}::jsonb, ${reportPath})
    returning ${RUN_COLUMNS}`,
  );
  return toRun(row!);
}

/** The latest unfinished run of the same files with the same options, set running again; undefined if none. */
export async function resumeRun(db: Db, identity: RunIdentity, reportPath: string): Promise<ImportRun | undefined> {
  const row = await checkedFirstRow(
    db,
    runRow,
    sql`update import_run
    set status = 'running', error = null, finished_at = null, report_path = ${reportPath}
    where id = (select id from import_run
                where kind = ${identity.kind} and files = ${JSON.stringify(identity.files)}::jsonb
                  and options = ${JSON.stringify(identity.options)}::jsonb and status <> 'done'
                order by id desc limit 1)
    returning ${RUN_COLUMNS}`,
  );
  return row && toRun(row);
}

/** Adds a committed batch to the run; call it inside the batch's transaction. */
export async function recordBatch(tx: Db, runId: number, delta: ImportCounts, lastLine: number): Promise<void> {
  await tx.execute(sql`update import_run set
      rows_read = rows_read + ${delta.read}, rows_written = rows_written + ${delta.written},
      rows_inserted = rows_inserted + ${delta.inserted}, rows_unchanged = rows_unchanged + ${delta.unchanged},
      rows_closed = rows_closed + ${delta.closed}, rows_not_ess = rows_not_ess + ${delta.notEss},
      rows_rejected = rows_rejected + ${delta.rejected}, last_line = greatest(last_line, ${lastLine})
    where id = ${runId}`);
}

/**
 * Marks the run done, or failed with its message. `analyse`: the run changed the table, whose statistics the
 * planner needs at once (autovacuum analyses later, on its own schedule); a re-import that changed nothing skips it.
 */
export async function finishRun(db: Db, runId: number, { error, analyse = false }: { error?: string; analyse?: boolean } = {}): Promise<ImportRun> {
  if (error === undefined && analyse) await db.execute(sql`analyze organisation`);
  const row = await checkedFirstRow(
    db,
    runRow,
    sql`update import_run
    set status = ${error === undefined ? 'done' : 'failed'}, error = ${error ?? null}, finished_at = now()
    where id = ${runId} returning ${RUN_COLUMNS}`,
  );
  return toRun(row!);
}
