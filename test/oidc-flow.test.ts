/**
 * OpenID Connect sign-in through HTTP on each real database, against a real provider (oidc-provider) listening
 * on loopback: Maillage is called through app.inject(), and its token exchange, UserInfo call and discovery go
 * to the provider over real HTTP. First sign-in creates the account, the next ones find it by (issuer, subject);
 * a verified address links an existing account; what fails (provider refusal, tampered state, replay, expiry,
 * unverified address of an existing account) writes nothing; a deleted account is never signed in; signing out
 * offers the provider's end_session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { verifyPassword } from '../src/features/accounts/passwords.ts';
import { Client, signedInAs } from './support/accounts.ts';
import type { TestApp } from './support/app.ts';
import { buildOidcTestApp, startProviderForMaillage, type OidcTestProvider, type OidcTestUser } from './support/oidc-provider.ts';

const PASSWORD = 'mot de passe de test 123';

interface Counts {
  accounts: number;
  identities: number;
  sessions: number;
  oidc_sessions: number;
  audits: number;
  roles: number;
}

describe(`Connexion OpenID Connect`, () => {
  let t: TestApp;
  let provider: OidcTestProvider;
  let n = 0;
  const db = () => t.database.db;
  const agent = (label: string, extra: Partial<OidcTestUser> = {}): OidcTestUser => {
    const id = `${label}-${++n}`;
    return { sub: `sub-${id}`, email: `${id}@exemple.gouv.fr`, email_verified: true, given_name: 'Camille', usual_name: 'Durand', ...extra };
  };

  before(async () => {
    provider = await startProviderForMaillage();
    t = await buildOidcTestApp(provider);
  });
  after(async () => {
    await t.close();
    await provider.close();
  });

  /** Starts at Maillage, signs in at the provider as `user`; returns the callback URL (path and query) not yet called. */
  async function throughProvider(client: Client, user: OidcTestUser | 'refuse', start = '/compte/oidc/connexion'): Promise<string> {
    const started = await client.get(start);
    assert.equal(started.statusCode, 303);
    const location = String(started.headers.location);
    assert.ok(location.startsWith(`${provider.issuer}/auth?`), location);
    provider.nextSignIn(user);
    const back = await provider.authorize(location);
    return back.pathname + back.search;
  }
  async function signIn(client: Client, user: OidcTestUser, start?: string) {
    return client.get(await throughProvider(client, user, start));
  }
  /** What a failed callback must leave as it was. */
  const snapshot = async () =>
    (await firstRow<Counts>(
      db(),
      sql`select
    (select count(*)::int from account) as accounts, (select count(*)::int from account_identity) as identities,
    (select count(*)::int from session) as sessions, (select count(*)::int from oidc_session) as oidc_sessions,
    (select count(*)::int from audit_log) as audits, (select count(*)::int from account_role) as roles`,
    ))!;
  const accountOf = (issuer: string, subject: string) =>
    firstRow<{ id: number; email: string; display_name: string; verified: boolean; hash: string; deleted: boolean }>(
      db(),
      sql`
    select a.id::int as id, a.email, a.display_name, a.email_verified_at is not null as verified, a.password_hash as hash,
      a.deleted_at is not null as deleted
    from account_identity i join account a on a.id = i.account_id where i.issuer = ${issuer} and i.subject = ${subject}`,
    );

  test('premier passage : compte créé (adresse confirmée, contributeur), connecté, « Mon compte » montre le nom', async () => {
    const user = agent('premier');
    const client = new Client(t.app);
    const form = await client.get('/compte/connexion');
    assert.match(form.body, /<a class="button" href="\/compte\/oidc\/connexion">Se connecter avec ProConnect<\/a>/);

    const started = await client.get('/compte/oidc/connexion');
    const authorize = new URL(String(started.headers.location));
    // Authorization code with PKCE (S256), state, nonce and ProConnect's scopes; the secret never travels there.
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('scope'), 'openid email given_name usual_name');
    assert.equal(authorize.searchParams.get('redirect_uri'), 'http://localhost:3000/compte/oidc/retour');
    assert.ok(authorize.searchParams.get('state')!.length >= 22 && authorize.searchParams.get('nonce')!.length >= 22);
    assert.doesNotMatch(authorize.href, new RegExp(provider.clientSecret));
    assert.match(String(started.headers['set-cookie']), /^maillage_oidc=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);

    provider.nextSignIn(user);
    const back = await provider.authorize(authorize.href);
    const done = await client.get(back.pathname + back.search);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte');
    assert.ok(client.cookies.has('maillage_session'));
    assert.ok(!client.cookies.has('maillage_oidc'), 'le cookie de la tentative est effacé');

    const mine = await client.get('/compte');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /<dt>Nom<\/dt><dd>Camille Durand<\/dd>/);
    assert.match(mine.body, new RegExp(`<dd>${user.email}</dd>`));
    assert.match(mine.body, /<dt>Adresse confirmée<\/dt><dd>oui<\/dd>/);

    const account = await accountOf(provider.issuer, user.sub);
    assert.equal(account?.email, user.email);
    assert.equal(account?.verified, true);
    const roles = await rows<{ role: string }>(db(), sql`select role from account_role where account_id = ${account!.id}`);
    assert.deepEqual(
      roles.map((r) => r.role),
      ['contributor'],
    );
    // No password: argon2id of a secret nobody knows (refused after the same work as any wrong password).
    assert.match(account!.hash, /^\$argon2id\$/);
    assert.equal(await verifyPassword(account!.hash, ''), false);
    const refused = await new Client(t.app).submit('/compte/connexion', '/compte/connexion', { email: user.email!, mot_de_passe: PASSWORD });
    assert.equal(refused.statusCode, 401);

    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where object_kind = 'account' and object_id = ${String(account!.id)}`);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['account.oidc_create'],
    );
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from oidc_pending_sign_in`))?.n, 0, 'la tentative est consommée');
  });

  test('second passage : le même compte (reconnu par l’émetteur et le sujet, même si l’adresse a changé), nouvelle session', async () => {
    const user = agent('retour');
    const first = new Client(t.app);
    await signIn(first, user);
    const account = await accountOf(provider.issuer, user.sub);
    const firstToken = first.cookies.get('maillage_session');
    const before = await snapshot();

    const other = new Client(t.app);
    const second = await signIn(other, { ...user, email: `nouvelle-${user.email}`, given_name: 'Autre' });
    assert.equal(second.statusCode, 303);
    assert.notEqual(other.cookies.get('maillage_session'), firstToken, 'une connexion crée toujours une nouvelle session');
    const after = await snapshot();
    assert.equal(after.accounts, before.accounts);
    assert.equal(after.identities, before.identities);
    assert.equal(after.sessions, before.sessions + 1);
    assert.equal(after.audits, before.audits);
    // Already signed in: the start page goes straight back, without a new attempt.
    const again = await first.get('/compte/oidc/connexion');
    assert.equal(again.headers.location, '/compte');
    const mine = await other.get('/compte');
    assert.match(mine.body, /<dd>Camille Durand<\/dd>/);
    assert.equal((await accountOf(provider.issuer, user.sub))?.id, account!.id);
  });

  test('adresse confirmée par le fournisseur : le compte à mot de passe existant est lié, son mot de passe reste valable', async () => {
    const user = agent('liaison');
    const existing = await signedInAs(t.app, db(), [], { email: user.email!, displayName: 'Camille D.' });
    const before = await snapshot();
    const client = new Client(t.app);
    const done = await signIn(client, user);
    assert.equal(done.statusCode, 303);
    const linked = await accountOf(provider.issuer, user.sub);
    assert.equal(linked?.id, existing.id);
    assert.equal(linked?.display_name, 'Camille D.', 'le nom choisi sur Maillage est gardé');
    const after = await snapshot();
    assert.equal(after.accounts, before.accounts);
    assert.equal(after.identities, before.identities + 1);
    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where object_id = ${String(existing.id)}`);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['account.oidc_link'],
    );
    assert.equal((await existing.client.get('/compte')).statusCode, 200, 'les autres sessions du compte restent ouvertes');
    const password = await new Client(t.app).submit('/compte/connexion', '/compte/connexion', { email: user.email!, mot_de_passe: PASSWORD });
    assert.equal(password.statusCode, 303);
  });

  test('compte existant jamais confirmé : lié, mais son mot de passe et ses sessions ne valent plus rien', async () => {
    const user = agent('preempte');
    const squatter = await signedInAs(t.app, db(), [], { email: user.email!, verified: false });
    const client = new Client(t.app);
    assert.equal((await signIn(client, user)).statusCode, 303);
    const linked = await accountOf(provider.issuer, user.sub);
    assert.equal(linked?.id, squatter.id);
    assert.equal(linked?.verified, true);
    assert.equal((await squatter.client.get('/compte')).statusCode, 303, 'la session d’avant la liaison est fermée');
    const password = await new Client(t.app).submit('/compte/connexion', '/compte/connexion', { email: user.email!, mot_de_passe: PASSWORD });
    assert.equal(password.statusCode, 401);
    assert.equal((await client.get('/compte')).statusCode, 200);
  });

  test('adresse non confirmée par le fournisseur et déjà prise : refusé, rien n’est écrit', async () => {
    const user = agent('non-confirmee', { email_verified: false });
    await signedInAs(t.app, db(), [], { email: user.email! });
    const before = await snapshot();
    const client = new Client(t.app);
    const refused = await signIn(client, user);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Un compte Maillage utilise déjà l’adresse transmise par ProConnect/);
    assert.deepEqual(await snapshot(), before);
    assert.ok(!client.cookies.has('maillage_session'));
  });

  test('adresse non confirmée et libre : compte créé, adresse à confirmer ; sans adresse : refusé', async () => {
    const user = agent('libre', { email_verified: false, given_name: 'Dominique', usual_name: undefined });
    const client = new Client(t.app);
    assert.equal((await signIn(client, user)).statusCode, 303);
    const created = await accountOf(provider.issuer, user.sub);
    assert.equal(created?.verified, false);
    assert.equal(created?.display_name, 'Dominique');

    const before = await snapshot();
    const anonymous = await signIn(new Client(t.app), agent('sans-adresse', { email: undefined }));
    assert.equal(anonymous.statusCode, 400);
    assert.match(anonymous.body, /n’a pas transmis d’adresse e-mail valide/);
    assert.deepEqual(await snapshot(), before);
  });

  test('retour vers la page demandée, jamais vers un autre site', async () => {
    const client = new Client(t.app);
    const form = await client.get('/compte/connexion?retour=%2Fdispositifs%3Fq%3Dx');
    assert.match(form.body, /href="\/compte\/oidc\/connexion\?retour=%2Fdispositifs%3Fq%3Dx"/);
    const done = await signIn(client, agent('retour-page'), '/compte/oidc/connexion?retour=%2Fdispositifs%3Fq%3Dx');
    assert.equal(done.headers.location, '/dispositifs?q=x');
    const other = await signIn(new Client(t.app), agent('ailleurs'), '/compte/oidc/connexion?retour=%2F%2Fevil.example%2F');
    assert.equal(other.headers.location, '/compte');
    // Already signed in: straight back.
    const again = await client.get('/compte/oidc/connexion?retour=%2Ftrouver');
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/trouver');
  });

  test('état modifié : refusé, rien n’est écrit', async () => {
    const client = new Client(t.app);
    const callback = new URL(await throughProvider(client, agent('etat')), 'http://localhost');
    const before = await snapshot();
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const refused = await client.get(callback.pathname + callback.search);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Cette tentative de connexion a expiré ou a déjà servi/);
    assert.deepEqual(await snapshot(), before);
    assert.ok(!client.cookies.has('maillage_session'));
    // Without the state, or from another browser (no cookie of the attempt): the same.
    callback.searchParams.delete('state');
    assert.equal((await client.get(callback.pathname + callback.search)).statusCode, 400);
    assert.deepEqual(await snapshot(), before);
  });

  test('retour rejoué : refusé, avec ou sans le cookie de la tentative', async () => {
    const client = new Client(t.app);
    const callback = await throughProvider(client, agent('rejeu'));
    const attempt = client.cookies.get('maillage_oidc')!;
    assert.equal((await client.get(callback)).statusCode, 303);
    const before = await snapshot();
    const thief = new Client(t.app);
    thief.cookies.set('maillage_oidc', attempt);
    const replayed = await thief.get(callback);
    assert.equal(replayed.statusCode, 400);
    assert.match(replayed.body, /a expiré ou a déjà servi/);
    assert.equal((await new Client(t.app).get(callback)).statusCode, 400);
    assert.deepEqual(await snapshot(), before);
    assert.ok(!thief.cookies.has('maillage_session'));
  });

  test('tentative expirée : refusée, rien n’est écrit', async () => {
    const client = new Client(t.app);
    const callback = await throughProvider(client, agent('expiree'));
    await db().execute(sql`update oidc_pending_sign_in set expires_at = now() - interval '1 second'`);
    const before = await snapshot();
    const refused = await client.get(callback);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(await snapshot(), before);
  });

  test('refus chez le fournisseur (access_denied) : page en français sans détail, rien n’est écrit', async () => {
    const client = new Client(t.app);
    const callback = await throughProvider(client, 'refuse');
    assert.match(callback, /[?&]error=access_denied/);
    const before = await snapshot();
    const refused = await client.get(callback);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<h1>La connexion avec ProConnect n’a pas abouti<\/h1>/);
    assert.match(refused.body, /role="alert"/);
    assert.doesNotMatch(refused.body, /refusé dans le test|access_denied/, 'rien de la réponse du fournisseur n’est affiché');
    assert.deepEqual(await snapshot(), before);
  });

  test('code falsifié : la vérification échoue chez le fournisseur, rien n’est écrit', async () => {
    const client = new Client(t.app);
    const callback = new URL(await throughProvider(client, agent('code')), 'http://localhost');
    callback.searchParams.set('code', 'faux-code');
    const before = await snapshot();
    const refused = await client.get(callback.pathname + callback.search);
    assert.equal(refused.statusCode, 502);
    assert.match(refused.body, /n’a pas pu être vérifiée/);
    assert.deepEqual(await snapshot(), before);
  });

  test('compte supprimé : jamais reconnecté ; l’identité passe à un nouveau compte', async () => {
    const user = agent('supprime');
    await signIn(new Client(t.app), user);
    const deleted = await accountOf(provider.issuer, user.sub);
    await db().execute(sql`update account set deleted_at = now() where id = ${deleted!.id}`);
    const client = new Client(t.app);
    assert.equal((await signIn(client, user)).statusCode, 303);
    const now = await accountOf(provider.issuer, user.sub);
    assert.notEqual(now?.id, deleted!.id);
    assert.equal(now?.deleted, false);
    const sessions = await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from session where account_id = ${deleted!.id}`);
    assert.equal(sessions?.n, 1, 'seule la session d’avant la suppression reste (elle ne vaut plus rien)');
    assert.equal((await client.get('/compte')).statusCode, 200);
  });

  test('suppression du compte par la personne : confirmée par le mot SUPPRIMER, l’identité est effacée', async () => {
    const user = agent('rgpd');
    const client = new Client(t.app);
    await signIn(client, user);
    const account = await accountOf(provider.issuer, user.sub);
    const deleted = await client.submit('/compte/suppression', '/compte/suppression', { confirmation: 'SUPPRIMER' });
    assert.equal(deleted.statusCode, 303);
    assert.equal(await accountOf(provider.issuer, user.sub), undefined, 'plus de lien entre le fournisseur et le compte supprimé');
    await signIn(client, user);
    const fresh = await accountOf(provider.issuer, user.sub);
    assert.notEqual(fresh?.id, account!.id);
  });

  test('déconnexion : la session est fermée, puis la page propose de terminer la session du fournisseur', async () => {
    const client = new Client(t.app);
    await signIn(client, agent('sortie'));
    const sessionsBefore = (await snapshot()).sessions;
    const out = await client.submit('/compte', '/compte/deconnexion', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/compte/oidc/deconnexion');
    assert.equal((await snapshot()).sessions, sessionsBefore - 1);
    const offered = await client.get('/compte/oidc/deconnexion');
    assert.equal(offered.statusCode, 200);
    assert.match(offered.body, /Votre session Maillage est fermée/);
    const link = offered.body.match(/<a class="button" href="([^"]+)">Se déconnecter aussi de ProConnect<\/a>/);
    assert.ok(link, offered.body);
    const end = new URL(link[1]!.replaceAll('&amp;', '&'));
    assert.equal(end.origin + end.pathname, `${provider.issuer}/session/end`);
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), 'http://localhost:3000/compte/deconnexion');
    assert.match(end.searchParams.get('id_token_hint') ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The provider accepts the hint: it asks to confirm the sign-out (its own page).
    const atProvider = await fetch(end, { redirect: 'manual' });
    assert.equal(atProvider.status, 200);
    // Once: the page does not come back.
    assert.equal((await client.get('/compte/oidc/deconnexion')).headers.location, '/compte/deconnexion');
    // A password session signs out as before.
    const password = await signedInAs(t.app, db());
    const plain = await password.client.post('/compte/deconnexion', { _csrf: password.csrf });
    assert.equal(plain.headers.location, '/compte/deconnexion');
  });

  test('retours limités par adresse IP', async () => {
    const client = new Client(t.app);
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++) last = (await client.get('/compte/oidc/retour?code=x&state=y')).statusCode;
    assert.equal(last, 429);
    const limited = await client.get('/compte/oidc/retour?code=x&state=y');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.match(limited.body, /Trop de tentatives/);
  });
});
