import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { csvLine, fromCsvText, type CsvDialect } from './csv.ts';

test('CSV Excel français : point-virgule et virgule décimale', () => {
  assert.equal(csvLine(['Pôle Sud', 45.04, null, 'a;b'], 'excel-fr'), 'Pôle Sud;45,04;;"a;b"\r\n');
});

test('CSV RFC 4180 : guillemets doublés, retours à la ligne protégés', () => {
  assert.equal(csvLine(['dit "Archer"', 'l1\nl2', 3.5], 'rfc4180'), '"dit ""Archer""","l1\nl2",3.5\r\n');
});

test('CSV : une cellule qui commencerait une formule est écrite comme texte, les nombres restent des nombres', () => {
  assert.equal(
    csvLine(['=HYPERLINK("https://exemple.fr"&A1;"Voir")', '@SUM(A1)', '+33', '-2', -2.5], 'excel-fr'),
    `"'=HYPERLINK(""https://exemple.fr""&A1;""Voir"")";'@SUM(A1);'+33;'-2;-2,5\r\n`,
  );
  assert.equal(csvLine(['\tcmd', '\r=1'], 'rfc4180'), `'\tcmd,"'\r=1"\r\n`);
});

test('CSV, propriété : aucune cellule relue ne commence une formule, et le texte revient tel quel', async () => {
  const { parse } = await import('csv-parse/sync');
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', 'a', ' ', ';', ',', '"', "'", 'é') }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom<CsvDialect>('excel-fr', 'rfc4180'),
      (values, dialect) => {
        const [cells] = parse(csvLine(values, dialect), { delimiter: dialect === 'excel-fr' ? ';' : ',', relax_column_count: true }) as string[][];
        assert.equal(cells!.length, values.length);
        cells!.forEach((cell, i) => {
          assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
          assert.equal(fromCsvText(cell), values[i]);
        });
      },
    ),
    { numRuns: 500 },
  );
});
