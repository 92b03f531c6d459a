/**
 * Funders create, configure and publish a call through HTTP, on each real database: who may create (a scheme
 * publisher for their provider, made instructor of the new call, audited), each section with good and bad input
 * (a refusal writes nothing: rows compared before and after), phases typed in Paris time across the 2027
 * daylight-saving changes, the private state (404 to the public, the API and the alerts; a banner for its
 * managers), publication refused with what is missing, then published, then closed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { newItems } from '../src/features/alerts/matching.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { loadTerritoryIndex } from '../src/platform/territory-index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { depositedApplication, getAs, postForm } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

const PROVIDER = 'Fondation Coopérer Ensemble';
const NOW = new Date('2027-02-01T10:00:00Z');
setCallsClock(() => NOW);

const FORM = { sections: [{ titre: 'Le projet', champs: [{ cle: 'projet', type: 'texte', libelle: 'Projet', obligatoire: true }] }] };

describe(`Gestion des appels à projets`, () => {
  let t: TestApp;
  let publisher: TestAccount;
  let appelId: number;
  const db = () => t.database.db;

  /** Everything a section may write, to compare before and after a refusal. */
  const snapshot = async (id: number) =>
    JSON.stringify(
      await Promise.all([
        rows(
          db(),
          sql`select key, title, description, dispositif_id, statut, laureats_min, laureats_max, budget::text, budget_texte, eligibilite,
      couverture_niveau, couverture_codes, updated_at from appel where id = ${id}`,
        ),
        rows(db(), sql`select position, name, siret, organisation_id from appel_organisateur where appel_id = ${id} order by position`),
        rows(
          db(),
          sql`select id, position, vague, label, ouverture, cloture, depot, resultats_date::text, resultats_texte from appel_phase where appel_id = ${id} order by position`,
        ),
        rows(db(), sql`select count(*)::int as n from audit_log`),
      ]),
    );
  const call = async (id: number) =>
    (await firstRow<{ statut: string; title: string; budget: string | null; couverture_codes: string[]; eligibilite: Record<string, unknown> }>(
      db(),
      sql`select statut, title, budget::text as budget, couverture_codes, eligibilite from appel where id = ${id}`,
    ))!;
  const informations = (fields: Record<string, string> = {}) => ({
    titre: 'Appel Coopérations 2027',
    description: 'Soutenir les coopérations naissantes.',
    cle: 'cooperations-2027',
    dispositif_id: '',
    laureats_min: '10',
    laureats_max: '15',
    budget: '100 000,50',
    budget_texte: '10 000 € par lauréat',
    couverture_niveau: 'region',
    couverture_codes: '84, 93',
    ...fields,
  });
  const phase = (i: number, fields: Record<string, string>) =>
    Object.fromEntries(
      Object.entries({
        id: '',
        vague: '',
        label: `Phase ${i + 1}`,
        description: '',
        ouverture_date: '',
        ouverture_heure: '',
        cloture_date: '',
        cloture_heure: '',
        depot: 'oui',
        resultats_date: '',
        resultats_texte: '',
        ...fields,
      }).map(([k, v]) => [`phases.${i}.${k}`, v]),
    );

  before(async () => {
    t = await buildTestApp();
    const dispositif = await firstRow<{ id: number }>(
      db(),
      sql`insert into dispositif (key, name) values ('fonds-cooperer', 'Fonds Coopérer')
      returning id::int as id`,
    );
    await db().execute(sql`insert into dispositif_porteur (dispositif_id, position, name) values (${dispositif!.id}, 0, ${PROVIDER})`);
    publisher = await signedInAs(t.app, db(), [{ role: 'scheme_publisher', scopeKind: 'dispositif', scopeCode: PROVIDER }], { displayName: 'Paule Publie' });
  });
  after(async () => {
    await t.close();
  });

  test('un éditeur de dispositifs crée un appel pour son porteur : en préparation, instructeur de l’appel, journal', async () => {
    const list = await getAs(t.app, publisher, '/gestion/appels');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/gestion\/appels\/nouveau"/);
    const form = await getAs(t.app, publisher, '/gestion/appels/nouveau');
    assert.match(form.body, new RegExp(`<option value="${PROVIDER}" selected>`));

    const created = await postForm(t.app, publisher, '/gestion/appels/nouveau', { titre: 'Appel Coopérations 2027', description: '', organisateur: PROVIDER });
    assert.equal(created.statusCode, 303);
    const match = /^\/gestion\/appels\/(\d+)\?fait=cree$/.exec(String(created.headers.location));
    assert.ok(match, String(created.headers.location));
    appelId = Number(match[1]);
    const row = await firstRow<{ key: string; statut: string }>(db(), sql`select key, statut from appel where id = ${appelId}`);
    assert.deepEqual(row, { key: 'appel-cooperations-2027', statut: 'brouillon' });
    assert.deepEqual(await rows(db(), sql`select name from appel_organisateur where appel_id = ${appelId}`), [{ name: PROVIDER }]);
    assert.deepEqual(
      await rows(
        db(),
        sql`select role, granted_by::int as granted_by from account_role
      where account_id = ${publisher.id} and scope_kind = 'appel' and scope_code = ${String(appelId)}`,
      ),
      [{ role: 'instructor', granted_by: publisher.id }],
    );
    const audit = await rows<{ action: string; actor_id: number }>(
      db(),
      sql`select action, actor_id::int as actor_id from audit_log
      where (object_kind = 'appel' and object_id = ${String(appelId)}) or (action = 'role.grant' and details->>'portee' = ${String(appelId)}) order by id`,
    );
    assert.deepEqual(audit, [
      { action: 'appel.create', actor_id: publisher.id },
      { action: 'role.grant', actor_id: publisher.id },
    ]);

    const page = await getAs(t.app, publisher, `/gestion/appels/${appelId}?fait=cree`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /L’appel est créé, en préparation/);
    for (const link of [`/gestion/appels/${appelId}/formulaire`, `/instruction/appels/${appelId}`, `/appels/${appelId}`])
      assert.match(page.body, new RegExp(`href="${link}"`));
    // The same title again gets the next free key.
    const again = await postForm(t.app, publisher, '/gestion/appels/nouveau', { titre: 'Appel Coopérations 2027', organisateur: PROVIDER });
    const otherId = Number(/(\d+)/.exec(String(again.headers.location))![1]);
    assert.equal((await firstRow<{ key: string }>(db(), sql`select key from appel where id = ${otherId}`))!.key, 'appel-cooperations-2027-2');
  });

  test('création refusée : autre porteur (403), contributeur (403), visiteur (connexion), titre vide (400) — rien n’est écrit', async () => {
    const before = (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from appel`))!.n;
    const other = await postForm(t.app, publisher, '/gestion/appels/nouveau', { titre: 'Détourné', organisateur: 'France Active' });
    assert.equal(other.statusCode, 403);
    assert.match(other.body, /Vous ne publiez pas pour cet organisateur/);
    const contributor = await signedInAs(t.app, db());
    assert.equal((await getAs(t.app, contributor, '/gestion/appels/nouveau')).statusCode, 403);
    assert.equal((await postForm(t.app, contributor, '/gestion/appels/nouveau', { titre: 'Non', organisateur: PROVIDER })).statusCode, 403);
    assert.doesNotMatch((await getAs(t.app, contributor, '/gestion/appels')).body, /href="\/gestion\/appels\/nouveau"/);
    const visitor = await getAs(t.app, null, '/gestion/appels/nouveau');
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/compte\/connexion/);
    const empty = await postForm(t.app, publisher, '/gestion/appels/nouveau', { titre: '  ', organisateur: PROVIDER });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<a href="#nouveau-titre">Titre : Indiquez le titre de l’appel\.<\/a>/);
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from appel`))!.n, before);
  });

  test('informations : montant à la française, couverture COG ; erreurs en français sans rien écrire', async () => {
    const done = await postForm(t.app, publisher, `/gestion/appels/${appelId}/informations`, informations());
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/gestion/appels/${appelId}?fait=informations#informations`);
    const stored = await call(appelId);
    assert.equal(stored.budget, '100000.50');
    assert.deepEqual(stored.couverture_codes, ['84', '93']);

    const before = await snapshot(appelId);
    const bad = await postForm(
      t.app,
      publisher,
      `/gestion/appels/${appelId}/informations`,
      informations({
        titre: '',
        budget: '12,345',
        couverture_codes: '84, 999',
        laureats_min: '5',
        laureats_max: '2',
        cle: 'Clé Accentuée',
        dispositif_id: '999999',
      }),
    );
    assert.equal(bad.statusCode, 400);
    for (const message of [
      'Indiquez le titre de l’appel.',
      'Budget : un montant compte au plus 2 décimales (centimes).',
      'inconnu du Code officiel géographique pour le niveau région : 999',
      'ne peut être inférieur au nombre minimal',
      'La clé compte de 1 à 80 minuscules',
    ]) {
      assert.ok(bad.body.includes(message), message);
    }
    assert.match(bad.body, /aria-invalid="true"/);
    assert.equal(await snapshot(appelId), before);

    const unknownScheme = await postForm(t.app, publisher, `/gestion/appels/${appelId}/informations`, informations({ dispositif_id: '999999' }));
    assert.equal(unknownScheme.statusCode, 400);
    assert.match(unknownScheme.body, /Aucun dispositif du catalogue ne porte l’identifiant 999999/);
    const takenKey = await postForm(t.app, publisher, `/gestion/appels/${appelId}/informations`, informations({ cle: 'ami-ptce-2021' }));
    assert.equal(takenKey.statusCode, 400);
    assert.match(takenKey.body, /La clé « ami-ptce-2021 » est déjà celle d’un autre appel/);
    assert.equal(await snapshot(appelId), before);

    // The scheme select offers the organiser's schemes.
    assert.match((await getAs(t.app, publisher, `/gestion/appels/${appelId}`)).body, /<option value="\d+" >Fonds Coopérer<\/option>/);
  });

  test('organisateurs : appel mutualisé dans l’ordre, SIRET relié à l’Atlas ; SIRET faux ou aucun organisateur refusés', async () => {
    const siret = siretFrom(12345678);
    await db().execute(sql`insert into organisation (siret, siren, name) values (${siret}, ${siret.slice(0, 9)}, 'Région Partenaire')`);
    const done = await postForm(t.app, publisher, `/gestion/appels/${appelId}/organisateurs`, {
      'organisateurs.0.nom': PROVIDER,
      'organisateurs.0.siret': '',
      'organisateurs.1.nom': 'Région Partenaire',
      'organisateurs.1.siret': `${siret.slice(0, 3)} ${siret.slice(3)}`,
      'organisateurs.2.nom': '',
      'organisateurs.2.siret': '',
    });
    assert.equal(done.statusCode, 303);
    assert.deepEqual(
      await rows(
        db(),
        sql`select position, name, siret, organisation_id is not null as linked from appel_organisateur
      where appel_id = ${appelId} order by position`,
      ),
      [
        { position: 0, name: PROVIDER, siret: null, linked: false },
        { position: 1, name: 'Région Partenaire', siret, linked: true },
      ],
    );
    const before = await snapshot(appelId);
    const bad = await postForm(t.app, publisher, `/gestion/appels/${appelId}/organisateurs`, {
      'organisateurs.0.nom': PROVIDER,
      'organisateurs.0.siret': '12345678901234',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#organisateurs-organisateurs-0-siret">Organisateur 1 — SIRET : Ce SIRET est invalide/);
    const none = await postForm(t.app, publisher, `/gestion/appels/${appelId}/organisateurs`, {
      'organisateurs.0.nom': PROVIDER,
      'organisateurs.0.retirer': 'oui',
      'organisateurs.1.nom': 'Région Partenaire',
      'organisateurs.1.retirer': 'oui',
    });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Un appel compte au moins un organisateur/);
    assert.equal(await snapshot(appelId), before);
  });

  test('phases en heure de Paris : minuit délai de rigueur de part et d’autre des changements d’heure 2027, affichées avec leur décalage', async () => {
    const done = await postForm(t.app, publisher, `/gestion/appels/${appelId}/phases`, {
      ...phase(0, { vague: 'Vague 1', label: 'Dépôt', ouverture_date: '2027-03-01', cloture_date: '2027-03-28' }),
      ...phase(1, { vague: 'Vague 2', label: 'Dépôt', ouverture_date: '2027-10-01', ouverture_heure: '09:30', cloture_date: '2027-10-31' }),
      ...phase(2, { label: 'Sélection', ouverture_date: '2027-11-01', cloture_date: '2027-11-30', depot: 'non', resultats_date: '2027-12-15' }),
      ...phase(3, { label: '' }),
    });
    assert.equal(done.statusCode, 303);
    const stored = await rows<{ id: number; ouverture: string; cloture: string; depot: boolean }>(
      db(),
      sql`select id::int as id,
      to_char(ouverture at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ouverture,
      to_char(cloture at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as cloture, depot
      from appel_phase where appel_id = ${appelId} order by position`,
    );
    assert.deepEqual(
      stored.map(({ id: _id, ...p }) => p),
      [
        { ouverture: '2027-02-28T23:00:00.000Z', cloture: '2027-03-28T21:59:59.999Z', depot: true },
        { ouverture: '2027-10-01T07:30:00.000Z', cloture: '2027-10-31T22:59:59.999Z', depot: true },
        { ouverture: '2027-10-31T23:00:00.000Z', cloture: '2027-11-30T22:59:59.999Z', depot: false },
      ],
    );
    const page = (await getAs(t.app, publisher, `/gestion/appels/${appelId}`)).body;
    for (const shown of ['2027-03-28T23:59:59.999+02:00', '2027-10-31T23:59:59.999+01:00', '2027-10-01T09:30:00.000+02:00'])
      assert.ok(page.includes(shown), shown);
    assert.match(
      page,
      /name="phases\.1\.ouverture_heure" {2}value="09:30"|id="phases-phases-1-ouverture_heure" name="phases\.1\.ouverture_heure"[^>]*value="09:30"/,
    );

    // Editing keeps each phase's id; a bad row is refused with its own errors, nothing written.
    const before = await snapshot(appelId);
    const bad = await postForm(t.app, publisher, `/gestion/appels/${appelId}/phases`, {
      ...phase(0, { id: String(stored[0]!.id), label: 'Dépôt', ouverture_date: '2027-03-01', cloture_date: '2027-02-15' }),
      ...phase(1, { label: '', ouverture_date: '2027-02-30', cloture_date: '2027-12-01', cloture_heure: '25:00' }),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Phase 1 — Clôture \(date\) : La clôture doit venir après l’ouverture\./);
    assert.match(bad.body, /Phase 2 — Nom de la phase : Indiquez le nom de la phase/);
    assert.match(bad.body, /Phase 2 — Ouverture \(date\) : Indiquez une date réelle au format AAAA-MM-JJ\./);
    assert.match(bad.body, /Phase 2 — Clôture \(heure\) : Indiquez une heure HH:MM/);
    assert.equal(await snapshot(appelId), before);
  });

  test('éligibilité : cases du profil d’orientation enregistrées ; valeur inconnue refusée sans rien écrire', async () => {
    const done = await postForm(t.app, publisher, `/gestion/appels/${appelId}/eligibilite`, {
      stades: 'emergence',
      modeles: 'PTCE',
      formes_juridiques: '92',
      esus_requis: 'oui',
    });
    assert.equal(done.statusCode, 303);
    assert.deepEqual((await call(appelId)).eligibilite, { stades: ['emergence'], modeles: ['PTCE'], formes_juridiques: ['92'], esus_requis: true });
    const before = await snapshot(appelId);
    const bad = await postForm(t.app, publisher, `/gestion/appels/${appelId}/eligibilite`, { stades: 'adolescence' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Stades de la coopération : Choisissez parmi les cases proposées\./);
    assert.equal(await snapshot(appelId), before);
  });

  test('un appel en préparation est introuvable pour le public, l’API, les recherches et les alertes ; aperçu pour qui le gère', async () => {
    for (const url of [`/appels/${appelId}`, `/api/v1/appels/${appelId}`, `/appels/${appelId}/candidater`]) {
      assert.equal((await getAs(t.app, null, url)).statusCode, url.endsWith('candidater') ? 303 : 404, url);
    }
    const otherInstructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: '999999' }]);
    assert.equal((await getAs(t.app, otherInstructor, `/appels/${appelId}`)).statusCode, 404);
    assert.equal((await getAs(t.app, otherInstructor, `/appels/${appelId}/candidater`)).statusCode, 404);
    const api = JSON.parse((await getAs(t.app, null, '/api/v1/appels?par_page=100')).body) as { resultats: { id: number }[] };
    assert.ok(!api.resultats.some((r) => r.id === appelId));
    assert.doesNotMatch((await getAs(t.app, null, '/appels?q=cooperations')).body, new RegExp(`href="/appels/${appelId}"`));
    const alerts = await newItems(
      { db: db(), territories: await loadTerritoryIndex(db()) },
      'recherche_appels',
      {},
      { since: new Date(Date.now() - 86_400_000), until: new Date(Date.now() + 60_000) },
    );
    assert.ok(!alerts.items.some((i) => i.id === appelId), 'un appel en préparation ne part pas dans les alertes');

    // Applying is refused: the call does not exist for applicants, on the pages as through the API.
    const applicant = await signedInAs(t.app, db());
    const start = await applicant.client.postJson(
      `/api/v1/appels/${appelId}/candidatures`,
      { titre: 'Essai', porteur: 'cooperation', chef_de_file: { siret: siretFrom(777), nom: 'Structure' } },
      { 'x-csrf-token': applicant.csrf },
    );
    assert.equal(start.statusCode, 404);
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from candidature where appel_id = ${appelId}`))!.n, 0);

    const preview = await getAs(t.app, publisher, `/appels/${appelId}`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Aperçu : cet appel n’est pas publié/);
    assert.equal((await getAs(t.app, publisher, `/api/v1/appels/${appelId}`)).statusCode, 200);
  });

  test('l’instructeur d’un autre appel ne voit ni ne modifie la gestion de celui-ci (404)', async () => {
    const other = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: '999999' }]);
    const before = await snapshot(appelId);
    assert.equal((await getAs(t.app, other, `/gestion/appels/${appelId}`)).statusCode, 404);
    for (const section of ['informations', 'organisateurs', 'phases', 'eligibilite', 'statut']) {
      assert.equal((await postForm(t.app, other, `/gestion/appels/${appelId}/${section}`, informations())).statusCode, 404, section);
    }
    assert.doesNotMatch((await getAs(t.app, other, '/gestion/appels')).body, new RegExp(`/gestion/appels/${appelId}"`));
    assert.equal(await snapshot(appelId), before);
  });

  test('publication refusée tant qu’il manque le formulaire (liste en français), confirmation exigée ; puis publiée, visible, close', async () => {
    const before = await snapshot(appelId);
    const unconfirmed = await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'publie' });
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /href="#statut-publie-confirmation">Confirmation : Cochez la case de confirmation/);
    const notReady = await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'publie', confirmation: 'oui' });
    assert.equal(notReady.statusCode, 409);
    assert.match(notReady.body, /complétez d’abord ce qui manque/);
    assert.match(notReady.body, /<li>un formulaire de candidature comptant au moins un champ<\/li>/);
    const backwards = await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'clos', confirmation: 'oui' });
    assert.equal(backwards.statusCode, 409);
    assert.match(backwards.body, /Un appel « en préparation » ne peut pas passer à « clos »/);
    assert.equal(await snapshot(appelId), before);

    // Concertation and back: public as a project, then private again.
    assert.equal(
      (await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'brouillon_concertation', confirmation: 'oui' })).statusCode,
      303,
    );
    assert.equal((await getAs(t.app, null, `/appels/${appelId}`)).statusCode, 200);
    assert.equal((await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'brouillon', confirmation: 'oui' })).statusCode, 303);
    assert.equal((await getAs(t.app, null, `/appels/${appelId}`)).statusCode, 404);

    await db().execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${appelId}, 1, ${JSON.stringify(FORM)}::jsonb)`);
    const published = await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'publie', confirmation: 'oui' });
    assert.equal(published.statusCode, 303);
    assert.equal(published.headers.location, `/gestion/appels/${appelId}?fait=statut#etat`);
    const visible = JSON.parse((await getAs(t.app, null, `/api/v1/appels/${appelId}`)).body) as { statut: string; etat_publication: string };
    assert.deepEqual([visible.statut, visible.etat_publication], ['a_venir', 'publie']);
    const audit = await rows<{ details: { de: string; vers: string } }>(
      db(),
      sql`select details from audit_log
      where action = 'appel.statut' and object_id = ${String(appelId)} order by id`,
    );
    assert.deepEqual(
      audit.map((a) => `${a.details.de}→${a.details.vers}`),
      ['brouillon→brouillon_concertation', 'brouillon_concertation→brouillon', 'brouillon→publie'],
    );

    // The list of one's calls: state, next closing in Paris time, applications submitted.
    await depositedApplication(db(), appelId, publisher, 'Candidature de la liste');
    const list = (await getAs(t.app, publisher, '/gestion/appels')).body;
    const row = list.match(new RegExp(`<tr><th scope="row"><a href="/gestion/appels/${appelId}">[\\s\\S]*?</tr>`))?.[0] ?? '';
    assert.match(row, /<td>Publié<\/td>\s*<td>28 mars 2027 à 23:59:59<\/td><td>1<\/td>/);

    // Published: what happened stays; the key no longer changes.
    const key = await postForm(t.app, publisher, `/gestion/appels/${appelId}/informations`, informations({ cle: 'nouvelle-cle' }));
    assert.equal(key.statusCode, 400);
    assert.match(key.body, /La clé ne change plus/);

    const closed = await postForm(t.app, publisher, `/gestion/appels/${appelId}/statut`, { statut: 'clos', confirmation: 'oui' });
    assert.equal(closed.statusCode, 303);
    const past = JSON.parse((await getAs(t.app, null, `/api/v1/appels/${appelId}`)).body) as { statut: string };
    assert.equal(past.statut, 'passe');
    const frozen = await postForm(t.app, publisher, `/gestion/appels/${appelId}/informations`, informations());
    assert.equal(frozen.statusCode, 409);
    assert.match(frozen.body, /Cet appel est clos : il n’est plus modifiable\./);
  });

  test('appel publié : une phase close ne change plus, une phase future se déplace', async () => {
    const created = await postForm(t.app, publisher, '/gestion/appels/nouveau', { titre: 'Appel permanent', organisateur: PROVIDER });
    const id = Number(/(\d+)/.exec(String(created.headers.location))![1]);
    await postForm(t.app, publisher, `/gestion/appels/${id}/phases`, {
      ...phase(0, { vague: 'Vague 1', label: 'Dépôt', ouverture_date: '2027-01-01', cloture_date: '2027-01-31' }),
      ...phase(1, { vague: 'Vague 2', label: 'Dépôt', ouverture_date: '2027-06-01', cloture_date: '2027-06-30' }),
    });
    await db().execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${id}, 1, ${JSON.stringify(FORM)}::jsonb)`);
    assert.equal((await postForm(t.app, publisher, `/gestion/appels/${id}/statut`, { statut: 'publie', confirmation: 'oui' })).statusCode, 303);
    const ids = (await rows<{ id: number }>(db(), sql`select id::int as id from appel_phase where appel_id = ${id} order by position`)).map((r) =>
      String(r.id),
    );
    const before = await snapshot(id);
    const moved = await postForm(t.app, publisher, `/gestion/appels/${id}/phases`, {
      ...phase(0, { id: ids[0]!, vague: 'Vague 1', label: 'Dépôt', ouverture_date: '2027-01-01', cloture_date: '2027-02-15' }),
      ...phase(1, { id: ids[1]!, vague: 'Vague 2', label: 'Dépôt', ouverture_date: '2027-06-01', cloture_date: '2027-06-30' }),
    });
    assert.equal(moved.statusCode, 409);
    assert.match(moved.body, /« Dépôt » : la clôture est passée \(31 janvier 2027 à 23:59:59\) : elle ne peut plus changer\./);
    assert.equal(await snapshot(id), before);
    const later = await postForm(t.app, publisher, `/gestion/appels/${id}/phases`, {
      ...phase(0, { id: ids[0]!, vague: 'Vague 1', label: 'Dépôt', ouverture_date: '2027-01-01', cloture_date: '2027-01-31' }),
      ...phase(1, { id: ids[1]!, vague: 'Vague 2', label: 'Dépôt', ouverture_date: '2027-07-01', cloture_date: '2027-07-31' }),
    });
    assert.equal(later.statusCode, 303);
    assert.deepEqual(
      (await rows<{ id: number }>(db(), sql`select id::int as id from appel_phase where appel_id = ${id} order by position`)).map((r) => String(r.id)),
      ids,
    );
  });
});
