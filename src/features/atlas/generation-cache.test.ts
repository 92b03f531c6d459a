import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GenerationCache } from './generation-cache.ts';

test('une entrée ne sert que dans la génération où elle a été calculée', () => {
  const cache = new GenerationCache<string>(10);
  cache.set('4', 'a', 'réponse');
  assert.equal(cache.get('4', 'a'), 'réponse');
  assert.equal(cache.get('5', 'a'), undefined);
  cache.set('5', 'b', 'nouvelle');
  assert.equal(cache.get('4', 'a'), undefined, 'une nouvelle génération efface les anciennes entrées');
  assert.equal(cache.size, 1);
});

test('une réponse calculée sur une génération plus ancienne que le cache est jetée', () => {
  const cache = new GenerationCache<string>(10);
  cache.set('10', 'a', 'récente');
  cache.set('9', 'b', 'ancienne');
  assert.equal(cache.get('9', 'b'), undefined);
  assert.equal(cache.get('10', 'a'), 'récente');
  // Compared as numbers, not as text ('10' < '9' as text).
  cache.set('11', 'c', 'suivante');
  assert.equal(cache.get('11', 'c'), 'suivante');
});

test('au-delà du budget, les entrées les moins récemment lues partent les premières', () => {
  const cache = new GenerationCache<string>(10, (value) => value.length);
  cache.set('1', 'a', 'aaaa');
  cache.set('1', 'b', 'bbbb');
  assert.equal(cache.get('1', 'a'), 'aaaa');
  cache.set('1', 'c', 'cccc');
  assert.equal(cache.get('1', 'b'), undefined);
  assert.equal(cache.get('1', 'a'), 'aaaa');
  assert.equal(cache.get('1', 'c'), 'cccc');
  cache.set('1', 'd', 'x'.repeat(11));
  assert.equal(cache.get('1', 'd'), undefined, 'une entrée plus grosse que le budget n’est pas gardée');
  assert.equal(cache.size, 2);
});
