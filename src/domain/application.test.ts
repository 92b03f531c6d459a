import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActeurNonAutorise,
  MotifRequis,
  nextStates,
  statutCandidature,
  transition,
  TransitionInterdite,
  type ActeurCandidature,
  type StatutCandidature,
} from './application.ts';

/** Every allowed move with who makes it and whether a motive is required. */
const ALLOWED: [StatutCandidature, StatutCandidature, ActeurCandidature, boolean][] = [
  ['brouillon', 'deposee', 'candidat', false],
  ['deposee', 'en_instruction', 'instruction', false],
  ['en_instruction', 'complement_demande', 'instruction', true],
  ['complement_demande', 'deposee', 'candidat', false],
  ['en_instruction', 'retenue', 'instruction', false],
  ['en_instruction', 'non_retenue', 'instruction', true],
  ['retenue', 'laureate', 'instruction', false],
  ['retenue', 'refusee', 'instruction', true],
  ['retenue', 'sans_suite', 'instruction', true],
  ['non_retenue', 'laureate', 'instruction', true],
  ['non_retenue', 'refusee', 'instruction', true],
  ['non_retenue', 'sans_suite', 'instruction', true],
];

test('chaque transition permise passe, par le bon acteur, avec le motif quand il est requis', () => {
  for (const [from, to, by] of ALLOWED) {
    assert.deepEqual(transition(from, to, by, ' parce que '), { from, to, by, motif: 'parce que' });
  }
});

test('toute autre paire d’états est refusée par TransitionInterdite, avec un message en français', () => {
  let refused = 0;
  for (const from of statutCandidature.codes) {
    for (const to of statutCandidature.codes) {
      if (ALLOWED.some(([f, t]) => f === from && t === to)) continue;
      for (const by of ['candidat', 'instruction'] as const) {
        assert.throws(
          () => transition(from, to, by, 'motif'),
          (error: unknown) => error instanceof TransitionInterdite && /ne peut pas passer à/.test(error.message),
        );
      }
      refused++;
    }
  }
  assert.equal(refused, 9 * 9 - ALLOWED.length);
});

test('le mauvais acteur est refusé : le candidat ne décide pas, l’instruction ne dépose pas', () => {
  for (const [from, to, by] of ALLOWED) {
    const other = by === 'candidat' ? 'instruction' : 'candidat';
    assert.throws(() => transition(from, to, other, 'motif'), ActeurNonAutorise);
  }
});

test('un refus, une demande de complément ou un classement sans suite exige un motif', () => {
  for (const [from, to, by, required] of ALLOWED) {
    if (required) {
      assert.throws(() => transition(from, to, by), MotifRequis);
      assert.throws(() => transition(from, to, by, '   '), MotifRequis);
    } else {
      assert.equal(transition(from, to, by).motif, null);
    }
  }
});

test('états suivants et états terminaux', () => {
  assert.deepEqual(nextStates('brouillon'), ['deposee']);
  assert.deepEqual(nextStates('en_instruction').sort(), ['complement_demande', 'non_retenue', 'retenue']);
  for (const terminal of ['laureate', 'refusee', 'sans_suite'] as const) assert.deepEqual(nextStates(terminal), []);
});
