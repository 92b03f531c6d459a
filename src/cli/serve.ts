/**
 * `maillage serve`: the web server and, unless JOBS_POLL_SECONDS is 0, the job worker. On SIGTERM or SIGINT it
 * stops taking connections, lets the requests in flight finish for a bounded time, then cuts what is left
 * (a client sending half a body does not hold the stop), stops the worker and leaves the database.
 */
import { build } from '../app.ts';
import type { Config } from '../config.ts';
import { startJobWorker } from '../platform/jobs/worker.ts';
import { openPreparedDatabase } from '../startup.ts';

/** Time given to requests in flight once asked to stop; then their connections are closed. */
const SHUTDOWN_GRACE_MS = 8_000;
/** Whatever happens, the process is gone after this. */
const SHUTDOWN_LIMIT_MS = 15_000;

export async function serve(config: Config): Promise<void> {
  const database = await openPreparedDatabase(config, { serving: true });
  const app = await build({ config, database });
  // The worker belongs to serving instances only: tests and the other commands build no timer.
  const worker =
    config.JOBS_POLL_SECONDS > 0 ? startJobWorker(database.db, app.jobHandlers, { intervalSeconds: config.JOBS_POLL_SECONDS, log: app.log }) : null;
  app.operations.worker = worker; // /sante/pret tells whether it still looks at the queue
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // From here, new connections are refused and requests on open ones get 503 (a proxy sends them elsewhere).
    app.log.info(`Arrêt demandé : les requêtes en cours ont ${SHUTDOWN_GRACE_MS / 1000} s pour finir`);
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    const cut = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    try {
      await Promise.all([worker?.stop(), app.close()]);
    } finally {
      clearTimeout(cut);
      await database.close();
    }
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await Promise.all([worker?.stop(), app.close()]);
    await database.close();
    throw listenError(error, config.PORT);
  }
  console.log(`Maillage est prêt : ${config.BASE_URL}`);
}

function listenError(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new Error(`Le port ${port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port (PORT=3001 npm start).`);
  if (code === 'EACCES') return new Error(`Le port ${port} est réservé à l’administrateur : choisissez un port au-dessus de 1024 (PORT=3000).`);
  return error instanceof Error ? error : new Error(String(error));
}
