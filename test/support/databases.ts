/**
 * The real database integration tests run on: one PostgreSQL server for the whole run (the embedded one the
 * runner starts, or TEST_DATABASE_URL's), where each suite gets a database of its own, copied from the
 * runner's template (migrations applied, COG loaded) and dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

export interface TestDatabase extends Database {
  url: string;
  /** Closes the connections and drops the database. */
  dispose(): Promise<void>;
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'Les tests d’intégration se lancent par « npm test » (ou « node --import tsx scripts/test.ts FICHIER ») : il démarre leur serveur PostgreSQL.',
    );
  return url;
}

async function onServer<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database. An autovacuum worker may be visiting it after a large load; a role that is not
 * superuser may not terminate that process, so the drop is retried until the worker is done.
 */
async function dropWhenFree(client: pg.Client, name: string, attempts = 40): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`drop database if exists ${name} with (force)`);
      return;
    } catch (error) {
      const busy = /terminated|being accessed by other users/.test((error as Error).message);
      if (!busy || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A new database on the PostgreSQL server of `adminUrl` (its role needs CREATEDB), empty or copied from
 * `template`, and how to drop it. The bench uses it too.
 */
export async function createServerDatabase(
  adminUrl: string,
  prefix: string,
  template = 'template0',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, (client) => client.query(`create database ${name} template ${template} encoding 'UTF8'`));
  return {
    name,
    url: withDatabaseName(adminUrl, name),
    drop: () => onServer(adminUrl, (client) => dropWhenFree(client, name)),
  };
}

/** A database of its own on the test server, closed and dropped by dispose(). */
async function openServerDatabase(prefix: string, template: string, poolSize: number): Promise<TestDatabase> {
  const server = await createServerDatabase(serverUrl(), prefix, template);
  const database = await openDatabase({ url: server.url, poolSize });
  return {
    ...database,
    url: server.url,
    async dispose() {
      await database.close();
      await server.drop();
    },
  };
}

/** A migrated database with the COG loaded, fresh for one test suite. */
export function openTestDatabase(): Promise<TestDatabase> {
  return openServerDatabase('maillage_test', process.env.TEST_TEMPLATE_DATABASE ?? 'template0', 4);
}

/** An empty database (no migration), for tests of migrations and restores. */
export function openEmptyTestDatabase(): Promise<TestDatabase> {
  return openServerDatabase('maillage_empty', 'template0', 2);
}
