import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeWords, SpellingIndex, trigrams } from './spelling.ts';

test('les mots sont mis en minuscules sans accents, comme immutable_unaccent(lower(…)) en base', () => {
  assert.deepEqual(normalizeWords('Cœur d’Éoliennes — SCIC'), ['coeur', 'd', 'eoliennes', 'scic']);
});

test('trigrammes à la manière de pg_trgm : deux espaces avant, un après', () => {
  assert.deepEqual([...trigrams('cat')], ['  c', ' ca', 'cat', 'at ']);
});

test('le mot connu le plus proche remplace un mot mal orthographié ; les mots connus et courts restent', () => {
  const index = new SpellingIndex();
  index.add(['ressourcerie', 'recyclerie', 'pole', 'sud', 'archer', 'arche', 'solidaire']);
  assert.equal(index.nearest('ressoucerie'), 'ressourcerie');
  assert.equal(index.nearest('archr'), 'arche');
  assert.equal(index.correct('La ressoucerie solidaire'), 'la ressourcerie solidaire');
  assert.equal(index.correct('pole sud'), undefined);
});

test('rien n’est proposé quand aucun mot n’atteint le seuil de similarité', () => {
  const index = new SpellingIndex();
  index.add(['ressourcerie']);
  assert.equal(index.nearest('zzzqqq'), undefined);
  assert.equal(index.correct('zzzqqq'), undefined);
});

test('au plus trois mots corrigés par requête', () => {
  const index = new SpellingIndex();
  index.add(['alpha', 'bravo', 'charlie', 'delta']);
  assert.equal(index.correct('alpah bravoo charlei deltaa'), 'alpha bravo charlie deltaa');
});

test('un mot ajouté deux fois n’est indexé qu’une fois', () => {
  const index = new SpellingIndex();
  index.add(['solidaire', 'solidaire']);
  index.add(['solidaire']);
  assert.equal(index.size, 1);
});
