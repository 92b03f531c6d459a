/**
 * The job queue on each real database: a job is run once even with two workers racing for it, a failing job
 * is retried with backoff then kept as failed with its error, a worker's expired lease frees its job, a
 * recurring job keeps exactly one pending run, old finished jobs are purged, and jobs of a kind nobody handles
 * are left alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { enqueue, purgeJob, runDueJobs, scheduleRecurring, type JobHandlers } from '../src/platform/jobs/queue.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const T0 = new Date('2030-01-07T08:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(`File des tâches`, () => {
  let database: TestDatabase;
  const db = () => database.db;
  const jobState = (id: number) =>
    firstRow<{ attempts: number; last_error: string | null; done: boolean; failed: boolean; run_at_ms: number }>(
      db(),
      sql`
    select attempts, last_error, done_at is not null as done, failed_at is not null as failed,
      (extract(epoch from run_at) * 1000)::float8 as run_at_ms from job where id = ${id}`,
    );

  before(async () => {
    database = await openTestDatabase();
  });
  after(async () => {
    await database.dispose();
  });

  test('deux workers en concurrence exécutent chaque tâche une seule fois', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await enqueue(db(), { kind: 'test.compte', payload: { i }, runAt: T0 }))!);
    const runs = new Map<number, number>();
    const handlers: JobHandlers = {
      'test.compte': {
        async run(_payload, { job }) {
          await tick(); // lets the other worker claim meanwhile
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        },
      },
    };
    const [a, b] = await Promise.all([runDueJobs(db(), handlers, T0, { worker: 'worker-a' }), runDueJobs(db(), handlers, T0, { worker: 'worker-b' })]);
    assert.equal(a.length + b.length, 30);
    assert.deepEqual(
      [...runs.keys()].sort((x, y) => x - y),
      ids,
    );
    assert.ok(
      [...runs.values()].every((n) => n === 1),
      'une tâche a été exécutée deux fois',
    );
    const left = await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from job where kind = 'test.compte' and done_at is null`);
    assert.equal(left!.n, 0);
    assert.deepEqual(await runDueJobs(db(), handlers, T0), [], 'rien ne reste à faire');
  });

  test('une tâche en échec est réessayée plus tard, puis gardée en échec avec son erreur', async () => {
    const id = (await enqueue(db(), { kind: 'test.panne', runAt: T0, maxAttempts: 3 }))!;
    let calls = 0;
    const handlers: JobHandlers = {
      'test.panne': {
        async run() {
          calls++;
          throw new Error('Serveur SMTP injoignable');
        },
      },
    };

    assert.deepEqual(
      (await runDueJobs(db(), handlers, T0)).map((o) => o.status),
      ['retry'],
    );
    let state = (await jobState(id))!;
    assert.equal(state.attempts, 1);
    assert.equal(state.last_error, 'Serveur SMTP injoignable');
    assert.equal(state.run_at_ms, later(30).getTime(), 'première nouvelle tentative 30 s plus tard');
    assert.deepEqual(await runDueJobs(db(), handlers, later(10)), [], 'pas avant son heure');

    assert.deepEqual(
      (await runDueJobs(db(), handlers, later(30))).map((o) => o.status),
      ['retry'],
    );
    state = (await jobState(id))!;
    assert.equal(state.run_at_ms, later(30 + 120).getTime(), 'puis 2 minutes plus tard');

    assert.deepEqual(
      (await runDueJobs(db(), handlers, later(150))).map((o) => o.status),
      ['failed'],
    );
    state = (await jobState(id))!;
    assert.deepEqual(
      { attempts: state.attempts, failed: state.failed, done: state.done, error: state.last_error },
      { attempts: 3, failed: true, done: false, error: 'Serveur SMTP injoignable' },
    );
    assert.deepEqual(await runDueJobs(db(), handlers, later(86_400)), [], 'une tâche en échec ne repart plus');
    assert.equal(calls, 3);
  });

  test('la tâche d’un worker disparu est reprise une fois son bail expiré', async () => {
    const id = (await enqueue(db(), { kind: 'test.bail', runAt: T0 }))!;
    await db().execute(sql`update job set locked_by = 'worker-disparu', attempts = 1,
      locked_until = ${later(300).toISOString()}::timestamptz where id = ${id}`);
    const seen: number[] = [];
    const handlers: JobHandlers = {
      'test.bail': {
        async run(_p, { job }) {
          seen.push(job.attempts);
        },
      },
    };
    assert.deepEqual(await runDueJobs(db(), handlers, later(60)), [], 'encore réservée');
    assert.deepEqual(
      (await runDueJobs(db(), handlers, later(301))).map((o) => o.id),
      [id],
    );
    assert.deepEqual(seen, [2]);
    assert.equal((await jobState(id))!.done, true);
  });

  test('une tâche récurrente a toujours exactement une exécution en attente', async () => {
    let runs = 0;
    const handlers: JobHandlers = {
      'test.horaire': {
        everySeconds: 3600,
        async run() {
          runs++;
        },
      },
    };
    const pending = async () =>
      (
        await rows<{ run_at_ms: number }>(
          db(),
          sql`select (extract(epoch from run_at) * 1000)::float8 as run_at_ms
      from job where kind = 'test.horaire' and done_at is null and failed_at is null`,
        )
      ).map((r) => r.run_at_ms);

    await scheduleRecurring(db(), handlers, T0);
    await scheduleRecurring(db(), handlers, T0);
    assert.deepEqual(await pending(), [T0.getTime()], 'programmée une seule fois');

    await Promise.all([runDueJobs(db(), handlers, T0), runDueJobs(db(), handlers, T0)]);
    assert.equal(runs, 1);
    assert.deepEqual(await pending(), [later(3600).getTime()], 'la suivante, une heure plus tard');
    assert.deepEqual(await runDueJobs(db(), handlers, later(600)), []);
    await runDueJobs(db(), handlers, later(3600));
    assert.equal(runs, 2);
    assert.deepEqual(await pending(), [later(7200).getTime()]);
  });

  test('la purge efface les tâches finies depuis plus de 30 jours, et elles seules', async () => {
    const old = (await enqueue(db(), { kind: 'test.vieille', runAt: T0 }))!;
    const recent = (await enqueue(db(), { kind: 'test.recente', runAt: T0 }))!;
    const pending = (await enqueue(db(), { kind: 'test.attente', runAt: T0 }))!;
    await db().execute(sql`update job set done_at = ${later(-31 * 86_400).toISOString()}::timestamptz where id = ${old}`);
    await db().execute(sql`update job set failed_at = ${later(-29 * 86_400).toISOString()}::timestamptz where id = ${recent}`);
    await runDueJobs(db(), { 'jobs.purge': purgeJob }, T0);
    const left = await rows<{ id: number }>(db(), sql`select id::int as id from job where id in (${old}, ${recent}, ${pending}) order by id`);
    assert.deepEqual(
      left.map((r) => r.id),
      [recent, pending],
    );
  });

  test('une tâche d’un type inconnu de ce worker reste en attente', async () => {
    const id = (await enqueue(db(), { kind: 'autre.type', runAt: T0 }))!;
    assert.deepEqual(await runDueJobs(db(), { 'test.rien': { async run() {} } }, later(60)), []);
    const state = (await jobState(id))!;
    assert.deepEqual({ attempts: state.attempts, done: state.done }, { attempts: 0, done: false });
  });
});
