/**
 * COPY of an import's rows into the real database, in both formats: the bytes go in messages of 64 KiB
 * (writer.ts, copyIn), cut wherever they fall (inside a row, a field, a character of several bytes); every row
 * arrives whole, and a row of the wrong width in the middle still fails the whole COPY.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BinaryRows } from '../src/features/import/copy-binary.ts';
import { copyIn, copyText } from '../src/features/import/writer.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

let database: TestDatabase;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.dispose());

/** 3 000 rows of about 150 bytes, about seven messages: accents, emoji and escaped characters across the cuts. */
const ROWS = Array.from({ length: 3000 }, (_, n) => ({
  n: String(n),
  label: `${'Coopérative « Œuvre » n° '.repeat(1 + (n % 7))}${n % 3 === 0 ? '🌍\ttab\\anti' : 'é'}${n}`,
}));

async function copiedBack(data: string | Buffer, format: 'text' | 'binary'): Promise<{ n: string; label: string }[]> {
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    await client.query('create temporary table copied (n bigint, label text) on commit drop');
    await copyIn(client, 'copied (n, label)', data, format);
    return (await client.query<{ n: string; label: string }>('select n::text as n, label from copied order by copied.n')).rows;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

test('COPY en messages de 64 Kio : chaque ligne arrive entière, au format texte comme au format binaire', async () => {
  const text = copyText(ROWS, ['n', 'label']);
  assert.ok(Buffer.byteLength(text) > 5 * 64 * 1024, 'plusieurs messages');
  assert.deepEqual(await copiedBack(text, 'text'), ROWS);

  const binary = new BinaryRows(1024);
  for (const row of ROWS) binary.row(2).int8(Number(row.n)).text(row.label);
  assert.deepEqual(await copiedBack(binary.end(), 'binary'), ROWS);
});

test('une ligne de travers au milieu des messages : tout le COPY échoue', async () => {
  const text = copyText(ROWS, ['n', 'label']).replace('\n1500\t', '\n1500\tde trop\t');
  // bad_copy_file_format, whatever the language of the server's messages.
  await assert.rejects(copiedBack(text, 'text'), (error: { code?: string }) => error.code === '22P04');
});
