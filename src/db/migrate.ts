import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../paths.ts';
import type { Database } from './database.ts';

/** Arbitrary key of the advisory lock that serialises migrations between instances starting together. */
const MIGRATION_LOCK_KEY = 7_263_001;

/**
 * Applies the SQL files of src/db/migrations not applied yet, in name order, in one transaction under a
 * transaction-level advisory lock: several instances may start at once, one migrates, the others wait.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).sort();
  return database.scriptTransaction(async (session) => {
    await session.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await session.exec(`create table if not exists schema_migration (
      name text primary key, applied_at timestamptz not null default now())`);
    const applied = new Set((await session.query<{ name: string }>('select name from schema_migration')).map((r) => r.name));
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      await session.exec(readFileSync(join(migrationsDir, name), 'utf8'));
      await session.query('insert into schema_migration (name) values ($1)', [name]);
    }
    return pending;
  });
}
