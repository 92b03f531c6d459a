/** The generic CSV import (column mapping) on the real databases. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { ImportInputError } from '../src/features/import/errors.ts';
import { importCsv, parseColumnMapping } from '../src/features/import/generic-csv.ts';
import { importSirene } from '../src/features/import/sirene.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'sirene');

const MAPPING = 'siret=SIRET, name=Raison sociale, commune_code=Code INSEE, naf_code=NAF, website=Site web';

/** A French spreadsheet export: BOM, `;`, CRLF. */
const FRENCH_CSV = `\uFEFF${[
  'SIRET;Raison sociale;Code INSEE;NAF;Site web',
  '840 123 459 00017;Jardin du cloître;75104;9499Z;https://jardin.example',
  '84012345900018;Mauvaise clé;75104;;',
  '84056789500015;Ressourcerie;99999;;',
  '84099999;trop court',
  '84023456100016;Ateliers du port;1004;1623Z;',
  '84012345900025;;69381;;',
  '84034567200017;Négoce;35238;XX;',
  '84045678400015;Atelier;35238;;jardin.example',
  '84045678400015;Atelier (doublon);35238;;',
].join('\r\n')}\r\n`;

test('--colonnes : lecture et erreurs claires', () => {
  assert.deepEqual(parseColumnMapping('siret=SIRET,name=Nom,commune_code=Code INSEE'), { siret: 'SIRET', name: 'Nom', commune_code: 'Code INSEE' });
  assert.throws(() => parseColumnMapping('siret=SIRET,nom=Nom'), /Champ inconnu dans --colonnes : nom/);
  assert.throws(() => parseColumnMapping('name=Nom'), /--colonnes doit indiquer la colonne de : siret/);
  assert.throws(() => parseColumnMapping('siret=SIRET,name=Nom,latitude=Lat'), /latitude et longitude ensemble/);
  assert.throws(() => parseColumnMapping('siret'), ImportInputError);
});

describe(`import CSV générique`, () => {
  let database: TestDatabase;
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const organisations = () =>
    rows<{
      siret: string;
      name: string;
      commune_code: string | null;
      naf_code: string | null;
      secteur: string | null;
      website: string | null;
      legal_form: string | null;
      latitude: number | null;
      source: string;
    }>(database.db, sql`select * from organisation order by siret`);

  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-csv-'));
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from organisation`);
    await database.db.execute(sql`delete from import_run`);
  });

  test('séparateur et BOM détectés, champs vérifiés, rejets motivés', async () => {
    const reportPath = join(dir, 'rejets.csv');
    const summary = await importCsv(database, { file: file('structures.csv', FRENCH_CSV), mapping: parseColumnMapping(MAPPING), reportPath });
    assert.deepEqual([summary.counts.read, summary.counts.inserted, summary.counts.rejected], [9, 3, 6]);
    const [jardin, ateliers, atelier] = await organisations();
    assert.deepEqual(
      [jardin?.siret, jardin?.name, jardin?.naf_code, jardin?.secteur, jardin?.website],
      ['84012345900017', 'Jardin du cloître', '94.99Z', 'vie_associative_services', 'https://jardin.example'],
    );
    assert.equal(ateliers?.commune_code, '01004', 'zéro initial rétabli');
    assert.equal(atelier?.name, 'Atelier (doublon)', 'la dernière ligne du même SIRET l’emporte');
    assert.equal(jardin?.source, 'Import CSV : structures.csv');
    const report = readFileSync(reportPath, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(';').slice(1).join(' | '));
    assert.deepEqual(report, [
      '3 | 84012345900018 | SIRET invalide (clé de contrôle)',
      '4 | 84056789500015 | commune inconnue du COG : 99999',
      '5 |  | ligne mal formée : 2 colonnes au lieu de 5',
      '7 | 84012345900025 | nom absent',
      '8 | 84034567200017 | code NAF invalide : XX',
      '9 | 84045678400015 | site web (http:// ou https:// attendu) invalide : jardin.example',
    ]);
  });

  test('une mise à jour ne touche que les colonnes du fichier', async () => {
    await importSirene(database, {
      etablissements: join(fixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(fixtures, 'StockUniteLegale_utf8.csv'),
      reportPath: join(dir, 'rejets-sirene.csv'),
    });
    const summary = await importCsv(database, {
      file: file('noms.csv', 'siret,nom\n84012345900017,Nouveau nom du jardin\n'),
      mapping: parseColumnMapping('siret=siret,name=nom'),
      reportPath: join(dir, 'rejets-noms.csv'),
    });
    assert.deepEqual([summary.counts.inserted, summary.counts.written, summary.counts.unchanged], [0, 1, 0]);
    const jardin = (await organisations()).find((o) => o.siret === '84012345900017')!;
    assert.equal(jardin.name, 'Nouveau nom du jardin');
    assert.equal(jardin.legal_form, '9220', 'forme juridique gardée');
    assert.ok(jardin.latitude !== null, 'coordonnées gardées');
    assert.equal(jardin.naf_code, '94.99Z');
  });

  test('coordonnées : virgule décimale acceptée, hors bornes refusées', async () => {
    const reportPath = join(dir, 'rejets-coordonnees.csv');
    const summary = await importCsv(database, {
      file: file('coordonnees.csv', 'siret;nom;lat;lon\n84012345900017;A;48,8530;2,3499\n84023456100016;B;95;2\n'),
      mapping: parseColumnMapping('siret=siret,name=nom,latitude=lat,longitude=lon'),
      reportPath,
    });
    assert.deepEqual([summary.counts.inserted, summary.counts.rejected], [1, 1]);
    assert.equal((await organisations())[0]?.latitude, 48.853);
    assert.match(readFileSync(reportPath, 'utf8'), /coordonnées invalides : 95 ; 2/);
  });

  test('fichier en Windows-1252 : refusé avec la marche à suivre', async () => {
    const path = join(dir, 'latin1.csv');
    writeFileSync(path, Buffer.from('SIRET;Raison sociale\n84012345900017;Épicerie solidaire\n', 'latin1'));
    await assert.rejects(
      importCsv(database, { file: path, mapping: parseColumnMapping('siret=SIRET,name=Raison sociale'), reportPath: join(dir, 'l.csv') }),
      (error: unknown) => error instanceof ImportInputError && /n'est pas encodé en UTF-8.*CSV UTF-8/s.test(error.message),
    );
  });

  test('colonne absente du fichier : message clair, rien d’écrit', async () => {
    await assert.rejects(
      importCsv(database, {
        file: file('x.csv', 'siret;nom\n'),
        mapping: parseColumnMapping('siret=siret,name=Raison sociale'),
        reportPath: join(dir, 'x.csv.rejets'),
      }),
      (error: unknown) => error instanceof ImportInputError && /Colonne absente du fichier : Raison sociale/.test(error.message),
    );
    assert.equal((await rows(database.db, sql`select 1 from import_run`)).length, 0);
  });
});
