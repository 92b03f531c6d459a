import type { Database } from '../../db/database.ts';

/** Runs `maillage import …`; returns the process exit code. */
export async function runImport(_database: Database, _args: string[]): Promise<number> {
  console.error("L'import n'est pas encore disponible.");
  return 2;
}
