import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

/** The typed query layer, the same on PGlite and on a PostgreSQL server; a transaction has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A raw session for SQL scripts of several statements (migrations), which the query layer cannot send. */
export interface ScriptSession {
  exec(script: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction on one connection, with multi-statement scripts allowed. */
  scriptTransaction<T>(fn: (session: ScriptSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  url?: string;
  /** Folder of the embedded database; 'memory' keeps it in memory (tests, benchmarks). */
  pgliteDir?: string | 'memory';
  /**
   * PGlite's buffer pool (PostgreSQL's shared_buffers, 128 MB by default), allocated inside the process: a
   * command that streams data through once (an import) does almost as well with a smaller one.
   */
  pgliteSharedBuffersMb?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection the server closes (restart, failover, a test database dropped) is an 'error' event
    // that would crash the process if nobody listened; the pool drops that client and the next query opens a
    // new one, which fails loudly if the server is really gone.
    pool.on('error', () => {});
    return {
      db: drizzlePostgres(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      async scriptTransaction(fn) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const result = await fn({
            exec: async (script) => void (await client.query(script)),
            query: async (text, params) => (await client.query(text, params)).rows,
          });
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const dir = options.pgliteDir ?? 'memory';
  if (dir !== 'memory') mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir === 'memory' ? undefined : join(dir), {
    extensions: { unaccent, pg_trgm },
    // A start parameter, not `postgresqlconf`, which would rewrite the data folder's postgresql.conf for good.
    ...(options.pgliteSharedBuffersMb
      ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.pgliteSharedBuffersMb}MB`] }
      : {}),
  });
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    scriptTransaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (script) => void (await tx.exec(script)),
          query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
        }),
      ),
    close: () => client.close(),
  };
}

/** Runs a query and returns its rows, whatever the driver. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function firstRow<T>(db: Db, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0];
}

/** Inserts many rows in one statement: the rows travel as one JSON parameter (fast on both drivers). */
export function jsonRecords(records: readonly object[]): SQL {
  return sql`${JSON.stringify(records)}::json`;
}

/** A text[] parameter (the query layer would spread a JS array into a list); values must not contain commas. */
export function textArray(values: readonly string[]): SQL {
  return sql`string_to_array(${values.join(',')}, ',')`;
}
