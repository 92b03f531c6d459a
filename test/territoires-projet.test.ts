import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { saveTerritoireProjet, slugify } from '../src/features/territories/projets.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

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
});
