/**
 * The search engine on rows written by the SIRENE import, not by the demo loader: for every text × territory
 * pair at every level (région, département, EPCI, commune with or without arrondissements, territoire de
 * projet), the engine's total equals a plain reference query — the word found in the name by a regular
 * expression, the territory read from the commune in the COG — which shares nothing with the engine (no
 * tsvector, no GIN index, no territory code copied on the row). Checked right after the import (the GIN
 * index's fresh entries still in its pending list, no statistics) and again after VACUUM ANALYZE.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { build } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { checkedRows, firstRow, openDatabase, rows } from '../src/db/database.ts';
import { luhnValid } from '../src/domain/siret.ts';
import { importSirene } from '../src/features/import/sirene.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { validSiret } from './support/siret.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'sirene');
const header = (file: string) => readFileSync(join(fixtures, file), 'utf8').split(/\r?\n/, 1)[0]!.split(',');

/** Words of the names, written as SIRENE writes them; no two share a French stem, none is a stem of another. */
const WORDS = ['INSERTION', 'JARDINS', 'PHARES', 'RECYCLERIE', 'EPICERIE', 'SOLIDAIRE', 'MOBILITE', 'CULTURE', 'HABITAT', 'ENERGIE'];
const HEADS = ['ASSOCIATION', 'COLLECTIF', 'MAISON', 'ATELIER', 'RESEAU'];
const ESTABLISHMENTS = 3000;
const PROJET = 'pays-de-valence-essai';

/** A seeded generator (mulberry32): every run imports the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const csvLine = (columns: string[], values: Record<string, string>) => `${columns.map((c) => values[c] ?? '').join(',')}\n`;

/** The SIREN of number n: 8 digits and the Luhn key. */
function siren(n: number): string {
  const body = `9${String(n).padStart(7, '0')}`;
  return body + [...'0123456789'].find((key) => luhnValid(body + key))!;
}

/** The territories searched, at every level, with their condition on the COG's commune (alias c). */
const TERRITORIES: [param: string, code: string][] = [
  ['region', '84'],
  ['region', '53'],
  ['region', '11'],
  ['departement', '26'],
  ['departement', '07'],
  ['departement', '75'],
  ['departement', '29'],
  ['epci', '200068781'],
  ['epci', '242900314'],
  ['commune', '26362'],
  ['commune', '75056'],
  ['commune', '75111'],
  ['commune', '29019'],
  ['territoire', PROJET],
];

describe('recherche sur des fiches importées de SIRENE : texte × territoire à chaque niveau', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    t = await buildTestApp({ demo: false });
    dir = mkdtempSync(join(tmpdir(), 'maillage-search-import-'));
    // Communes of a few départements, Paris's arrondissements rather than Paris, as SIRENE locates establishments.
    const communes = await checkedRows(
      t.database.db,
      z.object({ code: z.string() }),
      sql`select code from commune where departement_code in ('26', '07', '38', '75', '29') and code <> '75056' order by code`,
    );
    // Valence and Brest are weighed like big cities, so that the commune filters find rows for every word.
    const weighted = [...communes.map((c) => c.code), ...Array.from({ length: 150 }, () => ['26362', '29019', '75111']).flat()];
    const next = random(2026);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const etablissementColumns = header('StockEtablissement_utf8.csv');
    const uniteColumns = header('StockUniteLegale_utf8.csv');
    const etablissements = [`${etablissementColumns.join(',')}\n`];
    const unites = [`${uniteColumns.join(',')}\n`];
    for (let i = 0; i < ESTABLISHMENTS; i++) {
      const unit = siren(i);
      const siret = validSiret(`${unit}0001`);
      unites.push(
        csvLine(uniteColumns, {
          siren: unit,
          statutDiffusionUniteLegale: 'O',
          etatAdministratifUniteLegale: 'A',
          denominationUniteLegale: `${pick(HEADS)} D'${pick(WORDS)} ET ${pick(WORDS)}`,
          categorieJuridiqueUniteLegale: '9220',
          economieSocialeSolidaireUniteLegale: 'O',
        }),
      );
      etablissements.push(
        csvLine(etablissementColumns, {
          siren: unit,
          nic: siret.slice(9),
          siret,
          statutDiffusionEtablissement: 'O',
          etatAdministratifEtablissement: 'A',
          codeCommuneEtablissement: pick(weighted),
          activitePrincipaleEtablissement: '88.99B',
          nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
        }),
      );
    }
    writeFileSync(join(dir, 'etablissements.csv'), etablissements.join(''));
    writeFileSync(join(dir, 'unites.csv'), unites.join(''));
    const summary = await importSirene(t.database, {
      etablissements: join(dir, 'etablissements.csv'),
      unitesLegales: join(dir, 'unites.csv'),
      reportPath: join(dir, 'rejets.csv'),
    });
    assert.equal(summary.counts.inserted, ESTABLISHMENTS);
    // A territoire de projet: the communes of Valence Romans Agglo in the Drôme.
    await t.database.db.execute(sql`with projet as (
        insert into territoire_projet (slug, name, kind) values (${PROJET}, 'Pays de Valence (essai)', 'pays') returning id)
      insert into territoire_projet_commune (territoire_projet_id, commune_code)
        select projet.id, c.code from projet, commune c where c.epci_code = '200068781'`);
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The app that answers: the test app, or one whose connections may not scan the table (see the last pass). */
  let app = () => t.app;
  const total = async (query: string) => {
    const response = await app().inject({ method: 'GET', url: `/api/v1/organisations?${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { total: number }).total;
  };

  /** How many imported names hold the word in the territory, by the COG's commune of each row. */
  const reference = async (word: string, param: string, code: string) => {
    const territory =
      param === 'commune'
        ? sql`(c.code = ${code} or c.parent_code = ${code})`
        : param === 'territoire'
          ? sql`c.code in (select commune_code from territoire_projet_commune tc join territoire_projet p on p.id = tc.territoire_projet_id where p.slug = ${code})`
          : sql`${sql.raw(`c.${param}_code`)} = ${code}`;
    const row = await firstRow<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from organisation o join commune c on c.code = o.commune_code
        where immutable_unaccent(lower(o.name)) ~ ${`\\m${word.toLowerCase()}\\M`} and ${territory}`,
    );
    return row!.n;
  };

  /** Every pair whose engine total differs from the reference, and how many pairs were compared. */
  async function differences(): Promise<{ compared: number; wrong: string[] }> {
    const wrong: string[] = [];
    let compared = 0;
    for (const word of WORDS) {
      for (const [param, code] of TERRITORIES) {
        const expected = await reference(word, param, code);
        // Nothing to find: the engine then tolerates typos, which a regular expression does not.
        if (expected === 0) continue;
        compared++;
        const found = await total(`q=${word.toLowerCase()}&${param}=${code}`);
        if (found !== expected) wrong.push(`q=${word.toLowerCase()}&${param}=${code} : ${found} au lieu de ${expected}`);
      }
    }
    return { compared, wrong };
  }

  test('juste après l’import', async () => {
    const { compared, wrong } = await differences();
    assert.deepEqual(wrong, []);
    assert.ok(compared >= WORDS.length * (TERRITORIES.length - 2), `${compared} paires comparées`);
  });

  test('après VACUUM ANALYZE (index tassé, statistiques à jour)', async () => {
    await t.database.db.execute(sql`vacuum analyze organisation`);
    // VACUUM writes no row: a new generation, so that the answers are computed again rather than kept ones.
    await t.database.db.execute(sql`update search_generation set generation = generation + 1`);
    const { compared, wrong } = await differences();
    assert.deepEqual(wrong, []);
    assert.ok(compared >= WORDS.length * (TERRITORIES.length - 2), `${compared} paires comparées`);
  });

  test('sans parcours séquentiel : le planificateur doit passer par les index (GIN des mots et des territoires)', async () => {
    // At this size the planner may read the whole table; with sequential scans off, every filter goes through
    // the GIN index of migration 0022 as it does at national scale.
    const database = await openDatabase({ url: `${t.database.url}?options=${encodeURIComponent('-c enable_seqscan=off')}`, poolSize: 2 });
    const indexed = await build({ config: loadConfig({ LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: './var/test' }), database });
    try {
      const plan = await rows<{ 'QUERY PLAN': string }>(
        database.db,
        sql`explain select count(*) from organisation t where t.departement_code = '26' and t.search_vector @@ websearch_to_tsquery('fr', 'insertion')`,
      );
      assert.match(plan.map((line) => line['QUERY PLAN']).join('\n'), /organisation_territory_search_idx/);
      app = () => indexed;
      const { compared, wrong } = await differences();
      assert.deepEqual(wrong, []);
      assert.ok(compared >= WORDS.length * (TERRITORIES.length - 2), `${compared} paires comparées`);
    } finally {
      app = () => t.app;
      await indexed.close();
      await database.close();
    }
  });

  test('les facettes d’une recherche comptent ce que trouve la recherche restreinte à chaque valeur', async () => {
    for (const word of ['insertion', 'jardins']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/organisations?q=${word}&region=84` });
      const facettes = (response.json() as { facettes: Record<string, { valeur: string; nombre: number }[]> }).facettes;
      assert.ok(facettes.departement!.length >= 2 && facettes.epci!.length >= 2, word);
      for (const level of ['departement', 'epci'] as const) {
        for (const { valeur, nombre } of facettes[level]!.slice(0, 5)) {
          assert.equal(await total(`q=${word}&${level}=${valeur}`), nombre, `q=${word}&${level}=${valeur}`);
        }
      }
    }
  });
});
