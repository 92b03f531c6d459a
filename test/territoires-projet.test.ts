import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { saveTerritoireProjet, slugify } from '../src/features/territories/projets.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs } from './support/accounts.ts';

describe(`Territoires de projet`, () => {
  let t: TestApp;
  let index: TerritoryIndex;
  before(async () => {
    t = await buildTestApp();
    index = await loadTerritoryIndex(t.database.db);
  });
  after(() => t.close());

  test('un territoire de projet fait de communes filtre tout ce qui s’y trouve', async () => {
    // Romans-sur-Isère (26281) hosts the demo's Pôle Sud Archer; Valence (26362) hosts nothing of the demo.
    const saved = await saveTerritoireProjet(t.database.db, index, {
      name: 'Territoire d’essai Drôme des collines',
      kind: 'pays',
      communes: ['26281', '26362'],
      source: 'test',
    });
    assert.equal(saved.slug, 'territoire-d-essai-drome-des-collines');
    const search = (await t.app.inject(`/api/v1/cooperations?territoire=${saved.slug}`)).json();
    assert.deepEqual(
      search.resultats.map((r: { nom: string }) => r.nom),
      ['Pôle Sud Archer'],
    );
    const page = (await t.app.inject(`/api/v1/territoires/projet/${saved.slug}`)).json();
    assert.equal(page.nom, 'Territoire d’essai Drôme des collines');
    assert.equal(page.cooperations.total, 1);
    assert.deepEqual(
      page.sous_territoires.map((s: { code: string; cooperations: number }) => [s.code, s.cooperations]),
      [
        ['26281', 1],
        ['26362', 0],
      ],
    );
  });

  test('un EPCI ajoute toutes ses communes', async () => {
    const saved = await saveTerritoireProjet(t.database.db, index, { name: 'Essai Valence Romans', kind: 'bassin_de_vie', epcis: ['200068781'] });
    const expected = [...index.communes.values()].filter((c) => c.epciCode === '200068781' && !c.parentCode).length;
    assert.equal(saved.communes, expected);
  });

  test('une commune inconnue est refusée et rien n’est écrit', async () => {
    await assert.rejects(
      saveTerritoireProjet(t.database.db, index, { name: 'Essai invalide', kind: 'pays', communes: ['26281', '99999'] }),
      /Communes inconnues du COG : 99999/,
    );
    const row = await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from territoire_projet where slug = ${slugify('Essai invalide')}`);
    assert.equal(row!.n, 0);
    await assert.rejects(saveTerritoireProjet(t.database.db, index, { name: 'Essai', kind: 'canton' as never, communes: ['26281'] }), /kind/);
    const unknown = await t.app.inject('/api/v1/cooperations?territoire=inexistant');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().detail, /Territoire de projet inconnu/);
  });

  test('la page d’un territoire (de projet comme administratif) donne les dispositifs disponibles et les besoins non couverts', async () => {
    const saved = await saveTerritoireProjet(t.database.db, index, { name: 'Essai dispositifs Romans', kind: 'pays', communes: ['26281'] });
    const projet = (await t.app.inject(`/api/v1/territoires/projet/${saved.slug}`)).json();
    const commune = (await t.app.inject('/api/v1/territoires/commune/26281')).json();
    assert.ok(projet.dispositifs_disponibles > 0, 'des dispositifs nationaux au moins');
    assert.equal(projet.dispositifs_disponibles, commune.dispositifs_disponibles, 'un territoire d’une commune = cette commune');
    assert.deepEqual(projet.dispositifs, commune.dispositifs);
    assert.deepEqual(projet.besoins_non_couverts, commune.besoins_non_couverts);
    assert.deepEqual(
      projet.besoins_non_couverts.map((s: { stade: string }) => s.stade),
      ['emergence', 'creation', 'consolidation', 'changement_echelle'],
    );
    const catalogue = (await t.app.inject('/api/v1/dispositifs?commune=26281&par_page=1')).json();
    assert.equal(commune.dispositifs_disponibles, catalogue.total, 'le catalogue compte les mêmes');

    // Without any active scheme, every need of every stage is uncovered.
    const closed = await rows<{ id: number }>(t.database.db, sql`update dispositif set statut = 'clos' where statut = 'actif' returning id::int as id`);
    const page = await t.app.inject(`/territoires/projet/${saved.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="dispositifs">Dispositifs disponibles<\/h2>\s*<p>Aucun dispositif actif du catalogue n’agit sur ce territoire\.<\/p>/);
    assert.match(page.body, /<h2>Besoins sans dispositif ici<\/h2>/);
    assert.match(page.body, /<h3>Émergence<\/h3>\s*<ul><li>/);
    await t.database.db.execute(sql`update dispositif set statut = 'actif' where id = any(${`{${closed.map((c) => c.id).join(',')}}`}::bigint[])`);
  });

  test('proposer un territoire de projet sur le site : erreurs en phrases, file de la région de ses communes, acceptation, liste /territoires', async () => {
    const author = await signedInAs(t.app, t.database.db, [], { displayName: 'Sacha Contributeur' });
    const moderator84 = await signedInAs(t.app, t.database.db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    const moderator53 = await signedInAs(t.app, t.database.db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '53' }]);
    const index = await t.app.inject('/territoires');
    assert.match(index.body, /href="\/territoires\/proposer">Proposer un territoire de projet<\/a>/);
    assert.equal((await author.client.get('/territoires/proposer')).statusCode, 200);

    const refused = await author.client.post('/territoires/proposer', {
      _csrf: author.csrf,
      nom: 'Pays des Collines',
      type: 'canton',
      communes: '26281, 99999',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Choisissez le type de territoire de projet dans la liste proposée\./);
    assert.match(refused.body, /Ces codes ne sont pas des communes du Code officiel géographique : 99999\./);
    assert.doesNotMatch(refused.body, /Option invalide|une valeur parmi/);
    const empty = await author.client.post('/territoires/proposer', { _csrf: author.csrf, nom: 'Pays des Collines', type: 'pays' });
    assert.match(empty.body, /Indiquez au moins une commune ou un EPCI du territoire\./);

    const sent = await author.client.post('/territoires/proposer', {
      _csrf: author.csrf,
      nom: 'Pays des Collines',
      type: 'pays',
      communes: '26281 26362',
      epcis: '200068781',
      source: 'Délibération du 3 mars',
    });
    assert.equal(sent.statusCode, 200);
    const id = Number(/proposition n° (\d+)/.exec(sent.body)?.[1]);
    assert.ok(id > 0);
    assert.equal(
      (await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from territoire_projet where name = 'Pays des Collines'`))!.n,
      0,
      'rien n’est publié avant la modération',
    );
    assert.match((await moderator84.client.get('/moderation')).body, /Pays des Collines/);
    assert.doesNotMatch((await moderator53.client.get('/moderation')).body, /Pays des Collines/);
    assert.equal((await moderator53.client.get(`/moderation/territoires-projet/${id}`)).statusCode, 403);
    assert.equal((await moderator53.client.post(`/moderation/territoires-projet/${id}/accepter`, { _csrf: moderator53.csrf })).statusCode, 403);
    const decision = await moderator84.client.get(`/moderation/territoires-projet/${id}`);
    assert.match(decision.body, /Romans-sur-Isère \(26281\)/);
    const noReason = await moderator84.client.post(`/moderation/territoires-projet/${id}/refuser`, { _csrf: moderator84.csrf, motif: ' ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Indiquez le motif du refus/);

    const accepted = await moderator84.client.post(`/moderation/territoires-projet/${id}/accepter`, { _csrf: moderator84.csrf });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/moderation?fait=projet_accepte');
    const told = await firstRow<{ subject: string; text: string }>(
      t.database.db,
      sql`select payload->>'subject' as subject, payload->>'text' as text from job where kind = 'mail.send' and payload->>'to' = ${author.email}`,
    );
    assert.equal(told?.subject, 'Maillage : votre contribution est publiée', 'l’auteur est averti de la décision');
    assert.match(told.text, /Pays des Collines[\s\S]*\/territoires\/projet\/pays-des-collines/);
    const again = await moderator84.client.post(`/moderation/territoires-projet/${id}/accepter`, { _csrf: moderator84.csrf });
    assert.equal(again.statusCode, 409, 'une décision est définitive');
    const list = await t.app.inject('/territoires');
    assert.match(list.body, /<a href="\/territoires\/projet\/pays-des-collines">Pays des Collines<\/a> — Pays, \d+ communes/);
    const api = (await t.app.inject('/api/v1/territoires/projet/pays-des-collines')).json();
    assert.ok(api.sous_territoires.length >= 2);

    const taken = await author.client.post('/territoires/proposer', { _csrf: author.csrf, nom: 'Pays des collines', type: 'pnr', communes: '26281' });
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /Un territoire de projet porte déjà ce nom/);
  });
});
