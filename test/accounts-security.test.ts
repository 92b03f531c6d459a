/**
 * CSRF on every state-changing route (found from the router, so that a route added later is covered too) and
 * the security headers of every kind of response, on each real database.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { firstRow, type Db } from '../src/db/database.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../src/platform/http/guards.ts';
import { contentSecurityPolicy, redactSecrets } from '../src/platform/http/security.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, csrfOf, linkIn, startSmtpCapture, type SmtpCapture } from './support/accounts.ts';

const PASSWORD = 'une phrase de passe assez longue';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
  "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

/** Every route of the app answering a state-changing method, read from the router. */
function stateChangingRoutes(app: FastifyInstance): { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string }[] {
  const found: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string }[] = [];
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    for (const line of app.printRoutes({ commonPrefix: false, method }).split('\n')) {
      const match = line.match(/(\/\S*) \(([A-Z, ]+)\)/);
      if (match && match[2]!.split(', ').includes(method)) found.push({ method, url: match[1]!.replace(/:(\w+)/g, '1') });
    }
  }
  return found;
}

async function counts(db: Db) {
  return firstRow<Record<string, number>>(
    db,
    sql`select
    (select count(*)::int from account) as account, (select count(*)::int from session) as session,
    (select count(*)::int from one_time_token) as one_time_token, (select count(*)::int from account_role) as account_role,
    (select count(*)::int from rate_limit) as rate_limit, (select coalesce(sum(count), 0)::int from rate_limit) as attempts,
    (select coalesce(sum(failures), 0)::int from sign_in_throttle) as sign_in_failures,
    (select count(*)::int from account where email_verified_at is not null) as verified`,
  );
}

describe(`Comptes : CSRF et en-têtes de sécurité`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let signedIn: Client;
  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ demo: false, mailer: smtp.mailer });
    // Routes as later features will guard them (added before the app is ready).
    t.app.get('/essai/compte', { preHandler: requireAccount }, async (request) => `compte ${accountOf(request).id}`);
    t.app.get('/essai/verifie', { preHandler: requireVerifiedAccount }, async (request) => `vérifié ${accountOf(request).id}`);
    t.app.get('/api/essai/compte', { preHandler: requireAccount }, async (request) => ({ id: accountOf(request).id }));
    signedIn = new Client(t.app);
    const email = `csrf@exemple.fr`;
    await signedIn.submit('/compte/inscription', '/compte/inscription', { email, nom: 'Dominique', mot_de_passe: PASSWORD });
    await smtp.next(email);
    await signedIn.submit('/compte/connexion', '/compte/connexion', { email, mot_de_passe: PASSWORD });
    assert.equal((await signedIn.get('/compte')).statusCode, 200);
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('chaque route POST est refusée (403, message français) sans le bon jeton, et rien n’est écrit', async () => {
    const routes = stateChangingRoutes(t.app);
    const urls = routes.map((r) => r.url);
    for (const expected of [
      '/compte/inscription',
      '/compte/connexion',
      '/compte/deconnexion',
      '/compte/mot-de-passe-oublie',
      '/compte/reinitialisation',
      '/compte/verification/renvoi',
      '/api/v1/orientation',
    ]) {
      assert.ok(urls.includes(expected), `route ${expected} trouvée`);
    }
    const sessionToken = signedIn.cookies.get('maillage_session')!;
    const sessionCsrf = (await signedIn.get('/compte')).body.match(/<meta name="csrf-token" content="([^"]+)">/)![1]!;
    const anonymous = new Client(t.app);
    const anonymousCsrf = await anonymous.csrf();
    const anonymousCookie = `maillage_csrf=${anonymous.cookies.get('maillage_csrf')}`;
    const other = new Client(t.app);
    await other.csrf();
    const otherCookie = `maillage_csrf=${other.cookies.get('maillage_csrf')}`;
    // Anyone able to plant a cookie (a sibling subdomain, a plain-http network) knows its value: a plain double
    // submit would accept it sent back in the field.
    const planted = 'P'.repeat(43);
    const before = await counts(t.database.db);

    const fields = { email: 'x@exemple.fr', nom: 'X', mot_de_passe: 'un mot de passe valable', jeton: 'A'.repeat(43) };
    for (const { method, url } of routes) {
      const attempts: { label: string; cookie?: string; body: Record<string, string>; headers?: Record<string, string> }[] = url.startsWith('/api/')
        ? [
            { label: 'API, session, sans en-tête', cookie: `maillage_session=${sessionToken}`, body: {} },
            { label: 'API, session, mauvais en-tête', cookie: `maillage_session=${sessionToken}`, body: {}, headers: { 'x-csrf-token': anonymousCsrf } },
          ]
        : [
            { label: 'anonyme, ni cookie ni champ', body: fields },
            { label: 'anonyme, cookie sans champ', cookie: anonymousCookie, body: fields },
            { label: 'anonyme, champ sans cookie', body: { ...fields, _csrf: anonymousCsrf } },
            { label: 'anonyme, champ différent du cookie', cookie: anonymousCookie, body: { ...fields, _csrf: sessionCsrf } },
            { label: 'anonyme, cookie planté et sa valeur dans le champ', cookie: `maillage_csrf=${planted}`, body: { ...fields, _csrf: planted } },
            { label: 'anonyme, jeton d’une autre pré-session', cookie: otherCookie, body: { ...fields, _csrf: anonymousCsrf } },
            { label: 'connecté, sans champ', cookie: `maillage_session=${sessionToken}`, body: fields },
            {
              label: 'connecté, jeton anonyme',
              cookie: `maillage_session=${sessionToken}; ${anonymousCookie}`,
              body: { ...fields, _csrf: anonymousCsrf },
            },
            {
              label: 'connecté, bon jeton mais autre origine',
              cookie: `maillage_session=${sessionToken}`,
              body: { ...fields, _csrf: sessionCsrf },
              headers: { origin: 'https://evil.example' },
            },
            {
              label: 'anonyme, bon jeton mais autre origine',
              cookie: anonymousCookie,
              body: { ...fields, _csrf: anonymousCsrf },
              headers: { origin: 'null' },
            },
          ];
      for (const attempt of attempts) {
        const isApi = url.startsWith('/api/');
        const response = await t.app.inject({
          method,
          url,
          headers: {
            ...(attempt.cookie ? { cookie: attempt.cookie } : {}),
            ...attempt.headers,
            'content-type': isApi ? 'application/json' : 'application/x-www-form-urlencoded',
          },
          payload: isApi ? JSON.stringify(attempt.body) : new URLSearchParams(attempt.body).toString(),
        });
        assert.equal(response.statusCode, 403, `${method} ${url} — ${attempt.label}`);
        if (isApi) {
          assert.match(String(response.headers['content-type']), /application\/problem\+json/);
          assert.match(response.json().detail, /Cette action a été refusée/);
        } else {
          assert.match(response.body, /<h1>Action refusée<\/h1>/);
          assert.match(response.body, /Rechargez la page, puis réessayez/);
        }
      }
    }
    assert.deepEqual(await counts(t.database.db), before);
    // The session survived all that.
    assert.equal((await signedIn.get('/compte')).statusCode, 200);
  });

  test('requireAccount et requireVerifiedAccount : connexion demandée, puis adresse confirmée', async () => {
    const anonymous = new Client(t.app);
    const page = await anonymous.get('/essai/compte?x=1');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/compte/connexion?retour=%2Fessai%2Fcompte%3Fx%3D1');
    const api = await anonymous.get('/api/essai/compte');
    assert.equal(api.statusCode, 401);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().detail, 'Connectez-vous pour continuer.');
    assert.equal((await signedIn.get('/essai/compte')).statusCode, 200);
    assert.equal((await signedIn.get('/api/essai/compte')).statusCode, 200);
    // Signed in, address not verified yet: refused with a French explanation, then allowed once verified.
    const unverified = await signedIn.get('/essai/verifie');
    assert.equal(unverified.statusCode, 403);
    assert.match(unverified.body, /Confirmez d’abord votre adresse e-mail/);
    await t.database.db.execute(sql`update account set email_verified_at = now() where email = ${`csrf@exemple.fr`}`);
    assert.equal((await signedIn.get('/essai/verifie')).statusCode, 200);
  });

  test('avec le bon jeton, la requête passe ; l’API publique reste ouverte sans session', async () => {
    const payload = { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26281' };
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/orientation', payload });
    assert.equal(anonymous.statusCode, 200, 'sans session, pas d’autorité ambiante : pas de jeton demandé');
    const csrf = (await signedIn.get('/compte')).body.match(/<meta name="csrf-token" content="([^"]+)">/)![1]!;
    const withToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orientation',
      payload,
      headers: { cookie: `maillage_session=${signedIn.cookies.get('maillage_session')}`, 'x-csrf-token': csrf },
    });
    assert.equal(withToken.statusCode, 200);
    // A same-origin Origin header is accepted.
    const client = new Client(t.app);
    const page = await client.get('/compte/mot-de-passe-oublie');
    const sameOrigin = await client.post(
      '/compte/mot-de-passe-oublie',
      { _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)![1]!, email: 'personne@exemple.fr' },
      { origin: 'http://localhost:80', host: 'localhost' },
    );
    assert.equal(sameOrigin.statusCode, 303);
  });

  test('en-têtes de sécurité sur les pages, l’API, les ressources et les erreurs', async () => {
    const assets = (await t.app.inject({ url: '/compte/connexion' })).body.match(/href="(\/assets\/app-[^"]+\.css)"/)![1]!;
    for (const url of ['/', '/compte/connexion', '/api/openapi.json', '/api/v1/territoires?q=lyon', assets, '/page-inexistante', '/compte/inscription']) {
      const response = await t.app.inject({ url });
      assert.ok(response.statusCode < 500, url);
      assert.equal(response.headers['content-security-policy'], CSP, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
      assert.equal(response.headers['strict-transport-security'], undefined, `${url} : pas de HSTS en HTTP`);
      const secure = await t.app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(secure.headers['strict-transport-security'], 'max-age=31536000', url);
    }
    // The logs never see the secret of a link sent by mail.
    assert.equal(redactSecrets('/compte/reinitialisation?jeton=abc_DEF-123&x=1'), '/compte/reinitialisation?jeton=[masqué]&x=1');
    assert.equal(redactSecrets('/a?x=1&token=zz#f'), '/a?x=1&token=[masqué]#f');
    assert.equal(redactSecrets('/compte/oidc/retour?code=secret1&state=secret2'), '/compte/oidc/retour?code=[masqué]&state=[masqué]');
    assert.equal(redactSecrets('/candidatures/1/fichiers/statuts?_csrf=secret3'), '/candidatures/1/fichiers/statuts?_csrf=[masqué]');
    assert.equal(
      contentSecurityPolicy({ MAP_STYLE_URL: 'https://tuiles.exemple.fr/styles/plan.json' }),
      CSP.replace("connect-src 'self'", "connect-src 'self' https://tuiles.exemple.fr"),
    );
  });

  test('une page vue connectée n’est jamais mise en cache ; la session glisse', async () => {
    const home = await signedIn.get('/');
    assert.equal(home.headers['cache-control'], 'no-store');
    assert.match(home.body, /Mon compte<\/a>/);
    assert.match(home.body, /action="\/compte\/deconnexion"/);
    // A session with less than 29 days left is pushed back to 30 days, and the cookie sent again.
    const token = signedIn.cookies.get('maillage_session')!;
    const id = createHash('sha256').update(token).digest('hex');
    await t.database.db.execute(sql`update session set expires_at = now() + interval '2 days' where id = ${id}`);
    const renewed = await signedIn.get('/compte');
    assert.equal(renewed.statusCode, 200);
    const row = await firstRow<{ days: number }>(
      t.database.db,
      sql`select extract(epoch from expires_at - now())::float8 / 86400 as days from session where id = ${id}`,
    );
    assert.ok(row!.days > 29.9, `${row!.days} jours`);
    assert.match(String(renewed.headers['set-cookie']), /maillage_session=[A-Za-z0-9_-]{43}; .*Max-Age=2592000/);
    assert.equal(signedIn.cookies.get('maillage_session'), token, 'même session, prolongée');
  });

  test('un lien de vérification reçu reste utilisable même d’un autre navigateur', async () => {
    const email = `autre-navigateur@exemple.fr`;
    await new Client(t.app).submit('/compte/inscription', '/compte/inscription', { email, nom: 'Lou', mot_de_passe: PASSWORD });
    const link = linkIn(await smtp.next(email), '/compte/verification');
    assert.equal((await new Client(t.app).get(link)).statusCode, 200);
  });
});

describe('CSRF des visiteurs en HTTPS : cookie __Host-, jeton signé pour sa pré-session', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false, config: { BASE_URL: 'https://maillage.exemple.fr' } });
  });
  after(() => t.close());

  test('le cookie est __Host-maillage_csrf (Secure, Path=/, sans Domain) ; un maillage_csrf planté ne compte pas', async () => {
    for (const https of [true, false]) {
      const client = new Client(t.app, { https });
      const page = await client.get('/compte/mot-de-passe-oublie');
      const header = [page.headers['set-cookie']].flat().join('\n');
      assert.match(header, /^__Host-maillage_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/m, `https ${https}`);
      assert.doesNotMatch(header, /Domain=/i);
      assert.doesNotMatch(header, /(^|\n)maillage_csrf=/);
      assert.notEqual(csrfOf(page.body), client.cookies.get('__Host-maillage_csrf'));
    }
    const client = new Client(t.app, { https: true });
    const csrf = await client.csrf('/compte/mot-de-passe-oublie');
    const preSession = client.cookies.get('__Host-maillage_csrf')!;
    const post = (cookie: string) =>
      t.app.inject({
        method: 'POST',
        url: '/compte/mot-de-passe-oublie',
        remoteAddress: client.ip,
        headers: { cookie, 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, email: 'personne@exemple.fr' }).toString(),
      });
    // The same pre-session under the name a subdomain or a plain-http attacker can set: refused.
    const unprefixed = await post(`maillage_csrf=${preSession}`);
    assert.equal(unprefixed.statusCode, 403);
    assert.match(unprefixed.body, /Rechargez la page, puis réessayez/);
    assert.equal((await post(`__Host-maillage_csrf=${'P'.repeat(43)}`)).statusCode, 403, 'autre pré-session');
    assert.equal((await post(`__Host-maillage_csrf=${preSession}`)).statusCode, 303);
  });
});

describe('Mandataires inverses : seuls ceux que TRUST_PROXY désigne sont crus', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false, config: { TRUST_PROXY: '' } });
  });
  after(() => t.close());

  test('sans TRUST_PROXY, X-Forwarded-Proto et X-Forwarded-For d’un client sont ignorés', async () => {
    const response = await t.app.inject({
      url: '/compte/connexion',
      remoteAddress: '198.51.100.7',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
    });
    assert.equal(response.headers['strict-transport-security'], undefined, 'pas de HSTS : la requête n’est pas en HTTPS');
    assert.doesNotMatch(String(response.headers['set-cookie']), /Secure/);
    // Sign-in failures are counted against the real address, not the one the client claims.
    const client = new Client(t.app, { ip: '198.51.100.7' });
    const form = await client.get('/compte/connexion');
    const failed = await client.post(
      '/compte/connexion',
      { _csrf: csrfOf(form.body), email: 'personne@exemple.fr', mot_de_passe: 'une phrase de passe assez longue' },
      { 'x-forwarded-for': '203.0.113.9' },
    );
    assert.equal(failed.statusCode, 401);
    const keys = await firstRow<{ keys: string }>(t.database.db, sql`select string_agg(key, ' ') as keys from sign_in_throttle`);
    assert.match(keys!.keys, /198\.51\.100\.7/);
    assert.doesNotMatch(keys!.keys, /203\.0\.113\.9/);
  });
});
