import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { z } from 'zod';
import { joinEmbeddedServer, type EmbeddedServer } from './embedded-server.ts';
import * as schema from './schema.ts';

/** The typed query layer; a transaction has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A raw session for SQL scripts of several statements (migrations), which the query layer cannot send. */
export interface ScriptSession {
  exec(script: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** The embedded server this process joined, when no DATABASE_URL was given. */
  embedded?: EmbeddedServer;
  /** Runs fn in one transaction on one connection, with multi-statement scripts allowed. */
  scriptTransaction<T>(fn: (session: ScriptSession) => Promise<T>): Promise<T>;
  /** Closes the pool; on the embedded server, stops it when this process was the last one connected. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it, the embedded server of `dataDir`. */
  url?: string;
  /** MAILLAGE_DATA_DIR, whose embedded server is used when no url is given. */
  dataDir?: string;
  /** Connections of this process (default: twice the cores plus two, PostgreSQL's usual starting point). */
  poolSize?: number;
  /** Longest statement, in ms (0: none). A serving process bounds them so that no request holds a connection for ever. */
  statementTimeoutMs?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  log?: (line: string) => void;
}

export const defaultPoolSize = () => availableParallelism() * 2 + 2;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!options.url && !options.dataDir) throw new Error('openDatabase : url ou dataDir est requis.');
  const embedded = options.url ? undefined : await joinEmbeddedServer(options.dataDir!, { log: options.log });
  const pool = new pg.Pool({
    connectionString: options.url ?? embedded!.url,
    max: options.poolSize ?? defaultPoolSize(),
    application_name: options.applicationName ?? 'maillage',
    // Bounds for a serving process: a statement, a transaction left idle, and the wait for a free connection.
    ...(options.statementTimeoutMs
      ? {
          statement_timeout: options.statementTimeoutMs,
          idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
          connectionTimeoutMillis: options.statementTimeoutMs,
        }
      : {}),
  });
  // An idle connection the server closes (restart, failover, a test database dropped) is an 'error' event
  // that would crash the process if nobody listened; the pool drops that client and the next query opens a
  // new one, which fails loudly if the server is really gone.
  pool.on('error', () => {});
  return {
    db: drizzle(pool, { schema }) as unknown as Db,
    pool,
    embedded,
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
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await embedded?.leave();
    },
  };
}

/**
 * Runs a query and checks each row against its schema: a column renamed or retyped by a migration fails
 * here, with the query's rows named, instead of travelling on as a wrong value. The schema also gives the type.
 */
export async function checkedRows<S extends z.ZodType>(db: Db, schema: S, query: SQL): Promise<z.infer<S>[]> {
  const found = await rows<unknown>(db, query);
  return found.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`Ligne ${index + 1} inattendue : ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

/** The first row of a query, checked as checkedRows checks each row; undefined when there is none. */
export async function checkedFirstRow<S extends z.ZodType>(db: Db, schema: S, query: SQL): Promise<z.infer<S> | undefined> {
  return (await checkedRows(db, schema, query))[0];
}

/** The row of a statement that gives one id (`returning id::int as id`). */
export const idRow = z.object({ id: z.number() });

/** The row of a count (`count(*)::int as n`). */
export const countRow = z.object({ n: z.number() });

/** Column shapes that row schemas share: timestamps and dates come as text through the query layer (as Date through a script session), JSON as parsed values. */
export const column = {
  instant: z.union([z.date(), z.string()]),
  json: z.record(z.string(), z.unknown()),
  /** A JSON document whose shape is checked where it is written (a form definition on save): here, that it is one. */
  jsonAs: <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null),
};

/** Runs a query and returns its rows as they come (unchecked: prefer checkedRows for new queries). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function firstRow<T>(db: Db, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0];
}

const dialect = new PgDialect();

/**
 * Runs a query as a named prepared statement: each connection parses it once, and PostgreSQL may then reuse a
 * generic plan instead of planning every call. For hot statements whose text takes a bounded number of shapes
 * (values as parameters): each shape stays prepared on each connection. The name is the text's digest, since a
 * name must never stand for two texts.
 */
export async function preparedRows<T>(db: Db, query: SQL): Promise<T[]> {
  const compiled = dialect.sqlToQuery(query);
  const name = createHash('sha1').update(compiled.sql).digest('base64url');
  const result = (await db._.session.prepareQuery(compiled, undefined, name, false).execute()) as { rows: T[] };
  return result.rows;
}

/** A fragment without parameters, rendered to text once: a constant part of a statement need not be rebuilt at every call. */
export function renderedSql(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  if (params.length > 0) throw new Error('renderedSql : ce fragment a des paramètres.');
  return sql.raw(text);
}

/** Inserts many rows in one statement: the rows travel as one JSON parameter (one parameter instead of thousands). */
export function jsonRecords(records: readonly object[]): SQL {
  return sql`${JSON.stringify(records)}::json`;
}

/** A text[] parameter (the query layer would spread a JS array into a list); values must not contain commas. */
export function textArray(values: readonly string[]): SQL {
  return sql`string_to_array(${values.join(',')}, ',')`;
}
