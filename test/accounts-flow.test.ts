/**
 * Accounts through HTTP on each real database, with a real SMTP server on loopback receiving what Maillage
 * sends: sign-up, verification link, sign-in (allowed before verification), my account, sign-out, password
 * reset (single use, expiring, latest link only, every session revoked), throttles and rate limits that never
 * tell whether an address has an account, and the session cookie (the throttles in detail: accounts-throttle).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { SIGN_IN_REFUSED } from '../src/features/accounts/views.ts';
import { escapeHtml } from '../src/web/html.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, linkIn, startSmtpCapture, type SmtpCapture } from './support/accounts.ts';

const PASSWORD = 'une phrase de passe assez longue';
const REFUSED_HTML = escapeHtml(SIGN_IN_REFUSED);

describe(`Comptes : parcours complet`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let n = 0;
  const uniqueEmail = (label: string) => `${label}.${++n}@exemple.fr`;
  const db = () => t.database.db;

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ demo: false, mailer: smtp.mailer });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  async function signUp(client: Client, email: string, nom = 'Camille Martin', password = PASSWORD) {
    return client.submit('/compte/inscription', '/compte/inscription', { email, nom, mot_de_passe: password });
  }
  async function signIn(client: Client, email: string, password = PASSWORD) {
    return client.submit('/compte/connexion', '/compte/connexion', { email, mot_de_passe: password });
  }
  /** A verified account, signed out. */
  async function account(label: string): Promise<string> {
    const email = uniqueEmail(label);
    const client = new Client(t.app);
    assert.equal((await signUp(client, email)).statusCode, 303);
    assert.equal((await client.get(linkIn(await smtp.next(email), '/compte/verification'))).statusCode, 200);
    return email;
  }
  const sessionsOf = async (email: string) =>
    (await firstRow<{ n: number }>(
      db(),
      sql`
    select count(*)::int as n from session s join account a on a.id = s.account_id where a.email = ${email}`,
    ))!.n;

  test('inscription → courriel de vérification → connexion → mon compte → déconnexion', async () => {
    const email = uniqueEmail('camille');
    const client = new Client(t.app);
    const form = await client.get('/compte/inscription');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Créer un compte<\/h1>/);
    assert.match(form.body, /name="_csrf"/);
    assert.ok(client.cookies.has('maillage_csrf'), 'le formulaire anonyme pose le cookie CSRF');
    assert.notEqual(csrfFrom(form), client.cookies.get('maillage_csrf'), 'le champ est signé pour le cookie, il ne le recopie pas');

    const created = await signUp(client, `  ${email.toUpperCase()} `);
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, '/compte/inscription/confirmation');
    const sent = await client.get('/compte/inscription/confirmation');
    assert.match(sent.body, /Vérifiez votre messagerie/);

    // The address is stored normalised; the account is a contributor, not verified yet.
    const row = await firstRow<{ email: string; verified: boolean; roles: string; hash: string }>(
      db(),
      sql`
      select email, email_verified_at is not null as verified, password_hash as hash,
        (select string_agg(role, ',') from account_role r where r.account_id = a.id) as roles
      from account a where lower(email) = ${email}`,
    );
    assert.equal(row?.email, email);
    assert.equal(row?.verified, false);
    assert.equal(row?.roles, 'contributor');
    assert.match(row!.hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const mail = await smtp.next(email);
    assert.equal(mail.subject, 'Confirmez votre adresse e-mail sur Maillage');
    assert.match(mail.text, /valable 48 heures/);
    assert.match(mail.html, /<html lang="fr">/);
    assert.match(mail.html, /Confirmer mon adresse e-mail/);
    assert.doesNotMatch(mail.text + mail.html, /Camille/, 'le courriel de vérification ne reprend pas le nom saisi');
    const verifyLink = linkIn(mail, '/compte/verification');
    // The token travels in the link only: the database keeps its hash.
    const token = new URL(verifyLink, 'http://x').searchParams.get('jeton')!;
    const stored = await firstRow<{ n: number }>(
      db(),
      sql`select count(*)::int as n from one_time_token where token_hash = ${createHash('sha256').update(token).digest('hex')}`,
    );
    assert.equal(stored?.n, 1);

    // Sign-in is allowed before verification (verification will be asked before contributing).
    const signedIn = await signIn(client, email);
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/compte');
    let mine = await client.get('/compte');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /<dt>Adresse confirmée<\/dt><dd>non<\/dd>/);
    assert.match(mine.body, /Recevoir un nouveau lien/);
    assert.match(mine.body, /Mon compte<\/a>/);
    assert.match(mine.body, /<meta name="csrf-token" content="[A-Za-z0-9_-]{43}">/);
    assert.equal(mine.headers['cache-control'], 'no-store');

    // A new link on request; both work until used.
    const resent = await client.submit('/compte', '/compte/verification/renvoi', {});
    assert.equal(resent.statusCode, 303);
    assert.equal(resent.headers.location, '/compte?renvoye=1');
    const second = await smtp.next(email);
    assert.equal(second.subject, mail.subject);

    const verified = await client.get(verifyLink);
    assert.equal(verified.statusCode, 200);
    assert.match(verified.body, /Adresse e-mail confirmée/);
    mine = await client.get('/compte');
    assert.match(mine.body, /<dt>Adresse confirmée<\/dt><dd>oui<\/dd>/);
    assert.doesNotMatch(mine.body, /Recevoir un nouveau lien/);
    const reused = await client.get(verifyLink);
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /Ce lien n’est plus valable/);

    // Sign-out: the session row is deleted, the cookie cleared; a replay of the old cookie is anonymous.
    const oldToken = client.cookies.get('maillage_session')!;
    assert.equal(await sessionsOf(email), 1);
    const out = await client.submit('/compte', '/compte/deconnexion', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/compte/deconnexion');
    assert.ok(!client.cookies.has('maillage_session'));
    assert.match((await client.get('/compte/deconnexion')).body, /Déconnexion effectuée/);
    assert.equal(await sessionsOf(email), 0);
    const replay = new Client(t.app);
    replay.cookies.set('maillage_session', oldToken);
    const guarded = await replay.get('/compte');
    assert.equal(guarded.statusCode, 303);
    assert.equal(guarded.headers.location, '/compte/connexion?retour=%2Fcompte');
    assert.ok(!replay.cookies.has('maillage_session'), 'un cookie sans session est effacé');
  });

  test('la connexion revient à la page demandée, jamais vers un autre site', async () => {
    const email = await account('retour');
    const client = new Client(t.app);
    const form = await client.get('/compte/connexion?retour=%2Fdispositifs%3Fq%3Dx');
    assert.match(form.body, /name="retour" value="\/dispositifs\?q=x"/);
    const back = await client.post('/compte/connexion', {
      _csrf: csrfFrom(form),
      email,
      mot_de_passe: PASSWORD,
      retour: '/dispositifs?q=x',
    });
    assert.equal(back.headers.location, '/dispositifs?q=x');
    for (const retour of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const other = new Client(t.app);
      const response = await other.post('/compte/connexion', { _csrf: await other.csrf(), email, mot_de_passe: PASSWORD, retour });
      assert.equal(response.headers.location, '/compte', retour);
    }
  });

  test('cookie de session : HttpOnly, SameSite=Lax, Path=/, 30 jours ; Secure et HSTS seulement en HTTPS', async () => {
    const email = await account('cookie');
    const plain = new Client(t.app);
    const response = await signIn(plain, email);
    const header = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('maillage_session='))!;
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Lax/);
    assert.match(header, /; Path=\//);
    assert.match(header, /; Max-Age=2592000/);
    assert.doesNotMatch(header, /Secure/);
    assert.equal(response.headers['strict-transport-security'], undefined);

    const secure = new Client(t.app, { https: true });
    const overHttps = await signIn(secure, email);
    const secureHeader = [overHttps.headers['set-cookie']].flat().find((c) => c?.startsWith('maillage_session='))!;
    assert.match(secureHeader, /; Secure/);
    assert.match(secureHeader, /; HttpOnly/);
    assert.match(String(overHttps.headers['strict-transport-security']), /max-age=31536000/);
    const csrfCookie = [(await secure.get('/compte/mot-de-passe-oublie')).headers['set-cookie']].flat().join('\n');
    assert.doesNotMatch(csrfCookie, /maillage_csrf/, 'connecté, les formulaires utilisent le jeton de la session');

    // The database keeps the hash of the token, never the token.
    const token = plain.cookies.get('maillage_session')!;
    const stored = await rows<{ id: string }>(db(), sql`select s.id from session s join account a on a.id = s.account_id where a.email = ${email}`);
    assert.ok(stored.some((s) => s.id === createHash('sha256').update(token).digest('hex')));
    assert.ok(stored.every((s) => s.id !== token));
  });

  test('une nouvelle session à chaque connexion : le jeton d’avant ne vaut plus rien', async () => {
    const email = await account('renouvellement');
    const client = new Client(t.app);
    // A token planted before sign-in (session fixation) is not adopted.
    client.cookies.set('maillage_session', 'A'.repeat(43));
    await signIn(client, email);
    const first = client.cookies.get('maillage_session')!;
    assert.notEqual(first, 'A'.repeat(43));
    // Signed in already, the sign-in page sends to my account; signing in again renews the session.
    assert.equal((await client.get('/compte/connexion')).headers.location, '/compte');
    const again = await client.post('/compte/connexion', { _csrf: csrfFrom(await client.get('/compte')), email, mot_de_passe: PASSWORD });
    assert.equal(again.statusCode, 303);
    const second = client.cookies.get('maillage_session')!;
    assert.notEqual(second, first);
    assert.equal(await sessionsOf(email), 1, 'la session précédente est supprimée');
    const stale = new Client(t.app);
    stale.cookies.set('maillage_session', first);
    assert.equal((await stale.get('/compte')).statusCode, 303);
    assert.equal((await client.get('/compte')).statusCode, 200);
  });

  test('mauvais mot de passe et adresse inconnue : même réponse', async () => {
    const email = await account('mauvais');
    const wrong = await signIn(new Client(t.app), email, 'pas le bon mot de passe');
    const unknown = await signIn(new Client(t.app), uniqueEmail('inconnue'), 'pas le bon mot de passe');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    for (const response of [wrong, unknown]) {
      assert.ok(response.body.includes(REFUSED_HTML));
      assert.ok(!response.headers['set-cookie']?.toString().includes('maillage_session='));
    }
    const strip = (body: string) => body.replace(/value="[^"]*"/g, '');
    assert.equal(strip(wrong.body), strip(unknown.body));
  });

  test('limite de tentatives : 429 pour une adresse (connue ou non) essayée depuis la même adresse IP', async () => {
    for (const email of [await account('limite'), uniqueEmail('limite-inconnue')]) {
      const client = new Client(t.app);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 6; i++) {
        last = await signIn(client, email, `essai ${i} incorrect`);
        statuses.push(last.statusCode);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], email);
      assert.match(
        last!.body,
        /Trop d’essais de connexion infructueux\. Pour protéger les comptes, réessayez dans 1 minute, à partir de \d\d:\d\d \(heure de Paris\)/,
      );
      assert.ok(Number(last!.headers['retry-after']) > 0);
    }
  });

  test('inscription avec une adresse déjà prise : même réponse, la titulaire est prévenue, rien ne change', async () => {
    const email = await account('prise');
    const before = await firstRow<{ n: number; hash: string }>(
      db(),
      sql`select (select count(*)::int from account) as n, password_hash as hash from account where email = ${email}`,
    );
    const response = await signUp(new Client(t.app), email.toUpperCase(), 'Intrus', 'un autre mot de passe long');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/compte/inscription/confirmation');
    const mail = await smtp.next(email);
    assert.equal(mail.subject, 'Quelqu’un a tenté de créer un compte Maillage avec votre adresse');
    assert.match(mail.text, /Camille Martin/);
    assert.match(linkIn(mail, '/compte/mot-de-passe-oublie'), /^\/compte\/mot-de-passe-oublie$/);
    const after = await firstRow<{ n: number; hash: string }>(
      db(),
      sql`select (select count(*)::int from account) as n, password_hash as hash from account where email = ${email}`,
    );
    assert.deepEqual(after, before);
    assert.equal((await signIn(new Client(t.app), email, 'un autre mot de passe long')).statusCode, 401);
  });

  test('mot de passe oublié : lien à usage unique, toutes les sessions fermées, ancien mot de passe refusé', async () => {
    const email = await account('oubli');
    const phone = new Client(t.app);
    const laptop = new Client(t.app);
    await signIn(phone, email);
    await signIn(laptop, email);
    assert.equal(await sessionsOf(email), 2);

    // An unknown address gets the same answer, and no mail.
    const unknownEmail = uniqueEmail('oubli-inconnue');
    const unknown = await new Client(t.app).submit('/compte/mot-de-passe-oublie', '/compte/mot-de-passe-oublie', { email: unknownEmail });
    const asked = await new Client(t.app).submit('/compte/mot-de-passe-oublie', '/compte/mot-de-passe-oublie', { email });
    assert.equal(unknown.statusCode, 303);
    assert.equal(asked.statusCode, 303);
    assert.equal(unknown.headers.location, asked.headers.location);
    assert.equal(asked.headers.location, '/compte/mot-de-passe-oublie/confirmation');
    const mail = await smtp.next(email);
    assert.equal(mail.subject, 'Réinitialisation de votre mot de passe Maillage');
    assert.match(mail.text, /valable 1 heure, utilisable une seule fois/);
    assert.equal(smtp.all(unknownEmail).length, 0);

    const link = linkIn(mail, '/compte/reinitialisation');
    const form = await laptop.get(link);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Choisir un nouveau mot de passe/);
    const token = new URL(link, 'http://x').searchParams.get('jeton')!;
    const weak = await laptop.post('/compte/reinitialisation', { _csrf: csrfFrom(form), jeton: token, mot_de_passe: 'court' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /au moins 12 caractères/);

    const NEW = 'un tout nouveau mot de passe';
    const done = await laptop.post('/compte/reinitialisation', { _csrf: csrfFrom(form), jeton: token, mot_de_passe: NEW });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte/connexion?reinitialise=1');
    assert.match((await laptop.get('/compte/connexion?reinitialise=1')).body, /Votre mot de passe est changé/);
    assert.equal(await sessionsOf(email), 0);
    assert.equal((await phone.get('/compte')).statusCode, 303, 'l’autre appareil est déconnecté');
    assert.equal((await smtp.next(email)).subject, 'Votre mot de passe Maillage a été modifié');

    assert.equal((await signIn(new Client(t.app), email)).statusCode, 401);
    assert.equal((await signIn(new Client(t.app), email, NEW)).statusCode, 303);

    // Single use.
    const reused = await new Client(t.app).get(link);
    assert.equal(reused.statusCode, 400);
    const other = new Client(t.app);
    const replay = await other.post('/compte/reinitialisation', {
      _csrf: await other.csrf(),
      jeton: token,
      mot_de_passe: 'encore un autre mot de passe',
    });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /Ce lien n’est plus valable/);
    assert.equal((await signIn(new Client(t.app), email, NEW)).statusCode, 303);
  });

  test('lien de réinitialisation expiré, ou remplacé par un plus récent : refusé, rien ne change', async () => {
    const email = await account('expire');
    const ask = () => new Client(t.app).submit('/compte/mot-de-passe-oublie', '/compte/mot-de-passe-oublie', { email });
    await ask();
    const first = linkIn(await smtp.next(email), '/compte/reinitialisation');
    await ask();
    const second = linkIn(await smtp.next(email), '/compte/reinitialisation');
    assert.equal((await new Client(t.app).get(first)).statusCode, 400, 'seul le dernier lien fonctionne');
    assert.equal((await new Client(t.app).get(second)).statusCode, 200);

    await db().execute(sql`update one_time_token set expires_at = now() - interval '1 second'
      where account_id = (select id from account where email = ${email}) and purpose = 'reset'`);
    const client = new Client(t.app);
    const before = await firstRow<{ hash: string }>(db(), sql`select password_hash as hash from account where email = ${email}`);
    const expired = await client.post('/compte/reinitialisation', {
      _csrf: await client.csrf(),
      jeton: new URL(second, 'http://x').searchParams.get('jeton')!,
      mot_de_passe: 'mot de passe qui ne sera pas pris',
    });
    assert.equal(expired.statusCode, 400);
    const afterwards = await firstRow<{ hash: string }>(db(), sql`select password_hash as hash from account where email = ${email}`);
    assert.equal(afterwards?.hash, before?.hash);

    // 3 requests per hour and address (two were made above): the third passes, the fourth gets 429.
    assert.equal((await ask()).statusCode, 303);
    const limited = await ask();
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Trop de tentatives/);
    const limitedUnknown = [];
    const unknownEmail = uniqueEmail('limite-oubli');
    for (let i = 0; i < 4; i++)
      limitedUnknown.push((await new Client(t.app).submit('/compte/mot-de-passe-oublie', '/compte/mot-de-passe-oublie', { email: unknownEmail })).statusCode);
    assert.deepEqual(limitedUnknown, [303, 303, 303, 429], 'une adresse inconnue est limitée de la même façon');
  });
});

function csrfFrom(response: { body: string }): string {
  const match = response.body.match(/name="_csrf" value="([^"]+)"/);
  assert.ok(match, 'champ _csrf');
  return match[1]!;
}
