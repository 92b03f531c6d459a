/**
 * Every API route with a querystring contract refuses the parameters it does not name (a French 400 that
 * lists the accepted ones) and says so in the OpenAPI document; pages keep ignoring them (utm_*).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UNKNOWN_PARAMETER_RULE } from '../src/platform/http/known-parameters.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

interface Operation {
  description?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, unknown>;
}

describe('paramètres inconnus', () => {
  let t: TestApp;
  const get = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    return { status: response.statusCode, type: String(response.headers['content-type']), json: () => response.json() };
  };

  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('« departemnt » est refusé en français, avec les paramètres acceptés, au lieu de rendre toute la France', async () => {
    const response = await get('/api/v1/cooperations?departemnt=26');
    assert.equal(response.status, 400);
    assert.match(response.type, /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.title, 'Requête invalide');
    assert.match(problem.detail, /^Paramètre inconnu : « departemnt »\. Paramètres acceptés : q, region, departement, epci, commune,/);
    assert.match(problem.detail, /page, par_page\./);
    assert.deepEqual(problem.errors, [{ champ: 'departemnt', message: 'paramètre inconnu' }]);
    const two = (await get('/api/v1/organisations?q=jardin&foo=1&utm_source=x')).json();
    assert.match(two.detail, /^Paramètres inconnus : « foo », « utm_source »\./);
  });

  test('les paramètres connus donnent la même réponse qu’avant', async () => {
    const known = await get('/api/v1/cooperations?departement=26&page=1');
    assert.equal(known.status, 200);
    assert.ok(known.json().total > 0);
    const empty = await get('/api/v1/cooperations?departement=&q=');
    assert.equal(empty.status, 200, 'un champ vide d’un formulaire reste « pas de filtre »');
  });

  test('chaque route de l’API à paramètres de requête refuse un inconnu et le dit dans OpenAPI', async () => {
    const document = (await get('/api/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      const operation = methods.get;
      const query = operation?.parameters?.filter((p) => p.in === 'query') ?? [];
      if (!operation || query.length === 0) continue;
      assert.ok(operation.description?.includes(UNKNOWN_PARAMETER_RULE), `${path} : la règle est dans sa description`);
      assert.ok(operation.responses?.['400'], `${path} : la réponse 400 est documentée`);
      // Path parameters get a plausible value; required query parameters are left out (the unknown one is refused first).
      const url = path.replace(/\{[^}]+\}/g, (name) => (name === '{code}' ? '26' : name === '{type}' ? 'departement' : '1'));
      const response = await get(`${url}?parametre_inconnu=1`);
      assert.equal(response.status, 400, `${path}`);
      const problem = response.json();
      assert.match(problem.detail, /Paramètre inconnu : « parametre_inconnu »\. Paramètres acceptés : /, path);
      for (const { name } of query) assert.ok(problem.detail.includes(name), `${path} : « ${name} » est nommé`);
      checked.push(path);
    }
    assert.ok(checked.includes('/api/v1/cooperations') && checked.includes('/api/v1/organisations.csv'), checked.join(', '));
    assert.ok(checked.length >= 8, checked.join(', '));
  });

  test('les pages ignorent les paramètres inconnus (utm_* d’un lien de campagne)', async () => {
    for (const url of ['/recherche?type=organisations&q=jardin&utm_source=lettre&utm_medium=courriel', '/dispositifs?utm_campaign=x', '/carte?fbclid=abc']) {
      const response = await get(url);
      assert.equal(response.status, 200, url);
      assert.match(response.type, /^text\/html/, url);
    }
  });
});
