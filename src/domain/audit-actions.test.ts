import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditActionLabel, auditObjectLabel } from './audit-actions.ts';

test('actions connues : libellé propre', () => {
  assert.equal(auditActionLabel('role.grant'), 'Attribution d’un rôle');
  assert.equal(auditActionLabel('role.revoke'), 'Retrait d’un rôle');
  assert.equal(auditActionLabel('account.delete'), 'Suppression d’un compte');
});

test('autres actions : famille — verbe, mot inconnu laissé tel quel', () => {
  assert.equal(auditActionLabel('moderation.refuse'), 'Modération — refus');
  assert.equal(auditActionLabel('moderation.amend'), 'Modération — acceptation avec modifications');
  assert.equal(auditActionLabel('claim.accept'), 'Revendication — acceptation');
  assert.equal(auditActionLabel('claim.escalate'), 'Revendication — escalate');
  assert.equal(auditActionLabel('claim'), 'Revendication');
  assert.equal(auditActionLabel('inconnu.grant'), 'inconnu.grant');
});

test('campagnes et clubs Cigales : libellés propres', () => {
  assert.equal(auditActionLabel('campagne.open'), 'Ouverture d’une campagne citoyenne');
  assert.equal(auditActionLabel('cigales.investment'), 'Investissement d’un club Cigales enregistré');
  assert.equal(auditObjectLabel('campagne'), 'Campagne citoyenne');
});

test('types d’objet', () => {
  assert.equal(auditObjectLabel('account'), 'Compte');
  assert.equal(auditObjectLabel('organisation'), 'Structure');
  assert.equal(auditObjectLabel('machin'), 'machin');
});
