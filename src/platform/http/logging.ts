/**
 * What the logs hold: ids, codes, routes and what went wrong in the code — never what a person typed or
 * the personal data of a row. Request URLs lose their secrets; errors keep their kind, code and SQL text,
 * not the values bound to the query nor the detail PostgreSQL adds (« Key (email)=(…) already exists »).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../../config.ts';
import { redactSecrets } from './security.ts';

/** Fastify's logger option: JSON lines for a collector, or readable lines on a developer's terminal (LOG_FORMAT). */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, terminal = process.stdout.isTTY === true) {
  if (config.LOG_LEVEL === 'silent') return false;
  const readable = config.LOG_FORMAT === 'texte' || (config.LOG_FORMAT === 'auto' && terminal && process.env.NODE_ENV !== 'production');
  return {
    level: config.LOG_LEVEL,
    serializers: { req: requestLogSerializer, err: errorLogSerializer },
    ...(readable ? { stream: { write: (line: string) => void process.stdout.write(`${readableLine(line)}\n`) } } : {}),
  };
}

/** A proxy's request id (nginx's $request_id, a load balancer's) is kept when it is a plain token; otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Fastify's genReqId: the id that every log line of a request carries, and that the X-Request-Id response header echoes. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One JSON log line as a developer reads it: « 14:03:07 INFO  [id] GET /recherche 200 12 ms request completed {…} ». */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const { level, time, msg, reqId, req, res, responseTime, err, pid: _pid, hostname: _hostname, ...rest } = entry;
  const request = req as { method?: string; url?: string } | undefined;
  const parts = [
    typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '',
    (LEVEL_NAMES[level as number] ?? String(level)).padEnd(5),
    reqId ? `[${String(reqId)}]` : '',
    request ? `${request.method} ${request.url}` : '',
    res ? String((res as { statusCode?: number }).statusCode) : '',
    typeof responseTime === 'number' ? `${Math.round(responseTime)} ms` : '',
    String(msg ?? ''),
    Object.keys(rest).length ? JSON.stringify(rest) : '',
  ];
  const line = parts.filter(Boolean).join(' ');
  const stack = (err as { stack?: string } | undefined)?.stack;
  return stack ? `${line}\n${stack}` : line;
}

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
