/**
 * The answers sent before any route or hook runs, which Fastify would otherwise write in English JSON without
 * the security headers, echoing the URL: Node's HTTP parser refusing a request (headers over its 16 KB: 431, a
 * malformed request: 400, too slow: 408) and Fastify's router refusing a URL (a path parameter over
 * maxParamLength: 414, a badly encoded path: 400). The same French page or problem+json as every other error
 * (web/errors.ts), with the headers of security.ts, never the refused URL.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.ts';
import { renderProblem, statusProblem } from '../../web/errors.ts';
import { HSTS, securityHeaders } from './security.ts';

type Handlers = Required<Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'return503OnClosing'>>;

/** The path of a request the HTTP parser refused, read from its first line (« GET /api/… HTTP/1.1 »). */
function refusedPath(rawPacket: unknown): string {
  return Buffer.isBuffer(rawPacket) ? (/^[A-Z]+ (\/\S*)/.exec(rawPacket.toString('latin1'))?.[1] ?? '/') : '/';
}

function parserStatus(code: string): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Fastify's `frameworkErrors` and `clientErrorHandler` options; its English 503 while closing is turned off,
 * web/errors.ts answering those requests.
 */
export function frameworkErrorHandlers(config: Pick<Config, 'MAP_STYLE_URL'>): Handlers {
  const headers = securityHeaders(config);
  return {
    return503OnClosing: false,
    frameworkErrors(error, request, generic) {
      const reply = generic as FastifyReply; // a reply of no route: no schema types its answer
      const status = error.statusCode ?? 400;
      const { type, body } = renderProblem(request.url, statusProblem(status), { echoUrl: false });
      reply.headers(headers);
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      reply.status(status).type(type).send(body);
    },
    clientErrorHandler(error, socket: Socket) {
      // A reset connection has no one to answer; Node's own handler does the same.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status = parserStatus(error.code);
      const { type, body } = renderProblem(refusedPath(error.rawPacket), statusProblem(status), { echoUrl: false });
      const head = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        `content-type: ${type}`,
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      if (socket.writable) socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
      socket.destroy(error);
    },
  };
}
