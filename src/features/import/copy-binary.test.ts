import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinaryRows, binaryValues } from './copy-binary.ts';

/** A stream of `bytes` cut into chunks of `size` bytes, as a socket may deliver it. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const collect = async (bytes: Buffer, size: number) => {
  const values: string[] = [];
  for await (const value of binaryValues(chunked(bytes, size))) values.push(value.toString('utf8'));
  return values;
};

test('COPY binaire : les valeurs d’une colonne relues telles qu’écrites, quel que soit le découpage du flux ; les nulles sautées', async () => {
  const long = 'é'.repeat(40_000);
  const rows = new BinaryRows(16);
  // Short and ASCII (copied byte by byte), accented after an ASCII start, long, outside the BMP.
  const values = ['JARDIN DU CLOÎTRE', null, '', long, 'A'.repeat(100), 'graine 🌱', 'fin'];
  for (const value of values) rows.row(1).text(value);
  const bytes = rows.end();
  assert.equal(bytes.subarray(0, 11).toString('latin1'), 'PGCOPY\n\xff\r\n\0');
  for (const size of [1, 7, 19, 4096, bytes.length])
    assert.deepEqual(
      await collect(bytes, size),
      values.filter((value) => value !== null),
      `morceaux de ${size} octets`,
    );
});

test('COPY binaire : nombres et uuid à leur forme binaire ; un flux tronqué ou à plusieurs colonnes est refusé', async () => {
  const bytes = new BinaryRows()
    .row(3)
    .float8(48.8566)
    .int8(2 ** 53 - 1)
    .uuid('0123456789abcdef0123456789abcdef')
    .end();
  // 19 bytes of header, 2 of field count, then each field: its length and its value.
  assert.equal(bytes.readInt16BE(19), 3);
  assert.equal(bytes.readDoubleBE(25), 48.8566);
  assert.equal(bytes.readBigUInt64BE(37), BigInt(2 ** 53 - 1));
  assert.equal(bytes.subarray(49, 65).toString('hex'), '0123456789abcdef0123456789abcdef');
  await assert.rejects(collect(bytes, 64), /3 colonnes au lieu d’une/);
  const one = new BinaryRows().row(1).text('abc').end();
  await assert.rejects(collect(one.subarray(0, one.length - 2), 64), /fin inattendue/);
  await assert.rejects(collect(Buffer.from('PGCOPY\nXXXXXXXXXXXXXXXX'), 64), /en-tête inattendu/);
});
