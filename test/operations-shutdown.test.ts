/**
 * Stopping `maillage serve` on SIGTERM, as systemd does: new connections are refused at once, a request
 * already in flight still gets its whole answer (within the grace period), the job worker stops, and the
 * process exits 0. (serve-shutdown.test.ts checks the other side: what overstays the grace period is cut.)
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { createServerDatabase } from './support/databases.ts';
import { newDataDir, removeDataDir, startServe } from './support/processes.ts';

const dataDir = newDataDir();
let database: { url: string; drop(): Promise<void> } | undefined;
after(async () => {
  await database?.drop();
  await removeDataDir(dataDir);
});

test('SIGTERM : plus de nouvelle connexion, la requête en cours reçoit sa réponse, sortie 0', async () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  assert.ok(adminUrl, 'ce test se lance par scripts/test.ts, qui démarre le serveur PostgreSQL');
  database = await createServerDatabase(adminUrl, 'maillage_arret', process.env.TEST_TEMPLATE_DATABASE);
  const web = await startServe(dataDir, { DATABASE_URL: database.url, JOBS_POLL_SECONDS: '1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
  const { port } = new URL(web.base);

  // A request in flight: its headers and half its body are sent before the signal, the rest after it.
  const body = 'email=personne%40exemple.fr&mot_de_passe=x';
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((done) => socket.once('connect', done));
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  socket.write(
    `POST /compte/connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  await new Promise((done) => setTimeout(done, 200));

  const exited = new Promise<number | null>((done) => web.child.once('exit', (code) => done(code)));
  web.child.kill('SIGTERM');
  for (let waited = 0; !/Arrêt demandé/.test(web.output()); waited += 20) {
    assert.ok(waited < 5_000, web.output());
    await new Promise((done) => setTimeout(done, 20));
  }
  await assert.rejects(fetch(`${web.base}/sante/vivant`), 'une nouvelle connexion est refusée');

  socket.write(body.slice(10));
  await closed;
  assert.match(answer, /^HTTP\/1\.1 (303|400|401|403) /, 'la requête commencée avant l’arrêt a reçu sa réponse entière');
  assert.equal(await exited, 0, web.output());
  const lines = web
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  assert.deepEqual(
    lines.filter((line) => line.level >= 50).map((line) => line.msg),
    [],
    'ni erreur de la file des tâches ni requête coupée',
  );
});
