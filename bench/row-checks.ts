/**
 * What checking rows costs (`npx tsx bench/row-checks.ts`): the page of 20 schemes of the catalogue search (the
 * widest row of the features: 26 columns, arrays and JSON) read as it comes (`rows`) and checked against its
 * Zod row schema (`checkedRows`), alternately, on the seed catalogue in an embedded server of a temporary
 * folder (removed at the end); then the check alone, on the same 20 rows, without the database. Prints the
 * medians in µs and the share of the query's time that the check takes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { checkedRows, openDatabase, rows } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadCatalogueIfEmpty } from '../src/data/catalogue/load.ts';
import { dispositifColumns, dispositifRow } from '../src/features/catalogue/records.ts';

const ROUNDS = 2_000;
const PARSES = 20_000;

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const micros = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

const folder = mkdtempSync(join(os.tmpdir(), 'mr-'));
const database = await openDatabase({ dataDir: folder, poolSize: 1 });
try {
  await migrate(database);
  const loaded = await loadCatalogueIfEmpty(database.db);
  const page = sql`select ${dispositifColumns} from dispositif t order by t.name limit 20`;
  const cast: number[] = [];
  const checked: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    await rows(database.db, page);
    cast.push(performance.now() - start);
    start = performance.now();
    await checkedRows(database.db, dispositifRow, page);
    checked.push(performance.now() - start);
  }
  const sample = await rows<unknown>(database.db, page);
  const parse: number[] = [];
  for (let round = 0; round < PARSES; round++) {
    const start = performance.now();
    for (const row of sample) dispositifRow.parse(row);
    parse.push(performance.now() - start);
  }
  const query = median(cast);
  const check = median(parse);
  console.log(`Catalogue : ${loaded} dispositifs chargés, page de ${sample.length} lignes, ${ROUNDS} requêtes de chaque sorte.`);
  console.log(`Requête seule (rows)            : ${micros(query)} (médiane)`);
  console.log(`Requête vérifiée (checkedRows)  : ${micros(median(checked))} (médiane)`);
  console.log(`Vérification seule des 20 lignes : ${micros(check)} (médiane de ${PARSES}), ${micros(check / sample.length)} par ligne`);
  console.log(`Part de la vérification dans la requête : ${((check / query) * 100).toFixed(1)} %`);
} finally {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
}
