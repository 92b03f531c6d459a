/** What an operator needs of a running instance: health checks, metrics, and the request id on every answer. */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerHealth } from './health.ts';
import { registerMetrics } from './metrics.ts';

export function registerOperations(app: TypedApp, context: AppContext): void {
  // The id of the request's log lines, so that a person's report (or the proxy's log) leads to them.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerHealth(app, context);
  registerMetrics(app, context);
}
