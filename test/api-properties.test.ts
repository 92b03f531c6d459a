/**
 * Property-based tests (fast-check) of every input of the public API, driven by the OpenAPI document itself so
 * that a new route is covered the day it is documented: whatever the parameters, valid or not, the answer is a
 * success or a French problem+json (400/404, or 401/403 for a visitor on a reserved route), never a server
 * error nor an internal detail; parameters drawn
 * from their documented enumerations alone are always accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp } from './support/app.ts';

interface JsonSchema {
  type?: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}
interface Parameter {
  in: 'query' | 'path';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  hasBody: boolean;
}

const RUNS = 25;

/** A value the schema accepts (an enum member, a string of the pattern, an integer in range). */
function validValue(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'integer') return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1e6, 1e9) }).map(String);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({ maxLength: Math.min(schema.maxLength ?? 50, 50) });
}

/** Anything a client could send: junk, huge numbers, markup, SQL, control characters, over-long text. */
const junk = fc.oneof(
  fc.string({ maxLength: 300, unit: 'binary' }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '?')),
  fc.integer().map(String),
  fc.constantFrom('-1', '0', '1e309', 'NaN', '99999999999999999999', "' or 1=1 --", '<script>alert(1)</script>', '%00', '../..', ''),
);

function anyValue(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(validValue(schema), junk);
}

function operationsOf(document: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      hasBody: op.requestBody !== undefined,
    })),
  );
}

/** The URL of an operation with these parameter values. */
function urlOf(operation: Operation, values: Record<string, string | undefined>): string {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    const value = values[parameter.name];
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value ?? 'x'));
    else if (value !== undefined) query.append(parameter.name, value);
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** Parameter values: required ones always, each optional one present or not. */
function valuesOf(operation: Operation, value: (schema: JsonSchema) => fc.Arbitrary<string>) {
  return fc.record(
    Object.fromEntries(operation.parameters.map((p) => [p.name, p.required ? value(p.schema) : fc.option(value(p.schema), { nil: undefined })])),
  );
}

/** What the client typed, as far as it decodes (a lone « % » in a body does not). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function assertWellFormedAnswer(response: LightMyRequestResponse, url: string) {
  // 401/403: routes for signed-in people refuse a visitor, as they must.
  assert.ok([200, 400, 401, 403, 404].includes(response.statusCode), `${url} → ${response.statusCode} ${response.body.slice(0, 300)}`);
  if (response.statusCode === 200) return;
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, url);
  const problem = response.json() as { status: number; detail: string };
  assert.equal(problem.status, response.statusCode, url);
  assert.ok(problem.detail.length > 0, url);
  assert.doesNotMatch(problem.detail, /\bat .+\.(ts|js):\d+|\bselect\b.+\bfrom\b/i, `${url} : ${problem.detail}`);
  // « NaN » or « undefined » in a message is a leak of the code's values, unless the client typed them.
  const typed = decoded(url);
  const leaked = ['ZodError', 'TypeError', '[object ', 'undefined', 'NaN'].filter((word) => problem.detail.includes(word) && !typed.includes(word));
  assert.deepEqual(leaked, [], `${url} : ${problem.detail}`);
}

describe('API publique : propriétés de toutes les entrées documentées', () => {
  let t: TestApp;
  let operations: Operation[];
  before(async () => {
    t = await buildTestApp();
    operations = operationsOf((await t.app.inject({ url: '/api/openapi.json' })).json());
  });
  after(() => t.close());

  test('le document décrit les routes à tester', () => {
    const gets = operations.filter((op) => op.method === 'GET');
    assert.ok(gets.length >= 15, `${gets.length} routes GET`);
    assert.ok(gets.some((op) => op.path === '/api/v1/cooperations'));
  });

  test('toute valeur de paramètre donne un succès ou une erreur française en problem+json, jamais une erreur serveur', async () => {
    for (const operation of operations.filter((op) => op.method === 'GET')) {
      await fc.assert(
        fc.asyncProperty(valuesOf(operation, anyValue), async (values) => {
          const url = urlOf(operation, values);
          assertWellFormedAnswer(await t.app.inject({ method: 'GET', url }), url);
        }),
        { numRuns: RUNS },
      );
    }
  });

  test('des paramètres pris dans leurs énumérations documentées sont toujours acceptés', async () => {
    const enumOnly = operations.filter(
      (op) => op.method === 'GET' && op.parameters.length > 0 && op.parameters.every((p) => p.in === 'query' && (!p.required || p.schema.enum)),
    );
    assert.ok(enumOnly.length >= 5);
    for (const operation of enumOnly) {
      const enums = { ...operation, parameters: operation.parameters.filter((p) => p.schema.enum) };
      await fc.assert(
        fc.asyncProperty(valuesOf(enums, validValue), async (values) => {
          const url = urlOf(enums, values);
          const response = await t.app.inject({ method: 'GET', url });
          assert.equal(response.statusCode, 200, `${url} → ${response.body.slice(0, 300)}`);
        }),
        { numRuns: RUNS },
      );
    }
  });

  test('tout corps JSON envoyé à une route POST publique donne un succès ou une erreur française, jamais une erreur serveur', async () => {
    const posts = operations.filter((op) => op.method === 'POST' && op.hasBody && op.parameters.every((p) => p.in !== 'path'));
    assert.ok(posts.some((op) => op.path === '/api/v1/orientation'));
    const bodies = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })));
    for (const operation of posts) {
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const response = await t.app.inject({
            method: 'POST',
            url: operation.path,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          assertWellFormedAnswer(response, `${operation.path} ${JSON.stringify(body).slice(0, 100)}`);
        }),
        { numRuns: RUNS },
      );
    }
  });
});
