/**
 * Role administration and the audit log through HTTP on each real database: a platform admin grants and
 * withdraws scoped roles (checked against the COG, the Atlas and the catalogue), every change is in the audit
 * log and in the person's next request; everyone else is refused on every /admin route; the last platform admin
 * stays; user text is escaped; `maillage admin accorder` makes the first admin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { LAST_ADMIN_MESSAGE } from '../src/domain/grants.ts';
import { runAdmin } from '../src/features/admin/cli.ts';
import { recordAudit } from '../src/platform/audit.ts';
import { escapeHtml } from '../src/web/html.ts';
import { Client, signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const PLATFORM_ADMIN: Grant = { role: 'platform_admin', scopeKind: 'platform', scopeCode: '' };
const SIRET = '44306184100047';
const SCRIPT = '<script>alert("x")</script>';

describe(`Administration des rôles et journal`, () => {
  let t: TestApp;
  let admin: TestAccount;
  let cooperationId: number;
  let appelId: number;
  const db = () => t.database.db;

  const counts = async () =>
    (await firstRow<{ roles: number; audit: number }>(
      db(),
      sql`select
    (select count(*)::int from account_role) as roles, (select count(*)::int from audit_log) as audit`,
    ))!;
  const rolesOf = (id: number) =>
    rows<{ role: string; scope_kind: string; scope_code: string; granted_by: number | null }>(
      db(),
      sql`
    select role, scope_kind, scope_code, granted_by::int as granted_by from account_role where account_id = ${id} and role <> 'contributor'
    order by role, scope_code`,
    );
  const grant = (by: TestAccount, accountId: number, fields: Record<string, string>, csrf: string | null = by.csrf) =>
    by.client.post(`/admin/comptes/${accountId}/roles`, { ...(csrf === null ? {} : { _csrf: csrf }), ...fields });

  before(async () => {
    t = await buildTestApp({ demo: false });
    admin = await signedInAs(t.app, db(), [PLATFORM_ADMIN], { displayName: 'Alex Admin' });
    await db().execute(sql`insert into organisation (siret, siren, name) values (${SIRET}, ${SIRET.slice(0, 9)}, 'Atelier du Lien')`);
    cooperationId = (await firstRow<{ id: number }>(
      db(),
      sql`insert into cooperation (name, modele) values ('Pôle du Lien', 'PTCE')
      returning id::int as id`,
    ))!.id;
    const dispositif = await firstRow<{ id: number }>(
      db(),
      sql`insert into dispositif (key, name) values ('fonds-test', 'Fonds de test')
      returning id::int as id`,
    );
    await db().execute(sql`insert into dispositif_porteur (dispositif_id, position, name) values (${dispositif!.id}, 0, 'France Active')`);
    appelId = (await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title) values ('appel-test', 'Appel de test')
      returning id::int as id`,
    ))!.id;
  });
  after(async () => {
    await t.close();
  });

  test('modération régionale accordée : journal, puis rôle dans la session de la personne', async () => {
    const person = await signedInAs(t.app, db(), [], { displayName: 'Dominique Modo' });
    const before = await person.client.get('/');
    assert.doesNotMatch(before.body, /href="\/moderation"/);

    const granted = await grant(admin, person.id, { role: 'regional_moderator', portee: ' 53, 84 ' });
    assert.equal(granted.statusCode, 303);
    assert.equal(granted.headers.location, `/admin/comptes/${person.id}?fait=attribue`);
    assert.deepEqual(await rolesOf(person.id), [
      { role: 'regional_moderator', scope_kind: 'region', scope_code: '53', granted_by: admin.id },
      { role: 'regional_moderator', scope_kind: 'region', scope_code: '84', granted_by: admin.id },
    ]);
    const entries = await rows<{ actor_id: number; actor_label: string; object_kind: string; object_id: string; details: string }>(
      db(),
      sql`
      select actor_id::int as actor_id, actor_label, object_kind, object_id, details::text as details from audit_log
      where action = 'role.grant' and object_id = ${String(person.id)} order by id`,
    );
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries.map((e) => [e.actor_id, e.actor_label, e.object_kind, JSON.parse(e.details)]),
      [
        [admin.id, 'Alex Admin', 'account', { role: 'regional_moderator', type_portee: 'region', portee: '53' }],
        [admin.id, 'Alex Admin', 'account', { role: 'regional_moderator', type_portee: 'region', portee: '84' }],
      ],
    );

    // Their very next request carries the role: the header links to the queue, « Mon compte » lists it.
    const home = await person.client.get('/');
    assert.match(home.body, /<a href="\/moderation" >Modération<\/a>/);
    assert.doesNotMatch(home.body, /href="\/admin"/);
    assert.match((await person.client.get('/compte')).body, /Modération régionale/);

    const page = await admin.client.get(`/admin/comptes/${person.id}?fait=attribue`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Le rôle est attribué/);
    assert.match(page.body, /Région : Bretagne \(53\)/);
    assert.match(page.body, /Région : Auvergne-Rhône-Alpes \(84\)/);
    assert.match(page.body, /<a href="\/admin" aria-current="page">Administration<\/a>/);
    const journal = await admin.client.get('/admin/journal');
    assert.match(journal.body, /Attribution d’un rôle <code>role.grant<\/code>/);
    assert.match(journal.body, new RegExp(`Compte n° ${person.id} — Dominique Modo`));

    // Granting again changes nothing and says so.
    const again = await grant(admin, person.id, { role: 'regional_moderator', portee: '53' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /déjà ce rôle sur cette portée/);
  });

  test('structure (SIRET), coopération, porteur, appel : portées reconnues et normalisées', async () => {
    const person = await signedInAs(t.app, db());
    for (const fields of [
      { role: 'organisation_admin', portee: '443 061 841 00047' },
      { role: 'cooperation_admin', portee: String(cooperationId) },
      { role: 'scheme_publisher', portee: '  france   active ' },
      { role: 'instructor', portee: ` ${appelId} ` },
    ]) {
      const response = await grant(admin, person.id, fields);
      assert.equal(response.statusCode, 303, `${fields.role} : ${response.body.match(/field-error[^>]*>([^<]*)/)?.[1]}`);
    }
    assert.deepEqual(
      (await rolesOf(person.id)).map((r) => [r.role, r.scope_kind, r.scope_code]),
      [
        ['cooperation_admin', 'cooperation', String(cooperationId)],
        ['instructor', 'appel', String(appelId)],
        ['organisation_admin', 'organisation', SIRET],
        ['scheme_publisher', 'dispositif', 'France Active'],
      ],
    );
  });

  test('portées invalides : 400 en français lié au champ, rien d’écrit', async () => {
    const person = await signedInAs(t.app, db());
    const cases: [Record<string, string>, string][] = [
      [{ role: 'regional_moderator', portee: '99' }, 'Aucune région ne porte le code 99 dans le Code officiel géographique.'],
      [{ role: 'regional_moderator', portee: '84, 99' }, 'Aucune région ne porte le code 99 dans le Code officiel géographique.'],
      [{ role: 'regional_moderator', portee: 'Bretagne' }, '« Bretagne » n’est pas un code de région : 2 chiffres, 3 pour l’outre-mer (ex. 84, 975).'],
      [{ role: 'regional_moderator', portee: '' }, 'Indiquez le code COG de la région (ex. 84 pour Auvergne-Rhône-Alpes).'],
      [{ role: 'organisation_admin', portee: '44306184100048' }, 'Ce SIRET est invalide : sa clé de contrôle ne correspond pas.'],
      [{ role: 'organisation_member', portee: '4430618410004' }, 'Le SIRET doit compter exactement 14 chiffres.'],
      [
        { role: 'organisation_member', portee: '73282932000074' },
        'Aucune structure de l’Atlas n’a le SIRET 73282932000074. Elle doit d’abord y figurer (import ou contribution).',
      ],
      [{ role: 'cooperation_admin', portee: '999999' }, 'Aucune coopération ne porte le numéro 999999.'],
      [{ role: 'cooperation_admin', portee: 'Pôle du Lien' }, 'Indiquez le numéro de la coopération : un nombre entier (ex. 12).'],
      [{ role: 'scheme_publisher', portee: 'Personne' }, 'Aucun dispositif du catalogue n’a pour porteur « Personne ».'],
      [{ role: 'instructor', portee: '987654' }, 'Aucun appel à projets ne porte le numéro 987654.'],
      [{ role: 'platform_admin', portee: '84' }, 'Ce rôle vaut pour toute la plateforme : laissez la portée vide.'],
      [{ role: 'empereur', portee: '' }, 'Choisissez un rôle dans la liste.'],
    ];
    const start = await counts();
    for (const [fields, message] of cases) {
      const response = await grant(admin, person.id, fields);
      const label = `${fields.role} « ${fields.portee} »`;
      assert.equal(response.statusCode, 400, label);
      assert.match(response.headers['content-type'] as string, /^text\/html/);
      assert.ok(response.body.includes(escapeHtml(message)), `${label} : ${message}`);
      assert.match(response.body, /<div class="alert" role="alert" tabindex="-1" id="erreurs">/);
      assert.match(response.body, /aria-invalid="true"/);
      assert.doesNotMatch(response.body, /insert into|account_role|node_modules|at async /i, 'ni pile ni SQL');
    }
    assert.deepEqual(await counts(), start);
    assert.deepEqual(await rolesOf(person.id), []);
  });

  test('visiteur et non-administrateur refusés sur chaque route /admin, GET et POST ; rien d’écrit', async () => {
    const person = await signedInAs(t.app, db());
    const moderator = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '53' }]);
    const plain = await signedInAs(t.app, db());
    const gets = ['/admin', '/admin?q=a', `/admin/comptes/${person.id}`, '/admin/journal', '/admin/journal?page=2', '/admin/comptes/abc'];
    const posts: [string, Record<string, string>][] = [
      [`/admin/comptes/${person.id}/roles`, { role: 'platform_admin', portee: '' }],
      [`/admin/comptes/${admin.id}/roles/retrait`, { role: 'platform_admin', type_portee: 'platform', portee: '' }],
    ];
    const start = await counts();

    const visitor = new Client(t.app);
    await visitor.get('/compte/connexion');
    for (const url of gets) {
      const response = await visitor.get(url);
      assert.equal(response.statusCode, 303, `visiteur ${url}`);
      assert.equal(response.headers.location, `/compte/connexion?retour=${encodeURIComponent(url)}`);
    }
    for (const [url, fields] of posts) {
      const response = await visitor.post(url, { _csrf: await visitor.csrf(), ...fields });
      assert.equal(response.statusCode, 401, `visiteur POST ${url}`);
      assert.match(response.body, /Connectez-vous pour continuer/);
    }
    for (const account of [moderator, plain]) {
      for (const url of gets) {
        const response = await account.client.get(url);
        assert.equal(response.statusCode, 403, `non-admin ${url}`);
        assert.match(response.body, /Cette page est réservée à l’administration de la plateforme/);
      }
      for (const [url, fields] of posts) {
        assert.equal((await account.client.post(url, { _csrf: account.csrf, ...fields })).statusCode, 403, `non-admin POST ${url}`);
      }
      assert.doesNotMatch((await account.client.get('/')).body, /href="\/admin"/);
    }
    assert.deepEqual(await counts(), start);
    assert.deepEqual(await rolesOf(person.id), []);
  });

  test('jeton CSRF absent ou faux : 403, rien d’écrit', async () => {
    const person = await signedInAs(t.app, db());
    const start = await counts();
    for (const csrf of [null, person.csrf]) {
      const response = await grant(admin, person.id, { role: 'regional_moderator', portee: '53' }, csrf);
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /le formulaire a expiré ou ne vient pas de Maillage/);
    }
    const revoke = await admin.client.post(`/admin/comptes/${admin.id}/roles/retrait`, { role: 'platform_admin', type_portee: 'platform', portee: '' });
    assert.equal(revoke.statusCode, 403);
    assert.deepEqual(await counts(), start);
  });

  test('retrait d’un rôle journalisé ; le dernier administrateur ne peut retirer le sien', async () => {
    const other = await signedInAs(t.app, db(), [PLATFORM_ADMIN], { displayName: 'Bo Admin' });
    const revoked = await admin.client.post(`/admin/comptes/${other.id}/roles/retrait`, {
      _csrf: admin.csrf,
      role: 'platform_admin',
      type_portee: 'platform',
      portee: '',
    });
    assert.equal(revoked.statusCode, 303);
    assert.equal(revoked.headers.location, `/admin/comptes/${other.id}?fait=retire`);
    assert.equal((await other.client.get('/admin')).statusCode, 403, 'le retrait vaut dès la requête suivante');
    const entry = await firstRow<{ actor_label: string; details: string }>(
      db(),
      sql`select actor_label, details::text as details
      from audit_log where action = 'role.revoke' and object_id = ${String(other.id)}`,
    );
    assert.equal(entry?.actor_label, 'Alex Admin');
    assert.deepEqual(JSON.parse(entry!.details), { role: 'platform_admin', type_portee: 'platform', portee: '' });

    const start = await counts();
    const self = await admin.client.post(`/admin/comptes/${admin.id}/roles/retrait`, {
      _csrf: admin.csrf,
      role: 'platform_admin',
      type_portee: 'platform',
      portee: '',
    });
    assert.equal(self.statusCode, 409);
    assert.ok(self.body.includes(escapeHtml(LAST_ADMIN_MESSAGE)));
    assert.deepEqual(await counts(), start);
    assert.equal((await admin.client.get('/admin')).statusCode, 200);

    const missing = await admin.client.post(`/admin/comptes/${other.id}/roles/retrait`, {
      _csrf: admin.csrf,
      role: 'platform_admin',
      type_portee: 'platform',
      portee: '',
    });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /ne détient pas \(ou plus\) ce rôle/);
  });

  test('injection de script dans un nom : échappée dans /admin et /admin/journal', async () => {
    const person = await signedInAs(t.app, db(), [], { displayName: SCRIPT, email: `script@exemple.fr` });
    const actor = await signedInAs(t.app, db(), [PLATFORM_ADMIN], { displayName: `Admin ${SCRIPT}` });
    assert.equal((await grant(actor, person.id, { role: 'regional_moderator', portee: '53' })).statusCode, 303);
    await db().execute(sql`delete from account_role where account_id = ${actor.id} and role = 'platform_admin'`);
    const pages = [
      await admin.client.get('/admin?q=script'),
      await admin.client.get(`/admin/comptes/${person.id}`),
      await admin.client.get('/admin/journal'),
      await admin.client.get(`/admin/journal?objet=account&objet_id=${person.id}`),
    ];
    for (const response of pages) {
      assert.equal(response.statusCode, 200);
      assert.ok(!response.body.includes(SCRIPT), 'le nom n’est jamais inséré tel quel');
      assert.ok(response.body.includes(escapeHtml(SCRIPT)), 'le nom est affiché, échappé');
    }
    assert.ok(pages[2]!.body.includes(`Admin ${escapeHtml(SCRIPT)}`), 'l’auteur aussi');
  });

  test('recherche de comptes par adresse ou nom', async () => {
    const person = await signedInAs(t.app, db(), [], { displayName: 'Camille Trouvable', email: `camille.trouvable@exemple.fr` });
    for (const q of ['Trouvable', 'CAMILLE.TROUV', 'trouvable@']) {
      const response = await admin.client.get(`/admin?q=${encodeURIComponent(q)}`);
      assert.match(response.body, new RegExp(`<a href="/admin/comptes/${person.id}">Camille Trouvable</a>`), q);
    }
    const none = await admin.client.get('/admin?q=%25');
    assert.doesNotMatch(none.body, /Camille Trouvable/, '« % » est cherché comme un caractère');
    const holders = await admin.client.get('/admin');
    assert.match(holders.body, /Alex Admin/);
    assert.doesNotMatch(holders.body, /Camille Trouvable/, 'sans recherche : les comptes ayant des rôles');
  });

  test('journal : plus récent d’abord, libellés, filtres et pagination', async () => {
    await db().transaction(async (tx) => {
      for (let i = 1; i <= 55; i++) {
        await recordAudit(tx, {
          actor: { id: admin.id, displayName: 'Alex Admin' },
          action: i % 2 ? 'moderation.refuse' : 'claim.accept',
          object: { kind: 'contribution', id: 1000 + i },
          details: { motif: `motif ${i}` },
        });
      }
    });
    await db().execute(sql`update audit_log set at = now() + make_interval(secs => object_id::int - 1000) where object_kind = 'contribution'`);
    const first = await admin.client.get('/admin/journal');
    assert.match(first.body, /Page 1 sur \d/);
    assert.equal(first.body.match(/<tr>/g)!.length, 51, '50 lignes et l’en-tête');
    assert.ok(first.body.indexOf('Contribution 1055') < first.body.indexOf('Contribution 1054'), 'plus récent d’abord');
    assert.match(first.body, /Modération — refus <code>moderation.refuse<\/code>/);
    assert.match(first.body, /Revendication — acceptation/);
    assert.match(first.body, /motif : motif 55/);

    const refused = await admin.client.get('/admin/journal?action=moderation.refuse&objet=contribution');
    assert.match(refused.body, /28 actions pour ces filtres/);
    assert.doesNotMatch(refused.body, /claim\.accept<\/code>/);
    assert.match(refused.body, /<option value="moderation.refuse" selected>/);
    const one = await admin.client.get('/admin/journal?objet=contribution&objet_id=1002');
    assert.match(one.body, /1 action pour ces filtres/);
    const second = await admin.client.get('/admin/journal?objet=contribution&page=2');
    assert.match(second.body, /Page 2 sur 2/);
    assert.equal(second.body.match(/<tr>/g)!.length, 6, '5 lignes et l’en-tête');
    assert.match(second.body, /href="\/admin\/journal\?objet=contribution" rel="prev"/);
    assert.equal((await admin.client.get('/admin/journal?page=0')).statusCode, 400);
  });

  test('ligne de commande : « admin accorder » fait le premier administrateur, journalisé « Système (ligne de commande) »', async (tc: TestContext) => {
    const person = await signedInAs(t.app, db(), [], { email: `premier@exemple.fr` });
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      tc.mock.method(console, 'log', (text: string) => void out.push(text));
      tc.mock.method(console, 'error', (text: string) => void err.push(text));
      const code = await runAdmin(db(), args);
      tc.mock.restoreAll();
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const start = await counts();
    for (const [args, message] of [
      [['accorder', 'inconnu@exemple.fr', 'platform_admin'], /Aucun compte n’utilise l’adresse inconnu@exemple.fr/],
      [['accorder', `premier@exemple.fr`, 'empereur'], /Rôle inconnu : empereur/],
      [['accorder', `premier@exemple.fr`, 'regional_moderator', '99'], /Aucune région ne porte le code 99/],
      [['accorder', 'pas-une-adresse', 'platform_admin'], /adresse e-mail valide/],
      [['retirer', 'x@exemple.fr', 'platform_admin'], /Action inconnue : retirer/],
    ] as [string[], RegExp][]) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.err, message);
    }
    assert.deepEqual(await counts(), start);

    const done = await run(['accorder', `PREMIER@exemple.fr`, 'platform_admin']);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /Rôle « Administration de la plateforme » accordé à premier@exemple\.fr\./);
    assert.deepEqual(
      (await rolesOf(person.id)).map((r) => [r.role, r.granted_by]),
      [['platform_admin', null]],
    );
    const entry = await firstRow<{ actor_id: number | null; actor_label: string }>(
      db(),
      sql`select actor_id, actor_label from audit_log
      where action = 'role.grant' and object_id = ${String(person.id)}`,
    );
    assert.deepEqual(entry, { actor_id: null, actor_label: 'Système (ligne de commande)' });
    assert.equal((await person.client.get('/admin')).statusCode, 200);
    assert.match((await run(['--help'])).out, /regional_moderator/);
  });
});
