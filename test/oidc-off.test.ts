/**
 * OIDC sign-in off (the default: no OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): its paths do not exist
 * and the sign-in page shows no provider button; password sign-out is unchanged. And on, with a provider that
 * does not answer: a French page, nothing recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { signedInAs } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { buildOidcTestApp } from './support/oidc-provider.ts';

describe(`Connexion OpenID Connect désactivée`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(async () => t.close());

  test('les adresses /compte/oidc/… répondent 404 et la page de connexion n’a pas de bouton', async () => {
    for (const url of ['/compte/oidc/connexion', '/compte/oidc/retour?code=x&state=y', '/compte/oidc/deconnexion']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Page introuvable/);
    }
    const form = await t.app.inject({ method: 'GET', url: '/compte/connexion' });
    assert.equal(form.statusCode, 200);
    assert.doesNotMatch(form.body, /Se connecter avec|\/compte\/oidc\//);
    const account = await signedInAs(t.app, t.database.db);
    const out = await account.client.post('/compte/deconnexion', { _csrf: account.csrf });
    assert.equal(out.headers.location, '/compte/deconnexion');
  });
});

describe('Connexion OpenID Connect : fournisseur injoignable', () => {
  test('page 503 en français, aucune tentative enregistrée, nouvel essai possible', async () => {
    // Nothing listens on the discard port of loopback: the discovery is refused at once.
    const t = await buildOidcTestApp({ issuer: 'http://127.0.0.1:9', clientId: 'maillage', clientSecret: 'secret' });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await t.app.inject({ method: 'GET', url: '/compte/oidc/connexion' });
        assert.equal(response.statusCode, 503);
        assert.match(response.body, /ProConnect ne répond pas pour le moment/);
        assert.equal(response.headers['set-cookie'], undefined);
      }
      const pending = await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from oidc_pending_sign_in`);
      assert.equal(pending?.n, 0);
    } finally {
      await t.close();
    }
  });
});
