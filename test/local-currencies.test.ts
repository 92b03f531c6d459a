/**
 * Local complementary currencies: the reference list kept by moderation (the demo holds none), an organisation's
 * acceptance set by its admins (API and page form), shown on its page and found by the Atlas filter `monnaie_locale`
 * (API, search page, a cooperation through its members), with a French 400 for an unknown currency.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { datasetBatches } from '../src/features/open-data/datasets.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';

describe('Monnaies locales complémentaires', () => {
  let t: TestApp;
  let accepting: { id: number; siret: string };
  let other: { id: number };
  let cooperation: number;
  let moderator: TestAccount;
  let admin: TestAccount;
  let contributor: TestAccount;
  const send = (who: TestAccount, url: string, body: unknown) => who.client.postJson(url, body, { 'x-csrf-token': who.csrf });
  const accepted = async (id: number) =>
    (
      await rows<{ slug: string }>(
        t.database.db,
        sql`select m.slug from organisation_monnaie_locale a join monnaie_locale m on m.id = a.monnaie_locale_id where a.organisation_id = ${id} order by 1`,
      )
    ).map((r) => r.slug);
  const found = async (query: string) => {
    const response = await t.app.inject(`/api/v1/organisations?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    return (response.json().resultats as { id: number }[]).map((r) => r.id);
  };

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    const insert = (siret: string, name: string) =>
      firstRow<{ id: number; siret: string }>(
        db,
        sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
        values (${siret}, ${siret.slice(0, 9)}, ${name}, '26281', '26', '84', 'ess_de_droit') returning id::int as id, siret`,
      );
    accepting = (await insert('10000004200008', 'Épicerie des Monts'))!;
    other = (await insert('10000005900002', 'Librairie des Monts'))!;
    cooperation = (await firstRow<{ id: number }>(
      db,
      sql`insert into cooperation (name, modele, commune_code, departement_code, region_code) values ('Pôle des Monts', 'PTCE', '26281', '26', '84') returning id::int as id`,
    ))!.id;
    await db.execute(
      sql`insert into cooperation_member (cooperation_id, organisation_id, name, role) values (${cooperation}, ${accepting.id}, 'Épicerie des Monts', 'entreprise_ess')`,
    );
    moderator = await signedInAs(t.app, db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    admin = await signedInAs(t.app, db, [{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: accepting.siret }]);
    contributor = await signedInAs(t.app, db);
  });
  after(() => t.close());

  test('la démo ne compte aucune monnaie inventée ; la modération en ajoute une, un nom repris est refusé (409), un contributeur ne peut pas (403)', async () => {
    assert.deepEqual((await t.app.inject('/api/v1/monnaies-locales')).json(), { monnaies: [] });
    const created = await send(moderator, '/api/v1/monnaies-locales', { nom: 'La Pêche des Monts', territoire: 'Pays des Monts (Drôme)' });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json(), { slug: 'la-peche-des-monts', nom: 'La Pêche des Monts', territoire: 'Pays des Monts (Drôme)', site_web: null });
    assert.equal((await send(moderator, '/api/v1/monnaies-locales', { nom: 'La Pêche des Monts', territoire: 'Ailleurs' })).statusCode, 409);
    assert.equal((await send(contributor, '/api/v1/monnaies-locales', { nom: 'Autre', territoire: 'Ailleurs' })).statusCode, 403);
    const bad = await send(moderator, '/api/v1/monnaies-locales', { nom: '', territoire: 'Ailleurs', site_web: 'ftp://x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /indiquez le nom de la monnaie locale/);
    // The page form of moderation.
    const page = await moderator.client.get('/monnaies-locales');
    assert.match(page.body, /Ajouter une monnaie locale/);
    const posted = await moderator.client.post('/monnaies-locales', {
      _csrf: moderator.csrf,
      nom: 'Le Sou des Vallées',
      territoire: 'Vallées (Drôme)',
      site_web: '',
    });
    assert.equal(posted.statusCode, 200, posted.body);
    assert.match(posted.body, /La monnaie « Le Sou des Vallées » est ajoutée \(identifiant le-sou-des-vallees\)/);
    assert.doesNotMatch((await contributor.client.get('/monnaies-locales')).body, /Ajouter une monnaie locale/);
  });

  test('l’administrateur de la structure indique les monnaies acceptées ; une monnaie inconnue : 400 en français, rien d’écrit', async () => {
    const url = `/api/v1/organisations/${accepting.id}/monnaies-locales`;
    const refused = await send(admin, url, { monnaies: ['la-peche-des-monts', 'le-florain'] });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Monnaie locale inconnue : le-florain/);
    assert.match(refused.body, /monnaies\.1/);
    assert.deepEqual(await accepted(accepting.id), []);
    assert.equal((await send(contributor, url, { monnaies: ['la-peche-des-monts'] })).statusCode, 403);
    const ok = await send(admin, url, { monnaies: ['la-peche-des-monts'] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(
      ok.json().monnaies.map((m: { slug: string }) => m.slug),
      ['la-peche-des-monts'],
    );
    const audit = await rows(
      t.database.db,
      sql`select 1 from audit_log where action = 'organisation.monnaies_locales' and object_id = ${String(accepting.id)}`,
    );
    assert.equal(audit.length, 1);
  });

  test('filtre monnaie_locale de l’Atlas : API (structures, coopérations par leurs membres), réponse renouvelée après un changement, 400 pour une monnaie inconnue', async () => {
    assert.deepEqual(await found('monnaie_locale=la-peche-des-monts'), [accepting.id]);
    const cooperations = (await t.app.inject('/api/v1/cooperations?monnaie_locale=la-peche-des-monts')).json().resultats.map((r: { id: number }) => r.id);
    assert.deepEqual(cooperations, [cooperation]);
    // The answer kept in memory is renewed by the next acceptance.
    await send(admin, `/api/v1/organisations/${accepting.id}/monnaies-locales`, { monnaies: ['le-sou-des-vallees'] });
    assert.deepEqual(await found('monnaie_locale=la-peche-des-monts'), []);
    assert.deepEqual(await found('monnaie_locale=le-sou-des-vallees'), [accepting.id]);
    assert.ok(!(await found('monnaie_locale=le-sou-des-vallees')).includes(other.id));
    const unknown = await t.app.inject('/api/v1/organisations?monnaie_locale=le-florain');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.headers['content-type'] as string, /problem\+json/);
    assert.match(unknown.body, /Monnaie locale inconnue : le-florain/);
    assert.equal((await t.app.inject('/api/v1/organisations?monnaie_locale=Pas%20un%20identifiant')).statusCode, 400);
    const openapi = (await t.app.inject('/api/openapi.json')).json();
    const parameter = openapi.paths['/api/v1/organisations'].get.parameters.find((p: { name: string }) => p.name === 'monnaie_locale');
    assert.ok(parameter, 'le filtre est documenté');
    assert.match(parameter.description, /monnaie locale/);
  });

  test('pages : la fiche montre les monnaies acceptées, le formulaire de l’administrateur, la recherche filtrée', async () => {
    const page = (await admin.client.get(`/organisations/${accepting.id}`)).body;
    assert.match(
      page,
      /<h2>Monnaies locales acceptées<\/h2>\s*<ul><li><a href="\/recherche\?type=organisations&amp;monnaie_locale=le-sou-des-vallees">Le Sou des Vallées<\/a> — Vallées \(Drôme\)/,
    );
    assert.match(page, new RegExp(`href="/organisations/${accepting.id}/monnaies-locales"`));
    assert.doesNotMatch((await contributor.client.get(`/organisations/${accepting.id}`)).body, /Indiquer les monnaies locales acceptées/);
    assert.match((await t.app.inject(`/organisations/${other.id}`)).body, /Aucune monnaie locale déclarée/);

    const form = await admin.client.get(`/organisations/${accepting.id}/monnaies-locales`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="le-sou-des-vallees"\s+checked/);
    assert.equal((await contributor.client.get(`/organisations/${accepting.id}/monnaies-locales`)).statusCode, 403);
    const saved = await admin.client.post(`/organisations/${accepting.id}/monnaies-locales`, { _csrf: admin.csrf, monnaies: 'la-peche-des-monts' });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(await accepted(accepting.id), ['la-peche-des-monts']);
    const forged = await admin.client.post(`/organisations/${accepting.id}/monnaies-locales`, { _csrf: admin.csrf, monnaies: 'le-florain' });
    assert.equal(forged.statusCode, 400);
    assert.match(forged.body, /id="monnaies-erreur">Monnaie locale inconnue : le-florain/);
    assert.deepEqual(await accepted(accepting.id), ['la-peche-des-monts']);

    const search = (await t.app.inject('/recherche?type=organisations&monnaie_locale=la-peche-des-monts')).body;
    assert.match(search, />1 structure</);
    assert.match(search, /Monnaie locale acceptée : La Pêche des Monts/);
    assert.match(search, new RegExp(`href="/organisations/${accepting.id}"`));
  });

  test('le jeu de données ouvertes des structures dit les monnaies acceptées', async () => {
    const all = [];
    for await (const batch of datasetBatches(t.database.db, 'organisations')) all.push(...batch);
    assert.equal(all.find((row) => row.id === accepting.id)?.monnaies_locales, 'la-peche-des-monts');
    assert.equal(all.find((row) => row.id === other.id)?.monnaies_locales, null);
  });

  test('l’API d’une structure liste les monnaies acceptées (slug et nom, par nom), documentées dans OpenAPI', async () => {
    await send(admin, `/api/v1/organisations/${accepting.id}/monnaies-locales`, { monnaies: ['le-sou-des-vallees', 'la-peche-des-monts'] });
    const detail = await t.app.inject(`/api/v1/organisations/${accepting.id}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(detail.json().monnaies_locales, [
      { slug: 'la-peche-des-monts', nom: 'La Pêche des Monts' },
      { slug: 'le-sou-des-vallees', nom: 'Le Sou des Vallées' },
    ]);
    assert.deepEqual((await t.app.inject(`/api/v1/organisations/${other.id}`)).json().monnaies_locales, []);
    const openapi = (await t.app.inject('/api/openapi.json')).json();
    const response = openapi.paths['/api/v1/organisations/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(response.properties.monnaies_locales.items.properties), ['slug', 'nom']);
    assert.ok(response.required.includes('monnaies_locales'));
  });
});
