/**
 * RGPD through HTTP on each real database: a person downloads all their data (and nothing of anyone else's),
 * then deletes their account: confirmed by the password (or « SUPPRIMER » without one), anonymised in one
 * transaction with its audit entry, every session closed, the address free again, a mail to the old address;
 * refusals write nothing; the last platform admin cannot leave.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { deletedEmail } from '../src/features/accounts/deletion.ts';
import { recordAudit } from '../src/platform/audit.ts';
import { escapeHtml } from '../src/web/html.ts';
import { Client, signedInAs, startSmtpCapture, TEST_PASSWORD as PASSWORD, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const PLATFORM_ADMIN: Grant = { role: 'platform_admin', scopeKind: 'platform', scopeCode: '' };

describe(`RGPD : mes données et suppression du compte`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let n = 0;
  const db = () => t.database.db;
  const email = (label: string) => `${label}.${++n}@exemple.fr`;

  const footprint = async (accountId: number) =>
    (await firstRow<{ sessions: number; tokens: number; roles: number; audit: number; account: string }>(
      db(),
      sql`
    select (select count(*)::int from session where account_id = ${accountId}) as sessions,
      (select count(*)::int from one_time_token where account_id = ${accountId}) as tokens,
      (select count(*)::int from account_role where account_id = ${accountId}) as roles,
      (select count(*)::int from audit_log) as audit,
      (select row_to_json(a)::text from account a where id = ${accountId}) as account`,
    ))!;
  const remove = (person: TestAccount, confirmation: string | null, csrf: string | null = person.csrf) =>
    person.client.post('/compte/suppression', {
      ...(csrf === null ? {} : { _csrf: csrf }),
      ...(confirmation === null ? {} : { confirmation }),
    });

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ demo: false, mailer: smtp.mailer });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('export JSON : les données de la personne, aucune donnée d’une autre', async () => {
    const me = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '53' }], {
      displayName: 'Morgane Export',
      email: email('morgane'),
    });
    const other = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], {
      displayName: 'Yann Autre',
      email: email('yann'),
    });
    await recordAudit(db(), { actor: { id: me.id, displayName: 'Morgane Export' }, action: 'moderation.refuse', object: { kind: 'contribution', id: 41 } });
    await recordAudit(db(), { actor: { id: other.id, displayName: 'Yann Autre' }, action: 'moderation.accept', object: { kind: 'contribution', id: 42 } });
    // Someone else acting on me (granting a role) is not my data: their name stays out of my export.
    await recordAudit(db(), { actor: { id: other.id, displayName: 'Yann Autre' }, action: 'role.grant', object: { kind: 'account', id: me.id } });
    await db().execute(sql`update session set user_agent = 'Navigateur de Yann' where account_id = ${other.id}`);
    await db().execute(sql`insert into contribution (kind, action, data, region_codes, author_id) values
      ('cooperation', 'creation', ${JSON.stringify({ nom: 'Proposition de Morgane' })}::jsonb, '{53}', ${me.id}),
      ('cooperation', 'creation', ${JSON.stringify({ nom: 'Proposition de Yann' })}::jsonb, '{84}', ${other.id})`);

    const account = await me.client.get('/compte');
    assert.match(account.body, /<h2>Mes données<\/h2>/);
    assert.match(account.body, /<a href="\/compte\/donnees.json">Télécharger toutes mes données<\/a>/);
    assert.match(account.body, /<a href="\/compte\/suppression">Supprimer mon compte<\/a>/);

    const response = await me.client.get('/compte/donnees.json');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    assert.equal(response.headers['content-disposition'], 'attachment; filename="maillage-mes-donnees.json"');
    assert.equal(response.headers['cache-control'], 'no-store');
    const data = JSON.parse(response.body) as Record<string, unknown> & {
      compte: Record<string, unknown>;
      roles: { role: string; portee: string }[];
      sessions: { navigateur: string }[];
      actions_journalisees: { action: string; objet: string; libelle: string }[];
      contributions: { proposition: { nom: string } }[];
    };
    assert.deepEqual(Object.keys(data), [
      'exporte_le',
      'compte',
      'roles',
      'sessions',
      'identites_openid_connect',
      'actions_journalisees',
      'contributions',
      'revendications',
      'territoires_de_projet_proposes',
      'signalements',
      'alertes',
      'candidatures',
      'commentaires_appels',
      'messages_candidatures',
      'annotations_instruction',
      'fiches_de_notation',
      'evaluation_appels',
      'reservations_mutualisation',
      'publications_mutualisation',
      'ressources_proposees',
      'fichiers_des_propositions_de_ressources',
      'intentions_campagnes',
      'campagnes_et_investissements_cigales_enregistres',
    ]);
    assert.deepEqual(
      data.contributions.map((c) => c.proposition.nom),
      ['Proposition de Morgane'],
    );
    assert.equal(data.compte.id, me.id);
    assert.equal(data.compte.adresse_email, me.email);
    assert.equal(data.compte.nom, 'Morgane Export');
    assert.deepEqual(data.roles.map((r) => [r.role, r.portee]).sort(), [
      ['contributor', ''],
      ['regional_moderator', '53'],
    ]);
    assert.deepEqual(
      data.sessions.map((s) => s.navigateur),
      ['test'],
    );
    assert.deepEqual(
      data.actions_journalisees.map((a) => [a.action, a.objet, a.libelle]),
      [['moderation.refuse', '41', 'Modération — refus']],
    );
    assert.doesNotMatch(response.body, /argon2|password|mot_de_passe|csrf/i, 'ni empreinte du mot de passe ni secret de session');
    for (const foreign of [other.email, 'Yann Autre', 'Navigateur de Yann', 'Proposition de Yann', '"84"', '"42"']) {
      assert.ok(!response.body.includes(foreign), `rien de l’autre personne : ${foreign}`);
    }

    const visitor = await new Client(t.app).get('/compte/donnees.json');
    assert.equal(visitor.statusCode, 303);
    assert.equal(visitor.headers.location, '/compte/connexion?retour=%2Fcompte%2Fdonnees.json');
  });

  test('suppression refusée (mot de passe absent ou faux, CSRF, trop d’essais) : rien d’écrit', async () => {
    const me = await signedInAs(t.app, db(), [], { email: email('prudence') });
    const page = await me.client.get('/compte/suppression');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="confirmation">Votre mot de passe<\/label>/);
    assert.match(page.body, /type="password" id="confirmation" name="confirmation"[^>]* required autocomplete="current-password"/);
    const start = await footprint(me.id);

    const empty = await remove(me, '');
    assert.equal(empty.statusCode, 400);
    assert.ok(empty.body.includes(escapeHtml('Indiquez votre mot de passe pour confirmer la suppression.')));
    const wrong = await remove(me, 'pas le bon mot de passe');
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.body.includes(escapeHtml('Le mot de passe est incorrect : le compte n’a pas été supprimé.')));
    assert.match(wrong.body, /<a href="#confirmation">/);
    assert.match(wrong.body, /aria-invalid="true"/);
    for (const csrf of [null, 'x'.repeat(43)]) {
      const forged = await remove(me, PASSWORD, csrf);
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /le formulaire a expiré ou ne vient pas de Maillage/);
    }
    const visitor = new Client(t.app);
    assert.equal((await visitor.post('/compte/suppression', { _csrf: await visitor.csrf(), confirmation: PASSWORD })).statusCode, 401);
    assert.deepEqual(await footprint(me.id), start);

    // Guessing the password through this form is limited like signing in (5 tries in 15 minutes).
    for (let i = 0; i < 4; i++) assert.equal((await remove(me, `essai ${i}`)).statusCode, 400);
    const limited = await remove(me, PASSWORD);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Trop de tentatives/);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.deepEqual(await footprint(me.id), start);
  });

  test('suppression : anonymisé, journalisé, déconnecté partout, adresse réutilisable, contributions gardées', async () => {
    const address = email('camille');
    const me = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '53' }], {
      displayName: 'Camille Partante',
      email: address,
    });
    const elsewhere = new Client(t.app);
    assert.equal((await elsewhere.submit('/compte/connexion', '/compte/connexion', { email: address, mot_de_passe: PASSWORD })).statusCode, 303);
    await db().execute(sql`insert into one_time_token (purpose, token_hash, account_id, expires_at)
      values ('reset', ${'a'.repeat(64)}, ${me.id}, now() + interval '1 hour')`);
    // Past actions, and another person's action on this account, are in the log under their labels.
    await recordAudit(db(), { actor: { id: me.id, displayName: 'Camille Partante' }, action: 'moderation.accept', object: { kind: 'contribution', id: 7 } });
    // A proposal (kept: the public record needs it) and a claim with its justification (erased).
    const structure = await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name) values ('10000000900009', '100000009', 'Structure de Camille')
      returning id::int as id`,
    );
    await db().execute(sql`insert into contribution (kind, action, data, region_codes, author_id)
      values ('cooperation', 'creation', ${JSON.stringify({ nom: 'Proposition de Camille' })}::jsonb, '{53}', ${me.id})`);
    await db().execute(sql`insert into organisation_claim (organisation_id, siret, account_id, role, justification)
      values (${structure!.id}, '10000000900009', ${me.id}, 'organisation_member', 'Je suis la trésorière, Camille Partante')`);
    const before = await footprint(me.id);
    assert.deepEqual([before.sessions, before.tokens, before.roles], [2, 1, 2]);

    const page = await me.client.get('/compte/suppression');
    assert.match(page.body, /Ce qui est effacé/);
    assert.match(page.body, /Ce qui est gardé/);
    const done = await remove(me, PASSWORD);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte/suppression/effectuee');
    assert.equal(me.client.cookies.has('maillage_session'), false, 'le cookie de session est effacé');
    const confirmation = await me.client.get('/compte/suppression/effectuee');
    assert.match(confirmation.body, /Votre compte est supprimé/);
    assert.match(confirmation.body, /Se connecter/);

    // The row stays (contributions keep their author id), with nothing left that names the person.
    const after = await footprint(me.id);
    assert.deepEqual([after.sessions, after.tokens, after.roles, after.audit], [0, 0, 0, before.audit + 1]);
    const row = JSON.parse(after.account) as Record<string, unknown>;
    assert.equal(row.display_name, 'Compte supprimé');
    assert.equal(row.email, deletedEmail(me.id));
    assert.match(String(row.email), /\.invalid$/);
    assert.doesNotMatch(String(row.password_hash), /^\$argon2/);
    assert.ok(row.deleted_at);
    assert.equal(row.email_verified_at, null);
    const log = await rows<{ action: string; actor_id: number; actor_label: string; object_id: string }>(
      db(),
      sql`
      select action, actor_id::int as actor_id, actor_label, object_id from audit_log where actor_id = ${me.id} order by id`,
    );
    assert.deepEqual(
      log.map((e) => [e.action, e.actor_label]),
      [
        ['moderation.accept', 'Compte supprimé'],
        ['account.delete', 'Compte supprimé'],
      ],
    );
    assert.equal(log[1]!.object_id, String(me.id));
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from audit_log where actor_label = 'Camille Partante'`))!.n, 0);
    const kept = await firstRow<{ contributions: number; claims: number }>(
      db(),
      sql`select
      (select count(*)::int from contribution where author_id = ${me.id}) as contributions,
      (select count(*)::int from organisation_claim where account_id = ${me.id}) as claims`,
    );
    assert.deepEqual(kept, { contributions: 1, claims: 0 });

    // Signed out everywhere; the address and password no longer open anything.
    const other = await elsewhere.get('/compte');
    assert.equal(other.statusCode, 303);
    assert.match(other.headers.location as string, /^\/compte\/connexion/);
    const signIn = await new Client(t.app).submit('/compte/connexion', '/compte/connexion', { email: address, mot_de_passe: PASSWORD });
    assert.equal(signIn.statusCode, 401);

    // A mail to the old address says it was done.
    const mail = await smtp.next(address);
    assert.equal(mail.subject, 'Votre compte Maillage a été supprimé');
    assert.match(mail.text, /Bonjour Camille Partante,/);
    assert.match(mail.text, /« Compte supprimé »/);

    // The address can make a new account at once.
    const again = await new Client(t.app).submit('/compte/inscription', '/compte/inscription', {
      email: address,
      nom: 'Camille Revenue',
      mot_de_passe: 'une toute nouvelle phrase de passe',
    });
    assert.equal(again.statusCode, 303);
    const accounts = await rows<{ id: number; live: boolean }>(
      db(),
      sql`select id::int as id, deleted_at is null as live from account
      where email = ${address}`,
    );
    assert.equal(accounts.length, 1);
    assert.notEqual(accounts[0]!.id, me.id);
    assert.equal(accounts[0]!.live, true);
    assert.match((await smtp.next(address)).subject, /Confirmez votre adresse/);
  });

  test('session ouverte par OpenID Connect (compte peut-être sans mot de passe) : confirmation en tapant SUPPRIMER', async () => {
    const me = await signedInAs(t.app, db(), [], { email: email('oidc') });
    await db().execute(sql`insert into account_identity (issuer, subject, account_id) values ('https://fournisseur.test', 'sujet-1', ${me.id})`);
    await db().execute(sql`insert into oidc_session (session_id, id_token) select id, 'jeton-id' from session where account_id = ${me.id}`);
    const page = await me.client.get('/compte/suppression');
    assert.match(page.body, /<label for="confirmation">Tapez SUPPRIMER pour confirmer<\/label>/);
    assert.match(page.body, /type="text" id="confirmation"/);
    const start = await footprint(me.id);
    for (const typed of ['', 'supprimer', PASSWORD]) {
      const refused = await remove(me, typed);
      assert.equal(refused.statusCode, 400, typed);
      assert.ok(refused.body.includes(escapeHtml('Tapez SUPPRIMER en majuscules pour confirmer la suppression.')));
    }
    assert.deepEqual(await footprint(me.id), start);
    assert.equal((await remove(me, ' SUPPRIMER ')).statusCode, 303);
    assert.equal((await footprint(me.id)).sessions, 0);
    const identities = await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from account_identity where account_id = ${me.id}`);
    assert.equal(identities!.n, 0, 'le lien avec le fournisseur est effacé');
  });

  test('la dernière personne à administrer la plateforme ne peut supprimer son compte', async () => {
    const admin = await signedInAs(t.app, db(), [PLATFORM_ADMIN], { email: email('admin') });
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from account_role where role = 'platform_admin'`))!.n, 1);
    const start = await footprint(admin.id);
    const refused = await remove(admin, PASSWORD);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Vous êtes la dernière personne à administrer la plateforme/);
    assert.deepEqual(await footprint(admin.id), start);

    await signedInAs(t.app, db(), [PLATFORM_ADMIN]);
    assert.equal((await remove(admin, PASSWORD)).statusCode, 303, 'avec une autre personne pour administrer, c’est possible');
  });
});
