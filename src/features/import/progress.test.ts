import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar, remaining, type ImportProgress } from './progress.ts';

test('temps restant au rythme des octets lus', () => {
  assert.equal(remaining({ bytesRead: 250, totalBytes: 1000 }, 10_000), 'reste 30 s');
  assert.equal(remaining({ bytesRead: 100, totalBytes: 1000 }, 14_000), 'reste 2 min 06 s');
  assert.equal(remaining({ bytesRead: 0, totalBytes: 1000 }, 1_000), '');
});

/** A stream that keeps what is written, as a terminal or as a log file. */
function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream };
}

const at = (rowsRead: number): ImportProgress => ({ phase: 'lignes', rowsRead, bytesRead: rowsRead, totalBytes: 1_000_000 });

test('sur un terminal : une barre redessinée avec débit et temps restant', () => {
  const { written, stream } = sink(true);
  const bar = progressBar(stream);
  bar.update(at(500_000));
  bar.end();
  assert.match(written[0]!, /^\rLignes +\[#{15}-{15}\] {2}50 % {2}500\s000 lues {2}[\d\s]+ lignes\/s {2}reste \d+ s/);
  assert.equal(written.at(-1), '\n');
});

test('hors terminal : des lignes simples, une tous les 100 000 enregistrements', () => {
  const { written, stream } = sink(false);
  const bar = progressBar(stream);
  for (const rows of [50_000, 100_000, 150_000, 200_000]) bar.update(at(rows));
  bar.end();
  // French number formatting separates thousands with a narrow no-break space.
  assert.deepEqual(
    written.map((line) => line.replace(/\s(?=\d{3}\b)/g, ' ')),
    ['Lignes : 100 000 lues (10 %)\n', 'Lignes : 200 000 lues (20 %)\n'],
  );
});
