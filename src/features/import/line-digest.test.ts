import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteDigest, NumberTable } from './line-digest.ts';

const digestOf = (seed: number, ...fields: string[]) => {
  const digest = new ByteDigest().start(seed);
  for (const field of fields) digest.addText(field);
  return digest.value;
};

test('empreinte d’une ligne : mêmes champs, même empreinte ; un octet, une frontière de champ ou la graine la changent', () => {
  const line = ['84012345900017', '75104', 'A', 'JARDIN DU CLOITRE'];
  assert.equal(digestOf(1, ...line), digestOf(1, ...line));
  assert.notEqual(digestOf(1, ...line), digestOf(1, '84012345900017', '75104', 'A', 'JARDIN DU CLOÎTRE'));
  assert.notEqual(digestOf(1, 'ab', 'c'), digestOf(1, 'a', 'bc'));
  assert.notEqual(digestOf(1, ...line), digestOf(2, ...line));
  const seen = new Set<number>();
  for (let n = 0; n < 100_000; n++) {
    const value = digestOf(7, String(n));
    assert.ok(Number.isSafeInteger(value) && value >= 0);
    seen.add(value);
  }
  assert.equal(seen.size, 100_000, 'aucune collision sur 100 000 champs voisins');
});

test('empreintes enregistrées : retrouvées par SIRET après agrandissement, -1 pour un SIRET inconnu', () => {
  const stored = new NumberTable(4);
  const siret = (n: number) => 84012345900017 + n * 100_000;
  for (let n = 0; n < 50_000; n++) stored.set(siret(n), n * 3);
  stored.set(siret(10), 42);
  assert.equal(stored.size, 50_000);
  for (let n = 0; n < 50_000; n++) assert.equal(stored.get(siret(n)), n === 10 ? 42 : n * 3);
  assert.equal(stored.get(35600000000048), -1);
});
