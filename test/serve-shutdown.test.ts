/**
 * Stopping `maillage serve`: a client that sent its headers and half a body does not hold the stop; the
 * process cuts it after the grace period, exits cleanly and leaves the database stopped behind it.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { newDataDir, removeDataDir, startServe } from './support/processes.ts';

const dataDir = newDataDir();
after(() => removeDataDir(dataDir));

test('SIGTERM pendant une requête à moitié envoyée : le serveur coupe et s’arrête proprement', async () => {
  const web = await startServe(dataDir);
  const { port } = new URL(web.base);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((done) => socket.once('connect', done));
  socket.write('POST /compte/connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a');
  const cut = new Promise<void>((done) => socket.once('close', () => done()));
  socket.on('error', () => {});
  await new Promise((done) => setTimeout(done, 200));

  const exited = new Promise<number | null>((done) => web.child.once('exit', (code) => done(code)));
  web.child.kill('SIGTERM');
  // The request alone could keep the connection two minutes (requestTimeout): the stop does not wait for it.
  const outcome = await Promise.race([exited, new Promise<'still running'>((done) => setTimeout(() => done('still running'), 60_000))]);
  assert.equal(outcome, 0, web.output());
  await cut;
  assert.equal(socket.destroyed, true);
});
