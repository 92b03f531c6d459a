import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageNotes, checkNotes, rank, weightedTotal, type Critere } from './scoring.ts';

const grille: Critere[] = [
  { id: 1, libelle: 'Ancrage territorial', poids: 2, min: 0, max: 5 },
  { id: 2, libelle: 'Coopération', poids: 1, min: 0, max: 20 },
];

test('une fiche complète dans l’échelle passe ; hors échelle, non entière ou manquante : message en français', () => {
  assert.deepEqual(checkNotes(grille, { 1: 5, 2: 0 }), []);
  assert.deepEqual(
    checkNotes(grille, { 1: 6, 2: 2.5 }).map((e) => e.critere),
    [1, 2],
  );
  assert.match(checkNotes(grille, { 1: -1, 2: 3 })[0]!.message, /entier de 0 à 5/);
  assert.match(checkNotes(grille, { 2: 3 })[0]!.message, /Notez « Ancrage territorial »/);
  assert.match(checkNotes(grille, { 1: NaN, 2: 3 })[0]!.message, /entier de 0 à 5/);
});

test('le total pondéré ramène chaque échelle à 100 et pèse selon les poids', () => {
  assert.equal(weightedTotal(grille, { 1: 5, 2: 20 }), 100);
  assert.equal(weightedTotal(grille, { 1: 0, 2: 0 }), 0);
  // (2 × 0,6 + 1 × 0,5) / 3 × 100 = 56,67
  assert.equal(weightedTotal(grille, { 1: 3, 2: 10 }), 56.67);
  assert.equal(weightedTotal(grille, {}), null);
});

test('moyenne par critère sur plusieurs fiches', () => {
  assert.deepEqual(
    averageNotes(grille, [
      { 1: 4, 2: 10 },
      { 1: 3, 2: 15 },
    ]),
    { 1: 3.5, 2: 12.5 },
  );
  assert.deepEqual(averageNotes(grille, []), {});
});

test('classement : meilleur total d’abord, ex aequo au même rang, sans note à la fin sans rang', () => {
  const ranked = rank(['a', 'b', 'c', 'd'], (x) => ({ a: 50, b: null, c: 80, d: 50 })[x]!);
  assert.deepEqual(
    ranked.map((r) => [r.item, r.rang]),
    [
      ['c', 1],
      ['a', 2],
      ['d', 2],
      ['b', null],
    ],
  );
});
