/**
 * Property-based tests (fast-check) of every input of the public API, driven by the OpenAPI document itself so
 * that a new route is covered the day it is documented: whatever the parameters, valid or not, the answer is a
 * success or a French problem+json (400/404, or 401/403 for a visitor on a reserved route), never a server
 * error nor an internal detail; parameters drawn
 * from their documented enumerations alone are always accepted. Values include what PostgreSQL cannot store
 * (NUL, half a surrogate pair, sent as the bytes a careless client writes), text outside Latin-1 and JSON
 * nested thousands of levels deep; every documented POST route is tried with a signed-in person's session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { siretFrom } from './support/siret.ts';

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

/** One character a client could send: any code point, and those PostgreSQL refuses (NUL, half a surrogate pair). */
const hostileUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u0001', '\u202E', '日本', 'é') },
);
const hostileText = fc.string({ unit: hostileUnit, maxLength: 80 });

/** Anything a client could send: junk, huge numbers, markup, SQL, control characters, over-long text. */
const junk = fc.oneof(
  fc.string({ maxLength: 300, unit: 'binary' }),
  hostileText,
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

/**
 * Percent-encodes as encodeURIComponent does, except half a surrogate pair, which it cannot encode: written
 * as the three bytes a careless client sends (WTF-8, « %ED%A0%80 »), invalid UTF-8 for the server.
 */
function encodeHostile(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (c) => {
    const unit = c.charCodeAt(0);
    if (c.length === 2 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(c);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

/** The URL of an operation with these parameter values (`ids`: real objects for some path parameters). */
function urlOf(operation: Operation, values: Record<string, string | undefined>, ids: Record<string, number> = {}): string {
  let path = operation.path;
  for (const [prefix, id] of Object.entries(ids)) if (path.startsWith(prefix)) path = path.replace('{id}', String(id));
  const query: string[] = [];
  for (const parameter of operation.parameters) {
    const value = values[parameter.name];
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeHostile(value ?? 'x'));
    else if (value !== undefined) query.push(`${encodeHostile(parameter.name)}=${encodeHostile(value)}`);
  }
  return query.length ? `${path}?${query.join('&')}` : path;
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

/** Text fields of the AMI PTCE's form, where a draft keeps what is typed. */
const DRAFT_FIELDS = ['nom_dynamique', 'description', 'contact_nom'];

const READ_STATUSES = [200, 400, 401, 403, 404];
/** A write may also create (201), conflict with the object's state (409), be too large (413) or too frequent (429). */
const WRITE_STATUSES = [...READ_STATUSES, 201, 409, 413, 429];

function assertWellFormedAnswer(response: LightMyRequestResponse, url: string, statuses = READ_STATUSES) {
  // 401/403: routes for signed-in people refuse a visitor, as they must.
  assert.ok(statuses.includes(response.statusCode), `${url} → ${response.statusCode} ${response.body.slice(0, 300)}`);
  assert.ok(response.headers['content-security-policy'], `${url} : en-têtes de sécurité`);
  if (response.statusCode < 300) return;
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
  let applicant: TestAccount;
  /** Real objects behind the path parameters of the write routes, so that their writes are reached. */
  let ids: Record<string, number>;
  before(async () => {
    t = await buildTestApp();
    operations = operationsOf((await t.app.inject({ url: '/api/openapi.json' })).json());
    setCallsClock(() => new Date('2021-06-01T10:00:00Z')); // the AMI PTCE 2021 is open
    applicant = await signedInAs(t.app, t.database.db);
    const amiId = (await t.app.inject('/api/v1/appels?q=ami%20ptce').then((r) => r.json())).resultats[0].id as number;
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/appels/${amiId}/candidatures`,
      payload: {
        titre: 'Propriétés',
        porteur: 'cooperation',
        chef_de_file: { siret: siretFrom(31), nom: 'Association' },
        profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
      },
      headers: sessionOf(applicant),
    });
    assert.equal(started.statusCode, 201, started.body);
    ids = { '/api/v1/appels/': amiId, '/api/v1/candidatures/': (started.json() as { id: number }).id };
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
  });

  const sessionOf = (who: TestAccount) => ({ cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': who.csrf });

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
    // A route that needs a combination of parameters (an activity and a place) refuses a bare call: its enumerations
    // are tried by its own tests. The list is closed, so that no route drops out of this property unnoticed.
    const needsCombination: string[] = [];
    for (const operation of enumOnly) {
      const bare = await t.app.inject({ method: 'GET', url: urlOf({ ...operation, parameters: [] }, {}) });
      if (bare.statusCode === 400) needsCombination.push(operation.path);
    }
    assert.deepEqual(needsCombination, ['/api/v1/fournisseurs']);
    for (const operation of enumOnly.filter((op) => !needsCombination.includes(op.path))) {
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

  test('tout corps JSON envoyé à toute route POST, par une personne connectée, donne un succès ou une erreur française', async () => {
    const posts = operations.filter((op) => op.method === 'POST' && op.hasBody);
    for (const path of ['/api/v1/orientation', '/api/v1/candidatures/{id}/brouillon', '/api/v1/appels/{id}/candidatures']) {
      assert.ok(
        posts.some((op) => op.path === path),
        path,
      );
    }
    const values = fc.jsonValue({ maxDepth: 3, stringUnit: hostileUnit });
    const deep = fc.integer({ min: 60, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const bodies = fc.oneof(
      values.map((body) => JSON.stringify(body)),
      fc.dictionary(hostileText, values).map((body) => JSON.stringify(body)),
      // The fields the routes read, with hostile text in them (a draft's answers, an application's title).
      // « version »: -1 stands for the application's current version, so that a draft's save reaches its write.
      fc
        .record({ version: fc.constant(-1), donnees: fc.dictionary(fc.constantFrom(...DRAFT_FIELDS, 'x'), hostileText), titre: hostileText })
        .map((body) => JSON.stringify(body)),
      deep.map((nested) => `{"version":-1,"donnees":{"x":${nested}}}`),
    );
    const application = ids['/api/v1/candidatures/'];
    const currentVersion = async () =>
      ((await t.app.inject({ url: `/api/v1/candidatures/${application}`, headers: sessionOf(applicant) })).json() as { version: number }).version;
    for (const operation of posts) {
      await fc.assert(
        fc.asyncProperty(valuesOf(operation, anyValue), bodies, async (parameters, body) => {
          const url = urlOf(operation, parameters, ids);
          const payload = body.replace('"version":-1', `"version":${await currentVersion()}`);
          const response = await t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...sessionOf(applicant) } });
          assertWellFormedAnswer(response, `${url} ${payload.slice(0, 100)}`, WRITE_STATUSES);
        }),
        { numRuns: RUNS },
      );
    }
  });
});
