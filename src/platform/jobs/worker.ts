/**
 * The worker of a serving instance: every few seconds, runs the due jobs (queue.ts). Its timer does not keep
 * the process alive; `stop()` waits for the job in progress, so the database can then be closed.
 */
import type { Db } from '../../db/database.ts';
import { runDueJobs, workerName, type JobHandlers, type JobLog } from './queue.ts';

export interface JobWorker {
  stop(): Promise<void>;
  /** For the readiness check: whether the last look at the queue worked, and whether the worker was stopped. */
  status(): { stopped: boolean; lastLookFailed: boolean };
}

export function startJobWorker(db: Db, handlers: JobHandlers, options: { intervalSeconds: number; log: JobLog }): JobWorker {
  const worker = workerName();
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let lastLookFailed = false;
  const tick = () => {
    if (running || stopping.signal.aborted) return;
    running = runDueJobs(db, handlers, new Date(), { worker, log: options.log, signal: stopping.signal })
      .then(
        () => {
          lastLookFailed = false;
        },
        (error: unknown) => {
          lastLookFailed = true;
          options.log.error({ err: error }, 'File des tâches indisponible');
        },
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopping.abort();
      clearInterval(timer);
      await running;
    },
    status: () => ({ stopped: stopping.signal.aborted, lastLookFailed }),
  };
}
