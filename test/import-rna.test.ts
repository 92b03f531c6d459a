/** The RNA (waldec) import on the real databases: joins with SIRENE, idempotence, resume, each bad input. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows } from '../src/db/database.ts';
import { runImport } from '../src/features/import/cli.ts';
import { ImportInputError } from '../src/features/import/errors.ts';
import { importRna, RNA_SOURCE, type RnaImportOptions } from '../src/features/import/rna.ts';
import { importSirene } from '../src/features/import/sirene.ts';
import { signedInAs } from './support/accounts.ts';
import { buildTestApp } from './support/app.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';
import { newDataDir, removeDataDir, runCommand, startCommand, stopProcess } from './support/processes.ts';

const WALDEC = join(import.meta.dirname, 'fixtures', 'rna', 'rna_waldec_fictif_dpt_35.csv');
const sireneFixtures = join(import.meta.dirname, 'fixtures', 'sirene');

const organisationRow = z.object({
  rna: z.string().nullable(),
  siret: z.string().nullable(),
  siren: z.string().nullable(),
  name: z.string(),
  legal_form: z.string().nullable(),
  statut_ess: z.string().nullable(),
  commune_code: z.string().nullable(),
  departement_code: z.string().nullable(),
  region_code: z.string().nullable(),
  latitude: z.number().nullable(),
  address: z.string().nullable(),
  website: z.string().nullable(),
  description: z.string().nullable(),
  source: z.string().nullable(),
});

/** The first data line of the fixture, for files made in a test. */
const [HEADER, FIRST_LINE] = readFileSync(WALDEC, 'utf8').split('\n') as [string, string];

describe('import RNA (waldec)', () => {
  let database: TestDatabase;
  let dir: string;
  const reportPath = () => join(dir, 'rejets.csv');
  const run = (options: Partial<RnaImportOptions> = {}) => importRna(database, { file: WALDEC, reportPath: reportPath(), ...options });
  const sirene = () =>
    importSirene(database, {
      etablissements: join(sireneFixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(sireneFixtures, 'StockUniteLegale_utf8.csv'),
      reportPath: join(dir, 'rejets-sirene.csv'),
    });
  const organisations = () =>
    checkedRows(
      database.db,
      organisationRow,
      sql`select rna, siret, siren, name, legal_form, statut_ess, commune_code, departement_code, region_code, latitude, address, website,
        description, source from organisation order by rna nulls last, siret`,
    );
  const xmins = async () =>
    (await checkedFirstRow(database.db, z.object({ xmins: z.string() }), sql`select string_agg(xmin::text, ',' order by id) as xmins from organisation`))!
      .xmins;
  const count = async (query: ReturnType<typeof sql>) => (await checkedFirstRow(database.db, z.object({ n: z.number().int() }), query))!.n;

  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-rna-'));
    // A centre for Rennes, so that an association placed there gets it.
    await database.db.execute(sql`update commune set latitude = 48.1113, longitude = -1.6800 where code = '35238'`);
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from object_version`);
    await database.db.execute(sql`delete from organisation`);
    await database.db.execute(sql`delete from import_run`);
  });

  test('associations actives importées, jointes à la fiche SIRENE de leur SIRET, dissoutes ignorées, rejets motivés', async () => {
    await sirene();
    const sireneCount = await count(sql`select count(*)::int as n from organisation`);
    const summary = await run();
    assert.deepEqual(summary.counts, { read: 10, written: 3, inserted: 2, unchanged: 0, closed: 2, notEss: 0, rejected: 5 });
    assert.equal(await count(sql`select count(*)::int as n from organisation`), sireneCount + 2, 'deux associations nouvelles, la troisième jointe');

    const all = await organisations();
    const [jardins, repair, epicerie] = ['W751234567', 'W352000001', 'W352000002'].map((rna) => all.find((o) => o.rna === rna));
    // Joined: SIRENE's record keeps its name, address and source; the RNA adds its id and fills what SIRENE lacks.
    assert.equal(jardins?.rna, 'W751234567');
    assert.equal(jardins?.siret, '84012345900017');
    assert.equal(jardins?.source, 'INSEE, base SIRENE (stock)');
    assert.equal(jardins?.commune_code, '75104');
    assert.equal(jardins?.description, 'cultiver des jardins partagés au cœur de la ville et y accueillir les habitants');
    assert.equal(jardins?.website, 'https://www.jardins-cite.example');
    assert.notEqual(jardins?.name, 'JARDINS DE LA CITE');

    assert.deepEqual(repair, {
      rna: 'W352000001',
      siret: null,
      siren: null,
      name: 'REPAIR CAFÉ DU THABOR (FICTIF)',
      legal_form: '92',
      statut_ess: 'ess_de_droit',
      commune_code: '35238',
      departement_code: '35',
      region_code: '53',
      latitude: 48.1113,
      address: '12 B RUE des Lilas, 35000 Rennes',
      website: null,
      description: 'réparer ensemble ; lutter contre l\'obsolescence dite "programmée"',
      source: RNA_SOURCE,
    });
    assert.equal(epicerie?.rna, 'W352000002');
    assert.equal(epicerie?.siret, '84098765500015');
    assert.equal(epicerie?.siren, '840987655');
    assert.equal(epicerie?.address, 'Maison de quartier, BD de Yougoslavie, 35000 Rennes');
    assert.equal(await count(sql`select count(*)::int as n from organisation where rna in ('W352000003', 'W352000004')`), 0, 'dissoutes non importées');
    assert.equal(
      await count(sql`select count(*)::int as n from object_version`),
      0,
      'un import n’écrit pas de version : l’historique commence à la première modification',
    );

    const report = readFileSync(reportPath(), 'utf8');
    assert.match(report, /^\uFEFFfichier;ligne;rna;motif/);
    const reasons = report.trim().split('\r\n').slice(1);
    assert.equal(reasons.length, 5);
    for (const expected of [
      /;7;W35200005;identifiant RNA invalide : W suivi de 9 caractères attendu/,
      /;8;W352000006;SIRET invalide \(clé de contrôle\)/,
      /;9;W352000007;commune inconnue du COG : 99999/,
      /;10;W352000008;SIRET 84098765500015 donné aussi à une autre association du même lot/,
      /;11;;ligne mal formée : 25 colonnes au lieu de 39/,
    ]) {
      assert.ok(
        reasons.some((line) => expected.test(line)),
        `${expected} dans\n${report}`,
      );
    }
  });

  test('idempotent : une seconde exécution ne réécrit aucune ligne, puis réécrit celle dont la source a changé', async () => {
    await sirene();
    await run();
    const before = await xmins();
    const again = await run();
    assert.deepEqual([again.counts.inserted, again.counts.written - again.counts.inserted - again.counts.unchanged], [0, 0]);
    assert.equal(again.counts.unchanged, 3);
    assert.equal(again.counts.rejected, 5, 'les mêmes rejets, signalés à nouveau');
    assert.equal(await xmins(), before, 'aucune ligne réécrite (même xmin)');

    const changed = join(dir, 'modifie.csv');
    writeFileSync(changed, readFileSync(WALDEC, 'utf8').replace('REPAIR CAFÉ DU THABOR (FICTIF)', 'REPAIR CAFÉ DU THABOR, NOUVEAU NOM (FICTIF)'));
    const third = await run({ file: changed });
    assert.deepEqual([third.counts.inserted, third.counts.written - third.counts.unchanged], [0, 1]);
    assert.equal((await organisations()).find((o) => o.rna === 'W352000001')?.name, 'REPAIR CAFÉ DU THABOR, NOUVEAU NOM (FICTIF)');
  });

  test('RNA puis SIRENE : une seule organisation par SIRET, l’identifiant RNA gardé', async () => {
    await run();
    assert.equal((await organisations()).find((o) => o.rna === 'W751234567')?.source, RNA_SOURCE);
    await sirene();
    const joined = (await organisations()).filter((o) => o.siret === '84012345900017');
    assert.equal(joined.length, 1);
    assert.equal(joined[0]?.rna, 'W751234567');
    assert.equal(joined[0]?.source, 'INSEE, base SIRENE (stock)', 'SIRENE fait foi pour l’établissement');
    const before = await xmins();
    const again = await run();
    assert.equal(again.counts.written - again.counts.unchanged, 0);
    assert.equal(await xmins(), before, 'le RNA ne réécrit pas la fiche que SIRENE a reprise');
  });

  test('lot interrompu puis --reprendre : mêmes totaux qu’un import sans arrêt', async () => {
    const whole = await run({ batchSize: 1 });
    const expected = await organisations();
    await database.db.execute(sql`delete from object_version`);
    await database.db.execute(sql`delete from organisation`);
    await assert.rejects(
      run({
        batchSize: 1,
        onBatch: ({ batch }) => {
          if (batch === 2) throw new Error('interruption simulée');
        },
      }),
      /interruption simulée/,
    );
    const resumed = await run({ batchSize: 1, resume: true });
    assert.ok(resumed.resumedAfterLine > 0);
    assert.deepEqual(resumed.counts, whole.counts);
    assert.deepEqual(await organisations(), expected);
    // Across batches, the SIRET given twice is found held by the first association.
    assert.match(readFileSync(reportPath(), 'utf8'), /;10;W352000008;SIRET 84098765500015 déjà porté par l'association W352000002/);
  });

  test('kill -9 au milieu des lots, puis --reprendre : mêmes totaux qu’un import sans arrêt', async () => {
    // 20 000 associations, one in ten dissolved, through the built command in batches of 200.
    const associations = 20_000;
    const line = (n: number) =>
      FIRST_LINE.replace('W751234567', `W351${String(n).padStart(6, '0')}`)
        .replace('84012345900017', '')
        .replace(';A;2024', n % 10 === 0 ? ';D;2024' : ';A;2024');
    const big = join(dir, 'rna_waldec_gros.csv');
    writeFileSync(big, `${HEADER}\n${Array.from({ length: associations }, (_, n) => line(n)).join('\n')}\n`);
    const dataDir = newDataDir();
    const totals = () =>
      checkedFirstRow(
        database.db,
        z.object({
          status: z.string(),
          rows_read: z.number(),
          rows_inserted: z.number(),
          rows_closed: z.number(),
          organisations: z.number(),
        }),
        sql`select r.status, r.rows_read::int, r.rows_inserted::int, r.rows_closed::int,
          (select count(*)::int from organisation where rna is not null) as organisations
        from import_run r order by r.id desc limit 1`,
      );
    try {
      const args = ['import', 'rna', big, '--lot', '200', '--rapport', reportPath()];
      const env = { DATABASE_URL: database.url };
      const child = startCommand(dataDir, args, env);
      let committed = 0;
      for (let waited = 0; committed === 0 && waited < 120_000; waited += 20) {
        await sleep(20);
        committed = await count(sql`select coalesce(max(last_line), 0)::int as n from import_run`);
      }
      await stopProcess(child, 'SIGKILL');
      const killed = (await totals())!;
      assert.equal(killed.status, 'running', 'le processus tué n’a pas fini son import');
      assert.ok(killed.organisations > 0 && killed.organisations < associations * 0.9, `${killed.organisations} associations écrites avant l’arrêt`);

      const resumed = await runCommand(dataDir, [...args, '--reprendre'], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, /repris après la ligne/);
      assert.deepEqual(await totals(), {
        status: 'done',
        rows_read: associations,
        rows_inserted: associations * 0.9,
        rows_closed: associations / 10,
        organisations: associations * 0.9,
      });
    } finally {
      await removeDataDir(dataDir);
    }
  });

  test('colonnes absentes : nommées, rien d’écrit', async () => {
    const file = join(dir, 'colonnes.csv');
    const drop = new Set(['position', 'adrs_codeinsee']);
    const keep = HEADER.split(';').map((name) => !drop.has(name));
    const cut = (line: string) =>
      line
        .split(';')
        .filter((_, index) => keep[index])
        .join(';');
    writeFileSync(file, `${cut(HEADER)}\n${cut('W352000010;;;;351P;2012-03-01;;;;D;S;A;;x;;;;;;;;;35238;35000;Rennes;;;;;;;;;;;;;A;')}\n`);
    await assert.rejects(run({ file }), (error: Error) => {
      assert.ok(error instanceof ImportInputError);
      assert.match(error.message, /Fichier RNA : colonnes absentes : adrs_codeinsee, position/);
      return true;
    });
    assert.equal(await count(sql`select count(*)::int as n from import_run`), 0);
    assert.equal(await count(sql`select count(*)::int as n from organisation`), 0);
  });

  test('mauvais encodage : refusé dès l’ouverture, ou la ligne rejetée au-delà des premiers 64 ko', async () => {
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from(`${HEADER}\n${FIRST_LINE.replace('JARDINS PARTAGES', 'JARDINS PARTAGÉS')}\n`, 'latin1'));
    await assert.rejects(run({ file: latin1 }), /n'est pas encodé en UTF-8/);
    assert.equal(await count(sql`select count(*)::int as n from organisation`), 0);

    // 400 valid lines (over 64 kB), then one in Latin-1, then a valid one.
    const valid = (n: number) => FIRST_LINE.replace('W751234567', `W3520${String(n).padStart(5, '0')}`).replace('84012345900017', '');
    const lines = Array.from({ length: 400 }, (_, n) => valid(n));
    const mixed = join(dir, 'mixte.csv');
    writeFileSync(
      mixed,
      Buffer.concat([
        Buffer.from(`${HEADER}\n${lines.join('\n')}\n`),
        Buffer.from(`${valid(400).replace('JARDINS PARTAGES', 'JARDINS PARTAGÉS')}\n`, 'latin1'),
        Buffer.from(`${valid(401)}\n`),
      ]),
    );
    const summary = await run({ file: mixed });
    assert.deepEqual([summary.counts.inserted, summary.counts.rejected], [401, 1]);
    assert.match(readFileSync(reportPath(), 'utf8'), /;402;;encodage invalide/);
  });

  test('commande : résumé en français ; l’API donne l’identifiant RNA ; une association fusionnée par la modération n’est pas recréée', async (t: TestContext) => {
    const out: string[] = [];
    t.mock.method(console, 'log', (text: string) => void out.push(text));
    const code = await runImport(database, ['rna', WALDEC, '--rapport', reportPath()]);
    t.mock.restoreAll();
    assert.equal(code, 0);
    assert.match(out.join('\n'), /importées \(nouvelles\) : 3\n.*\n {2}ignorées \(associations dissoutes\) : 2\n {2}rejetées : 5/);

    const { app, database: apiDatabase, close } = await buildTestApp({ demo: false });
    try {
      await importRna(apiDatabase, { file: WALDEC, reportPath: reportPath() });
      const id = (await checkedFirstRow(
        apiDatabase.db,
        z.object({ id: z.number().int() }),
        sql`select id::int as id from organisation where rna = 'W352000001'`,
      ))!.id;
      const detail = await app.inject({ method: 'GET', url: `/api/v1/organisations/${id}` });
      assert.equal(detail.statusCode, 200);
      assert.equal(detail.json().rna, 'W352000001');

      // A moderator of Bretagne merges the association into the record of the same café found elsewhere.
      const moderator = await signedInAs(app, apiDatabase.db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '53' }]);
      const kept = (await checkedFirstRow(
        apiDatabase.db,
        z.object({ id: z.number().int() }),
        sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, source)
        values ('84034567200017', '840345672', 'Repair café du Thabor', '35238', '35', '53', 'Contribution') returning id::int as id`,
      ))!.id;
      const merged = await moderator.client.post(`/moderation/doublons/organisations/${kept}/${id}/fusionner`, {
        _csrf: moderator.csrf,
        conserver: String(kept),
      });
      assert.equal(merged.statusCode, 303, merged.body);
      const organisations = () =>
        checkedRows(
          apiDatabase.db,
          z.object({ id: z.number().int(), rna: z.string().nullable() }),
          sql`select id::int as id, rna from organisation order by id`,
        );
      const afterMerge = await organisations();
      assert.equal(afterMerge.find((o) => o.id === kept)?.rna, 'W352000001', 'l’identifiant RNA suit l’association dans la fiche gardée');
      await importRna(apiDatabase, { file: WALDEC, reportPath: reportPath() });
      assert.deepEqual(await organisations(), afterMerge, 'l’import suivant retrouve l’association dans la fiche gardée');
    } finally {
      await close();
    }
  });
});
