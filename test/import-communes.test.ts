/** Commune centres (geo.api.gouv.fr JSON or CSV) and the organisations placed at them, on the real databases. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { importCommuneCentres } from '../src/features/import/communes.ts';
import { importSirene } from '../src/features/import/sirene.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'sirene');

const GEO_API_JSON = JSON.stringify([
  { code: '75056', nom: 'Paris', centre: { type: 'Point', coordinates: [2.3483, 48.8534] } },
  { code: '69123', nom: 'Lyon', centre: { type: 'Point', coordinates: [4.835, 45.758] } },
  { code: '35238', nom: 'Rennes', centre: { type: 'Point', coordinates: [-1.68, 48.112] } },
  { code: '99999', nom: 'Nulle part', centre: { type: 'Point', coordinates: [0, 0] } },
  { code: '97105', nom: 'Basse-Terre' },
]);

const COMMUNES_CSV = [
  'code_commune_INSEE,nom_commune_postal,code_postal,latitude,longitude',
  '01004,AMBERIEU EN BUGEY,01500,45.9608,5.3729',
  '01004,AMBERIEU EN BUGEY,01501,45.9608,5.3729',
  '1005,AMBERIEUX EN DOMBES,01330,45.9994,4.9123',
  '01006,AMBLEON,01300,north,5.6',
].join('\n');

describe(`import des centres de communes`, () => {
  let database: TestDatabase;
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const position = (siret: string) =>
    firstRow<{ latitude: number | null; longitude: number | null }>(database.db, sql`select latitude, longitude from organisation where siret = ${siret}`);

  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-communes-'));
    await importSirene(database, {
      etablissements: join(fixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(fixtures, 'StockUniteLegale_utf8.csv'),
      keepAll: true,
      reportPath: join(dir, 'rejets-sirene.csv'),
    });
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('JSON geo.api.gouv.fr : centres chargés, arrondissements et organisations sans coordonnées placés', async () => {
    const reportPath = join(dir, 'rejets-communes.csv');
    const paris = await position('84012345900017');
    const summary = await importCommuneCentres(database, { file: file('communes.json', GEO_API_JSON), reportPath });
    assert.deepEqual([summary.read, summary.communesUpdated, summary.rejected], [5, 3, 2]);
    assert.equal(summary.arrondissementsFromParent, 29, '20 arrondissements de Paris et 9 de Lyon');
    // Lyon 1er ([ND] coordinates) and the two Rennes establishments.
    assert.equal(summary.organisationsPlaced, 3);
    assert.deepEqual(await position('84012345900025'), { latitude: 45.758, longitude: 4.835 });
    assert.deepEqual(await position('84034567200017'), { latitude: 48.112, longitude: -1.68 });
    assert.deepEqual(await position('84012345900017'), paris, 'les coordonnées SIRENE ne sont pas remplacées');
    assert.deepEqual(readFileSync(reportPath, 'utf8').trim().split('\r\n').slice(1), [
      'communes.json;4;;commune inconnue du COG : 99999',
      'communes.json;5;;coordonnées invalides',
    ]);
  });

  test('une réimportation SIRENE garde le centre de commune faute de coordonnées', async () => {
    const summary = await importSirene(database, {
      etablissements: join(fixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(fixtures, 'StockUniteLegale_utf8.csv'),
      keepAll: true,
      reportPath: join(dir, 'rejets-sirene.csv'),
    });
    assert.equal(summary.counts.unchanged, 6);
    assert.deepEqual(await position('84012345900025'), { latitude: 45.758, longitude: 4.835 });
  });

  test('un premier chargement dans une table vide place aussi au centre de leur commune les structures sans coordonnées', async () => {
    await database.db.execute(sql`truncate organisation cascade`);
    const summary = await importSirene(database, {
      etablissements: join(fixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(fixtures, 'StockUniteLegale_utf8.csv'),
      keepAll: true,
      reportPath: join(dir, 'rejets-sirene-2.csv'),
    });
    assert.equal(summary.counts.inserted, 6);
    assert.deepEqual(await position('84012345900025'), { latitude: 45.758, longitude: 4.835 });
    const lyon = await firstRow<{ departement_code: string; region_code: string }>(
      database.db,
      sql`select departement_code, region_code from organisation where siret = '84012345900025'`,
    );
    assert.deepEqual(lyon, { departement_code: '69', region_code: '84' });
  });

  test('CSV : une ligne par code postal, zéro initial rétabli, coordonnées vérifiées', async () => {
    const summary = await importCommuneCentres(database, { file: file('communes.csv', COMMUNES_CSV), reportPath: join(dir, 'r.csv') });
    assert.deepEqual([summary.read, summary.communesUpdated, summary.rejected], [4, 2, 1]);
    const centre = await firstRow<{ latitude: number }>(database.db, sql`select latitude from commune where code = '01005'`);
    assert.equal(centre?.latitude, 45.9994);
  });
});
