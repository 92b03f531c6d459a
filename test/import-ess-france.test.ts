/** The ESS France list import on the real databases: marks, never creates, idempotent, each bad input. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows } from '../src/db/database.ts';
import { runImport } from '../src/features/import/cli.ts';
import { ImportInputError } from '../src/features/import/errors.ts';
import { ESS_FRANCE_SOURCE, importEssFrance, type EssFranceImportOptions } from '../src/features/import/ess-france.ts';
import { importRna } from '../src/features/import/rna.ts';
import { importSirene } from '../src/features/import/sirene.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const LIST = join(import.meta.dirname, 'fixtures', 'ess-france', 'liste-entreprises-ess-fictive.csv');
const WALDEC = join(import.meta.dirname, 'fixtures', 'rna', 'rna_waldec_fictif_dpt_35.csv');
const sireneFixtures = join(import.meta.dirname, 'fixtures', 'sirene');

const markRow = z.object({ siret: z.string().nullable(), statut_ess: z.string().nullable(), ess_source: z.string().nullable() });

describe('import de la liste ESS France', () => {
  let database: TestDatabase;
  let dir: string;
  const reportPath = () => join(dir, 'rejets.csv');
  const run = (options: Partial<EssFranceImportOptions> = {}) => importEssFrance(database, { file: LIST, reportPath: reportPath(), ...options });
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const marks = () => checkedRows(database.db, markRow, sql`select siret, statut_ess, ess_source from organisation where siret is not null order by siret`);
  const count = async (query: ReturnType<typeof sql>) => (await checkedFirstRow(database.db, z.object({ n: z.number().int() }), query))!.n;
  const xmins = async () =>
    (await checkedFirstRow(database.db, z.object({ xmins: z.string() }), sql`select string_agg(xmin::text, ',' order by id) as xmins from organisation`))!
      .xmins;

  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-ess-'));
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from object_version`);
    await database.db.execute(sql`delete from organisation`);
    await database.db.execute(sql`delete from import_run`);
    // Every unit of the SIRENE fixture (with --tous: the SAS outside the ESS too), then the RNA fixture's associations.
    await importSirene(database, {
      etablissements: join(sireneFixtures, 'StockEtablissement_utf8.csv'),
      unitesLegales: join(sireneFixtures, 'StockUniteLegale_utf8.csv'),
      keepAll: true,
      reportPath: join(dir, 'rejets-sirene.csv'),
    });
    await importRna(database, { file: WALDEC, reportPath: join(dir, 'rejets-rna.csv') });
  });

  test('les organisations des SIREN listés marquées ESS avec leur source ; les SIREN absents signalés, pas créés', async () => {
    const before = await count(sql`select count(*)::int as n from organisation`);
    const summary = await run();
    assert.deepEqual(summary.counts, { read: 7, written: 3, inserted: 0, unchanged: 0, closed: 0, notEss: 0, rejected: 4 });
    assert.equal(await count(sql`select count(*)::int as n from organisation`), before, 'rien n’est créé');

    const bySiret = new Map((await marks()).map((o) => [o.siret, o]));
    const listed = { ess_source: ESS_FRANCE_SOURCE };
    assert.deepEqual(bySiret.get('84034567200017'), { siret: '84034567200017', statut_ess: 'ess_commerciale', ...listed }, 'SAS hors ESS devenue ESS');
    assert.deepEqual(bySiret.get('84012345900017'), { siret: '84012345900017', statut_ess: 'ess_de_droit', ...listed });
    assert.deepEqual(bySiret.get('84012345900025'), { siret: '84012345900025', statut_ess: 'ess_de_droit', ...listed }, 'chaque établissement du SIREN');
    assert.deepEqual(bySiret.get('84098765500015'), { siret: '84098765500015', statut_ess: 'ess_de_droit', ...listed }, 'association du RNA');
    assert.equal(bySiret.get('84023456100016')?.ess_source, null, 'absent de la liste : inchangé');
    assert.equal(bySiret.get('84045678400015')?.statut_ess, null);

    const report = readFileSync(reportPath(), 'utf8');
    assert.match(report, /^\uFEFFfichier;ligne;siren;motif/);
    const lines = report.trim().split('\r\n').slice(1);
    assert.equal(lines.length, 4);
    for (const expected of [
      /;2;840345672;SIREN en double : remplacé par la ligne 8/,
      /;5;840987663;SIREN absent de la base : rien n’est créé/,
      /;6;840987656;SIREN invalide \(clé de contrôle\) : 840987656/,
      /;7;005480090;SIREN absent de la base/,
    ]) {
      assert.ok(
        lines.some((line) => expected.test(line)),
        `${expected} dans\n${report}`,
      );
    }
  });

  test('idempotent : une seconde exécution ne réécrit aucune organisation', async () => {
    await run();
    const before = await xmins();
    const again = await run();
    assert.deepEqual([again.counts.written, again.counts.unchanged, again.counts.rejected], [3, 3, 4]);
    assert.equal(await xmins(), before, 'aucune ligne réécrite (même xmin)');
  });

  test('variantes d’en-tête et de séparateur ; colonne SIREN absente nommée, rien d’écrit', async () => {
    const semicolon = file('numero.csv', 'Raison sociale;N° SIREN\r\nNégoce;840 345 672\r\n');
    assert.equal((await run({ file: semicolon })).counts.written, 1);
    const snake = file('snake.csv', 'numero_siren,nom\n840345672,Négoce\n');
    assert.equal((await run({ file: snake })).counts.unchanged, 1);

    const before = await xmins();
    const runs = await count(sql`select count(*)::int as n from import_run`);
    await assert.rejects(run({ file: file('siret.csv', 'siret,nom\n84034567200017,Négoce\n') }), (error: Error) => {
      assert.ok(error instanceof ImportInputError);
      assert.match(error.message, /colonne SIREN absente \(en-têtes acceptés : SIREN, siren, .*en-tête du fichier : siret, nom\)/);
      return true;
    });
    assert.equal(await count(sql`select count(*)::int as n from import_run`), runs);
    assert.equal(await xmins(), before);
  });

  test('mauvais encodage refusé, dernière ligne tronquée et largeur fausse rejetées', async () => {
    await assert.rejects(run({ file: file('latin1.csv', Buffer.from('SIREN,Nom\n840345672,Négoce\n', 'latin1')) }), /n'est pas encodé en UTF-8/);
    assert.equal(await count(sql`select count(*)::int as n from organisation where ess_source is not null`), 0);

    const truncated = file('tronque.csv', 'SIREN,Nom\n840345672,Négoce\n840123459\n840987654,"Épicerie solidaire');
    const summary = await run({ file: truncated });
    assert.deepEqual([summary.counts.read, summary.counts.written, summary.counts.rejected], [3, 1, 2]);
    const report = readFileSync(reportPath(), 'utf8');
    assert.match(report, /;3;;ligne mal formée : 1 colonnes au lieu de 2/);
    assert.match(report, /;4;;ligne mal formée : guillemet ouvert jamais refermé/);
  });

  test('commande : résumé en français', async (t: TestContext) => {
    const out: string[] = [];
    t.mock.method(console, 'log', (text: string) => void out.push(text));
    const code = await runImport(database, ['ess-france', LIST, '--rapport', reportPath()]);
    t.mock.restoreAll();
    assert.equal(code, 0);
    assert.match(
      out.join('\n'),
      /SIREN trouvés dans la base : 3 \(déjà marqués ESS : 0\)\n {2}rejetés \(SIREN invalide, ou absent de la base : non créé\) : 4/,
    );
  });
});
