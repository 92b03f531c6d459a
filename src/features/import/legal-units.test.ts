import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegalUnitIndex } from './legal-units.ts';

test('une unité gardée se relit telle quelle, accents compris', () => {
  const index = new LegalUnitIndex();
  index.keep('775672272', { name: 'Société coopérative « Les Œillets » — Émile', legalForm: '5458', ess: 'O' });
  index.keep('130005481', { name: 'Jean Dupont', legalForm: '', ess: '' });
  assert.deepEqual(index.get('775672272'), { name: 'Société coopérative « Les Œillets » — Émile', legalForm: '5458', ess: 'O' });
  assert.deepEqual(index.get('130005481'), { name: 'Jean Dupont', legalForm: '', ess: '' });
  assert.equal(index.get('552100554'), undefined);
  assert.equal(index.kept, 2);
});

test('l’index grandit au-delà de sa première réserve sans rien perdre', () => {
  const index = new LegalUnitIndex();
  const sirens = Array.from({ length: 30_000 }, (_, i) => String(100_000_000 + i * 7));
  for (const [i, siren] of sirens.entries()) {
    index.keep(siren, { name: `Association numéro ${i} pour la solidarité territoriale`, legalForm: '9220', ess: i % 2 ? 'O' : 'N' });
  }
  // About 55 bytes per unit: 30 000 units are well beyond the first megabyte.
  for (const i of [0, 1, 12_345, 29_999]) {
    assert.deepEqual(index.get(sirens[i]!), { name: `Association numéro ${i} pour la solidarité territoriale`, legalForm: '9220', ess: i % 2 ? 'O' : 'N' });
  }
});

test('une même SIREN gardée deux fois : la dernière lecture l’emporte', () => {
  const index = new LegalUnitIndex();
  index.keep('775672272', { name: 'Ancien nom', legalForm: '9220', ess: 'O' });
  index.keep('775672272', { name: 'Nouveau nom', legalForm: '9220', ess: 'O' });
  assert.equal(index.get('775672272')?.name, 'Nouveau nom');
});

test('les SIREN vus sont retenus, même quand l’unité n’est pas gardée', () => {
  const index = new LegalUnitIndex();
  index.markSeen('775672272');
  assert.equal(index.hasSeen('775672272'), true);
  assert.equal(index.hasSeen('552100554'), false);
});
