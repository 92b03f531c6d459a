/**
 * Answers that do not come from a route: Node's HTTP parser (431, malformed request),
 * Fastify's router (path parameter too long: 414, bad URL), its body parsers (400, 413, 415) and unknown
 * routes. Every one is French, carries the security headers, is problem+json under /api and an HTML page
 * titled by its status elsewhere, and never echoes the URL it refused.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs } from './support/accounts.ts';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes to the listening server and reads its whole answer (the server closes after an error). */
function rawRequest(port: number, request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

const LONG = 'x'.repeat(250);

/** French, with the security headers; problem+json under /api, else a page whose title says the status. */
function assertFrenchAnswer(answer: Answer, status: number, api: boolean, title: RegExp) {
  assert.equal(answer.status, status, answer.body.slice(0, 300));
  assert.match(answer.headers['content-security-policy'] ?? '', /default-src 'self'/, 'CSP');
  assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  assert.equal(answer.headers['referrer-policy'], 'strict-origin-when-cross-origin');
  assert.doesNotMatch(answer.body, /Bad Request|Not Found|Exceeded|Payload Too Large|Unsupported|is exceeding|FST_ERR|statusCode/);
  assert.ok(!answer.body.includes(LONG), `l’adresse refusée n’est pas recopiée : ${answer.body.slice(0, 300)}`);
  if (api) {
    assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/);
    const problem = JSON.parse(answer.body) as { status: number; title: string; detail: string };
    assert.equal(problem.status, status);
    assert.match(problem.title, title);
    assert.match(problem.detail, /[éèàç]|la requête|adresse|contenu/i);
  } else {
    assert.match(answer.headers['content-type'] ?? '', /^text\/html/);
    assert.match(answer.body, /<html lang="fr">/);
    assert.match(answer.body, new RegExp(`<title>${title.source} — Maillage</title>`));
    assert.match(answer.body, new RegExp(`<h1>${title.source}</h1>`));
  }
}

const injected = (response: { statusCode: number; headers: Record<string, unknown>; body: string }): Answer => ({
  status: response.statusCode,
  headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
  body: response.body,
});

describe('Réponses du cadre HTTP : françaises, avec les en-têtes de sécurité', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await buildTestApp({ demo: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  test('un paramètre de chemin de plus de 200 caractères : 414 français, sans recopier l’adresse', async () => {
    assertFrenchAnswer(injected(await t.app.inject(`/organisations/${LONG}`)), 414, false, /Adresse trop longue/);
    assertFrenchAnswer(injected(await t.app.inject(`/api/v1/organisations/${LONG}`)), 414, true, /Adresse trop longue/);
  });

  test('une adresse mal encodée : 400 français', async () => {
    assertFrenchAnswer(injected(await t.app.inject('/organisations/%E0%A4%A')), 400, false, /Requête invalide/);
  });

  test('un cookie de 20 Ko : 431 français (analyseur HTTP de Node), en problem+json sous /api', async () => {
    const cookie = `a=${'b'.repeat(20_000)}`;
    const page = await rawRequest(port, `GET /recherche HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`);
    assertFrenchAnswer(page, 431, false, /En-têtes trop volumineux/);
    const api = await rawRequest(port, `GET /api/v1/organisations HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`);
    assertFrenchAnswer(api, 431, true, /En-têtes trop volumineux/);
  });

  test('une requête que l’analyseur HTTP ne comprend pas : 400 français', async () => {
    assertFrenchAnswer(await rawRequest(port, 'GET /recherche HTTP/1.1\r\nHost localhost\r\n\r\n'), 400, false, /Requête invalide/);
  });

  test('les refus des analyseurs de corps : JSON invalide (400), trop gros (413), type inconnu (415)', async () => {
    const post = (payload: string, type: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/orientation', payload, headers: { 'content-type': type } }).then(injected);
    assertFrenchAnswer(await post('{ pas du json', 'application/json'), 400, true, /Requête invalide/);
    assertFrenchAnswer(await post('', 'application/json'), 400, true, /Requête invalide/);
    assertFrenchAnswer(await post(`"${'x'.repeat(1_100_000)}"`, 'application/json'), 413, true, /Requête trop volumineuse/);
    assertFrenchAnswer(await post('<a/>', 'application/xml'), 415, true, /Type de contenu non pris en charge/);
    const page = await t.app.inject({ method: 'POST', url: '/compte/connexion', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    assertFrenchAnswer(injected(page), 415, false, /Type de contenu non pris en charge/);
  });

  test('un corps refusé pour sa taille avant d’être lu : le reste est lu et jeté, la connexion sert la requête suivante ; au-delà de 64 Mio, elle est fermée', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    // Past the bound, the server closes it under the writes: a reset is then expected.
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const answered = async (count: number) => {
      while ((received.match(/HTTP\/1\.1 \d{3} /g) ?? []).length < count) await once(socket, 'data');
    };
    const announce = (bytes: number) => `POST /api/v1/orientation HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n`;
    // A proxy (Caddy) sends the whole body even once refused: closed under it, the connection was reset and the
    // proxy answered 502 in place of the 413.
    socket.write(announce(3_000_000));
    await answered(1);
    assert.match(received, /^HTTP\/1\.1 413 /);
    assert.doesNotMatch(received, /connection: close/i);
    socket.write(Buffer.alloc(3_000_000, 32));
    socket.write('GET /sante/vivant HTTP/1.1\r\nHost: test\r\n\r\n');
    await answered(2);
    assert.match(received, /HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 200 /);
    socket.write(announce(200_000_000));
    await answered(3);
    const chunk = Buffer.alloc(1024 * 1024, 32);
    let sent = 0;
    for (; sent < 100 && !socket.destroyed; sent++) {
      if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    }
    await closed;
    assert.ok(sent > 64 && sent < 100, `fermée après ${sent} Mio envoyés`);
  });

  test('une route inconnue : 404 français avec les en-têtes, page ou problem+json', async () => {
    assertFrenchAnswer(injected(await t.app.inject('/nulle-part')), 404, false, /Page introuvable/);
    assertFrenchAnswer(injected(await t.app.inject('/api/v1/nulle-part')), 404, true, /Page introuvable/);
    assertFrenchAnswer(injected(await t.app.inject({ method: 'HEAD', url: '/api/v1/nulle-part' })), 404, true, /Page introuvable/);
  });

  test('une page d’erreur porte le titre de son statut : un 403 n’est pas une « Erreur du serveur »', async () => {
    const who = await signedInAs(t.app, t.database.db);
    const refused = await who.client.get('/admin');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /<title>Accès refusé — Maillage<\/title>/);
    assert.doesNotMatch(refused.body, /Erreur du serveur/);
  });
});

describe('Arrêt du serveur', () => {
  test('une requête lue pendant l’arrêt : 503 français avec les en-têtes, au lieu du 503 anglais de Fastify', async () => {
    const t = await buildTestApp({ demo: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect((t.app.server.address() as AddressInfo).port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    // A request in progress (its body not all sent) keeps the connection busy while the server stops…
    const received = once(t.app.server, 'request');
    socket.write('POST /api/v1/orientation HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
    await received;
    const closed = t.app.close();
    while (t.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    // …then a second request arrives on it.
    socket.end('}GET /api/v1/territoires HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await once(socket, 'close');
    await closed;
    await t.database.dispose();
    const text = Buffer.concat(chunks).toString('utf8');
    const second = text.slice(text.indexOf('HTTP/1.1', 10));
    const [head = '', body = ''] = second.split('\r\n\r\n');
    const headers = Object.fromEntries(
      head
        .split('\r\n')
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    assertFrenchAnswer({ status: Number(head.split(' ')[1]), headers, body }, 503, true, /Service momentanément indisponible/);
  });
});
