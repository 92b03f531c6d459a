/**
 * The OpenAPI document's promise to API clients: every JSON request body carries an example, and the API
 * accepts that example. Sent by a signed-in platform admin with the session's CSRF token, to the operation's
 * path with ids of objects that exist: validation runs before the guards and the handlers, so any answer but
 * 400 (or 415) means the example passes the body's schema. What a handler checks beyond the schema (a
 * commune that exists, a member's rights) is tried by each feature's own tests with real objects.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

interface Operation {
  requestBody?: { content: Record<string, { example?: unknown; schema?: { example?: unknown; examples?: unknown[] } }> };
}

let t: TestApp;
let admin: TestAccount;
before(async () => {
  t = await buildTestApp();
  admin = await signedInAs(t.app, t.database.db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
});
after(() => t?.close());

/** Path parameters of the document: every id is 1, every code a well-formed one. */
const PATH_VALUES: Record<string, string> = { code: 'etp' };
const concretePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name] ?? '1');

test('chaque corps JSON de l’API a un exemple, et l’API l’accepte', async () => {
  const document = JSON.parse((await admin.client.get('/api/openapi.json')).body) as { paths: Record<string, Record<string, Operation>> };
  const missing: string[] = [];
  const refused: string[] = [];
  let tried = 0;
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const media = operation.requestBody?.content['application/json'];
      if (!media) continue;
      const example = media.example ?? media.schema?.example ?? media.schema?.examples?.[0];
      if (example === undefined) {
        missing.push(`${method.toUpperCase()} ${path}`);
        continue;
      }
      tried++;
      const response = await t.app.inject({
        method: method.toUpperCase() as 'POST',
        url: concretePath(path),
        payload: JSON.stringify(example),
        headers: { 'content-type': 'application/json', cookie: admin.client.cookieHeader(), 'x-csrf-token': admin.csrf },
      });
      // The public orientation answers its example in full: the session and its CSRF token do pass.
      if (path === '/api/v1/orientation') assert.equal(response.statusCode, 200, response.body);
      if ([400, 415].includes(response.statusCode)) refused.push(`${method.toUpperCase()} ${path} : ${response.statusCode} ${response.body.slice(0, 300)}`);
    }
  }
  assert.deepEqual(refused, [], 'exemples refusés par l’API');
  assert.deepEqual(missing, [], 'corps JSON sans exemple');
  assert.ok(tried >= 20, `${tried} corps JSON essayés`);
});
