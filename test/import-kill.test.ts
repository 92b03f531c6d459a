/**
 * kill -9 of a SIRENE import through the built command, then the same command: the same totals as an
 * uninterrupted import, each organisation and its first version once. A first load into an empty table is one
 * transaction (bulk-load.ts): killed, it leaves the table empty with all its indexes, and starts over. Into a
 * table that holds organisations, batches are committed one by one and --reprendre continues after the last.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { writeSireneFiles, type SireneFiles } from '../bench/sirene-files.ts';
import { firstRow } from '../src/db/database.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';
import { newDataDir, removeDataDir, runCommand, startCommand, stopProcess } from './support/processes.ts';

let database: TestDatabase;
let dir: string;
let dataDir: string;
let files: SireneFiles;
const ESTABLISHMENTS = 20_000;

before(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'maillage-import-kill-'));
  dataDir = newDataDir();
  files = await writeSireneFiles(dir, { establishments: ESTABLISHMENTS, essShare: 0.5, closedShare: 0.2 });
});
after(async () => {
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
  await removeDataDir(dataDir);
});

interface Totals {
  status: string;
  rows_read: number;
  rows_inserted: number;
  rows_closed: number;
  rows_not_ess: number;
  rows_rejected: number;
  organisations: number;
  /** Triggers of organisation left disabled: a first load disables two until it commits (bulk-load.ts). */
  disabledTriggers: number;
}

const totals = async () =>
  (await firstRow<Totals>(
    database.db,
    sql`select r.status, r.rows_read::int, r.rows_inserted::int, r.rows_closed::int, r.rows_not_ess::int, r.rows_rejected::int,
      (select count(*)::int from organisation where source like 'INSEE%') as organisations,
      (select count(*)::int from pg_trigger where tgrelid = 'organisation'::regclass and tgenabled = 'D') as "disabledTriggers"
    from import_run r order by r.id desc limit 1`,
  ))!;

const indexes = async () => (await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from pg_indexes where tablename = 'organisation'`))!.n;

const expectTotals = async () => {
  const done = await totals();
  assert.deepEqual(
    { ...done, rows_closed: undefined, rows_not_ess: undefined },
    {
      status: 'done',
      rows_read: ESTABLISHMENTS,
      rows_inserted: files.kept,
      rows_closed: undefined,
      rows_not_ess: undefined,
      rows_rejected: 0,
      organisations: files.kept,
      disabledTriggers: 0,
    },
  );
  assert.equal(done.rows_closed + done.rows_not_ess, ESTABLISHMENTS - files.kept);
};

test('premier chargement d’une table vide tué en cours : table vide, index entiers ; la même commande refait tout', async () => {
  const args = ['import', 'sirene', files.etablissements, files.unitesLegales, '--lot', '200', '--rapport', join(dir, 'rejets-vide.csv')];
  const env = { DATABASE_URL: database.url };
  const before = await indexes();
  const child = startCommand(dataDir, args, env);
  // Killed once the load holds the table (its search indexes dropped inside its transaction) and has written some batches.
  let loading = false;
  for (let waited = 0; !loading && waited < 120_000; waited += 20) {
    await sleep(20);
    loading =
      (await firstRow<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from pg_stat_activity where query like 'copy organisation %' and datname = current_database()`,
      ))!.n > 0;
  }
  assert.ok(loading, 'le chargement n’a pas commencé');
  await stopProcess(child, 'SIGKILL');
  const killed = await totals();
  assert.equal(killed.status, 'running', 'le processus tué n’a pas fini son import');
  assert.deepEqual([killed.organisations, killed.disabledTriggers], [0, 0], 'rien d’écrit avant la validation du chargement, déclencheurs actifs');
  assert.equal(await indexes(), before, 'les index de recherche sont toujours là');

  const again = await runCommand(dataDir, args, env);
  assert.equal(again.code, 0, again.stderr);
  await expectTotals();
  assert.equal(await indexes(), before);
});

/** Starts the command and kills it (-9) once its run has committed a batch, well before the end. */
async function killOnceABatchIsCommitted(args: string[], env: Record<string, string>): Promise<void> {
  const lastRun = (await firstRow<{ id: number }>(database.db, sql`select coalesce(max(id), 0)::int as id from import_run`))!.id;
  const child = startCommand(dataDir, args, env);
  let committed = 0;
  for (let waited = 0; committed === 0 && waited < 120_000; waited += 20) {
    await sleep(20);
    committed = (await firstRow<{ n: number }>(database.db, sql`select coalesce(max(last_line), 0)::int as n from import_run where id > ${lastRun}`))!.n;
  }
  await stopProcess(child, 'SIGKILL');
}

test('kill -9 au milieu des lots, puis --reprendre : mêmes totaux qu’un import sans arrêt', async () => {
  const args = ['import', 'sirene', files.etablissements, files.unitesLegales, '--lot', '200', '--rapport', join(dir, 'rejets.csv')];
  const env = { DATABASE_URL: database.url };
  // A table that holds an organisation already: no first load, batches committed one by one.
  await database.db.execute(sql`truncate organisation cascade`);
  await database.db.execute(sql`insert into organisation (siret, siren, name, source) values ('35600000000048', '356000000', 'La Poste', 'saisie')`);
  await killOnceABatchIsCommitted(args, env);
  const killed = await totals();
  assert.equal(killed.status, 'running', 'le processus tué n’a pas fini son import');
  assert.ok(killed.organisations > 0 && killed.organisations < files.kept, `${killed.organisations} organisations écrites avant l’arrêt`);

  const resumed = await runCommand(dataDir, [...args, '--reprendre'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /repris après la ligne/);
  await expectTotals();
});

test('réimport d’un stock modifié tué en cours, puis --reprendre : chaque fiche suit la nouvelle source, un dernier réimport ne change rien', async () => {
  // Runs after the test above: the table holds the import of `files`. A third of the units change their name.
  const changedDir = mkdtempSync(join(tmpdir(), 'maillage-import-kill-renamed-'));
  try {
    const renamed = await writeSireneFiles(changedDir, { establishments: ESTABLISHMENTS, essShare: 0.5, closedShare: 0.2, renamed: 3 });
    const args = ['import', 'sirene', renamed.etablissements, renamed.unitesLegales, '--lot', '200', '--rapport', join(dir, 'rejets-renamed.csv')];
    const env = { DATABASE_URL: database.url };
    await killOnceABatchIsCommitted(args, env);
    const resumed = await runCommand(dataDir, [...args, '--reprendre'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const renamedRows = await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from organisation where name like '%(NOUVEAU NOM)%'`);
    assert.ok(renamedRows!.n > 0, 'des fiches portent le nouveau nom');
    // Every row now holds the new source's values and digest: the same command again skips every kept line.
    const again = await runCommand(dataDir, args, env);
    assert.equal(again.code, 0, again.stderr);
    const last = (await firstRow<{ rows_written: number; rows_unchanged: number; rows_inserted: number; organisations: number }>(
      database.db,
      sql`select rows_written::int, rows_unchanged::int, rows_inserted::int,
        (select count(*)::int from organisation where source like 'INSEE%') as organisations from import_run order by id desc limit 1`,
    ))!;
    assert.deepEqual(last, { rows_written: renamed.kept, rows_unchanged: renamed.kept, rows_inserted: 0, organisations: renamed.kept });
    const digests = await firstRow<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from organisation where source like 'INSEE%' and import_line_digest is null`,
    );
    assert.equal(digests!.n, 0, 'chaque fiche garde l’empreinte de sa ligne');
  } finally {
    rmSync(changedDir, { recursive: true, force: true });
  }
});
