/**
 * Rows checked at the database boundary, on a real database: checkedRows gives the rows its schema declares,
 * refuses a row whose column is not what the schema says (naming the row and the column), checkedFirstRow
 * gives the first row or undefined, and the shared column shapes take what the query layer really hands over
 * (timestamps as text, JSON documents as parsed values; a bigint unread as an int is text, not a number).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows, column, countRow } from '../src/db/database.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

describe('Lignes vérifiées à la frontière de la base', () => {
  let database: TestDatabase;
  const db = () => database.db;

  before(async () => {
    database = await openTestDatabase();
  });
  after(async () => {
    await database.dispose();
  });

  test('checkedRows donne les lignes du schéma, sans les colonnes qu’il ne déclare pas', async () => {
    const found = await checkedRows(
      db(),
      z.object({ n: z.number(), label: z.string().nullable() }),
      sql`select n, case when n > 1 then 'deux' end as label, 'en trop' as extra from generate_series(1, 2) n`,
    );
    assert.deepEqual(found, [
      { n: 1, label: null },
      { n: 2, label: 'deux' },
    ]);
  });

  test('une colonne d’un autre type est refusée, avec la ligne et la colonne nommées', async () => {
    // count(*) is a bigint: without ::int the query layer hands it over as text.
    await assert.rejects(checkedRows(db(), countRow, sql`select count(*) as n from generate_series(1, 3)`), /Ligne 1 inattendue[\s\S]*n/);
    assert.deepEqual(await checkedRows(db(), countRow, sql`select count(*)::int as n from generate_series(1, 3)`), [{ n: 3 }]);
  });

  test('checkedFirstRow : la première ligne, ou undefined sans ligne', async () => {
    const schema = z.object({ n: z.number() });
    assert.deepEqual(await checkedFirstRow(db(), schema, sql`select n from generate_series(5, 7) n`), { n: 5 });
    assert.equal(await checkedFirstRow(db(), schema, sql`select n from generate_series(5, 7) n where n > 10`), undefined);
  });

  test('formes partagées : un instant arrive en texte, un document JSON en objet, un scalaire n’est pas un document', async () => {
    const schema = z.object({ at: column.instant, doc: column.json, typed: column.jsonAs<{ a: number }>() });
    const row = await checkedFirstRow(db(), schema, sql`select now() as at, '{"a": 1}'::jsonb as doc, '{"a": 2}'::jsonb as typed`);
    assert.equal(typeof row!.at, 'string');
    assert.deepEqual(row!.doc, { a: 1 });
    assert.equal(row!.typed.a, 2);
    await assert.rejects(checkedFirstRow(db(), schema, sql`select now() as at, '{}'::jsonb as doc, '3'::jsonb as typed`), /typed/);
  });
});
