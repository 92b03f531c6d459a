/**
 * Backups and restores (maillage sauvegarde / restauration) between real databases: the demo data plus odd
 * writes comes back identical, table by table (row count and md5 of every row's text), with its sequences and
 * its files; a restore refuses a database that is not empty, a file cut short, damaged, foreign or from a newer
 * Maillage, and then leaves the target as it was; a backup taken while another connection keeps writing holds
 * one snapshot; an older backup is restored with its own migrations and the next start applies the rest.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { runBackup, runRestore } from '../src/cli/backup.ts';
import { loadConfig } from '../src/config.ts';
import { backup, BackupError } from '../src/platform/backup.ts';
import { storedPath } from '../src/platform/file-store.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations, migrate, migrationNames } from '../src/db/migrate.ts';
import { openBackup, restoreBackup } from '../src/platform/restore.ts';
import { newFileId } from '../src/platform/file-store.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { openEmptyTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';

/** Everything COPY's text format must escape, and what looks like its end marker. */
const ODD = 'Zoé « l’apostrophe » "guillemets" \'simples\'\ttab\nligne\r\nretour \\ antislash \\N \\. fin 🌍🧵 ŒÆ ß\u0001';

async function query<T extends pg.QueryResultRow>(database: TestDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  return (await database.pool.query<T>(text, params)).rows;
}

/** Each table of public: its row count and the md5 of its rows' text, in order; the sequences' states; disabled triggers. */
async function fingerprint(database: TestDatabase) {
  const tables: Record<string, string> = {};
  for (const { name } of await query<{ name: string }>(database, `select tablename as name from pg_tables where schemaname = 'public' order by 1`)) {
    const [row] = await query<{ n: number; md5: string }>(
      database,
      `select count(*)::int as n,
      md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${pg.escapeIdentifier(name)} t`,
    );
    tables[name] = `${row!.n} ${row!.md5}`;
  }
  const sequences = await query(database, `select sequencename, last_value::text from pg_sequences where schemaname = 'public' order by 1`);
  const [disabled] = await query<{ n: number }>(database, `select count(*)::int as n from pg_trigger where tgenabled = 'D'`);
  return { tables, sequences, disabledTriggers: disabled!.n };
}

async function publicTables(database: TestDatabase): Promise<number> {
  const [row] = await query<{ n: number }>(database, `select count(*)::int as n from pg_tables where schemaname = 'public'`);
  return row!.n;
}

/** A copy of a backup with its decompressed content edited (bytes kept as they are through latin1). */
function edited(file: string, edit: (content: string) => string): string {
  const out = `${file}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(out, gzipSync(Buffer.from(edit(gunzipSync(readFileSync(file)).toString('latin1')), 'latin1')));
  return out;
}

function trailerOf(file: string): { rows: Record<string, number> } {
  const lines = gunzipSync(readFileSync(file)).toString('latin1').trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/** Every file under a folder, by relative path, with its bytes. */
function filesIn(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(dir.length + 1), readFileSync(path).toString('base64')];
      }),
  );
}

async function restoreInto(target: TestDatabase, file: string, filesDir: string) {
  return restoreBackup(target, await openBackup(file), filesDir);
}

describe('sauvegarde et restauration', () => {
  let source: TestApp;
  let dir: string;
  let sourceFiles: string;
  let backupFile: string;
  let fileId: string;
  let missingId: string;
  const content = Buffer.concat([Buffer.from('%PDF-1.4\n\\.\n\0'), Buffer.from(Array.from({ length: 256 }, (_, n) => n)), Buffer.from('\n\\.\n')]);
  const targets: TestDatabase[] = [];
  const emptyTarget = async () => {
    const target = await openEmptyTestDatabase();
    targets.push(target);
    return target;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maillage-sauvegarde-'));
    sourceFiles = join(dir, 'fichiers-source');
    backupFile = join(dir, 'demo.maillage');
    source = await buildTestApp();
    const db = source.database;
    // Odd text in a table whose rows begin with text (a line beginning « \. » once escaped), in jsonb, in a
    // searched name (triggers), exact floats; sequence values drawn and not used.
    await query(db, `insert into rate_limit (key, window_start, count) values ($1, now(), 1), ('\\.', now(), 2), ($2, now(), 3)`, [ODD, '\\.\n\\.']);
    const [account] = await query<{ id: string }>(
      db,
      `insert into account (email, password_hash, display_name)
      values ('zoe@exemple.fr', 'x', $1) returning id`,
      [ODD.slice(0, 100)],
    );
    await query(
      db,
      `insert into audit_log (actor_id, actor_label, action, object_kind, object_id, details)
      values ($1, $2, 'backup.test', 'account', $3, $4)`,
      [account!.id, ODD, account!.id, JSON.stringify({ texte: ODD, liste: [ODD, 1.5, null] })],
    );
    await query(db, `update organisation set name = $1, latitude = 0.1 + 0.2 where id = (select min(id) from organisation)`, [`Coopérative ${ODD}`]);
    await query(db, `select nextval(pg_get_serial_sequence('audit_log', 'id')) from generate_series(1, 5)`);
    // An application with a file on disk, and one whose file was lost.
    const [application] = await query<{ id: string }>(
      db,
      `insert into candidature (appel_id, formulaire_version, account_id, porteur_type, title, donnees)
      select appel_id, version, $1, 'groupement', $2, $3 from appel_formulaire limit 1 returning id`,
      [account!.id, ODD, JSON.stringify({ note: ODD })],
    );
    fileId = newFileId();
    missingId = newFileId();
    for (const [id, key] of [
      [fileId, 'budget'],
      [missingId, 'statuts'],
    ] as const) {
      await query(
        db,
        `insert into candidature_fichier (id, candidature_id, field_key, original_name, content_type, size_bytes, sha256)
        values ($1, $2, $3, $4, 'application/pdf', 10, repeat('a', 64))`,
        [id, application!.id, key, `${ODD.slice(0, 20)}.pdf`],
      );
    }
    mkdirSync(join(sourceFiles, fileId.slice(0, 2)), { recursive: true });
    writeFileSync(storedPath(sourceFiles, fileId), content);
  });

  after(async () => {
    await source.close();
    for (const target of targets) await target.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('une base restaurée est identique, table par table, avec ses séquences et ses fichiers', async () => {
    const saved = await backup(source.database, backupFile, sourceFiles);
    assert.deepEqual(saved.missingFiles, [missingId]);
    assert.equal(saved.files, 1);
    assert.equal(saved.fileBytes, content.length);
    assert.equal(saved.migrations, migrationNames().length);
    assert.ok(saved.rows > 30_000, `${saved.rows} lignes`);
    assert.deepEqual(readdirSync(join(sourceFiles, 'tmp')), [], 'les liens de la sauvegarde sont retirés');

    const target = await emptyTarget();
    const targetFiles = join(dir, 'fichiers-cible');
    const restored = await restoreInto(target, backupFile, targetFiles);
    assert.equal(restored.rows, saved.rows);
    assert.equal(restored.files, 1);

    const [before, after] = [await fingerprint(source.database), await fingerprint(target)];
    assert.ok(Object.keys(before.tables).length > 50);
    assert.deepEqual(after.tables, before.tables);
    assert.deepEqual(after.sequences, before.sequences);
    assert.equal(after.disabledTriggers, 0, 'les déclencheurs sont rétablis');
    const [odd] = await query<{ display_name: string }>(target, `select display_name from account where email = 'zoe@exemple.fr'`);
    assert.equal(odd!.display_name, ODD.slice(0, 100));
    assert.deepEqual(readFileSync(storedPath(targetFiles, fileId)), content);
    assert.deepEqual(Object.keys(filesIn(targetFiles)), [join(fileId.slice(0, 2), fileId)], 'rien d’autre, pas de dossier provisoire');

    // The next start: nothing to migrate, and the triggers work again.
    assert.deepEqual(await migrate(target), []);
    await query(target, `update organisation set name = 'Entreprise Xylophonique' where id = (select min(id) from organisation)`);
    assert.equal((await query(target, `select 1 from search_word where word = 'xylophonique'`)).length, 1);
  });

  test('une restauration sur une base non vide est refusée et ne change rien', async () => {
    const target = await openTestDatabase();
    targets.push(target);
    const targetFiles = join(dir, 'fichiers-non-vide');
    const before = await fingerprint(target);
    await assert.rejects(
      restoreInto(target, backupFile, targetFiles),
      (error: Error) => error instanceof BackupError && /n’est pas vide/.test(error.message) && /Rien n’a été modifié/.test(error.message),
    );
    assert.deepEqual(await fingerprint(target), before);
    assert.deepEqual(filesIn(targetFiles), {});
  });

  test('un fichier tronqué, endommagé ou étranger est refusé et laisse la cible vide', async () => {
    const whole = readFileSync(backupFile);
    const cut = (length: number) => {
      const path = `${backupFile}.coupe-${length}`;
      writeFileSync(path, whole.subarray(0, length));
      return path;
    };
    const flipped = join(dir, 'abime.maillage');
    writeFileSync(flipped, Buffer.from(whole).fill(0x55, Math.floor(whole.length / 2), Math.floor(whole.length / 2) + 8));
    const cases: [string, RegExp][] = [
      [cut(Math.floor(whole.length * 0.3)), /incomplet ou endommagé/],
      [cut(Math.floor(whole.length * 0.95)), /incomplet ou endommagé/],
      [cut(whole.length - 4), /incomplet ou endommagé/], // all the data, without gzip's length
      [flipped, /incomplet ou endommagé/], // here PostgreSQL finds a row wrong before gzip's checksum
      [edited(backupFile, (text) => text.replace('"region":26', '"region":27')), /table region : 26 lignes lues, 27 annoncées/],
      [edited(backupFile, (text) => `${text}encore\n`), /continue après la fin/],
      [edited(backupFile, (text) => text.replace(`{"file":"${fileId}"`, '{"file":"../../evil-ident-xxxxx"')), /fichier joint de la sauvegarde est mal décrit/],
    ];
    for (const [file, message] of cases) {
      const target = await emptyTarget();
      const targetFiles = join(dir, `fichiers-${targets.length}`);
      await assert.rejects(restoreInto(target, file, targetFiles), (error: Error) => error instanceof BackupError && message.test(error.message), file);
      assert.equal(await publicTables(target), 0, file);
      assert.deepEqual(filesIn(targetFiles), {}, file);
    }
    const plain = join(dir, 'texte.maillage');
    writeFileSync(plain, 'ceci n’est pas une sauvegarde\n');
    await assert.rejects(openBackup(plain), /n’est pas une sauvegarde de Maillage/);
    await assert.rejects(openBackup(join(dir, 'absent.maillage')), /introuvable ou illisible/);
    await assert.rejects(
      openBackup(edited(backupFile, (text) => text.replace('"format":"maillage-backup"', '"format":"autre"'))),
      /n’est pas une sauvegarde de Maillage/,
    );
    await assert.rejects(
      openBackup(edited(backupFile, (text) => text.replace('"version":1', '"version":2'))),
      /au format 2, que cette version de Maillage ne lit pas/,
    );
    await assert.rejects(
      openBackup(edited(backupFile, (text) => text.replace('"migrations":[', '"migrations":["9999_avenir.sql",'))),
      /version plus récente de Maillage \(migrations inconnues ici : 9999_avenir\.sql\)/,
    );
  });

  test('une sauvegarde prise pendant des écritures est celle d’un seul instant', async () => {
    const db = source.database;
    const count = async (table: string) => (await query<{ n: number }>(db, `select count(*)::int as n from ${table}`))[0]!.n;
    const [jobs, versions] = [await count('job'), await count('object_version')];
    // Each transaction writes one row to a table copied early (job) and one to a table copied late
    // (object_version, after the 35 000 communes): copies of different instants would not pair up.
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    let written = 0;
    let writing = true;
    const writes = (async () => {
      while (writing) {
        await writer.query(`begin; insert into job (kind) values ('test.sauvegarde');
          insert into object_version (kind, object_id, version, snapshot) values ('organisation', 0, ${written + 1}, '{}'); commit`);
        written++;
      }
    })();
    try {
      while (written < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      const file = join(dir, 'pendant.maillage');
      const from = written;
      await backup(db, file, sourceFiles);
      const during = written - from;
      const { rows } = trailerOf(file);
      assert.ok(during > 0, 'des transactions ont été validées pendant la sauvegarde');
      assert.equal(rows.job! - jobs, rows.object_version! - versions);
      assert.ok(rows.job! - jobs >= from, `${rows.job! - jobs} paires sauvegardées, ${from} écrites avant`);
    } finally {
      writing = false;
      await writes;
      await writer.end();
    }
  });

  test('un TRUNCATE pendant la sauvegarde (que l’instantané ne verrait pas) attend qu’elle finisse', async () => {
    const db = source.database;
    const members = (await query<{ n: number }>(db, 'select count(*)::int as n from cooperation_member'))[0]!.n;
    assert.ok(members > 0);
    const file = join(dir, 'truncate.maillage');
    // The backup's own connections, by name: the application's other sessions (its jobs) read tables too.
    const backupSide = await openDatabase({ url: db.url, applicationName: 'maillage-test-sauvegarde', poolSize: 2 });
    try {
      const saving = backup(backupSide, file, sourceFiles);
      let finished = false;
      void saving.finally(() => (finished = true)).catch(() => {});
      // Once the backup's snapshot is taken (its transaction keeps an xmin, between statements or in a COPY),
      // before it copies cooperation_member: without the lock taken first, the TRUNCATE would commit at once and
      // the snapshot, which does not see through a TRUNCATE, would read an empty table.
      const snapshotTaken = async () =>
        (
          await query(
            db,
            `select 1 from pg_stat_activity where application_name = 'maillage-test-sauvegarde' and backend_xmin is not null
        and (state = 'idle in transaction' or query ilike 'copy %')`,
          )
        ).length > 0;
      let taken = false;
      while (!finished && !(taken = await snapshotTaken())) await new Promise((resolve) => setTimeout(resolve, 1));
      assert.ok(taken, 'la sauvegarde a été vue pendant son instantané');
      await query(db, 'truncate cooperation_member');
      await saving;
    } finally {
      await backupSide.close();
    }
    assert.equal(trailerOf(file).rows.cooperation_member, members, 'le TRUNCATE a attendu la fin de la sauvegarde');
  });

  test('une sauvegarde d’une version plus ancienne reçoit ses migrations, les suivantes au démarrage', async () => {
    const older = await emptyTarget();
    const names = migrationNames();
    await older.scriptTransaction((session) => applyMigrations(session, names.slice(0, -1)));
    const file = join(dir, 'ancienne.maillage');
    await backup(older, file, join(dir, 'aucun-fichier'));
    const target = await emptyTarget();
    const restored = await restoreInto(target, file, join(dir, 'fichiers-ancienne'));
    assert.equal(restored.newerMigrations, 1);
    assert.deepEqual((await fingerprint(target)).tables, (await fingerprint(older)).tables);
    assert.deepEqual(await migrate(target), names.slice(-1));
  });

  test('les commandes : résumé en français, refus en code 1, usage en code 2', async (t: TestContext) => {
    const run = async (command: typeof runBackup, settings: Record<string, string>, args: string[]) => {
      const out: string[] = [];
      t.mock.method(console, 'log', (text: string) => void out.push(text));
      t.mock.method(console, 'error', (text: string) => void out.push(text));
      try {
        return { code: await command(loadConfig({ LOG_LEVEL: 'silent', ...settings }), args), out: out.join('\n') };
      } finally {
        t.mock.restoreAll();
      }
    };
    const file = join(dir, 'commande.maillage');
    const saved = await run(runBackup, { DATABASE_URL: source.database.url, FILES_DIR: sourceFiles }, [file]);
    assert.equal(saved.code, 0, saved.out);
    assert.match(saved.out, /Sauvegarde écrite dans .*commande\.maillage :\n {2}\d+ migrations, \d+ tables, [\d\s\u202f]+ lignes, 1 fichier joint \(/);
    assert.match(saved.out, new RegExp(`Attention : 1 fichier joint .* manque .*${missingId}`));

    const target = await emptyTarget();
    const settings = { DATABASE_URL: target.url, FILES_DIR: join(dir, 'fichiers-commande') };
    const restored = await run(runRestore, settings, [file]);
    assert.equal(restored.code, 0, restored.out);
    assert.match(restored.out, /Sauvegarde du .* restaurée :\n {2}\d+ migrations, \d+ tables, [\d\s\u202f]+ lignes, 1 fichier joint, durée/);
    const again = await run(runRestore, settings, [file]);
    assert.equal(again.code, 1);
    assert.match(again.out, /La base cible n’est pas vide/);
    const nowhere = await run(runBackup, settings, [join(dir, 'absent', 'x.maillage')]);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.out, /La sauvegarde ne peut pas être écrite dans .*absent \(ENOENT\)/);
    assert.equal((await run(runRestore, settings, [])).code, 2);
    assert.equal((await run(runBackup, settings, [file, 'de-trop'])).code, 2);
  });
});
