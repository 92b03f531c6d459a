/**
 * The real databases integration tests run on: the embedded PGlite always, and a PostgreSQL server too when
 * TEST_DATABASE_URL is set (CI sets it). Each test gets a database of its own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadCogIfEmpty } from '../../src/data/cog.ts';

export type DatabaseTarget = 'pglite' | 'postgres';

export const databaseTargets: DatabaseTarget[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  /** Closes the connection and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * Drops a test database. An autovacuum worker may be visiting it after a large load; the test role may not
 * terminate that (superuser) process, so the drop is retried until the worker is done.
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
 * A new empty database on the PostgreSQL server of `adminUrl` (its role needs CREATEDB), and how to drop it.
 * The bench (`npm run bench -- --postgres URL`) uses it too.
 */
export async function createServerDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabaseName(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await dropWhenFree(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated database with the COG loaded, fresh for one test suite. */
export async function openTestDatabase(target: DatabaseTarget): Promise<TestDatabase> {
  let database: Database;
  let drop = async () => {};
  if (target === 'postgres') {
    const server = await createServerDatabase(process.env.TEST_DATABASE_URL!, 'maillage_test');
    database = await openDatabase({ url: server.url });
    drop = server.drop;
  } else {
    database = await openDatabase({ pgliteDir: 'memory' });
  }
  await migrate(database);
  await loadCogIfEmpty(database.db);
  return {
    ...database,
    async dispose() {
      await database.close();
      await drop();
    },
  };
}
