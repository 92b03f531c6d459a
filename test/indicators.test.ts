/**
 * Indicators through HTTP on the demo data: the reference set with its sources, values entered by a
 * cooperation's admins (API with the CSRF header, and the page's form), refused with their field named when
 * wrong (nothing written), validated by the région's moderator or refused with a reason, a call's indicator
 * validated by the call's instructors only; the published aggregates sum validated values only, by period,
 * territory and model, and refuse unknown indicators, territories and periods in French.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const idRow = z.object({ id: z.number() });
const one = async <T extends z.ZodType>(db: Db, schema: T, query: ReturnType<typeof sql>) => (await checkedRows(db, schema, query))[0]!;

describe('Indicateurs', () => {
  let t: TestApp;
  let poleSud: number; // Drôme (84)
  let parcDuCanal: number; // Haute-Garonne (76)
  let appel: number;
  let adminPoleSud: TestAccount;
  let adminParc: TestAccount;
  let moderator84: TestAccount;
  let instructor: TestAccount;
  let stranger: TestAccount;

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    const id = async (name: string) => (await one(db, idRow, sql`select id::int as id from cooperation where name = ${name}`)).id;
    poleSud = await id('Pôle Sud Archer');
    parcDuCanal = await id("Pôle de coopération de l'ESS du Parc du Canal");
    appel = (await one(db, idRow, sql`select id::int as id from appel order by id limit 1`)).id;
    const admin = (c: number): Grant => ({ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(c) });
    adminPoleSud = await signedInAs(t.app, db, [admin(poleSud)]);
    adminParc = await signedInAs(t.app, db, [admin(parcDuCanal)]);
    moderator84 = await signedInAs(t.app, db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    instructor = await signedInAs(t.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(appel) }]);
    stranger = await signedInAs(t.app, db);
  });
  after(() => t.close());

  const postJson = (who: TestAccount, url: string, body: unknown, csrf = true) => who.client.postJson(url, body, csrf ? { 'x-csrf-token': who.csrf } : {});
  const enter = (who: TestAccount, cooperation: number, body: unknown) => postJson(who, `/api/v1/cooperations/${cooperation}/indicateurs`, body);
  const count = async () => (await one(t.database.db, z.object({ n: z.number() }), sql`select count(*)::int as n from indicateur_saisie`)).n;
  const decideForm = async (who: TestAccount, entry: number, fields: Record<string, string>) =>
    who.client.post(`/indicateurs/saisies/${entry}/decision`, { _csrf: who.csrf, ...fields });
  const aggregates = async (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/indicateurs/${query}` });

  test('le jeu de référence est publié avec sa source : ETP, insertion, hybridation des ressources, épargne citoyenne…', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/indicateurs' })).json();
    const codes = list.indicateurs.map((i: { code: string }) => i.code);
    for (const code of [
      'etp',
      'emplois_insertion',
      'personnes_accompagnees',
      'benevoles',
      'membres',
      'chiffre_affaires',
      'ressources_publiques',
      'ressources_privees',
      'ressources_marchandes',
      'ressources_non_monetaires',
      'achats_locaux',
      'epargne_citoyenne',
    ])
      assert.ok(codes.includes(code), code);
    for (const i of list.indicateurs) assert.ok(i.source.length > 10, i.code);
    assert.match(list.indicateurs.find((i: { code: string }) => i.code === 'epargne_citoyenne').source, /800 habitants/);
  });

  test('une valeur de la mauvaise sorte, une période ou un indicateur inconnus sont refusés en nommant le champ, sans rien écrire', async () => {
    const before = await count();
    const wrong = await enter(adminPoleSud, poleSud, { indicateur: 'benevoles', periode: '2025-T9', valeur: 'douze' });
    assert.equal(wrong.statusCode, 400);
    const fields = wrong.json().errors.map((e: { champ: string }) => e.champ);
    assert.deepEqual(fields, ['periode', 'valeur']);
    assert.match(wrong.json().errors[1].message, /« Bénévoles » attend un nombre entier positif ou nul/);
    const unknown = await enter(adminPoleSud, poleSud, { indicateur: 'inconnu', periode: '2025', valeur: 3 });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().errors[0].champ, 'indicateur');
    const future = await enter(adminPoleSud, poleSud, { indicateur: 'etp', periode: '2099', valeur: 3 });
    assert.match(future.json().errors[0].message, /n’a pas commencé/);
    assert.equal((await enter(adminPoleSud, 999999, { indicateur: 'etp', periode: '2025', valeur: 3 })).statusCode, 404);
    assert.equal(await count(), before);
  });

  test('seules l’administration de la coopération (ou la modération de sa région), avec le jeton CSRF, saisissent', async () => {
    const body = { indicateur: 'etp', periode: '2025', valeur: 3 };
    assert.equal((await enter(stranger, poleSud, body)).statusCode, 403);
    assert.equal((await enter(adminParc, poleSud, body)).statusCode, 403);
    assert.equal((await postJson(adminPoleSud, `/api/v1/cooperations/${poleSud}/indicateurs`, body, false)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/cooperations/${poleSud}/indicateurs`, payload: body })).statusCode, 401);
  });

  test('saisie, validation et refus ; les agrégats ne somment que les valeurs validées, par période, territoire et modèle', async () => {
    const a = await enter(adminPoleSud, poleSud, { indicateur: 'etp', periode: '2025', valeur: '12,5', commentaire: 'Bilan 2025' });
    assert.equal(a.statusCode, 201, a.body);
    assert.deepEqual(
      { ...(a.json() as Record<string, unknown>), id: 0 },
      { id: 0, cooperation_id: poleSud, indicateur: 'etp', periode: '2025', valeur: 12.5, commentaire: 'Bilan 2025', statut: 'soumise', motif: null },
    );
    const b = (await enter(adminParc, parcDuCanal, { indicateur: 'etp', periode: '2025', valeur: 4 })).json();
    const c = (await enter(adminPoleSud, poleSud, { indicateur: 'etp', periode: '2024', valeur: 10 })).json();
    // Nothing validated yet: nothing published.
    assert.deepEqual((await aggregates('etp/agregats')).json().resultats, []);

    // The moderator of Auvergne-Rhône-Alpes sees Pôle Sud's values, not the Parc du Canal's (Occitanie).
    const queue = await moderator84.client.get('/indicateurs/validation');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Pôle Sud Archer/);
    assert.doesNotMatch(queue.body, /Parc du Canal/);
    assert.equal((await decideForm(moderator84, b.id, { decision: 'valider' })).statusCode, 403);
    const noReason = await decideForm(moderator84, c.id, { decision: 'refuser', motif: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Indiquez le motif du refus/);
    assert.equal((await decideForm(moderator84, a.json().id, { decision: 'valider' })).statusCode, 303);
    assert.equal((await decideForm(moderator84, c.id, { decision: 'refuser', motif: 'Chiffre à justifier' })).statusCode, 303);
    assert.equal((await decideForm(moderator84, c.id, { decision: 'valider' })).statusCode, 409);

    const series = (await aggregates('etp/agregats')).json();
    assert.equal(series.par, 'periode');
    assert.deepEqual(series.resultats, [{ periode: '2025', groupe: null, valeur: 12.5, cooperations: 1 }]);
    const byRegion = (await aggregates('etp/agregats?par=region')).json();
    assert.deepEqual(byRegion.resultats, [{ periode: '2025', groupe: { code: '84', libelle: 'Auvergne-Rhône-Alpes' }, valeur: 12.5, cooperations: 1 }]);
    assert.equal((await aggregates('etp/agregats?departement=26&modele=PTCE&periode_debut=2025&periode_fin=2025')).json().resultats.length, 1);
    assert.equal((await aggregates('etp/agregats?region=76')).json().resultats.length, 0);
    assert.equal((await aggregates('etp/agregats?par=modele')).json().resultats[0].groupe.libelle, 'Pôle territorial de coopération économique (PTCE)');

    // The cooperation's page shows the validated value to everyone, the refusal and its reason to its admins.
    const publicPage = await t.app.inject({ method: 'GET', url: `/cooperations/${poleSud}/indicateurs` });
    assert.match(publicPage.body, /12,5 ETP/);
    assert.doesNotMatch(publicPage.body, /Chiffre à justifier/);
    const adminPage = await adminPoleSud.client.get(`/cooperations/${poleSud}/indicateurs`);
    assert.match(adminPage.body, /Motif : Chiffre à justifier/);
  });

  test('les agrégats refusent en français un indicateur, un territoire ou une période inconnus', async () => {
    const unknown = await aggregates('inconnu/agregats');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().detail, /Aucun indicateur ne porte le code « inconnu »/);
    assert.equal((await aggregates('etp/agregats?region=99')).statusCode, 404);
    const period = await aggregates('etp/agregats?periode_debut=2025-T7');
    assert.equal(period.statusCode, 400);
    assert.equal(period.json().errors[0].champ, 'periode_debut');
    assert.equal((await aggregates('etp/agregats?par=galaxie')).statusCode, 400);
  });

  test('un indicateur d’appel est défini par l’équipe d’instruction et validé par elle seule ; un réseau définit le sien', async () => {
    const definition = { code: 'repas_servis', libelle: 'Repas servis', type: 'entier', unite: 'repas', appel_id: appel };
    assert.equal((await postJson(stranger, '/api/v1/indicateurs', definition)).statusCode, 403);
    const created = await postJson(instructor, '/api/v1/indicateurs', definition);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().porteur, 'appel');
    const again = await postJson(instructor, '/api/v1/indicateurs', definition);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().errors[0].champ, 'code');
    const network = await postJson(adminParc, '/api/v1/indicateurs', {
      code: 'surface_partagee',
      libelle: 'Surface partagée',
      type: 'decimal',
      unite: 'm²',
      reseau_id: parcDuCanal,
    });
    assert.equal(network.statusCode, 201, network.body);
    assert.equal(
      (await postJson(adminParc, '/api/v1/indicateurs', { code: 'autre', libelle: 'Autre', type: 'entier', unite: 'x', reseau_id: poleSud })).statusCode,
      403,
    );

    const entry = (await enter(adminPoleSud, poleSud, { indicateur: 'repas_servis', periode: '2025-T1', valeur: 1200 })).json();
    assert.equal((await decideForm(moderator84, entry.id, { decision: 'valider' })).statusCode, 403);
    assert.doesNotMatch((await moderator84.client.get('/indicateurs/validation')).body, /Repas servis/);
    assert.match((await instructor.client.get('/indicateurs/validation')).body, /Repas servis/);
    assert.equal((await decideForm(instructor, entry.id, { decision: 'valider' })).statusCode, 303);
    const published = (await aggregates('repas_servis/agregats?periode_fin=2025')).json();
    assert.deepEqual(published.resultats, [{ periode: '2025-T1', groupe: null, valeur: 1200, cooperations: 1 }]);
    const audit = await checkedRows(
      t.database.db,
      z.object({ action: z.string() }),
      sql`select action from audit_log where action like 'indicateur.%' order by id`,
    );
    assert.ok(audit.some((r) => r.action === 'indicateur.create') && audit.some((r) => r.action === 'indicateur.validate'));
  });

  test('le formulaire de la page saisit une valeur et montre les erreurs à côté de leur champ', async () => {
    const page = await adminPoleSud.client.get(`/cooperations/${poleSud}/indicateurs`);
    assert.match(page.body, /<h2>Saisir une valeur<\/h2>/);
    const refused = await adminPoleSud.client.post(`/cooperations/${poleSud}/indicateurs`, {
      _csrf: adminPoleSud.csrf,
      indicateur: 'membres',
      periode: '2025',
      valeur: '7,5',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /aria-invalid="true"/);
    assert.match(refused.body, /« Membres » attend un nombre entier/);
    const saved = await adminPoleSud.client.post(`/cooperations/${poleSud}/indicateurs`, {
      _csrf: adminPoleSud.csrf,
      indicateur: 'membres',
      periode: '2025',
      valeur: '7',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal((await t.app.inject({ method: 'GET', url: `/cooperations/${stranger.id + 999999}/indicateurs` })).statusCode, 404);
  });

  test('l’OpenAPI documente les routes et l’exemple de chaque corps JSON est accepté', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/indicateurs',
      '/api/v1/indicateurs/{code}/agregats',
      '/api/v1/cooperations/{id}/indicateurs',
      '/api/v1/cooperations/{id}/diagnostic-ptce',
    ])
      assert.ok(doc.paths[path], path);
    const example = doc.paths['/api/v1/cooperations/{id}/indicateurs'].post.requestBody.content['application/json'].schema.example;
    assert.equal((await enter(adminPoleSud, poleSud, example)).statusCode, 201);
    const definition = doc.paths['/api/v1/indicateurs'].post.requestBody.content['application/json'].schema.example;
    const platformAdmin = await signedInAs(t.app, t.database.db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    const created = await postJson(platformAdmin, '/api/v1/indicateurs', definition);
    assert.equal(created.statusCode, 201, created.body);
  });
});
