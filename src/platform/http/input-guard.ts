/**
 * What no request may carry, refused once here for every route rather than by each feature: a NUL byte
 * (PostgreSQL cannot store it in text) or half of a UTF-16 surrogate pair (no character at all: PostgreSQL
 * refuses it in JSON) in any string or key of the body, query or path; a JSON document nested deeper than
 * MAX_JSON_DEPTH (whoever walks it, Zod or PostgreSQL, spends stack on each level). The answer is a French 400
 * naming the field, before validation, so that nothing is written and no error reaches a 500.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../web/errors.ts';

/** Far above any document Maillage reads (a form definition is 5 levels deep). */
export const MAX_JSON_DEPTH = 64;

const FORBIDDEN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL byte or a lone half of a surrogate pair. */
export const hasForbiddenCharacter = (text: string) => FORBIDDEN.test(text);

const FORBIDDEN_TEXT =
  'contient un caractère invisible ou incomplet que Maillage ne peut pas enregistrer (octet nul, moitié de caractère Unicode) : retirez-le, puis renvoyez.';

/** The path (« donnees.description », « besoins.0 ») of the first string or key holding a forbidden character. */
export function forbiddenTextPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return hasForbiddenCharacter(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (hasForbiddenCharacter(key)) return path;
    const found = forbiddenTextPath(inner, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a JSON text opens more than `max` arrays or objects inside one another (read before parsing it). */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // the escaped character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const TOO_DEEP = `est un document JSON imbriqué sur plus de ${MAX_JSON_DEPTH} niveaux : aucun document de Maillage ne l’est autant.`;

/**
 * Why a JSON text typed into a field (an imported form definition) is refused by the same rules as a JSON
 * body, in French, or undefined: the text is within bounds, or is not JSON at all (the field's own message).
 */
export function jsonFieldProblem(text: string): string | undefined {
  if (jsonDepthExceeds(text)) return `Ce texte ${TOO_DEEP}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const path = forbiddenTextPath(value);
  return path === undefined ? undefined : `Ce texte ${path ? `(à « ${path} ») ` : ''}${FORBIDDEN_TEXT}`;
}

function refusal(path: string, message: string): HttpError {
  const field = path.length > 100 ? `${path.slice(0, 99)}…` : path; // the keys are the client's: an answer of bounded size
  return new HttpError(400, `« ${field} » ${message}`, undefined, [{ field, message }]);
}

export function registerInputGuard(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string)) done(refusal('corps de la requête', TOO_DEEP), undefined);
    else json(request, body as string, done);
  });
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['chemin', request.params],
      ['paramètres', request.query],
      ['corps de la requête', request.body],
    ] as const) {
      const path = forbiddenTextPath(value);
      if (path !== undefined) throw refusal(path || part, FORBIDDEN_TEXT);
    }
  });
}
