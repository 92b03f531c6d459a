import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidSiren, isValidSiret, luhnValid, normaliseIdentifier, siretError } from './siret.ts';

test('accepte des SIREN et SIRET réels', () => {
  assert.ok(isValidSiren('732829320')); // a real SIREN (Luhn-valid)
  assert.ok(isValidSiret('73282932000074'));
  assert.ok(isValidSiret('35600000000047')); // La Poste: digit sum 3+5+6+4+7 = 25
});

test('refuse une clé de contrôle fausse ou une longueur fausse', () => {
  assert.equal(isValidSiren('732829321'), false);
  assert.equal(isValidSiret('73282932000075'), false);
  assert.equal(isValidSiret('7328293200007'), false);
  assert.equal(isValidSiret('7328293200007a'), false);
  assert.equal(isValidSiret('35600000000048'), false);
  assert.match(siretError('123') ?? '', /14 chiffres/);
  assert.match(siretError('73282932000075') ?? '', /clé de contrôle/);
  assert.equal(siretError('73282932000074'), null);
});

test('Luhn sur des cas connus et normalisation', () => {
  assert.ok(luhnValid('79927398713'));
  assert.equal(luhnValid('79927398710'), false);
  assert.equal(normaliseIdentifier('732 829 320 00074'), '73282932000074');
});
