/**
 * The embedded database server as users meet it: the built `maillage` command in child processes on a data
 * folder of the test's own. Several processes on one folder share one server; a kill -9 loses nothing
 * acknowledged; nothing is open to other users; faults give a French message and a non-zero exit.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../src/db/database.ts';
import { embeddedPaths } from '../src/db/embedded-server.ts';
import { newDataDir, openToOthers, removeDataDir, runCommand, signUpOverHttp, startServe, stopProcess, type ServeProcess } from './support/processes.ts';

const folders: string[] = [];
const servers: ServeProcess[] = [];
const dataDir = () => {
  const dir = newDataDir();
  folders.push(dir);
  return dir;
};
const serve = async (dir: string, extra: Record<string, string> = {}) => {
  const server = await startServe(dir, { TRUST_PROXY: 'true', ...extra });
  servers.push(server);
  return server;
};
const emailsIn = async (dir: string) => {
  const database = await openDatabase({ dataDir: dir, poolSize: 1 });
  try {
    return new Set((await rows<{ email: string }>(database.db, sql`select email from account`)).map((r) => r.email));
  } finally {
    await database.close();
  }
};
const postmasterRunning = (dir: string) => {
  try {
    process.kill(Number(readFileSync(join(embeddedPaths(dir).pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]), 0);
    return true;
  } catch {
    return false;
  }
};

after(async () => {
  for (const server of servers) await stopProcess(server.child, 'SIGKILL');
  for (const dir of folders) await removeDataDir(dir);
});

describe('Base embarquée : un serveur PostgreSQL par dossier de données', () => {
  test('une commande lancée à côté du serveur web est vue aussitôt, et après un redémarrage', async () => {
    const dir = dataDir();
    const web = await serve(dir);
    const saved = await runCommand(dir, ['territoire-projet', '--nom', 'Pays X', '--type', 'pays', '--communes', '26281,26057']);
    assert.equal(saved.code, 0, saved.stderr);
    const check = async (base: string) => {
      assert.equal((await fetch(`${base}/api/v1/territoires/projet/pays-x`)).status, 200);
      assert.equal((await fetch(`${base}/territoires/projet/pays-x`)).status, 200);
      assert.equal((await fetch(`${base}/api/v1/organisations?territoire=pays-x`)).status, 200);
    };
    await check(web.base);
    assert.ok(postmasterRunning(dir), 'le serveur de base reste là tant que le serveur web tourne');
    await stopProcess(web.child);
    assert.equal(postmasterRunning(dir), false, 'le dernier processus qui part arrête la base');
    await check((await serve(dir)).base);
    assert.deepEqual(openToOthers(dir), [], 'rien n’est lisible ni modifiable par les autres utilisateurs');
  });

  test('deux serveurs web sur un dossier : toutes les écritures des deux sont gardées', async () => {
    const dir = dataDir();
    const [first, second] = [await serve(dir), await serve(dir)];
    const written = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const email = `personne${i}@exemple.fr`;
        const status = await signUpOverHttp(i % 2 ? first.base : second.base, email, `203.0.113.${i + 1}`);
        return { email, status };
      }),
    );
    assert.deepEqual(
      written.map((w) => w.status),
      written.map(() => 303),
    );
    await stopProcess(first.child);
    assert.ok(postmasterRunning(dir), 'l’autre serveur web tient encore la base');
    const emails = await emailsIn(dir);
    for (const { email } of written) assert.ok(emails.has(email), email);
    await stopProcess(second.child);
  });

  test('kill -9 pendant un flot d’écritures, puis redémarrage : chaque écriture acquittée est là', async () => {
    const dir = dataDir();
    const web = await serve(dir);
    const acknowledged: string[] = [];
    let n = 0;
    const writer = async () => {
      for (;;) {
        const email = `flot${++n}@exemple.fr`;
        const status = await signUpOverHttp(web.base, email, `198.51.100.${(n % 250) + 1}`).catch(() => 0);
        if (status !== 303) return;
        acknowledged.push(email);
      }
    };
    const writers = [writer(), writer(), writer()];
    while (acknowledged.length < 12) await new Promise((done) => setTimeout(done, 50));
    await stopProcess(web.child, 'SIGKILL');
    await Promise.all(writers);
    const restarted = await serve(dir);
    const emails = await emailsIn(dir);
    assert.deepEqual(
      acknowledged.filter((email) => !emails.has(email)),
      [],
    );
    await stopProcess(restarted.child);
  });

  test('un serveur de base tué (pid périmé) est relancé par le démarrage suivant', async () => {
    const dir = dataDir();
    assert.equal((await runCommand(dir, ['migrate'])).code, 0);
    const web = await serve(dir);
    const pid = Number(readFileSync(join(embeddedPaths(dir).pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    await stopProcess(web.child, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    await new Promise((done) => setTimeout(done, 500));
    const again = await runCommand(dir, ['migrate']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Base à jour/);
  });
});

describe('Base embarquée : pannes et mauvaises entrées', () => {
  test('un dossier de données impossible à créer', async () => {
    const parent = dataDir();
    writeFileSync(join(parent, 'fichier'), '');
    const result = await runCommand(join(parent, 'fichier', 'var'), ['migrate']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Le dossier de données .* ne peut pas être créé ou écrit/);
  });

  test('un dossier de base endommagé est signalé sans rien toucher', async () => {
    const dir = dataDir();
    assert.equal((await runCommand(dir, ['migrate'])).code, 0);
    rmSync(join(embeddedPaths(dir).pgdata, 'global', 'pg_control'));
    const result = await runCommand(dir, ['migrate']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /n’a pas pu démarrer : .*restaurez une sauvegarde/s);

    const other = dataDir();
    mkdirSync(join(other, 'postgresql'));
    writeFileSync(join(other, 'postgresql', 'notes.txt'), 'pas une base');
    const garbage = await runCommand(other, ['migrate']);
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /endommagée : le dossier postgresql existe mais n’est pas une base PostgreSQL/);
    assert.equal(readFileSync(join(other, 'postgresql', 'notes.txt'), 'utf8'), 'pas une base');
  });

  test('un port déjà pris : message en français, et la base est arrêtée', async () => {
    const dir = dataDir();
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCommand(dir, ['serve'], { PORT: String(port), HOST: '127.0.0.1' });
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Le port ${port} est déjà utilisé`));
      assert.equal(postmasterRunning(dir), false);
    } finally {
      blocker.close();
    }
  });
});
