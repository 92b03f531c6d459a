import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLine } from './csv.ts';

test('CSV Excel français : point-virgule et virgule décimale', () => {
  assert.equal(csvLine(['Pôle Sud', 45.04, null, 'a;b'], 'excel-fr'), 'Pôle Sud;45,04;;"a;b"\r\n');
});

test('CSV RFC 4180 : guillemets doublés, retours à la ligne protégés', () => {
  assert.equal(csvLine(['dit "Archer"', 'l1\nl2', 3.5], 'rfc4180'), '"dit ""Archer""","l1\nl2",3.5\r\n');
});
