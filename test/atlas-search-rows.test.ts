/**
 * The Atlas search checks the rows of its page against the schema its caller gives, with text (one prepared
 * statement) and without (the page query): rows that are not what the schema says are refused, not cast.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { atlasEntities } from '../src/features/atlas/entities.ts';
import { cooperationRow, organisationColumns, organisationRow } from '../src/features/atlas/records.ts';
import { atlasSearchSchema } from '../src/features/atlas/schemas.ts';
import { resolveFilters, searchAtlas } from '../src/features/atlas/search.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import type { ZodType } from 'zod';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

describe('Recherche de l’Atlas : lignes de la page vérifiées', () => {
  let database: TestDatabase;
  let territories: TerritoryIndex;

  before(async () => {
    database = await openTestDatabase();
    territories = await loadTerritoryIndex(database.db);
    await database.db.execute(sql`insert into organisation (name) values ('Association du Lien')`);
  });
  after(async () => {
    await database.dispose();
  });

  const search = async <Row>(params: Record<string, string>, schema: ZodType<Row>) => {
    const query = atlasSearchSchema.parse(params);
    const resolved = { ...query, ...(await resolveFilters(database.db, territories, query)) };
    return searchAtlas(database.db, atlasEntities.organisations, resolved, territories, organisationColumns, schema);
  };

  for (const [label, params] of [
    ['sans texte', {}],
    ['avec texte', { q: 'association' }],
  ] as const) {
    test(`${label} : les lignes conformes passent, les autres sont refusées`, async () => {
      const found = await search(params, organisationRow);
      assert.deepEqual(
        found.rows.map((row) => row.name),
        ['Association du Lien'],
      );
      // Organisation columns read as cooperation rows: the columns a cooperation has and an organisation lacks are missing.
      await assert.rejects(search(params, cooperationRow));
    });
  }
});
