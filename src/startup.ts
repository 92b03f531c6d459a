import type { Config } from './config.ts';
import { openDatabase, type Database, type Db } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { loadNeedsRulesIfMissing } from './data/catalogue/load.ts';
import { loadCogIfEmpty } from './data/cog.ts';

/**
 * Reference data (the COG, the needs rules) always; the demo data and the seed catalogue of schemes unless
 * told otherwise. Each loader does nothing when its data is already there. The demo's modules are loaded only
 * when asked for: the commands that do without them (imports, backups) start sooner.
 */
export async function loadData(db: Db, { withDemo = true } = {}): Promise<void> {
  await loadCogIfEmpty(db);
  await loadNeedsRulesIfMissing(db);
  if (withDemo) {
    const [{ loadDemoIfEmpty }, { loadCatalogueIfEmpty }, { loadDemoCallsIfEmpty }, { loadAmiPtceInstructionIfMissing }, { loadKnowledgeIfEmpty }] =
      await Promise.all([
        import('./data/demo/load.ts'),
        import('./data/catalogue/load.ts'),
        import('./data/calls/load.ts'),
        import('./data/calls/ami-ptce-grid.ts'),
        import('./data/knowledge/load.ts'),
      ]);
    await loadDemoIfEmpty(db);
    await loadCatalogueIfEmpty(db);
    await loadDemoCallsIfEmpty(db); // after the catalogue: a call names its scheme
    await loadAmiPtceInstructionIfMissing(db);
    await loadKnowledgeIfEmpty(db);
  }
}

/** Arbitrary key of the advisory lock held while a process migrates and loads the reference data. */
const PREPARATION_LOCK_KEY = 7_263_003;

export interface PreparedDatabaseOptions {
  withDemo?: boolean;
  /** A serving process bounds its statements (STATEMENT_TIMEOUT_SECONDS); commands (imports, backups) do not. */
  serving?: boolean;
}

/** Opens the database named by the configuration (or the embedded server), applies the migrations and loads the data. */
export async function openPreparedDatabase(config: Config, { withDemo = true, serving = false }: PreparedDatabaseOptions = {}): Promise<Database> {
  const database = await openConfiguredDatabase(config, { serving });
  // Several processes may start together: one prepares, the others wait for it and find everything done.
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [PREPARATION_LOCK_KEY]);
    await migrate(database);
    await loadData(database.db, { withDemo });
  } catch (error) {
    client.release();
    await database.close();
    throw error;
  }
  await client.query('select pg_advisory_unlock($1)', [PREPARATION_LOCK_KEY]);
  client.release();
  return database;
}

/** The database of the configuration, as it is (no migration): DATABASE_URL, or the embedded server of MAILLAGE_DATA_DIR. */
export function openConfiguredDatabase(config: Config, { serving = false } = {}): Promise<Database> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: serving ? config.STATEMENT_TIMEOUT_SECONDS * 1000 : 0,
    log: (line) => console.log(line),
  });
}
