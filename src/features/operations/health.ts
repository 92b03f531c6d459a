/**
 * Health of an instance, for a reverse proxy, systemd or a supervisor: `/sante/vivant` says the process answers
 * (nothing else is asked), `/sante/pret` that it can serve: the database answers, every migration this code knows
 * is applied, and the job worker, when this instance runs one, is looking at its queue. Both are cheap (at most
 * one small query) and tell nothing about people.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, textArray } from '../../db/database.ts';
import { migrationNames } from '../../db/migrate.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';

/** What serve.ts hands over once the app is built: the worker it started, if any. */
export interface OperationsState {
  worker: JobWorker | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    operations: OperationsState;
  }
}

/** Longest wait for the database before the instance says it is not ready. */
const DATABASE_CHECK_MS = 2_000;

const livenessSchema = z.object({ statut: z.literal('vivant') });
const readinessSchema = z.object({
  statut: z.enum(['pret', 'pas_pret']),
  base: z.enum(['ok', 'injoignable']).describe('La base PostgreSQL répond-elle ?'),
  migrations: z.enum(['ok', 'en_attente', 'inconnues']).describe('Toutes les migrations de ce code sont-elles appliquées ?'),
  taches: z
    .enum(['ok', 'desactivees', 'en_echec', 'arretees'])
    .describe('La file des tâches de cette instance : « desactivees » quand JOBS_POLL_SECONDS vaut 0 (ce n’est pas une panne).'),
});
type Readiness = z.infer<typeof readinessSchema>;

export function registerHealth(app: TypedApp, context: AppContext): void {
  app.decorate('operations', { worker: null } satisfies OperationsState);
  const known = migrationNames();

  app.get(
    '/sante/vivant',
    { schema: { tags: ['Exploitation'], summary: 'Le processus répond (sans rien demander à la base)', response: { 200: livenessSchema } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { statut: 'vivant' as const };
    },
  );

  app.get(
    '/sante/pret',
    {
      schema: {
        tags: ['Exploitation'],
        summary: 'L’instance peut servir : base joignable, migrations appliquées, tâches en marche',
        description: 'Répond 200 quand l’instance est prête, 503 sinon (le répartiteur de charge la retire alors).',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const database = await migrationsApplied(context, known);
      const worker = app.operations.worker?.status();
      const taches: Readiness['taches'] = !worker ? 'desactivees' : worker.stopped ? 'arretees' : worker.lastLookFailed ? 'en_echec' : 'ok';
      const ready = database === 'ok' && (taches === 'ok' || taches === 'desactivees');
      const answer: Readiness = {
        statut: ready ? 'pret' : 'pas_pret',
        base: database === 'injoignable' ? 'injoignable' : 'ok',
        migrations: database === 'injoignable' ? 'inconnues' : database === 'en_attente' ? 'en_attente' : 'ok',
        taches,
      };
      reply.header('cache-control', 'no-store');
      return reply.code(ready ? 200 : 503).send(answer);
    },
  );
}

/** One query on the small migrations table answers both questions: the database is there, and up to date. */
async function migrationsApplied(context: AppContext, known: string[]): Promise<'ok' | 'en_attente' | 'injoignable'> {
  const check = checkedRows(
    context.database.db,
    z.object({ applied: z.number() }),
    sql`select count(*)::int as applied from schema_migration where name = any(${textArray(known)})`,
  ).then(
    ([row]) => ((row?.applied ?? 0) >= known.length ? ('ok' as const) : ('en_attente' as const)),
    () => 'injoignable' as const,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'injoignable'>((resolve) => {
    timer = setTimeout(() => resolve('injoignable'), DATABASE_CHECK_MS);
  });
  try {
    return await Promise.race([check, late]);
  } finally {
    clearTimeout(timer);
  }
}
