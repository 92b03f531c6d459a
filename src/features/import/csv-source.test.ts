import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCsv } from './csv-source.ts';

test('un fichier de plusieurs Mio, lu par morceaux : chaque ligne entière, à son numéro, même coupée entre deux morceaux', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'maillage-csv-'));
  try {
    // Lines of varied lengths, with accents, an emoji and quoted fields holding the separator or a newline: the
    // reads and their slices fall anywhere, inside a line, a character or a quoted field.
    const expected: string[][] = [];
    let text = 'siret,nom,ville\n';
    for (let index = 0; expected.length < 40_000; index++) {
      const name = index % 5 === 0 ? `Café « ${index} » 🌱` : `ASSOCIATION ${'X'.repeat(index % 90)} ${index}`;
      const town = index % 7 === 0 ? 'Saint-Étienne, Loire' : 'Lyon';
      const multiline = index % 11 === 0;
      expected.push([String(index), multiline ? `${name}\nsuite` : name, town]);
      text += `${index},${multiline ? `"${name}\nsuite"` : name},${town.includes(',') ? `"${town}"` : town}\n`;
    }
    const path = join(folder, 'gros.csv');
    writeFileSync(path, text);
    assert.ok(Buffer.byteLength(text) > 2.5 * 1024 * 1024);
    const file = await openCsv(path, { onMalformed: (line, reason) => assert.fail(`ligne ${line} : ${reason}`) });
    assert.deepEqual(file.header, ['siret', 'nom', 'ville']);
    const read: string[][] = [];
    let lastLine = 1;
    for await (const record of file.records) {
      read.push(record.fields);
      assert.ok(record.line > lastLine);
      lastLine = record.line;
    }
    assert.equal(read.length, expected.length);
    assert.deepEqual(read, expected);
    // One line more for each quoted newline.
    assert.equal(lastLine, 1 + expected.length + expected.filter(([, name]) => name!.includes('\n')).length);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
