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

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  409: 'Conflit',
  413: 'Requête trop volumineuse',
  429: 'Trop de requêtes',
};

function defaultTitle(status: number): string {
  return TITLES[status] ?? 'Erreur du serveur';
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

interface Problem {
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
    return { status: 503, title: 'Service momentanément indisponible', detail: 'La base de données n’a pas répondu à temps. Réessayez dans un instant.' };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, title: defaultTitle(status), detail: frenchClientError(status) };
  }
  return { status: 500, title: 'Erreur du serveur', detail: 'Une erreur inattendue est survenue. Réessayez plus tard.' };
}

/**
 * A statement cancelled by the statement timeout (57014), the server shutting down or restarting (57P01–57P03),
 * or a connection that could not be had in time: the request may succeed later, so 503 rather than 500.
 */
function isDatabaseUnavailable(error: Error): boolean {
  const code = ((error.cause ?? error) as { code?: unknown }).code; // the query layer wraps the driver's error
  return (typeof code === 'string' && /^(57014|57P0[123]|08\d{3})$/.test(code)) || /timeout exceeded when trying to connect/.test(error.message);
}

function frenchClientError(status: number): string {
  if (status === 413) return 'Le contenu envoyé est trop volumineux.';
  if (status === 415) return "Ce type de contenu n'est pas accepté.";
  if (status === 404) return "Cette adresse n'existe pas.";
  if (status === 429) return 'Trop de requêtes : patientez un moment avant de réessayer.';
  return "La requête n'a pas pu être comprise.";
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function send(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.status(problem.status);
  if (isApiRequest(request)) {
    return reply.type('application/problem+json; charset=utf-8').send({ type: 'about:blank', ...problem, instance: request.url });
  }
  return reply.type('text/html; charset=utf-8').send(errorPage(problem.status, problem.title, problem.detail));
}

export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error(error);
    setErrorHeaders(reply, error);
    return send(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, { status: 404, title: 'Page introuvable', detail: "Cette adresse n'existe pas sur Maillage." }),
  );
}
