import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeWords, oneSlipApart, SpellingIndex, trigrams } from './spelling.ts';

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

test('une faute de frappe : une lettre remplacée, oubliée, ajoutée, ou deux lettres voisines inversées', () => {
  const slips: [string, string, boolean][] = [
    ['phraes', 'phares', true], // inversion
    ['phares', 'phraes', true],
    ['pahres', 'phares', true],
    ['phaers', 'phares', true],
    ['phars', 'phares', true], // oubli
    ['pphares', 'phares', true], // ajout
    ['phores', 'phares', true], // remplacement
    ['phares', 'phares', false],
    ['prahes', 'phares', false], // deux lettres éloignées échangées : deux fautes
    ['phr', 'phares', false],
    ['rahpes', 'phares', false],
    ['phaser', 'phares', false],
  ];
  for (const [typed, known, expected] of slips) assert.equal(oneSlipApart(typed, known), expected, `${typed} / ${known}`);
});

test('deux lettres inversées sont corrigées même sous le seuil de similarité des trigrammes', () => {
  const index = new SpellingIndex();
  index.add(['phares', 'phratrie', 'halage', 'ruche', 'potagers', 'telegraphe']);
  assert.equal(index.nearest('phraes'), 'phares', 'une faute de frappe, plutôt que « phratrie », plus proche par les trigrammes');
  assert.equal(index.correct('Le Phraes'), 'le phares');
  assert.equal(index.correct('hallage'), 'halage');
  assert.equal(index.correct('rcuhe'), 'ruche');
  assert.equal(index.correct('potagres du telegrpahe'), 'potagers du telegraphe');
});

test('un mot de trois lettres n’est corrigé que par les trigrammes', () => {
  const index = new SpellingIndex();
  index.add(['nef']);
  assert.equal(index.nearest('enf'), undefined);
});
