/**
 * The PostgreSQL server Maillage runs for itself when no DATABASE_URL is given. Every Maillage process of one
 * data folder talks to that one server: the first starts it, the others connect; the last to leave stops it.
 *
 * - Data in MAILLAGE_DATA_DIR/postgresql, readable by its owner only; reachable only through a Unix socket
 *   inside that folder (no TCP port), so only the owner of the folder can connect.
 * - The server runs detached: a kill -9 of Maillage leaves it running and the next process connects to it;
 *   a server killed itself leaves a pid file that PostgreSQL recognises as stale at the next start.
 * - Each process holds a shared advisory lock on a « presence » connection for its life. Leaving, a process
 *   tries the same lock exclusively: granted only when no other process is there, and then it stops the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, totalmem, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { locatePostgresBinaries, type PostgresBinaries } from './embedded-binaries.ts';

export const EMBEDDED_DATABASE = 'maillage';
const SUPERUSER = 'maillage';
const PRESENCE_LOCK_KEY = 7_263_002;
const SOCKET_PATH_MAX = 103; // sun_path holds 104 bytes on macOS, 108 on Linux
const START_TIMEOUT_MS = 60_000;

/** A fault of the embedded server, with a French message saying what to do. */
export class EmbeddedServerError extends Error {}

export interface EmbeddedServer {
  /** Connection string through the Unix socket. */
  url: string;
  dataDir: string;
  /** Leaves the server: stops it when no other Maillage process is connected. Returns whether it stopped. */
  leave(): Promise<boolean>;
}

/** Where the server of a data folder keeps its files. */
export function embeddedPaths(dataDir: string) {
  const pgdata = join(resolve(dataDir), 'postgresql');
  return { pgdata, socket: join(pgdata, '.s.PGSQL.5432'), startLog: join(resolve(dataDir), 'postgresql-demarrage.log') };
}

export function embeddedUrl(dataDir: string, database = EMBEDDED_DATABASE): string {
  return `postgresql://${SUPERUSER}@${encodeURIComponent(embeddedPaths(dataDir).pgdata)}/${database}`;
}

/** Connects to the server of `dataDir`, starting it (and initialising the folder) when it is not running. */
export async function joinEmbeddedServer(dataDir: string, { log = (_: string) => {} } = {}): Promise<EmbeddedServer> {
  const root = resolve(dataDir);
  const { pgdata, socket } = embeddedPaths(root);
  if (socket.length > SOCKET_PATH_MAX) {
    throw new EmbeddedServerError(
      `Le chemin de MAILLAGE_DATA_DIR (${root}) est trop long pour la prise locale de la base de données ` +
        `(${socket.length} caractères, ${SOCKET_PATH_MAX} au plus) : choisissez un dossier plus court.`,
    );
  }
  const binaries = await locatePostgresBinaries();
  const owner = serverOwner();
  prepareDataDir(root, owner);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0)
      throw damaged(root, 'le dossier postgresql existe mais n’est pas une base PostgreSQL (PG_VERSION manque)');
    log('Initialisation de la base de données embarquée…');
    initialise(root, binaries, owner);
  }
  checkVersion(root, binaries);
  const presence = await connectOrStart(root, binaries, owner, log);
  await ensureDatabase(presence);
  return {
    url: embeddedUrl(root),
    dataDir: root,
    leave: () => leave(root, presence),
  };
}

/** The user the server runs as: ourselves, or, for root (PostgreSQL refuses to run as root), the user postgres. */
interface Owner {
  uid: number;
  gid: number;
  name: string;
  root: boolean;
}

function serverOwner(): Owner {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, name: me.username, root: false };
  let ids = systemUserIds('postgres');
  if (!ids) {
    const created = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    ids = systemUserIds('postgres');
    if (!ids) {
      throw new EmbeddedServerError(
        'Maillage tourne en root, or PostgreSQL refuse de tourner en root, et l’utilisateur système « postgres » ' +
          `n’a pas pu être créé (${(created.stderr || created.error?.message || '').trim()}). Créez-le (useradd --system postgres) ou lancez Maillage avec un utilisateur ordinaire.`,
      );
    }
  }
  return { ...ids, name: 'postgres', root: true };
}

function systemUserIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The data folder: created if needed, closed to other users (0700; 0711 when the server runs as another user,
 * who must go through it to its own folder, without reading it).
 */
function prepareDataDir(root: string, owner: Owner): void {
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    accessSync(root, constants.W_OK | constants.X_OK);
    if (statSync(root).uid === userInfo().uid) chmodSync(root, owner.root ? 0o711 : 0o700);
  } catch (error) {
    throw new EmbeddedServerError(
      `Le dossier de données ${root} (MAILLAGE_DATA_DIR) ne peut pas être créé ou écrit ` +
        `(${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) : donnez-en les droits à l’utilisateur ${userInfo().username}, ou choisissez un autre dossier.`,
    );
  }
  if (owner.root) checkTraversable(root, owner);
}

/** The server's user must be able to go through every parent folder to reach its own. */
function checkTraversable(root: string, owner: Owner): void {
  for (let dir = root; ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const allowed = uid === owner.uid ? mode & 0o100 : gid === owner.gid ? mode & 0o010 : mode & 0o001;
    if (!allowed) {
      throw new EmbeddedServerError(
        `Le dossier ${dir} n’est pas traversable par l’utilisateur système « ${owner.name} » sous lequel ` +
          `tourne la base embarquée (Maillage étant lancé en root) : choisissez un MAILLAGE_DATA_DIR ailleurs (par exemple sous /var/lib), ou lancez Maillage avec un utilisateur ordinaire.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

/**
 * initdb into a folder of its own, then renamed into place: two processes initialising together cannot mix
 * their files, the second's folder is thrown away. UTF-8 with the builtin C.UTF-8 locale of PostgreSQL ≥ 17,
 * which exists on every system (no dependency on the machine's locales) and knows Unicode case.
 */
function initialise(root: string, binaries: PostgresBinaries, owner: Owner): void {
  const { pgdata } = embeddedPaths(root);
  const staging = join(root, `postgresql.init-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(staging, { mode: 0o700 });
  if (owner.root) chownSync(staging, owner.uid, owner.gid);
  const result = spawnSync(
    binaries.initdb,
    [
      '--pgdata',
      staging,
      '--username',
      SUPERUSER,
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--locale-provider',
      'builtin',
      '--builtin-locale',
      'C.UTF-8',
      '--locale',
      'C',
      '--no-instructions',
    ],
    { encoding: 'utf8', uid: owner.uid, gid: owner.gid, env: { ...process.env, LC_ALL: 'C' }, cwd: staging },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new EmbeddedServerError(
      `L’initialisation de la base de données embarquée dans ${root} a échoué : ` +
        `${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  // Only the owner, through the socket: no TCP, no other local user (the socket's folder is 0700).
  writeFileSync(
    join(staging, 'pg_hba.conf'),
    '# Maillage : connexions par la prise locale seulement, réservée au propriétaire du dossier.\nlocal all all trust\n',
  );
  if (owner.root) chownSync(join(staging, 'pg_hba.conf'), owner.uid, owner.gid);
  try {
    renameSync(staging, pgdata);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process initialised the folder first
  }
}

function checkVersion(root: string, binaries: PostgresBinaries): void {
  const folderVersion = readFileSync(join(embeddedPaths(root).pgdata, 'PG_VERSION'), 'utf8').trim();
  const major = binaries.version.split('.')[0];
  if (folderVersion !== major) {
    throw new EmbeddedServerError(
      `La base de données de ${root} a été créée par PostgreSQL ${folderVersion} et Maillage embarque PostgreSQL ${major} : ` +
        'restaurez-y une sauvegarde (npm run maillage -- sauvegarde / restauration) faite avec l’ancienne version, dans un dossier de données vide.',
    );
  }
}

function damaged(root: string, reason: string): EmbeddedServerError {
  return new EmbeddedServerError(
    `La base de données de ${root} est endommagée : ${reason}. Restaurez une sauvegarde dans un dossier de données vide ` +
      `(npm run maillage -- restauration FICHIER avec un autre MAILLAGE_DATA_DIR), puis remplacez l’ancien dossier.`,
  );
}

/** Settings sized for a small machine and a handful of Maillage processes; given at each start, so upgrades of Maillage retune them. */
function serverSettings(pgdata: string): string[] {
  const memoryMb = Math.floor(totalmem() / 1024 / 1024);
  const sharedBuffersMb = Math.min(256, Math.max(32, Math.floor(memoryMb / 16)));
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: pgdata,
    unix_socket_permissions: '0700',
    max_connections: '100',
    shared_buffers: `${sharedBuffersMb}MB`,
    effective_cache_size: `${Math.min(4096, Math.floor(memoryMb / 4))}MB`,
    work_mem: '16MB',
    maintenance_work_mem: '128MB',
    max_worker_processes: String(Math.max(4, availableParallelism())),
    max_parallel_workers_per_gather: String(Math.max(1, Math.floor(availableParallelism() / 2))),
    wal_compression: 'on',
    max_wal_size: '1GB',
    logging_collector: 'on',
    log_directory: 'log',
    log_filename: 'postgresql-%a.log',
    log_truncate_on_rotation: 'on',
    log_rotation_age: '1d',
    log_rotation_size: '0',
    lc_messages: 'C',
    timezone: 'UTC',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function spawnServer(root: string, binaries: PostgresBinaries, owner: Owner) {
  const { pgdata, startLog } = embeddedPaths(root);
  const logFd = openSync(startLog, 'w', 0o600);
  try {
    // Detached (a session of its own): signals sent to Maillage's terminal or a kill -9 of Maillage leave it running.
    const child = spawn(binaries.postgres, ['-D', pgdata, ...serverSettings(pgdata)], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      uid: owner.uid,
      gid: owner.gid,
      cwd: pgdata,
      env: { ...process.env, LC_ALL: 'C' },
    });
    child.on('error', () => {});
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}

function presenceClient(root: string): pg.Client {
  const client = new pg.Client({ connectionString: embeddedUrl(root, 'postgres'), application_name: 'maillage-presence', connectionTimeoutMillis: 5000 });
  client.on('error', () => {}); // the server stopping under us: the process is leaving or will see it on its next query
  return client;
}

/** Server not running yet, starting, or shutting down: worth waiting for. */
function isTransient(error: unknown): boolean {
  const { code } = error as { code?: string };
  return (
    code === 'ENOENT' ||
    code === 'ECONNREFUSED' ||
    code === '57P03' ||
    code === '57P01' ||
    code === 'ECONNRESET' ||
    /Connection terminated|timeout/i.test((error as Error).message ?? '')
  );
}

/**
 * Connects the presence connection, starting the server when nobody answers. A second process starting at the
 * same moment finds PostgreSQL's lock file and simply waits for the first; a stale lock file is PostgreSQL's to
 * recognise. A server that exits on its own before answering is reported with the end of its log.
 */
async function connectOrStart(root: string, binaries: PostgresBinaries, owner: Owner, log: (line: string) => void): Promise<pg.Client> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let child: ReturnType<typeof spawnServer> | undefined;
  let exited: { code: number | null } | undefined;
  for (let attempt = 0; ; attempt++) {
    const client = presenceClient(root);
    try {
      await client.connect();
      await client.query('select pg_advisory_lock_shared($1)', [PRESENCE_LOCK_KEY]);
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      if (!isTransient(error)) throw new EmbeddedServerError(`La base de données embarquée de ${root} refuse la connexion : ${(error as Error).message}`);
    }
    if (Date.now() > deadline) throw startFailure(root, 'elle n’a pas répondu en 60 secondes');
    if (exited && !lockedByLiveServer(root)) {
      const reason = startLogTail(root);
      if (!/lock file .* already exists|could not bind|is another postmaster/i.test(reason)) throw startFailure(root, reason);
      child = exited = undefined; // another process's server was in the way and has gone: start again
    }
    if (!child && !lockedByLiveServer(root)) {
      if (attempt === 0) log('Démarrage de la base de données embarquée…');
      child = spawnServer(root, binaries, owner);
      child.once('exit', (code) => {
        exited = { code };
      });
    }
    await new Promise((done) => setTimeout(done, attempt < 20 ? 50 : 250));
  }
}

/** Whether postmaster.pid names a process that is alive (it may be starting, or shutting down). */
function lockedByLiveServer(root: string): boolean {
  const pidFile = join(embeddedPaths(root).pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // After a crash the number may have been given to another program: on Linux, look at what it runs.
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync('/proc/self') || (existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes('postgres'));
}

function startLogTail(root: string): string {
  const { startLog } = embeddedPaths(root);
  const text = existsSync(startLog) ? readFileSync(startLog, 'utf8') : '';
  return (
    text
      .trim()
      .split('\n')
      .filter((line) => !/^\s*$/.test(line))
      .slice(-4)
      .join(' ')
      .slice(0, 600) || 'le serveur s’est arrêté sans rien dire'
  );
}

function startFailure(root: string, reason: string): EmbeddedServerError {
  const { startLog } = embeddedPaths(root);
  const hint = /permission denied/i.test(reason)
    ? 'Vérifiez les droits sur ce dossier.'
    : /No space left/i.test(reason)
      ? 'Libérez de la place sur le disque.'
      : `Si le dossier a été endommagé, restaurez une sauvegarde dans un dossier de données vide (npm run maillage -- restauration FICHIER).`;
  return new EmbeddedServerError(`La base de données embarquée de ${root} n’a pas pu démarrer : ${reason}. ${hint} Journal : ${startLog}`);
}

async function ensureDatabase(presence: pg.Client): Promise<void> {
  const { rowCount } = await presence.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE]);
  if (rowCount) return;
  try {
    await presence.query(`create database ${EMBEDDED_DATABASE}`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04' && (error as { code?: string }).code !== '23505') throw error; // created by another process meanwhile
  }
}

/**
 * Called once the process has closed its own pool. The exclusive lock is granted only when no other process
 * holds its shared one; a process arriving meanwhile waits on the lock, sees the server go and starts it again.
 */
async function leave(root: string, presence: pg.Client): Promise<boolean> {
  try {
    await presence.query('select pg_advisory_unlock_shared($1)', [PRESENCE_LOCK_KEY]);
    const { rows } = await presence.query<{ last: boolean }>('select pg_try_advisory_lock($1) as last', [PRESENCE_LOCK_KEY]);
    if (!rows[0]?.last) return false;
    await stopServer(root);
    return true;
  } finally {
    await presence.end().catch(() => {});
  }
}

/** Fast shutdown (sessions ended, everything committed stays), then waits for the server to be gone. */
export async function stopServer(root: string, timeoutMs = 30_000): Promise<void> {
  const pidFile = join(embeddedPaths(root).pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
