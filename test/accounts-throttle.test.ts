/**
 * Sign-in throttles on a real database: failures count per client address and per account and address, with
 * growing delays and a Retry-After that tells the truth; an attacker elsewhere never keeps the owner out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { build } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { firstRow, rows } from '../src/db/database.ts';
import { emailSubject } from '../src/platform/http/rate-limit.ts';
import { hashToken, newToken } from '../src/platform/http/tokens.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, freshIp, signedInAs, TEST_PASSWORD } from './support/accounts.ts';

describe('Connexion : freins par adresse IP et par compte et adresse, jamais de verrou du compte', () => {
  let t: TestApp;
  let n = 0;
  const db = () => t.database.db;
  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(() => t.close());

  /** A browser at `ip` (a new one each time: no session left over) signing in. */
  const signIn = (ip: string, email: string, password = TEST_PASSWORD) =>
    new Client(t.app, { ip }).submit('/compte/connexion', '/compte/connexion', { email, mot_de_passe: password });
  const owner = async () => (await signedInAs(t.app, db(), [], { email: `titulaire.${++n}@exemple.fr` })).email;
  /** Moves the clock of this address's throttles `seconds` into the past, as if that much time had gone by. */
  const wait = (ip: string, seconds: number) =>
    db().execute(sql`update sign_in_throttle set last_failure_at = last_failure_at - make_interval(secs => ${seconds}),
      blocked_until = blocked_until - make_interval(secs => ${seconds}) where key like ${`%:${ip}`}`);
  const failuresOf = async (key: string) =>
    (await firstRow<{ failures: number }>(db(), sql`select failures from sign_in_throttle where key = ${key}`))?.failures;

  test('un attaquant qui s’acharne, d’une adresse ou de plusieurs, n’empêche pas la titulaire de se connecter', async () => {
    const email = await owner();
    const attacker = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(attacker, email, `essai ${i} au hasard`)).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429], 'l’attaquant est freiné');
    assert.equal((await signIn(attacker, email)).statusCode, 429, 'même le bon mot de passe attend : pas d’essai gratuit');
    const home = freshIp();
    assert.equal((await signIn(home, email)).statusCode, 303, 'la titulaire entre depuis chez elle');
    // Many addresses, five wrong passwords each, the owner signing in between the waves.
    for (let wave = 0; wave < 3; wave++) {
      for (let bot = 0; bot < 2; bot++) {
        const ip = freshIp();
        for (let i = 0; i < 5; i++) assert.equal((await signIn(ip, email, `vague ${wave} essai ${i}`)).statusCode, 401);
      }
      assert.equal((await signIn(home, email)).statusCode, 303, `vague ${wave}`);
    }
  });

  test('Retry-After dit vrai et les délais doublent à chaque échec, jusqu’à une heure', async () => {
    const email = await owner();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) assert.equal((await signIn(ip, email, `faux ${i} faux`)).statusCode, 401);
    const expectWait = async (low: number, high: number, words: RegExp) => {
      const refused = await signIn(ip, email, 'encore un faux mot de passe');
      assert.equal(refused.statusCode, 429);
      const seconds = Number(refused.headers['retry-after']);
      assert.ok(seconds > low && seconds <= high, `Retry-After ${seconds} dans ]${low}, ${high}]`);
      assert.match(refused.body, words);
    };
    await expectWait(50, 60, /réessayez dans 1 minute, à partir de \d\d:\d\d \(heure de Paris\)/);
    // Thirty seconds later, half the wait is left (the refused attempt moved nothing).
    await wait(ip, 30);
    await expectWait(20, 30, /réessayez dans 1 minute/);
    // Once the wait is over, one more try; failing, it waits twice as long, then twice again.
    await wait(ip, 30);
    assert.equal((await signIn(ip, email, 'sixième faux')).statusCode, 401);
    await expectWait(110, 120, /réessayez dans 2 minutes/);
    await wait(ip, 120);
    assert.equal((await signIn(ip, email, 'septième faux')).statusCode, 401);
    await expectWait(230, 240, /réessayez dans 4 minutes/);
    // A long run is capped at an hour.
    await db().execute(sql`update sign_in_throttle set failures = 40 where key = ${`account-address:${emailSubject(email)}:${ip}`}`);
    await wait(ip, 240);
    assert.equal((await signIn(ip, email, 'encore faux')).statusCode, 401);
    await expectWait(3590, 3600, /réessayez dans 60 minutes/);
  });

  test('un succès clôt la série du compte à cette adresse et rend son propre échec à l’adresse', async () => {
    const email = await owner();
    const ip = freshIp();
    for (let i = 0; i < 4; i++) assert.equal((await signIn(ip, email, `faute de frappe ${i}`)).statusCode, 401);
    assert.equal((await signIn(ip, email)).statusCode, 303);
    assert.equal(await failuresOf(`account-address:${emailSubject(email)}:${ip}`), undefined);
    assert.equal(await failuresOf(`address:${ip}`), 4, 'les échecs de l’adresse restent, le succès n’en ajoute pas');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(ip, email, `nouvelle série ${i}`)).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  test('une adresse qui essaie beaucoup de comptes (pulvérisation) est freinée, pas les comptes', async () => {
    const email = await owner();
    const sprayer = freshIp();
    for (let i = 0; i < 20; i++) assert.equal((await signIn(sprayer, `cible.${n}.${i}@exemple.fr`, 'Motdepasse2024!')).statusCode, 401);
    assert.equal((await signIn(sprayer, `cible.${n}.20@exemple.fr`, 'Motdepasse2024!')).statusCode, 429);
    assert.equal((await signIn(sprayer, email)).statusCode, 429, 'cette adresse attend, quel que soit le compte');
    assert.equal((await signIn(freshIp(), email)).statusCode, 303, 'le compte, lui, reste ouvert');
  });

  test('des essais simultanés ne passent pas à travers : le sixième attend, même lancé en même temps', async () => {
    const ip = freshIp();
    const email = `rafale.${++n}@exemple.fr`;
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(ip, email, `rafale ${i} rafale`).then((r) => r.statusCode)));
    assert.deepEqual(
      statuses.sort((a, b) => a - b),
      [401, 401, 401, 401, 401, 429, 429, 429, 429, 429],
    );
  });

  test('un nouveau mot de passe choisi par le lien reçu efface les freins du compte', async () => {
    const email = await owner();
    const ip = freshIp();
    for (let i = 0; i < 6; i++) await signIn(ip, email, `oublié ${i} oublié`);
    assert.equal((await signIn(ip, email)).statusCode, 429);
    const token = newToken();
    await db().execute(sql`insert into one_time_token (purpose, token_hash, account_id, expires_at)
      select 'reset', ${hashToken(token)}, id, now() + interval '1 hour' from account where email = ${email}`);
    const NEW = 'un mot de passe tout neuf';
    const client = new Client(t.app, { ip });
    const reset = await client.submit(`/compte/reinitialisation?jeton=${token}`, '/compte/reinitialisation', { jeton: token, mot_de_passe: NEW });
    assert.equal(reset.statusCode, 303);
    assert.equal((await signIn(ip, email, NEW)).statusCode, 303);
  });

  test('les freins et la clé des jetons sont en base : une autre instance (ou un redémarrage) les reprend', async () => {
    const email = await owner();
    const client = new Client(t.app);
    for (let i = 0; i < 5; i++) await client.submit('/compte/connexion', '/compte/connexion', { email, mot_de_passe: `faux ${i} faux` });
    const csrf = await client.csrf();
    const second = await build({ config: loadConfig({ LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: './var/test', TRUST_PROXY: 'true' }), database: t.database });
    try {
      const response = await second.inject({
        method: 'POST',
        url: '/compte/connexion',
        remoteAddress: client.ip,
        headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, email, mot_de_passe: TEST_PASSWORD }).toString(),
      });
      // 429, not 403: the second instance accepts the first one's form token and counts its failures.
      assert.equal(response.statusCode, 429);
    } finally {
      await second.close();
    }
    const secrets = await rows<{ name: string }>(db(), sql`select name from server_secret`);
    assert.deepEqual(secrets, [{ name: 'csrf' }]);
  });
});
