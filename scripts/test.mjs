// Runs the test suite: every *.test.ts under src/ and test/, one file at a time, through Node's test runner
// with tsx. Node 20 does not expand glob patterns given to --test (Node ≥ 21 does), so the files are listed
// here. Arguments, when given, replace the list (files or folders): `node scripts/test.mjs test/e2e-atlas.test.ts`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'var', '.git']);

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...testFiles(path));
    } else if (entry.isFile() && entry.name.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found;
}

const requested = process.argv.slice(2);
const roots = requested.length ? requested.map((arg) => join(process.cwd(), arg)) : [join(root, 'src'), join(root, 'test')];
const missing = roots.filter((path) => !existsSync(path));
if (missing.length) {
  console.error(`Introuvable : ${missing.join(', ')}`);
  process.exit(1);
}
const files = roots.flatMap(testFiles).map((path) => relative(root, path).split(sep).join('/')).sort();
if (files.length === 0) {
  console.error('Aucun fichier de test (*.test.ts) trouvé.');
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
