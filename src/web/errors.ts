import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RuleError, type FieldError, type RuleErrorKind } from '../domain/rule-error.ts';
import { errorPage } from './layout.ts';

/**
 * An error whose French message can be shown as it is: unknown object (404), missing right (403), too many
 * requests (429)… `fields`: the inputs at fault, listed in the API's answer.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly title = defaultTitle(status),
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** Too many attempts (429): the answer says when to try again (Retry-After). */
export class TooManyRequests extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

/** The headers an error's answer carries, on a page of its own or on a form's page. */
export function setErrorHeaders(reply: FastifyReply, error: unknown): void {
  if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
}

export const badRequest = (detail: string) => new HttpError(400, detail);
export const notFound = (detail: string) => new HttpError(404, detail);

/** The title of an answer by its status, on the error page and in problem+json. */
const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  405: 'Méthode non autorisée',
  406: 'Format non disponible',
  408: 'Délai dépassé',
  409: 'Conflit',
  411: 'Longueur requise',
  413: 'Requête trop volumineuse',
  414: 'Adresse trop longue',
  415: 'Type de contenu non pris en charge',
  429: 'Trop de requêtes',
  431: 'En-têtes trop volumineux',
  500: 'Erreur du serveur',
  503: 'Service momentanément indisponible',
};

export function defaultTitle(status: number): string {
  return TITLES[status] ?? (status < 500 ? 'Requête refusée' : 'Erreur du serveur');
}

const RULE_STATUS: Record<RuleErrorKind, number> = { invalid: 400, conflict: 409, not_found: 404 };

/** The HTTP status of a domain refusal: where the domain's kinds of refusal meet HTTP, for the API, pages and forms. */
export function ruleStatus(error: RuleError): number {
  return RULE_STATUS[error.kind];
}

/** A refusal's message with what it lists, on one line. */
function ruleDetail(error: RuleError): string {
  return error.details.length ? `${error.message} — ${error.details.join(' ; ')}` : error.message;
}

/** The API names an input `champ`: part of its public contract. */
const asChamps = (fields: readonly FieldError[]) => fields.map((f) => ({ champ: f.field, message: f.message }));

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { champ: string; message: string }[];
}

function problem(status: number, title: string, detail: string, fields: readonly FieldError[] = []): Problem {
  return fields.length ? { status, title, detail, errors: asChamps(fields) } : { status, title, detail };
}

/** Turns any error into what a person may read: never a stack trace nor SQL. */
function toProblem(error: FastifyError | Error): Problem {
  if (error instanceof HttpError) return problem(error.status, error.title, error.message, error.fields);
  if (error instanceof RuleError) {
    const status = ruleStatus(error);
    return problem(status, defaultTitle(status), ruleDetail(error), error.field === undefined ? [] : [{ field: error.field, message: error.message }]);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      champ: issue.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: issue.message ?? 'valeur invalide',
    }));
    const detail = errors.map((e) => (e.champ ? `« ${e.champ} » : ${e.message}` : e.message)).join(' ; ');
    return { status: 400, title: 'Requête invalide', detail: `Paramètres invalides — ${detail}`, errors };
  }
  if (isDatabaseUnavailable(error)) {
    return statusProblem(503, 'La base de données n’a pas répondu à temps. Réessayez dans un instant.');
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500)
    return statusProblem(status, error instanceof SyntaxError ? 'Le corps de la requête n’est pas du JSON valide.' : undefined);
  return statusProblem(500);
}

/**
 * A statement cancelled by the statement timeout (57014), the server shutting down or restarting (57P01–57P03),
 * or a connection that could not be had in time: the request may succeed later, so 503 rather than 500.
 */
function isDatabaseUnavailable(error: Error): boolean {
  const code = ((error.cause ?? error) as { code?: unknown }).code; // the query layer wraps the driver's error
  return (typeof code === 'string' && /^(57014|57P0[123]|08\d{3})$/.test(code)) || /timeout exceeded when trying to connect/.test(error.message);
}

const DETAILS: Record<number, string> = {
  404: "Cette adresse n'existe pas.",
  405: "Cette adresse n'accepte pas cette méthode.",
  406: 'Cette adresse ne sait pas répondre dans le format demandé.',
  408: 'La requête a mis trop de temps à arriver : réessayez.',
  411: 'La requête doit indiquer la longueur de son contenu.',
  413: 'Le contenu envoyé est trop volumineux.',
  414: 'L’adresse demandée est trop longue : vérifiez le lien suivi.',
  415: "Ce type de contenu n'est pas accepté.",
  429: 'Trop de requêtes : patientez un moment avant de réessayer.',
  431: 'Les en-têtes de la requête sont trop volumineux : effacez les cookies de ce site, puis réessayez.',
  500: 'Une erreur inattendue est survenue. Réessayez plus tard.',
};

/** The problem of a refusal known by its status only (a framework's, the HTTP parser's), in French. */
export function statusProblem(status: number, detail?: string): Problem {
  const fallback = status < 500 ? "La requête n'a pas pu être comprise." : DETAILS[500]!;
  return { status, title: defaultTitle(status), detail: detail ?? DETAILS[status] ?? fallback };
}

const isApiPath = (url: string) => url.startsWith('/api/');

export function isApiRequest(request: FastifyRequest): boolean {
  return isApiPath(request.url);
}

/**
 * An error's answer for `url`: problem+json under /api/, else an HTML page titled by the problem. The URL is
 * named in problem+json (`instance`) unless it is itself what was refused (too long, badly encoded).
 */
export function renderProblem(url: string, problem: Problem, { echoUrl = true } = {}): { type: string; body: string } {
  if (isApiPath(url)) {
    const answer = { type: 'about:blank', ...problem, ...(echoUrl ? { instance: url } : {}) };
    return { type: 'application/problem+json; charset=utf-8', body: JSON.stringify(answer) };
  }
  return { type: 'text/html; charset=utf-8', body: errorPage(problem.status, problem.title, problem.detail) };
}

function send(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const { type, body } = renderProblem(request.url, problem);
  return reply.status(problem.status).type(type).send(body);
}

/** Past this, the rest of a refused body is no longer read: the connection is closed under it. */
const DRAINED_BYTES_MAX = 64 * 1024 * 1024;

/**
 * An answer given before the request's body was all received (too large, refused before it was read): the client,
 * or the proxy in front of Maillage, is still sending it. Closed at once, as Fastify asks (connection: close), the
 * connection was reset under the bytes still coming, and Caddy answered 502 in place of the French 413 (test
 * deployment-guide, one run in four). The rest is read and dropped instead, as nginx's lingering close does, up to
 * a bound and within the request's time limit (app.ts); the connection then serves the next request.
 */
function drainUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.complete) return;
  reply.removeHeader('connection');
  let drained = 0;
  request.raw.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAINED_BYTES_MAX) request.raw.destroy();
  });
}

export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error(error);
    setErrorHeaders(reply, error);
    drainUnreadBody(request, reply);
    return send(request, reply, problem);
  });
  // A request read while the server stops (pipelined behind one in progress): a French 503 with the security
  // headers, where Fastify would answer its own in English (turned off: return503OnClosing, framework-errors.ts).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new HttpError(503, 'Maillage redémarre : réessayez dans un instant.');
  });
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, { status: 404, title: 'Page introuvable', detail: "Cette adresse n'existe pas sur Maillage." }),
  );
}
