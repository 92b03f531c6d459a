import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContributionDejaTraitee, contributionStatus, decide, MotifDeRefusManquant, MotifDeRefusTropLong, REFUSAL_REASON_MAX } from './contribution.ts';

describe('transitions d’une contribution', () => {
  test('une contribution en attente peut être acceptée, acceptée modifiée ou refusée avec un motif', () => {
    assert.equal(decide('en_attente', { type: 'accepter' }), 'acceptee');
    assert.equal(decide('en_attente', { type: 'modifier' }), 'modifiee_acceptee');
    assert.equal(decide('en_attente', { type: 'refuser', motif: 'Doublon de la fiche existante' }), 'refusee');
  });

  test('un refus sans motif (vide ou blanc) est interdit', () => {
    assert.throws(() => decide('en_attente', { type: 'refuser', motif: '' }), MotifDeRefusManquant);
    assert.throws(() => decide('en_attente', { type: 'refuser', motif: ' \n\t ' }), MotifDeRefusManquant);
  });

  test('un motif trop long est refusé', () => {
    assert.throws(() => decide('en_attente', { type: 'refuser', motif: 'x'.repeat(REFUSAL_REASON_MAX + 1) }), MotifDeRefusTropLong);
    assert.equal(decide('en_attente', { type: 'refuser', motif: 'é'.repeat(REFUSAL_REASON_MAX) }), 'refusee');
  });

  test('une décision prise est définitive, quelle que soit la suivante', () => {
    for (const status of ['acceptee', 'modifiee_acceptee', 'refusee'] as const) {
      for (const decision of [{ type: 'accepter' }, { type: 'modifier' }, { type: 'refuser', motif: 'motif' }] as const) {
        assert.throws(
          () => decide(status, decision),
          (error: unknown) => error instanceof ContributionDejaTraitee && error.status === status && /déjà été traitée/.test(error.message),
        );
      }
    }
  });

  test('chaque statut a un libellé français', () => {
    for (const code of contributionStatus.codes) assert.notEqual(contributionStatus.label(code), code);
  });
});
