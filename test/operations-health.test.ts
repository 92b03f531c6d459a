/**
 * What an operator watches: the health checks (alive, ready), the Prometheus metrics behind their token, the
 * request id of every answer, the log format, and the settings refused at start with a French message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { loadConfig } from '../src/config.ts';
import { checkedRows, openDatabase } from '../src/db/database.ts';
import { loggerOptions, readableLine, requestId } from '../src/platform/http/logging.ts';
import { startJobWorker } from '../src/platform/jobs/worker.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const TOKEN = 'jeton-de-metriques-assez-long-0123456789';

describe('Santé d’une instance', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(() => t.close());

  test('/sante/vivant répond sans rien demander, sans cache, avec un identifiant de requête', async () => {
    const response = await t.app.inject('/sante/vivant');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { statut: 'vivant' });
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('l’identifiant du mandataire est repris s’il est sage, remplacé sinon', async () => {
    const given = await t.app.inject({ url: '/sante/vivant', headers: { 'x-request-id': '4f2c9a0b7d1e3f5a' } });
    assert.equal(given.headers['x-request-id'], '4f2c9a0b7d1e3f5a');
    const odd = await t.app.inject({ url: '/sante/vivant', headers: { 'x-request-id': 'a b\n{"faux":1}' } });
    assert.notEqual(odd.headers['x-request-id'], 'a b\n{"faux":1}');
    assert.match(String(odd.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('/sante/pret : base, migrations et tâches', async () => {
    const ready = await t.app.inject('/sante/pret');
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { statut: 'pret', base: 'ok', migrations: 'ok', taches: 'desactivees' });

    // A migration this code knows but the database lacks: not ready.
    const [last] = await checkedRows(
      t.database.db,
      z.object({ name: z.string() }),
      sql`delete from schema_migration where name = (select max(name) from schema_migration) returning name`,
    );
    const behind = await t.app.inject('/sante/pret');
    assert.equal(behind.statusCode, 503);
    assert.equal(behind.json().migrations, 'en_attente');
    await t.database.db.execute(sql`insert into schema_migration (name) values (${last!.name})`);

    // A worker that looks at the queue, then one that has stopped.
    const worker = startJobWorker(t.database.db, t.app.jobHandlers, { intervalSeconds: 3600, log: t.app.log });
    t.app.operations.worker = worker;
    try {
      assert.equal((await t.app.inject('/sante/pret')).json().taches, 'ok');
      await worker.stop();
      const stopped = await t.app.inject('/sante/pret');
      assert.equal(stopped.statusCode, 503);
      assert.deepEqual(stopped.json(), { statut: 'pas_pret', base: 'ok', migrations: 'ok', taches: 'arretees' });

      // A worker whose queue cannot be read (its connections are gone).
      const gone = await openDatabase({ url: t.database.url, poolSize: 1 });
      await gone.close();
      const failing = startJobWorker(gone.db, t.app.jobHandlers, { intervalSeconds: 3600, log: t.app.log });
      t.app.operations.worker = failing;
      while (!failing.status().lastLookFailed) await new Promise((resolve) => setTimeout(resolve, 20));
      const broken = await t.app.inject('/sante/pret');
      assert.equal(broken.statusCode, 503);
      assert.equal(broken.json().taches, 'en_echec');
      await failing.stop();
    } finally {
      t.app.operations.worker = null;
    }
  });

  test('les deux routes sont décrites dans le document OpenAPI', async () => {
    const document = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> };
    assert.ok(document.paths['/sante/vivant']?.get);
    assert.deepEqual(Object.keys(document.paths['/sante/pret']?.get?.responses ?? {}).sort(), ['200', '503']);
    assert.equal(document.paths['/metriques'], undefined);
  });

  test('sans METRICS_TOKEN, /metriques n’existe pas', async () => {
    const response = await t.app.inject({ url: '/metriques', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.statusCode, 404);
  });
});

describe('Métriques Prometheus', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false, config: { METRICS_TOKEN: TOKEN } });
  });
  after(() => t.close());
  const scrape = async () => {
    const response = await t.app.inject({ url: '/metriques', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return response.body;
  };

  test('sans le jeton, ou avec un autre : 401', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN]) {
      const response = await t.app.inject({ url: '/metriques', headers: authorization ? { authorization } : {} });
      assert.equal(response.statusCode, 401, String(authorization));
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="maillage"');
      assert.doesNotMatch(response.body, /maillage_/);
    }
  });

  test('les requêtes sont comptées et chronométrées par modèle de route, jamais par adresse brute', async () => {
    for (const code of ['84', '11', '53']) assert.equal((await t.app.inject(`/territoires/region/${code}`)).statusCode, 200);
    for (const path of ['/nexiste/pas/1', '/nexiste/pas/2']) assert.equal((await t.app.inject(path)).statusCode, 404);
    const metrics = await scrape();
    assert.match(metrics, /^maillage_http_requests_total\{method="GET",route="\/territoires\/:type\/:code",status="200"\} 3$/m);
    assert.match(metrics, /^maillage_http_request_duration_seconds_count\{method="GET",route="\/territoires\/:type\/:code"\} 3$/m);
    assert.match(metrics, /^maillage_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/territoires\/:type\/:code"\} 3$/m);
    assert.match(metrics, /^maillage_http_requests_total\{method="GET",route="\(aucune\)",status="404"\} 2$/m);
    assert.doesNotMatch(metrics, /region\/84|nexiste/);
    assert.match(metrics, /^maillage_database_pool_connections\{state="total"\} \d+$/m);
    assert.match(metrics, /^maillage_process_resident_memory_bytes \d+/m);
  });

  test('file des tâches, courriels en attente et imports en cours sont lus dans la base', async () => {
    const db = t.database.db;
    await db.execute(sql`insert into job (kind, payload) values
      ('mail.send', '{}'), ('mail.send', '{}'), ('alerts.digest', '{}')`);
    await db.execute(sql`insert into job (kind, payload, run_at) values ('mail.send', '{}', now() + interval '1 hour')`);
    await db.execute(sql`insert into job (kind, payload, attempts, failed_at, last_error) values ('alerts.digest', '{}', 5, now(), 'ECONNREFUSED')`);
    await db.execute(
      sql`insert into job (kind, payload, attempts, last_error, run_at) values ('mail.send', '{}', 1, 'ETIMEDOUT', now() + interval '1 minute')`,
    );
    await db.execute(sql`insert into import_run (kind, files, rows_read, rows_written, rows_rejected) values ('sirene', '[]', 120000, 4100, 3)`);
    await db.execute(sql`insert into import_run (kind, files, status, rows_read) values ('csv', '[]', 'done', 50)`);
    const metrics = await scrape();
    assert.match(metrics, /^maillage_jobs_due\{kind="mail\.send"\} 2$/m);
    assert.match(metrics, /^maillage_jobs_due\{kind="alerts\.digest"\} 1$/m);
    assert.match(metrics, /^maillage_jobs_failed\{kind="alerts\.digest"\} 1$/m);
    assert.match(metrics, /^maillage_jobs_retrying\{kind="mail\.send"\} 1$/m);
    assert.match(metrics, /^maillage_mails_pending 4$/m);
    assert.match(metrics, /^maillage_jobs_oldest_due_seconds \d/m);
    assert.match(metrics, /^maillage_imports_running\{kind="sirene"\} 1$/m);
    assert.match(metrics, /^maillage_import_rows\{kind="sirene",state="read"\} 120000$/m);
    assert.doesNotMatch(metrics, /kind="csv"/);
    assert.match(metrics, /^maillage_database_up 1$/m);

    await db.execute(sql`delete from job where kind in ('mail.send', 'alerts.digest')`);
    const after = await scrape();
    assert.match(after, /^maillage_mails_pending 0$/m);
    assert.match(after, /^maillage_jobs_failed\{kind="alerts\.digest"\} 0$/m, 'une file vidée retombe à 0 sans garder l’ancienne valeur');
  });
});

describe('Journaux', () => {
  test('JSON hors terminal ou en production, lignes lisibles sur un terminal de développement', () => {
    const config = { LOG_LEVEL: 'info' as const, LOG_FORMAT: 'auto' as const };
    const readable = (options: ReturnType<typeof loggerOptions>) => options !== false && 'stream' in options;
    assert.equal(readable(loggerOptions(config, false)), false);
    assert.equal(readable(loggerOptions(config, true)), process.env.NODE_ENV !== 'production');
    assert.equal(readable(loggerOptions({ ...config, LOG_FORMAT: 'json' }, true)), false);
    assert.equal(readable(loggerOptions({ ...config, LOG_FORMAT: 'texte' }, false)), true);
    assert.equal(loggerOptions({ ...config, LOG_LEVEL: 'silent' }, true), false);
  });

  test('une ligne lisible garde le niveau, l’identifiant, la route, le code, la durée et la pile', () => {
    const completed = readableLine(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 1, 9, 5, 7),
        pid: 1,
        hostname: 'h',
        reqId: 'abc123',
        res: { statusCode: 200 },
        responseTime: 12.4,
        msg: 'request completed',
      }),
    );
    assert.match(completed, /^\d\d:\d\d:\d\d INFO {2}\[abc123\] 200 12 ms request completed$/);
    const incoming = readableLine(JSON.stringify({ level: 30, time: 0, reqId: 'r1', req: { method: 'GET', url: '/recherche?q=x' }, msg: 'incoming request' }));
    assert.match(incoming, /\[r1\] GET \/recherche\?q=x incoming request/);
    const failed = readableLine(
      JSON.stringify({ level: 50, time: 0, err: { type: 'Error', message: 'boum', stack: 'Error: boum\n    at f (x.ts:1:1)' }, job: 4, msg: 'Échec' }),
    );
    assert.match(failed, /ERROR Échec \{"job":4\}\nError: boum\n {4}at f/);
    assert.equal(readableLine('pas du json'), 'pas du json');
  });

  test('un identifiant de requête est un jeton sage ou un nouvel UUID', () => {
    const request = (id?: string) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as Parameters<typeof requestId>[0];
    assert.equal(requestId(request('0123456789abcdef')), '0123456789abcdef');
    for (const odd of [undefined, 'court', 'x'.repeat(101), 'a"b:cdefgh', 'é'.repeat(10)]) assert.match(requestId(request(odd)), /^[0-9a-f-]{36}$/);
  });
});

describe('Réglages vérifiés au démarrage', () => {
  const refused = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepté';
  };

  test('un jeton de métriques trop court ou avec des espaces, un format de journal inconnu', () => {
    assert.match(refused({ METRICS_TOKEN: 'court' }), /METRICS_TOKEN : 24 caractères au moins/);
    assert.match(refused({ METRICS_TOKEN: 'un jeton avec des espaces dedans, assez long' }), /METRICS_TOKEN : des caractères visibles/);
    assert.match(refused({ LOG_FORMAT: 'xml' }), /LOG_FORMAT : valeurs possibles : « auto », « json » ou « texte »/);
    assert.equal(loadConfig({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN, TOKEN);
    assert.equal(loadConfig({}).LOG_FORMAT, 'auto');
  });
});
