// Runs the test suite: every *.test.ts under src/ and test/ through Node's test runner with tsx, on one real
// PostgreSQL server: the embedded one, started here in a temporary folder and stopped at the end, or the
// server of TEST_DATABASE_URL (a role with CREATEDB). A template database with the migrations and the COG is
// prepared once; each suite copies it into a database of its own (test/support/databases.ts).
// Arguments, when given, replace the list (files or folders): `npm test -- test/e2e-atlas.test.ts`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { loadCogIfEmpty } from '../src/data/cog.ts';
import { openDatabase } from '../src/db/database.ts';
import { embeddedUrl, joinEmbeddedServer, stopServer } from '../src/db/embedded-server.ts';
import { migrate } from '../src/db/migrate.ts';
import { createServerDatabase } from '../test/support/databases.ts';

const root = new URL('..', import.meta.url).pathname;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'var', '.git']);

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : testFiles(path);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const requested = process.argv.slice(2);
const roots = requested.length ? requested.map((arg) => join(process.cwd(), arg)) : [join(root, 'src'), join(root, 'test')];
const missing = roots.filter((path) => !existsSync(path));
if (missing.length) {
  console.error(`Introuvable : ${missing.join(', ')}`);
  process.exit(1);
}
const files = roots
  .flatMap(testFiles)
  .map((path) => relative(root, path).split(sep).join('/'))
  .sort();
if (files.length === 0) {
  console.error('Aucun fichier de test (*.test.ts) trouvé.');
  process.exit(1);
}

// The server: TEST_DATABASE_URL's, or an embedded one of our own in a short temporary path (its socket lives there).
const scratch = process.env.TEST_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'maillage-test-'));
const server = scratch ? await joinEmbeddedServer(scratch) : undefined;
const adminUrl = process.env.TEST_DATABASE_URL ?? embeddedUrl(scratch!, 'postgres');
const template = await createServerDatabase(adminUrl, 'maillage_template');
const prepared = await openDatabase({ url: template.url, poolSize: 2 });
await migrate(prepared);
await loadCogIfEmpty(prepared.db);
await prepared.close();

const cleanUp = async () => {
  await template.drop().catch(() => {});
  if (server) {
    if (!(await server.leave())) await stopServer(server.dataDir);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
};

// Two cores: files run two at a time (each on its own database); TEST_CONCURRENCY overrides.
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(1, Math.min(4, availableParallelism())));
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: adminUrl, TEST_TEMPLATE_DATABASE: template.name },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  await cleanUp();
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
