/**
 * Metrics in the Prometheus text format at /metriques, for whoever holds METRICS_TOKEN (`Authorization: Bearer …`);
 * without the setting, the path answers 404 and nothing is measured. Requests are counted and timed by route
 * pattern (`/organisations/:id`, never the raw URL, so the series stay few); the database pool, the job queue,
 * the mail waiting to leave and the imports in progress are read when Prometheus asks. Counters belong to the
 * instance: Prometheus scrapes each instance, not the reverse proxy. Nothing here names a person.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { checkedRows } from '../../db/database.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { MAIL_JOB } from '../../platform/jobs/mail.ts';

/** From a cached page (a few ms) to a large export (tens of seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function registerMetrics(app: TypedApp, context: AppContext): void {
  const token = context.config.METRICS_TOKEN;
  if (!token) {
    app.get('/metriques', { schema: { hide: true } }, (_request, reply) => reply.callNotFound());
    return;
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'maillage_' });
  const requests = new Counter({
    name: 'maillage_http_requests_total',
    help: 'Requêtes HTTP servies, par méthode, modèle de route et code de réponse',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'maillage_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP, par méthode et modèle de route',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths share one label: a scanner trying a thousand URLs makes no new series.
    const route = request.routeOptions.url ?? '(aucune)';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  const refresh = databaseGauges(registry, context, () => Object.keys(app.jobHandlers ?? {}));

  const expected = digest(`Bearer ${token}`);
  app.get('/metriques', { schema: { hide: true } }, async (request, reply) => {
    const given = request.headers.authorization;
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="maillage"')
        .type('text/plain; charset=utf-8')
        .send('Jeton manquant ou invalide : envoyez l’en-tête « Authorization: Bearer <METRICS_TOKEN> ».\n');
    }
    await refresh();
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });
}

/** Equal-length digests, so that comparing them tells nothing about the token. */
const digest = (value: string) => createHash('sha256').update(value).digest();

const jobRow = z.object({ kind: z.string(), pending: z.number(), due: z.number(), retrying: z.number(), failed: z.number(), oldest_due_seconds: z.number() });
const importRow = z.object({ kind: z.string(), running: z.number(), rows_read: z.number(), rows_written: z.number(), rows_rejected: z.number() });

/** Gauges read from the database and the process at each scrape; the job and import tables are small (finished jobs are purged). */
function databaseGauges(registry: Registry, context: AppContext, jobKinds: () => string[]): () => Promise<void> {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const pool = gauge('maillage_database_pool_connections', 'Connexions du pool de cette instance : total, libres, demandes en attente', ['state']);
  const up = gauge('maillage_database_up', '1 quand la base a répondu à la lecture des métriques, 0 sinon');
  const due = gauge('maillage_jobs_due', 'Tâches dues et pas encore faites (profondeur de la file), par type', ['kind']);
  const retrying = gauge('maillage_jobs_retrying', 'Tâches en attente d’un nouvel essai après un échec, par type', ['kind']);
  const failed = gauge('maillage_jobs_failed', 'Tâches abandonnées après leurs essais (gardées 30 jours), par type', ['kind']);
  const oldest = gauge('maillage_jobs_oldest_due_seconds', 'Âge de la plus ancienne tâche due (0 si aucune) : une file qui n’avance plus');
  const mails = gauge('maillage_mails_pending', 'Courriels pas encore partis (tâches d’envoi en attente ou à réessayer)');
  const imports = gauge('maillage_imports_running', 'Imports en cours, par type', ['kind']);
  const importRows = gauge('maillage_import_rows', 'Lignes des imports en cours : lues, écrites, rejetées', ['kind', 'state']);
  return async () => {
    pool.set({ state: 'total' }, context.database.pool.totalCount);
    pool.set({ state: 'idle' }, context.database.pool.idleCount);
    pool.set({ state: 'waiting' }, context.database.pool.waitingCount);
    try {
      const [jobs, running] = await Promise.all([
        checkedRows(
          context.database.db,
          jobRow,
          sql`select kind,
            (count(*) filter (where done_at is null and failed_at is null))::int as pending,
            (count(*) filter (where done_at is null and failed_at is null and run_at <= now()))::int as due,
            (count(*) filter (where done_at is null and failed_at is null and last_error is not null))::int as retrying,
            (count(*) filter (where failed_at is not null))::int as failed,
            coalesce(extract(epoch from now() - min(run_at) filter (where done_at is null and failed_at is null and run_at <= now())), 0)::float8
              as oldest_due_seconds
          from job group by kind`,
        ),
        checkedRows(
          context.database.db,
          importRow,
          sql`select kind, count(*)::int as running, sum(rows_read)::float8 as rows_read, sum(rows_written)::float8 as rows_written,
            sum(rows_rejected)::float8 as rows_rejected
          from import_run where status = 'running' group by kind`,
        ),
      ]);
      for (const metric of [due, retrying, failed, imports, importRows]) metric.reset();
      for (const kind of jobKinds()) for (const metric of [due, retrying, failed]) metric.set({ kind }, 0);
      for (const row of jobs) {
        due.set({ kind: row.kind }, row.due);
        retrying.set({ kind: row.kind }, row.retrying);
        failed.set({ kind: row.kind }, row.failed);
      }
      oldest.set(Math.max(0, ...jobs.map((row) => row.oldest_due_seconds)));
      mails.set(jobs.find((row) => row.kind === MAIL_JOB)?.pending ?? 0);
      for (const row of running) {
        imports.set({ kind: row.kind }, row.running);
        importRows.set({ kind: row.kind, state: 'read' }, row.rows_read);
        importRows.set({ kind: row.kind, state: 'written' }, row.rows_written);
        importRows.set({ kind: row.kind, state: 'rejected' }, row.rows_rejected);
      }
      up.set(1);
    } catch {
      up.set(0);
    }
  };
}
