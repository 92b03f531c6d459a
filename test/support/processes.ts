/**
 * Maillage as users run it: the built command (dist/maillage.js) in child processes on a data folder of the
 * test's own, with the embedded database server those processes share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopServer } from '../../src/db/embedded-server.ts';

const CLI = new URL('../../dist/maillage.js', import.meta.url).pathname;

/** Whether a program the test needs (nginx, Caddy…) is installed at this path and can run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'maillage-cli-'));
}

/** Stops the folder's database server if a test left it running, and removes the folder. */
export async function removeDataDir(dataDir: string): Promise<void> {
  await stopServer(dataDir).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}

function environment(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return { ...inherited, MAILLAGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', JOBS_POLL_SECONDS: '0', ...extra };
}

/** Runs `maillage <args>` to its end. */
export function runCommand(dataDir: string, args: string[], extra: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: environment(dataDir, extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `maillage <args>` and returns the child, for a test that stops it on its own (kill -9 mid-way). */
export function startCommand(dataDir: string, args: string[], extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: environment(dataDir, extra), stdio: 'ignore' });
}

export interface ServeProcess {
  child: ChildProcess;
  base: string;
  output(): string;
}

/** Starts `maillage serve` on a free port and waits until it answers. */
export async function startServe(dataDir: string, extra: Record<string, string> = {}): Promise<ServeProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CLI, 'serve'], { env: environment(dataDir, { PORT: String(port), HOST: '127.0.0.1', BASE_URL: base, ...extra }) });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve n’a pas démarré en 90 s :\n${output}`)), 90_000);
    const check = () => {
      if (/Maillage est prêt/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve s’est arrêté (code ${code}) :\n${output}`));
    });
  });
  return { child, base, output: () => output };
}

/** Sends a signal and waits for the process to be gone. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every file and folder under `root`, itself included, that another user could read or write. */
export function openToOthers(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.mode & 0o066) found.push(`${path} (${(stats.mode & 0o777).toString(8)})`);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

/** Signs up a new account through the real HTTP server, as a browser would (CSRF cookie and field). */
export async function signUpOverHttp(base: string, email: string, clientAddress: string): Promise<number> {
  const headers = { 'x-forwarded-for': clientAddress, 'x-forwarded-proto': 'https' };
  const form = await fetch(`${base}/compte/inscription`, { headers });
  const cookie = (form.headers.getSetCookie().find((c) => /^(__Host-)?maillage_csrf=/.test(c)) ?? '').split(';')[0]!;
  const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const response = await fetch(`${base}/compte/inscription`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, nom: 'Personne de test', mot_de_passe: 'une phrase de passe assez longue' }).toString(),
  });
  return response.status;
}
