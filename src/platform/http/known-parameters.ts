/**
 * The API refuses query parameters its contract does not name: Zod drops unknown keys, so a misspelt filter
 * (« departemnt=26 ») would otherwise be ignored and the answer would cover all of France. One rule for every
 * /api/ route with a Zod querystring schema, set when the route is registered: a French 400 naming the
 * accepted parameters, and the rule written in the route's OpenAPI description beside its 400 answer.
 * Pages keep ignoring unknown parameters: a campaign link's utm_* or a mail client's additions change nothing
 * a person sees, and refusing them would break links people follow.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../web/errors.ts';

/** The sentence added to the OpenAPI description of each route the rule applies to. */
export const UNKNOWN_PARAMETER_RULE = 'Un paramètre de requête que cette route ne connaît pas est refusé (400, la réponse nomme les paramètres acceptés).';

/** A refusal in problem+json (RFC 9457), as web/errors.ts writes it. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ champ: z.string(), message: z.string() })).optional(),
  })
  .describe('Erreur RFC 9457, message en français');

/** The keys an object schema names, through the pipes and defaults around it; undefined for any other schema. */
export function acceptedKeys(schema: unknown): string[] | undefined {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return acceptedKeys(schema.in);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return acceptedKeys(schema.unwrap());
  return undefined;
}

/** « Paramètre inconnu : « x ». Paramètres acceptés : a, b. » */
export function unknownParametersMessage(unknown: readonly string[], accepted: readonly string[]): string {
  const named = unknown.map((key) => `« ${key} »`).join(', ');
  const head = unknown.length > 1 ? `Paramètres inconnus : ${named}.` : `Paramètre inconnu : ${named}.`;
  const tail = accepted.length ? `Paramètres acceptés : ${accepted.join(', ')}.` : 'Cette adresse n’accepte aucun paramètre de requête.';
  return `${head} ${tail} Vérifiez l’orthographe du paramètre (voir /api/openapi.json).`;
}

const guarded = new WeakSet<object>();

function guardRoute(route: RouteOptions): void {
  const schema = route.schema;
  const keys = acceptedKeys(schema?.querystring);
  if (!schema || keys === undefined || !route.url.startsWith('/api/')) return;
  const hooks = [route.preValidation ?? []].flat();
  // Fastify registers a GET route's HEAD twin with the same options: one guard is enough.
  if (hooks.some((hook) => guarded.has(hook))) return;
  const accepted = new Set(keys);
  const refuseUnknown = async (request: FastifyRequest) => {
    const unknown = Object.keys(request.query ?? {}).filter((key) => !accepted.has(key));
    if (unknown.length === 0) return;
    throw new HttpError(
      400,
      unknownParametersMessage(unknown, keys),
      undefined,
      unknown.map((field) => ({ field, message: 'paramètre inconnu' })),
    );
  };
  guarded.add(refuseUnknown);
  route.preValidation = [refuseUnknown, ...hooks];
  if (schema.hide) return;
  const response = (schema.response ?? {}) as Record<string, unknown>;
  route.schema = {
    ...schema,
    description: schema.description ? `${schema.description} ${UNKNOWN_PARAMETER_RULE}` : UNKNOWN_PARAMETER_RULE,
    response: { ...response, 400: response[400] ?? problemSchema },
  };
}

/** Before any route is registered: the rule applies to every route registered after it. */
export function registerKnownParameters(app: FastifyInstance): void {
  app.addHook('onRoute', guardRoute);
}
