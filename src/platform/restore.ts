/**
 * Restores a backup (format in backup.ts) into an empty database, in one transaction: the migrations the backup
 * lists, then its rows, COPY FROM STDIN table after table, with the triggers of the tables off so that none
 * rewrites a restored row (search words, generation counter, public_since…). The whole file is read and checked
 * before the commit: a file cut short or damaged rolls everything back. The files of applications are written
 * aside meanwhile and put in place once the data has committed. The next normal start applies the newer
 * migrations of this code.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { FILE_ID, storedPath } from './file-store.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  backupHeaderSchema,
  END_OF_TABLE,
  fileEntrySchema,
  quoted,
  readSchema,
  setCopySettings,
  trailerSchema,
  type BackupHeader,
  type Schema,
} from './backup.ts';
import type { Database, ScriptSession } from '../db/database.ts';
import { applyMigrations, lockMigrations, migrationNames } from '../db/migrate.ts';

/** Longest JSON line read (header, file entries, trailer): a damaged file cannot make the reader hold more. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** The decompressed content of a backup, read once from start to end. */
class BackupReader {
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly damaged: (cause?: unknown) => BackupError,
  ) {}

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch (error) {
      throw this.damaged(error); // gzip: not gzip, cut short, or a wrong checksum
    }
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, next.value]) : next.value;
    return true;
  }

  async line(): Promise<string> {
    for (let from = 0; ; ) {
      const end = this.pending.indexOf(10, from);
      if (end !== -1) {
        const text = this.pending.subarray(0, end).toString('utf8');
        this.pending = this.pending.subarray(end + 1);
        return text;
      }
      from = this.pending.length;
      if (from > MAX_LINE_BYTES || !(await this.more())) throw this.damaged();
    }
  }

  async json(): Promise<unknown> {
    const text = await this.line();
    try {
      return JSON.parse(text);
    } catch {
      throw this.damaged();
    }
  }

  /** A table's rows, up to its end marker, which must begin a line. */
  async *tableRows(): AsyncGenerator<Buffer> {
    let atLineStart = true;
    for (;;) {
      const end = endMarker(this.pending, atLineStart);
      if (end !== -1) {
        if (end > 0) yield this.pending.subarray(0, end);
        this.pending = this.pending.subarray(end + END_OF_TABLE.length);
        return;
      }
      // The last bytes may be the start of a marker cut by the chunk's end: kept for the next look.
      const kept = markerStart(this.pending, atLineStart);
      const ready = this.pending.subarray(0, this.pending.length - kept);
      if (ready.length) {
        atLineStart = ready[ready.length - 1] === 10;
        yield ready;
      }
      this.pending = this.pending.subarray(ready.length);
      if (!(await this.more())) throw this.damaged();
    }
  }

  async *bytes(count: number): AsyncGenerator<Buffer> {
    let left = count;
    while (left > 0) {
      if (!this.pending.length && !(await this.more())) throw this.damaged();
      const part = this.pending.subarray(0, left);
      this.pending = this.pending.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  /** Reads to the very end (where gzip checks its checksum and length): nothing may follow the trailer. */
  async atEnd(): Promise<boolean> {
    while (!this.pending.length) if (!(await this.more())) return true;
    return false;
  }
}

/** Where END_OF_TABLE begins a line of `buffer`, or -1. */
function endMarker(buffer: Buffer, atLineStart: boolean): number {
  for (let at = buffer.indexOf(END_OF_TABLE); at !== -1; at = buffer.indexOf(END_OF_TABLE, at + 1)) {
    if (at === 0 ? atLineStart : buffer[at - 1] === 10) return at;
  }
  return -1;
}

/** How many bytes at the end of `buffer` begin a line as END_OF_TABLE begins (at most its length less one). */
function markerStart(buffer: Buffer, atLineStart: boolean): number {
  const lineStart = buffer.lastIndexOf(10) + 1;
  if (lineStart === 0 && !atLineStart) return 0;
  const tail = buffer.subarray(lineStart);
  return tail.length < END_OF_TABLE.length && END_OF_TABLE.subarray(0, tail.length).equals(tail) ? tail.length : 0;
}

export interface OpenedBackup {
  path: string;
  header: BackupHeader;
  reader: BackupReader;
  /** The refusal of a file found cut short or damaged, with what showed it. */
  damaged(cause?: unknown): BackupError;
  close(): void;
}

/** Opens a backup and checks its header, before any database is touched. */
export async function openBackup(path: string): Promise<OpenedBackup> {
  try {
    if (!(await stat(path)).isFile()) throw new BackupError(`${path} n’est pas un fichier.`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Le fichier ${path} est introuvable ou illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  const notBackup = () => new BackupError(`Le fichier ${path} n’est pas une sauvegarde de Maillage.`);
  const damaged = (cause?: unknown) =>
    new BackupError(
      `Le fichier ${path} est incomplet ou endommagé` +
        `${cause ? ` (${cause instanceof Error ? cause.message : String(cause)})` : ''} : rien n’a été restauré.`,
    );
  const close = () => void gunzip.destroy();
  const reader = new BackupReader(gunzip[Symbol.asyncIterator](), damaged);
  try {
    const header = checkHeader(await reader.json().catch(() => Promise.reject(notBackup())), path);
    return { path, header, reader, damaged, close };
  } catch (error) {
    close();
    throw error;
  }
}

function checkHeader(value: unknown, path: string): BackupHeader {
  const { format, version } = (value ?? {}) as { format?: unknown; version?: unknown };
  if (format !== BACKUP_FORMAT) throw new BackupError(`Le fichier ${path} n’est pas une sauvegarde de Maillage.`);
  if (version !== BACKUP_VERSION) {
    throw new BackupError(
      `La sauvegarde ${path} est au format ${String(version)}, que cette version de Maillage ne lit pas (format ${BACKUP_VERSION}) : mettez Maillage à jour.`,
    );
  }
  const parsed = backupHeaderSchema.safeParse(value);
  if (!parsed.success) throw new BackupError(`L’en-tête de la sauvegarde ${path} est endommagé : rien n’a été restauré.`);
  const known = new Set(migrationNames());
  const unknown = parsed.data.migrations.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new BackupError(
      `La sauvegarde ${path} vient d’une version plus récente de Maillage (migrations inconnues ici : ${unknown.join(', ')}) : ` +
        'mettez Maillage à jour, puis restaurez-la.',
    );
  }
  return parsed.data;
}

export interface RestoreSummary {
  migrations: number;
  /** Migrations of this code newer than the backup, applied at the next start. */
  newerMigrations: number;
  tables: number;
  rows: number;
  files: number;
  ms: number;
}

export async function restoreBackup(database: Database, backup: OpenedBackup, filesDir: string): Promise<RestoreSummary> {
  const started = performance.now();
  const staging = join(filesDir, 'tmp', `restauration-${randomBytes(6).toString('hex')}`);
  const client = await database.pool.connect();
  let broken: Error | undefined;
  let rows: Record<string, number>;
  try {
    await client.query('begin');
    rows = await load(client, backup, staging);
    await client.query('commit');
  } catch (error) {
    broken = error as Error; // rolled back with the connection, which may be in the middle of a COPY
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    client.release(broken);
    backup.close();
  }
  await placeFiles(staging, filesDir);
  return {
    migrations: backup.header.migrations.length,
    newerMigrations: migrationNames().length - backup.header.migrations.length,
    tables: backup.header.tables.length,
    rows: Object.values(rows).reduce((sum, n) => sum + n, 0),
    files: backup.header.files,
    ms: performance.now() - started,
  };
}

/** Everything but the commit: schema, rows, sequences, and the files into `staging`; returns each table's rows. */
async function load(client: pg.PoolClient, backup: OpenedBackup, staging: string): Promise<Record<string, number>> {
  const { header, reader } = backup;
  const session: ScriptSession = {
    exec: async (script) => void (await client.query(script)),
    query: async (text, params) => (await client.query(text, params)).rows,
  };
  await lockMigrations(session); // an instance starting meanwhile waits, then finds the restored data
  await refuseUnlessEmpty(client);
  await applyMigrations(session, header.migrations);
  checkSchema(header, await readSchema(client));
  await setCopySettings(client);
  const tables = header.tables.map(({ name }) => quoted(name));
  await client.query(tables.map((table) => `alter table ${table} disable trigger user;`).join('\n'));
  await client.query(`truncate ${tables.join(', ')}`); // the rows the migrations wrote: the backup has its own
  const rows = await copyTables(client, backup);
  await receiveFiles(reader, header.files, staging);
  checkTrailer(await reader.json(), rows, backup);
  if (!(await reader.atEnd()))
    throw new BackupError(`Le fichier ${backup.path} continue après la fin de la sauvegarde : il est endommagé, rien n’a été restauré.`);
  await client.query(tables.map((table) => `alter table ${table} enable trigger user;`).join('\n'));
  for (const { name, lastValue, isCalled } of header.sequences) {
    await client.query('select setval($1::regclass, $2::bigint, $3)', [quoted(name), lastValue, isCalled]);
  }
  return rows;
}

async function refuseUnlessEmpty(client: pg.ClientBase): Promise<void> {
  const {
    rows: [found],
  } = await client.query<{ tables: number }>(`select count(*)::int as tables from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`);
  if (found!.tables > 0) {
    throw new BackupError(
      `La base cible n’est pas vide (${found!.tables} tables) : une sauvegarde se restaure dans un MAILLAGE_DATA_DIR neuf, ` +
        'ou dans une base PostgreSQL vide (DATABASE_URL). Rien n’a été modifié.',
    );
  }
}

/** The migrations must have made exactly the tables, columns and sequences of the backup, in an order its rows can load in. */
function checkSchema(header: BackupHeader, schema: Schema): void {
  const mismatch = (what: string) =>
    new BackupError(
      `La sauvegarde ne correspond pas au schéma que créent ses migrations (${what}) : ` +
        'elle ne vient pas de Maillage, ou sa base avait été modifiée à la main. Rien n’a été modifié.',
    );
  const made = new Map(schema.tables.map((table) => [table.name, [...table.columns].sort().join(',')]));
  const saved = new Map(header.tables.map((table) => [table.name, [...table.columns].sort().join(',')]));
  for (const name of new Set([...made.keys(), ...saved.keys()])) {
    if (made.get(name) !== saved.get(name)) throw mismatch(`table ${name}`);
  }
  if (
    [...schema.sequences].sort().join(',') !==
    header.sequences
      .map((s) => s.name)
      .sort()
      .join(',')
  )
    throw mismatch('séquences');
  const position = new Map(header.tables.map((table, index) => [table.name, index]));
  const late = schema.references.find(({ child, parent }) => position.get(parent)! > position.get(child)!);
  if (late) throw mismatch(`${late.child} vient avant ${late.parent}, qu’elle référence`);
}

/** The schema being the backup's, a row PostgreSQL refuses can only come from a damaged file. */
async function copyTables(client: pg.PoolClient, backup: OpenedBackup): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const { name, columns } of backup.header.tables) {
    const copy = client.query(copyFrom(`copy ${quoted(name)} (${columns.map(quoted).join(', ')}) from stdin`));
    try {
      await pipeline(Readable.from(backup.reader.tableRows()), copy);
    } catch (error) {
      throw error instanceof BackupError ? error : backup.damaged(`table ${name} : ${(error as Error).message}`);
    }
    rows[name] = copy.rowCount;
  }
  return rows;
}

async function receiveFiles(reader: BackupReader, count: number, staging: string): Promise<void> {
  if (count) await mkdir(staging, { recursive: true, mode: 0o700 });
  for (let index = 0; index < count; index++) {
    const entry = fileEntrySchema.safeParse(await reader.json());
    // The id becomes a path: only the ids Maillage makes (no folder, no « .. »).
    if (!entry.success || !FILE_ID.test(entry.data.file)) throw new BackupError('Un fichier joint de la sauvegarde est mal décrit : rien n’a été restauré.');
    await pipeline(Readable.from(reader.bytes(entry.data.bytes)), createWriteStream(join(staging, entry.data.file), { flags: 'wx', mode: 0o600 }));
  }
}

function checkTrailer(value: unknown, rows: Record<string, number>, backup: OpenedBackup): void {
  const trailer = trailerSchema.safeParse(value);
  const expected = trailer.success ? trailer.data.rows : {};
  const wrong = backup.header.tables.find(({ name }) => expected[name] !== rows[name]);
  if (!trailer.success || wrong) {
    throw new BackupError(
      `Le fichier ${backup.path} est endommagé${wrong ? ` (table ${wrong.name} : ${rows[wrong.name]} lignes lues, ${expected[wrong.name]} annoncées)` : ''} : rien n’a été restauré.`,
    );
  }
}

/** After the commit: the files go where folderStore (features/files/storage.ts) looks for them. */
async function placeFiles(staging: string, filesDir: string): Promise<void> {
  const ids = await readdir(staging).catch(() => [] as string[]);
  for (const id of ids) {
    await mkdir(join(filesDir, id.slice(0, 2)), { recursive: true, mode: 0o700 });
    await rename(join(staging, id), storedPath(filesDir, id));
  }
  await rm(staging, { recursive: true, force: true });
}
