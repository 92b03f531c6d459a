/**
 * The job queue, a table of PostgreSQL (migration 0009): enqueue work, and `runDueJobs` to run what is due.
 * A job is claimed with FOR UPDATE SKIP LOCKED for a lease, so that several workers (threads of one app, or
 * several app instances) never run the same job twice at once; a crashed worker's job is taken again once its
 * lease has passed (at-least-once: handlers must bear a second run). Times come from `now`, so tests drive the
 * clock; the real worker (worker.ts) passes the current time.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { textArray, type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { errorText, retryDelaySeconds } from './retry.ts';
import { z } from 'zod';

/** How long a claimed job is reserved for its worker before another may take it again. */
const LEASE_SECONDS = 300;
/** Finished jobs are kept this long for inspection, then purged (their payloads may hold addresses). */
const KEEP_FINISHED_DAYS = 30;

export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export interface JobLog {
  error(object: unknown, message?: string): void;
  warn(object: unknown, message?: string): void;
}

const silentLog: JobLog = { error() {}, warn() {} };

export interface JobContext {
  db: Db;
  now: Date;
  job: Job;
  log: JobLog;
}

export interface JobHandler {
  run(payload: unknown, context: JobContext): Promise<void>;
  /** A recurring job: runs every so many seconds, with at most one pending run (its unique key is its kind). */
  everySeconds?: number;
}

export type JobHandlers = Record<string, JobHandler>;

export interface NewJob {
  kind: string;
  payload?: unknown;
  runAt?: Date;
  maxAttempts?: number;
  /** At most one pending job holds a given key: enqueueing another one does nothing. */
  uniqueKey?: string;
}

const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;

/** Adds a job (inside the caller's transaction when given one); returns its id, or null when its unique key is taken. */
export async function enqueue(db: Db, job: NewJob): Promise<number | null> {
  const row = await checkedFirstRow(
    db,
    idRow,
    sql`
    insert into job (kind, payload, run_at, max_attempts, unique_key)
    values (${job.kind}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.runAt ? at(job.runAt) : sql`now()`},
      ${job.maxAttempts ?? 5}, ${job.uniqueKey ?? null})
    on conflict (unique_key) where done_at is null and failed_at is null do nothing
    returning id::int as id`,
  );
  return row?.id ?? null;
}

/** Makes sure each recurring job has its pending run (idempotent: the unique key keeps it to one). */
export async function scheduleRecurring(db: Db, handlers: JobHandlers, now: Date): Promise<void> {
  for (const [kind, handler] of Object.entries(handlers)) {
    if (handler.everySeconds) await enqueue(db, { kind, runAt: now, uniqueKey: kind });
  }
}

const claimRow = z.object({ id: z.number(), kind: z.string(), payload: z.unknown(), attempts: z.number(), max_attempts: z.number() });

/** Takes the next due job of a known kind for `worker`, or null. */
async function claim(db: Db, kinds: string[], worker: string, now: Date): Promise<Job | null> {
  const row = await checkedFirstRow(
    db,
    claimRow,
    sql`
    with next as (
      select id from job
      where done_at is null and failed_at is null and run_at <= ${at(now)}
        and (locked_until is null or locked_until <= ${at(now)}) and kind = any(${textArray(kinds)})
      order by run_at, id limit 1
      for update skip locked
    )
    update job set attempts = job.attempts + 1, locked_by = ${worker},
      locked_until = ${at(now)} + make_interval(secs => ${LEASE_SECONDS})
    from next where job.id = next.id
    returning job.id::int as id, job.kind, job.payload, job.attempts, job.max_attempts`,
  );
  return row ? { id: row.id, kind: row.kind, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts } : null;
}

async function scheduleNext(db: Db, job: Job, handler: JobHandler, now: Date): Promise<void> {
  if (!handler.everySeconds) return;
  await enqueue(db, { kind: job.kind, runAt: new Date(now.getTime() + handler.everySeconds * 1000), uniqueKey: job.kind });
}

async function complete(db: Db, job: Job, handler: JobHandler, worker: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`update job set done_at = ${at(now)}, locked_until = null, last_error = null
      where id = ${job.id} and locked_by = ${worker}`);
    await scheduleNext(tx, job, handler, now);
  });
}

/** A failed run: retried later with backoff, or kept as failed once its attempts are spent. */
async function fail(db: Db, job: Job, handler: JobHandler, worker: string, now: Date, error: unknown): Promise<'retry' | 'failed'> {
  const message = errorText(error);
  if (job.attempts < job.maxAttempts) {
    const runAt = new Date(now.getTime() + retryDelaySeconds(job.attempts) * 1000);
    await db.execute(sql`update job set run_at = ${at(runAt)}, locked_until = null, last_error = ${message}
      where id = ${job.id} and locked_by = ${worker}`);
    return 'retry';
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`update job set failed_at = ${at(now)}, locked_until = null, last_error = ${message}
      where id = ${job.id} and locked_by = ${worker}`);
    await scheduleNext(tx, job, handler, now);
  });
  return 'failed';
}

export interface RunOptions {
  /** Name of this worker in locked_by (default: host, process and a random part). */
  worker?: string;
  log?: JobLog;
  /** At most this many jobs in one call (the next call goes on). */
  limit?: number;
  signal?: AbortSignal;
}

export interface JobOutcome {
  id: number;
  kind: string;
  status: 'done' | 'retry' | 'failed';
}

export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Runs the jobs due at `now`, one after the other, until none is left (jobs enqueued by a handler for `now`,
 * such as a digest's mail, run in the same call). Recurring jobs are scheduled first if they are missing.
 */
export async function runDueJobs(db: Db, handlers: JobHandlers, now = new Date(), options: RunOptions = {}): Promise<JobOutcome[]> {
  const worker = options.worker ?? workerName();
  const log = options.log ?? silentLog;
  const kinds = Object.keys(handlers);
  const outcomes: JobOutcome[] = [];
  if (kinds.length === 0) return outcomes;
  await scheduleRecurring(db, handlers, now);
  while (outcomes.length < (options.limit ?? 1000) && !options.signal?.aborted) {
    const job = await claim(db, kinds, worker, now);
    if (!job) break;
    const handler = handlers[job.kind]!;
    try {
      await handler.run(job.payload, { db, now, job, log });
      await complete(db, job, handler, worker, now);
      outcomes.push({ id: job.id, kind: job.kind, status: 'done' });
    } catch (error) {
      const status = await fail(db, job, handler, worker, now, error);
      log.error({ err: error, job: job.id, kind: job.kind, attempts: job.attempts }, `Échec de la tâche ${job.kind}`);
      outcomes.push({ id: job.id, kind: job.kind, status });
    }
  }
  return outcomes;
}

/** Built-in recurring job: deletes the jobs finished long ago. */
export const purgeJob: JobHandler = {
  everySeconds: 24 * 3600,
  async run(_payload, { db, now }) {
    await db.execute(sql`delete from job where coalesce(done_at, failed_at) < ${at(now)} - make_interval(days => ${KEEP_FINISHED_DAYS})`);
  },
};
