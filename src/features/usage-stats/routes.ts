/**
 * Usage statistics for the operators: every finished request is counted by kind (kinds.ts) in memory, flushed
 * to the daily table (counter.ts); /admin/statistiques shows the counts of a period to platform admins, with
 * their CSV. The guard runs before the schemas, as for the other admin pages.
 */
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { requirePlatformAdmin } from '../../platform/http/guards.ts';
import { csvLine } from '../../web/csv.ts';
import { badRequest } from '../../web/errors.ts';
import { sendPage } from '../../web/forms.ts';
import { optionalParam } from '../../platform/params.ts';
import { parisDayOf, UsageCounter } from './counter.ts';
import { usageKinds } from './kinds.ts';
import { dailyCounts, type UsagePeriod } from './queries.ts';
import { statisticsPage } from './views.ts';

const FLUSH_MS = 60_000;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'une date s’écrit AAAA-MM-JJ (ex. 2026-03-31)')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'cette date n’existe pas');

const periodQuery = z.object({
  du: optionalParam(isoDay).describe('Premier jour (AAAA-MM-JJ) ; par défaut 29 jours avant le dernier'),
  au: optionalParam(isoDay).describe('Dernier jour inclus (AAAA-MM-JJ) ; par défaut aujourd’hui'),
});

/** The period asked for: the last 30 days by default; refused when it ends before it starts or spans more than a year. */
function periodOf(query: z.infer<typeof periodQuery>, now: Date): UsagePeriod {
  const au = query.au ?? parisDayOf(now);
  const du = query.du ?? new Date(Date.parse(`${au}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  const days = (Date.parse(`${au}T00:00:00Z`) - Date.parse(`${du}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw badRequest(`La période finit (${au}) avant de commencer (${du}) : choisissez un jour « au » après le jour « du ».`);
  if (days > MAX_DAYS) throw badRequest(`La période compte ${days} jours : choisissez-en ${MAX_DAYS} au plus.`);
  return { du, au };
}

export function registerUsageStats(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  const counter = new UsageCounter();
  app.addHook('onResponse', (request, reply, done) => {
    const type = reply.getHeader('content-type');
    const location = reply.getHeader('location');
    for (const kind of usageKinds({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      location: typeof location === 'string' ? location : undefined,
      html: typeof type === 'string' && type.startsWith('text/html'),
    }))
      counter.count(kind);
    done();
  });
  const flush = () => counter.flush(db).catch((error: unknown) => app.log.error({ err: error }, 'Statistiques d’usage non enregistrées'));
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });

  const guarded = { preValidation: requirePlatformAdmin };
  const read = async (query: z.infer<typeof periodQuery>) => {
    const period = periodOf(query, new Date());
    await counter.flush(db);
    return { period, counts: await dailyCounts(db, period) };
  };

  app.get('/admin/statistiques', { schema: { hide: true, querystring: periodQuery }, ...guarded }, async (request, reply) => {
    const { period, counts } = await read(request.query);
    return sendPage(reply, { title: 'Statistiques d’usage — Administration', main: statisticsPage(period, counts), currentPath: '/admin' });
  });

  app.get('/admin/statistiques.csv', { schema: { hide: true, querystring: periodQuery }, ...guarded }, async (request, reply) => {
    const { period, counts } = await read(request.query);
    const body = csvLine(['jour', 'sorte', 'nombre'], 'rfc4180') + counts.map((row) => csvLine([row.day, row.kind, row.count], 'rfc4180')).join('');
    return reply
      .type('text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="maillage-statistiques-${period.du}-${period.au}.csv"`)
      .send(body);
  });
}
