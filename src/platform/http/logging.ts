/**
 * What the logs hold: ids, codes, routes and what went wrong in the code — never what a person typed or
 * the personal data of a row. Request URLs lose their secrets; errors keep their kind, code and SQL text,
 * not the values bound to the query nor the detail PostgreSQL adds (« Key (email)=(…) already exists »).
 */
import { redactSecrets } from './security.ts';

/** How a request appears in the logs: Fastify's default fields, the URL without secrets. */
export function requestLogSerializer(request: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remotePort?: number } | null;
}) {
  const version = request.headers?.['accept-version'];
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactSecrets(request.url),
    version: typeof version === 'string' ? version : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

type LoggedError = { type: string; code?: string; message: string; stack: string; cause?: LoggedError };

/** How an error appears in the logs (pino's `err`). */
export function errorLogSerializer(error: unknown): LoggedError {
  return loggedError(error, 0);
}

function loggedError(error: unknown, depth: number): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: '(valeur non journalisée)', stack: '' };
  const { code, cause } = error as Error & { code?: unknown };
  const message = withoutValues(error.message, code);
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    message,
    stack: [message, ...(error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))].join('\n'),
    ...(cause !== undefined && depth < 3 ? { cause: loggedError(cause, depth + 1) } : {}),
  };
}

/**
 * The query layer writes « Failed query: <sql>\nparams: <values> »: the values go. PostgreSQL's data errors
 * (SQLSTATE class 22) quote the value they refused (« invalid input syntax for type integer: "…" »): it goes too.
 */
function withoutValues(message: string, code: unknown): string {
  const params = message.indexOf('\nparams:');
  const kept = params < 0 ? message : `${message.slice(0, params)}\nparams: [masqués]`;
  return typeof code === 'string' && code.startsWith('22') ? kept.replace(/"[^"]*"/g, '"[masqué]"') : kept;
}
