/**
 * kill -9 of a SIRENE import through the built command, in the middle of its batches, then the same command
 * with --reprendre: the same totals as an uninterrupted import, each organisation and its first version once.
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
  versions: number;
}

const totals = async () =>
  (await firstRow<Totals>(
    database.db,
    sql`select r.status, r.rows_read::int, r.rows_inserted::int, r.rows_closed::int, r.rows_not_ess::int, r.rows_rejected::int,
      (select count(*)::int from organisation where source like 'INSEE%') as organisations,
      (select count(*)::int from object_version where source_label = 'Import SIRENE') as versions
    from import_run r order by r.id desc limit 1`,
  ))!;

test('kill -9 au milieu des lots, puis --reprendre : mêmes totaux qu’un import sans arrêt', async () => {
  const args = ['import', 'sirene', files.etablissements, files.unitesLegales, '--lot', '200', '--rapport', join(dir, 'rejets.csv')];
  const env = { DATABASE_URL: database.url };
  const child = startCommand(dataDir, args, env);
  // Killed once some batches are committed, well before the end.
  let committed = 0;
  for (let waited = 0; committed === 0 && waited < 120_000; waited += 20) {
    await sleep(20);
    committed = (await firstRow<{ n: number }>(database.db, sql`select coalesce(max(last_line), 0)::int as n from import_run`))!.n;
  }
  await stopProcess(child, 'SIGKILL');
  const killed = await totals();
  assert.equal(killed.status, 'running', 'le processus tué n’a pas fini son import');
  assert.ok(killed.organisations > 0 && killed.organisations < files.kept, `${killed.organisations} organisations écrites avant l’arrêt`);
  assert.equal(killed.versions, killed.organisations, 'chaque lot enregistré l’est avec ses premières versions');

  const resumed = await runCommand(dataDir, [...args, '--reprendre'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /repris après la ligne/);
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
      versions: files.kept,
    },
  );
  assert.equal(done.rows_closed + done.rows_not_ess, ESTABLISHMENTS - files.kept);
});
