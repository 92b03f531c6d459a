/**
 * The job kinds an app knows: each feature adds its handlers when it registers, and the `serve` command hands
 * them to the worker (tests call runDueJobs with them directly).
 */
import type { FastifyInstance } from 'fastify';
import { purgeJob, type JobHandlers } from './queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobHandlers: JobHandlers;
  }
}

export function registerJobHandlers(app: FastifyInstance, handlers: JobHandlers): void {
  if (!app.hasDecorator('jobHandlers')) app.decorate('jobHandlers', { 'jobs.purge': purgeJob });
  Object.assign(app.jobHandlers, handlers);
}
