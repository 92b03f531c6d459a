/**
 * A serving process bounds every statement (STATEMENT_TIMEOUT_SECONDS): a request never holds a connection
 * for ever, and the person gets a French 503 instead of waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { build } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

describe('Délais des requêtes SQL', () => {
  let base: TestDatabase;
  let bounded: Database;

  before(async () => {
    base = await openTestDatabase();
    bounded = await openDatabase({ url: base.url, statementTimeoutMs: 1500, poolSize: 4 });
  });
  after(async () => {
    await bounded.close();
    await base.dispose();
  });

  test('une instruction trop longue est annulée par le serveur', async () => {
    await assert.rejects(bounded.db.execute(sql`select pg_sleep(4)`), (error: Error) => (error.cause as { code?: string }).code === '57014');
    await bounded.db.execute(sql`select pg_sleep(0.05)`);
  });

  test('la page ou l’API répond 503 en français, et la connexion sert encore', async () => {
    const app = await build({ config: loadConfig({ LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: './var/test' }), database: bounded });
    app.get('/api/v1/lente', async () => bounded.db.execute(sql`select pg_sleep(4)`));
    app.get('/lente', async () => bounded.db.execute(sql`select pg_sleep(4)`));
    try {
      const api = await app.inject({ method: 'GET', url: '/api/v1/lente' });
      assert.equal(api.statusCode, 503);
      assert.match(String(api.headers['content-type']), /application\/problem\+json/);
      assert.match(api.json().detail, /n’a pas répondu à temps/);
      const page = await app.inject({ method: 'GET', url: '/lente' });
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /Service momentanément indisponible/);
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/organisations?par_page=1' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
