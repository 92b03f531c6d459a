/**
 * Backups made while Maillage runs: the data of the database and the files joined to applications.
 *
 * The embedded server ships no pg_dump, so this does what pg_dump does for data (PostgreSQL documentation,
 * « Transaction Isolation » and « COPY »): one REPEATABLE READ, READ ONLY transaction sees one snapshot of the
 * whole database, whatever other processes commit meanwhile, and reads every table of the public schema with
 * COPY … TO STDOUT on that one connection, streamed. The schema is not copied: it is the migrations, whose
 * names the backup lists; a restore (restore.ts) applies exactly those, then loads the data.
 *
 * The file, version 1: gzip of
 *   1. one line of JSON, the header (backupHeaderSchema): format and version, creation date, the applied
 *      migrations, the tables in foreign-key order with their columns (generated ones left out, PostgreSQL
 *      computes them again), the sequences' states, how many files follow;
 *   2. for each table of the header, its rows in COPY text format, one line each, then the line « \. », the
 *      end marker of psql and of pg_dump's plain format, which no row can be: COPY writes a backslash of the
 *      data as « \\ »;
 *   3. for each file, one line of JSON { file: id, bytes: n }, then its n bytes;
 *   4. one line of JSON, the trailer: { end: true, rows: { table: rows } }.
 * gzip's checksum, the end markers and the trailer let a restore tell a complete file from a cut one.
 */
import { randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { storedPath } from './file-store.ts';

export const BACKUP_FORMAT = 'maillage-backup';
export const BACKUP_VERSION = 1;
/** Ends each table's rows in the file. */
export const END_OF_TABLE = Buffer.from('\\.\n');

export const backupHeaderSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name: z.string().min(1), columns: z.array(z.string().min(1)).min(1) })),
  sequences: z.array(z.object({ name: z.string().min(1), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
  files: z.number().int().min(0),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;
export type TableShape = BackupHeader['tables'][number];

export const fileEntrySchema = z.object({ file: z.string(), bytes: z.number().int().min(0) });
export const trailerSchema = z.object({ end: z.literal(true), rows: z.record(z.string(), z.number().int().min(0)) });

/** A refusal or a fault of a backup or a restore, with a French message saying what to do. */
export class BackupError extends Error {}

export interface Schema {
  tables: TableShape[];
  /** Foreign keys between tables of the public schema. */
  references: { child: string; parent: string }[];
  sequences: string[];
}

export const quoted = (name: string) => pg.escapeIdentifier(name);

/**
 * The text of values must read back as the same values whatever either server's settings, as pg_dump sees to:
 * ISO dates, exact floats, hex bytea.
 */
export async function setCopySettings(client: pg.ClientBase): Promise<void> {
  await client.query(`set local datestyle = 'ISO'; set local intervalstyle = 'postgres'; set local timezone = 'UTC';
    set local extra_float_digits = 3; set local bytea_output = 'hex'`);
}

export async function readSchema(client: pg.ClientBase): Promise<Schema> {
  const tables = await client.query<TableShape>(`select c.relname::text as name, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind = 'r'
    group by c.relname order by c.relname`);
  const references = await client.query<{ child: string; parent: string }>(`select distinct child.relname::text as child, parent.relname::text as parent
    from pg_constraint k
    join pg_class child on child.oid = k.conrelid
    join pg_class parent on parent.oid = k.confrelid
    join pg_namespace n on n.oid = child.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`);
  const sequences = await client.query<{ name: string }>(`select c.relname::text as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' order by 1`);
  return { tables: tables.rows, references: references.rows, sequences: sequences.rows.map((r) => r.name) };
}

/** Tables ordered so that each comes after those it references; a table referencing itself is loaded by one COPY. */
export function foreignKeyOrder({ tables, references }: Schema): TableShape[] {
  const waiting = new Map(tables.map((table) => [table.name, { table, parents: new Set<string>() }]));
  for (const { child, parent } of references) if (child !== parent) waiting.get(child)?.parents.add(parent);
  const ordered: TableShape[] = [];
  while (waiting.size) {
    const ready = [...waiting.values()].filter(({ parents }) => [...parents].every((parent) => !waiting.has(parent)));
    if (!ready.length) throw new BackupError(`Les tables ${[...waiting.keys()].join(', ')} se référencent en cercle : aucun ordre de chargement ne convient.`);
    for (const { table } of ready) {
      ordered.push(table);
      waiting.delete(table.name);
    }
  }
  return ordered;
}

export interface BackupSummary {
  migrations: number;
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
  /** Files that rows name but the folder does not hold (lost before the backup): not in the file. */
  missingFiles: string[];
  /** Size of the backup file. */
  bytes: number;
  ms: number;
}

/** Writes a backup of `database` and of the files of `filesDir` to `file` (replaced only once complete). */
export async function backup(database: Database, file: string, filesDir: string): Promise<BackupSummary> {
  const started = performance.now();
  await access(dirname(file), constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new BackupError(
      `La sauvegarde ne peut pas être écrite dans ${dirname(file)} (${error.code}) : choisissez un dossier existant où vous pouvez écrire.`,
    );
  });
  const partial = `${file}.partiel-${randomBytes(4).toString('hex')}`;
  const staging = join(filesDir, 'tmp', `sauvegarde-${randomBytes(6).toString('hex')}`);
  const client = await database.pool.connect();
  let broken: Error | undefined;
  try {
    const { header, files, missingFiles } = await takeSnapshot(database, client, filesDir, staging);
    const counts = { rows: {} as Record<string, number>, fileBytes: 0 };
    await pipeline(archive(client, header, staging, files, counts), createGzip(), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    await client.query('commit');
    await rename(partial, file);
    return {
      migrations: header.migrations.length,
      tables: header.tables.length,
      rows: Object.values(counts.rows).reduce((sum, n) => sum + n, 0),
      files: files.length,
      fileBytes: counts.fileBytes,
      missingFiles,
      bytes: (await stat(file)).size,
      ms: performance.now() - started,
    };
  } catch (error) {
    broken = error as Error; // the connection may be in the middle of a COPY: it is closed, not reused
    await rm(partial, { force: true });
    throw error;
  } finally {
    client.release(broken);
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Starts the snapshot and links into `staging` the files its rows name. A file whose row is deleted after the
 * snapshot leaves the disk at the next sweep (features/files/sweep.ts), its link stays. The sweep takes the rows
 * of candidature_fichier_a_effacer FOR UPDATE and every deletion of a file's row inserts one: an EXCLUSIVE lock on
 * that table, from before the snapshot until the links are made, waits for both to commit and holds them back
 * for that short time, so no file the snapshot names can go before it is linked.
 */
async function takeSnapshot(database: Database, client: pg.PoolClient, filesDir: string, staging: string) {
  const guard = new pg.Client(database.pool.options);
  guard.on('error', () => {});
  await guard.connect();
  try {
    await guard.query('begin');
    await guard.query(`do $$ begin
      if to_regclass('public.candidature_fichier_a_effacer') is not null then lock table candidature_fichier_a_effacer in exclusive mode; end if;
      end $$`);
    await client.query('begin isolation level repeatable read, read only');
    // As pg_dump does, before the snapshot (LOCK takes none): a TRUNCATE or a table rewrite (ALTER TABLE of a
    // newer Maillage's migration), which a snapshot does not see through, waits for the end of the backup.
    const { rows: tables } = await guard.query<{ name: string }>(`select c.relname::text as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`);
    if (tables.length) await client.query(`lock table ${tables.map((t) => quoted(t.name)).join(', ')} in access share mode`);
    await setCopySettings(client);
    const migrations = await appliedMigrations(client); // the first read: the snapshot is taken here
    const schema = await readSchema(client);
    const sequences = await sequenceStates(client, schema.sequences);
    const { linked, missing } = await linkFiles(await fileIds(client), filesDir, staging);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      migrations,
      tables: foreignKeyOrder(schema),
      sequences,
      files: linked.length,
    };
    return { header, files: linked, missingFiles: missing };
  } finally {
    await guard.end(); // ends its transaction, and the lock
  }
}

async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  try {
    return (await client.query<{ name: string }>('select name from schema_migration order by name')).rows.map((r) => r.name);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
    throw new BackupError('Cette base ne contient pas encore Maillage (aucune migration appliquée) : rien à sauvegarder.');
  }
}

/**
 * The sequences as they are, as pg_dump saves them: read after the snapshot (sequences are not transactional),
 * so never behind the rows; a restored instance goes on numbering where this one was, never reusing an id.
 */
async function sequenceStates(client: pg.ClientBase, names: string[]): Promise<BackupHeader['sequences']> {
  const states: BackupHeader['sequences'] = [];
  for (const name of names) {
    const { rows } = await client.query<{ lastValue: string; isCalled: boolean }>(
      `select last_value::text as "lastValue", is_called as "isCalled" from ${quoted(name)}`,
    );
    states.push({ name, ...rows[0]! });
  }
  return states;
}

async function fileIds(client: pg.ClientBase): Promise<string[]> {
  const {
    rows: [table],
  } = await client.query<{ present: boolean }>(`select to_regclass('public.candidature_fichier') is not null as present`);
  if (!table!.present) return [];
  // Evidence files of PTCE declarations live in the same folder (migration 0027).
  const evidence = (await client.query<{ present: boolean }>(`select to_regclass('public.ptce_declaration') is not null as present`)).rows[0]!.present
    ? ' union select fichier_id from ptce_declaration where fichier_id is not null'
    : '';
  // And the files of knowledge-base resources (migration 0038).
  const resources = (await client.query<{ present: boolean }>(`select to_regclass('public.ressource_fichier') is not null as present`)).rows[0]!.present
    ? ' union select id from ressource_fichier'
    : '';
  return (await client.query<{ id: string }>(`select id from candidature_fichier${evidence}${resources} order by id`)).rows.map((r) => r.id);
}

/** Hard links (instant, no copy), or copies where the file system has none. */
async function linkFiles(ids: string[], filesDir: string, staging: string) {
  const linked: string[] = [];
  const missing: string[] = [];
  if (ids.length) await mkdir(staging, { recursive: true, mode: 0o700 });
  for (const id of ids) {
    const from = storedPath(filesDir, id);
    const to = join(staging, id);
    try {
      await link(from, to).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? Promise.reject(error) : copyFile(from, to)));
      linked.push(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(id);
    }
  }
  return { linked, missing };
}

/** The content of the file, before gzip; counts each table's rows and the files' bytes into `counts`. */
async function* archive(
  client: pg.PoolClient,
  header: BackupHeader,
  staging: string,
  files: string[],
  counts: { rows: Record<string, number>; fileBytes: number },
) {
  yield jsonLine(header);
  for (const { name, columns } of header.tables) {
    const copy = client.query(copyTo(`copy ${quoted(name)} (${columns.map(quoted).join(', ')}) to stdout`));
    let count = 0;
    for await (const chunk of copy as AsyncIterable<Buffer>) {
      count += lineCount(chunk);
      yield chunk;
    }
    counts.rows[name] = count;
    yield END_OF_TABLE;
  }
  for (const id of files) {
    const path = join(staging, id);
    const { size } = await stat(path);
    yield jsonLine({ file: id, bytes: size });
    yield* exactly(path, size);
    counts.fileBytes += size;
  }
  yield jsonLine({ end: true, rows: counts.rows });
}

/** The announced bytes of a file, no more: the framing of the backup depends on it. */
async function* exactly(path: string, size: number) {
  if (size === 0) return;
  let sent = 0;
  for await (const chunk of createReadStream(path, { end: size - 1 }) as AsyncIterable<Buffer>) {
    sent += chunk.length;
    yield chunk;
  }
  if (sent !== size) throw new BackupError(`Le fichier joint ${path} a raccourci pendant la sauvegarde : recommencez-la.`);
}

const jsonLine = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);

/** COPY's text format writes one row per line (a newline inside a value is written « \n »). */
function lineCount(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}
