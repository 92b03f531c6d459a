/**
 * Open data: every public dataset has a valid Table Schema at a stable URL; the scheduled job writes the full
 * dumps (CSV and JSON, gzip) that the schema validator (test/support/table-schema.ts) accepts row by row, each
 * stating the Etalab 2.0 licence, listed with date and size on /donnees and /api/v1/donnees; the validator
 * refuses a file that breaks the schema; unknown datasets are a French 400; a dump asked before the job's first run is built then.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { OPEN_DATA_JOB } from '../src/features/open-data/dumps.ts';
import { runDueJobs } from '../src/platform/jobs/queue.ts';
import { signedInAs } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { depositedApplication, forceStatus, postForm, prepareCalls } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';
import { schemaErrors, validateCsv, validateJson, type TableSchema } from './support/table-schema.ts';

const DATASETS = ['cooperations', 'organisations', 'dispositifs', 'appels', 'subventions'] as const;
const TABLES: Record<(typeof DATASETS)[number], string> = {
  cooperations: 'select count(*)::int as n from cooperation',
  organisations: 'select count(*)::int as n from organisation',
  dispositifs: 'select count(*)::int as n from dispositif',
  appels: "select count(*)::int as n from appel where statut <> 'brouillon'",
  subventions: 'select 1 as n',
};

describe('Données ouvertes : schémas, fichiers complets, licence', () => {
  let t: TestApp;
  const db = () => t.database.db;
  const schemaOf = async (name: string) => (await t.app.inject(`/donnees/schemas/${name}.json`)).json() as TableSchema;

  before(async () => {
    t = await buildTestApp();
    // One awarded grant, so that the subventions dataset has a row (as in the SCDL export's test).
    const { amiId } = await prepareCalls(db());
    const instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const laureate = await depositedApplication(db(), amiId, await signedInAs(t.app, db()), 'Pôle « Drôme », "Vercors"');
    await forceStatus(db(), laureate, 'laureate');
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${laureate}/financement`, { debut: '2021-12-01' })).statusCode, 303);
    const siret = siretFrom(130_005_481);
    const org = await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name) values (${siret}, ${siret.slice(0, 9)}, 'DG Trésor') returning id::int as id`,
    );
    await db().execute(sql`update appel_organisateur set organisation_id = ${org!.id} where appel_id = ${amiId} and position = 1`);
  });
  after(() => t.close());

  test('chaque schéma est un Table Schema valide, à une adresse stable, sous licence Etalab 2.0', async () => {
    for (const name of DATASETS) {
      const response = await t.app.inject(`/donnees/schemas/${name}.json`);
      assert.equal(response.statusCode, 200, name);
      assert.match(response.headers['content-type'] as string, /^application\/schema\+json/);
      const schema = response.json() as TableSchema;
      assert.deepEqual(schemaErrors(schema), [], name);
      assert.equal(schema.path, `http://localhost:3000/donnees/schemas/${name}.json`);
      assert.deepEqual(
        (schema.licenses as { name: string }[]).map((l) => l.name),
        ['etalab-2.0'],
      );
    }
  });

  test('avant la première tâche : la page le dit, et la première demande produit le fichier', async () => {
    assert.match((await t.app.inject('/donnees')).body, /Pas encore produit : il le sera à la première demande/);
    const [first, second] = await Promise.all([t.app.inject('/donnees/appels.json.gz'), t.app.inject('/donnees/appels.csv.gz')]);
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    const [{ n }] = (await rows<{ n: number }>(db(), sql`select count(*)::int as n from open_data_dump where dataset = 'appels'`)) as [{ n: number }];
    assert.equal(n, 2, 'les deux formats du jeu, d’un même instantané');
  });

  test('la tâche planifiée écrit les fichiers complets, que le validateur accepte ligne à ligne, licence dans chaque fichier', async () => {
    const outcomes = await runDueJobs(db(), { [OPEN_DATA_JOB]: t.app.jobHandlers[OPEN_DATA_JOB]! }, new Date());
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done'],
    );
    for (const name of DATASETS) {
      const schema = await schemaOf(name);
      const [{ n: expected }] = (await rows<{ n: number }>(db(), sql.raw(TABLES[name]))) as [{ n: number }];
      const csvAnswer = await t.app.inject(`/donnees/${name}.csv.gz`);
      assert.equal(csvAnswer.statusCode, 200, name);
      assert.equal(csvAnswer.headers['content-type'], 'application/gzip');
      const csv = gunzipSync(csvAnswer.rawPayload).toString('utf8');
      assert.match(
        csv.split('\r\n')[0]!,
        /^# Licence Ouverte \/ Open Licence version 2\.0 \(Etalab\) https:\/\/www\.etalab\.gouv\.fr\/licence-ouverte-open-licence/,
      );
      assert.deepEqual(validateCsv(schema, csv, { commentChar: '#' }), [], `${name} (CSV)`);
      assert.equal(csv.trimEnd().split('\r\n').length - 2, expected, `${name} : toutes les lignes`);

      const json = JSON.parse(gunzipSync((await t.app.inject(`/donnees/${name}.json.gz`)).rawPayload).toString('utf8')) as {
        licence: { nom: string; url: string };
        schema: string;
        donnees: Record<string, unknown>[];
      };
      assert.equal(json.licence.url, 'https://www.etalab.gouv.fr/licence-ouverte-open-licence');
      assert.equal(json.schema, schema.path);
      assert.deepEqual(validateJson(schema, json.donnees), [], `${name} (JSON)`);
      assert.equal(json.donnees.length, expected);
    }
  });

  test('le validateur refuse un fichier qui ne suit pas le schéma (il peut échouer)', async () => {
    const schema = await schemaOf('cooperations');
    const csv = gunzipSync((await t.app.inject('/donnees/cooperations.csv.gz')).rawPayload).toString('utf8');
    const lines = csv.split('\r\n');
    const broken = [...lines.slice(0, 3), lines[2]!.replace(/^\d+,/, 'x,'), lines[2]!, ...lines.slice(3)].join('\r\n');
    const errors = validateCsv(schema, broken, { commentChar: '#' });
    assert.ok(
      errors.some((e) => /id : entier attendu/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /clé primaire en double|valeur en double/.test(e)),
      errors.join('\n'),
    );
    const json = JSON.parse(gunzipSync((await t.app.inject('/donnees/cooperations.json.gz')).rawPayload).toString('utf8')) as {
      donnees: Record<string, unknown>[];
    };
    const wrong = validateJson(schema, [{ ...json.donnees[0], modele: 'XYZ', latitude: 91 }]);
    assert.ok(wrong.some((e) => /modele : hors de la liste/.test(e)) && wrong.some((e) => /latitude : au-dessus du maximum/.test(e)), wrong.join('\n'));
  });

  test('la page et l’API listent chaque jeu avec son schéma, ses fichiers datés et leur taille, et l’API paginée', async () => {
    const page = await t.app.inject('/donnees');
    assert.equal(page.statusCode, 200);
    for (const name of DATASETS) {
      assert.match(page.body, new RegExp(`href="/donnees/${name}.csv.gz"`));
      assert.match(page.body, new RegExp(`href="/donnees/schemas/${name}.json"`));
    }
    assert.match(page.body, /\d+(,\d)? (ko|octets|Mo), produit le/);
    const api = await t.app.inject('/api/v1/donnees');
    assert.equal(api.statusCode, 200);
    const body = api.json() as { jeux: { nom: string; api: string; csv: { url: string; octets: number; lignes: number; produit_le: string } }[] };
    const cooperations = body.jeux.find((j) => j.nom === 'cooperations')!;
    assert.equal(cooperations.api, 'http://localhost:3000/api/v1/cooperations');
    assert.equal(cooperations.csv.url, 'http://localhost:3000/donnees/cooperations.csv.gz');
    assert.ok(cooperations.csv.octets > 0 && cooperations.csv.lignes > 0);
    assert.ok(!Number.isNaN(Date.parse(cooperations.csv.produit_le)));
  });

  test('un jeu inconnu est refusé en français', async () => {
    for (const url of ['/donnees/schemas/inconnu.json', '/donnees/inconnu.csv.gz', '/donnees/inconnu.json.gz']) {
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.body, /jeu de données inconnu/);
    }
  });
});
