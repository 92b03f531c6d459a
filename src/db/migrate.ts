import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../paths.ts';
import type { Database, ScriptSession } from './database.ts';

/** Arbitrary key of the advisory lock that serialises migrations between instances starting together. */
const MIGRATION_LOCK_KEY = 7_263_001;

/** The migrations this code knows, in the order they apply. */
export function migrationNames(): string[] {
  return readdirSync(migrationsDir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

/** Holds the migration lock until the caller's transaction ends: whoever migrates (or restores) goes alone. */
export async function lockMigrations(session: ScriptSession): Promise<void> {
  await session.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
}

/**
 * Applies the SQL files of src/db/migrations not applied yet, in name order, in one transaction under a
 * transaction-level advisory lock: several instances may start at once, one migrates, the others wait.
 */
export async function migrate(database: Database): Promise<string[]> {
  return database.scriptTransaction((session) => applyMigrations(session));
}

/**
 * Within the caller's transaction and under the lock, applies those of `names` not applied yet, in that order.
 * A restore passes the migrations of its backup, so that the data goes into the schema it came from.
 */
export async function applyMigrations(session: ScriptSession, names: readonly string[] = migrationNames()): Promise<string[]> {
  await lockMigrations(session);
  await session.exec(`create table if not exists schema_migration (
    name text primary key, applied_at timestamptz not null default now())`);
  const applied = new Set((await session.query<{ name: string }>('select name from schema_migration')).map((r) => r.name));
  const pending = names.filter((name) => !applied.has(name));
  for (const name of pending) {
    await session.exec(readFileSync(join(migrationsDir, name), 'utf8'));
    await session.query('insert into schema_migration (name) values ($1)', [name]);
  }
  return pending;
}
