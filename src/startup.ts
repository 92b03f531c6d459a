import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type Database, type Db } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { loadAmiPtceInstructionIfMissing } from './data/calls/ami-ptce-grid.ts';
import { loadDemoCallsIfEmpty } from './data/calls/load.ts';
import { loadCatalogueIfEmpty, loadNeedsRulesIfMissing } from './data/catalogue/load.ts';
import { loadCogIfEmpty } from './data/cog.ts';
import { loadDemoIfEmpty } from './data/demo/load.ts';

/**
 * Reference data (the COG, the needs rules) always; the demo data and the seed catalogue of schemes unless
 * told otherwise. Each loader does nothing when its data is already there.
 */
export async function loadData(db: Db, { withDemo = true } = {}): Promise<void> {
  await loadCogIfEmpty(db);
  await loadNeedsRulesIfMissing(db);
  if (withDemo) {
    await loadDemoIfEmpty(db);
    await loadCatalogueIfEmpty(db);
    await loadDemoCallsIfEmpty(db); // after the catalogue: a call names its scheme
    await loadAmiPtceInstructionIfMissing(db);
  }
}

/** Opens the database named by the configuration, applies the migrations and loads the data. */
export async function openPreparedDatabase(
  config: Config,
  { withDemo = true, pgliteSharedBuffersMb }: { withDemo?: boolean; pgliteSharedBuffersMb?: number } = {},
): Promise<Database> {
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: join(config.dataDir, 'pgdata'), pgliteSharedBuffersMb });
  await migrate(database);
  await loadData(database.db, { withDemo });
  return database;
}
