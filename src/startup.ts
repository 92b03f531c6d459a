import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { loadCogIfEmpty } from './data/cog.ts';
import { loadDemoIfEmpty } from './data/demo/load.ts';

/** Opens the database named by the configuration and brings it up to date: migrations, then the COG. */
export async function openPreparedDatabase(config: Config, { withDemo = true } = {}): Promise<Database> {
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: join(config.dataDir, 'pgdata') });
  await migrate(database);
  await loadCogIfEmpty(database.db);
  if (withDemo) await loadDemoIfEmpty(database.db);
  return database;
}
