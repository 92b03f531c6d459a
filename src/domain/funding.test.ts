import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, agreementTotals, checkPayment, parseEuros, PaiementRefuse, reportState } from './funding.ts';

const ferme = { montantCentimes: 10_000_000, conditionnelle: false, conditionLevee: false };

test('un versement ne dépasse jamais la tranche', () => {
  checkPayment(ferme, 0, 10_000_000);
  checkPayment(ferme, 4_000_000, 6_000_000);
  assert.throws(
    () => checkPayment(ferme, 4_000_000, 6_000_001),
    (e: Error) => e instanceof PaiementRefuse && /dépasserait la tranche/.test(e.message),
  );
  assert.throws(() => checkPayment(ferme, 0, 0), /positif/);
});

test('tranche conditionnelle : pas de versement avant que la condition soit constatée ; sans montant fixé, aucun', () => {
  const annee3 = { montantCentimes: 3_000_000, conditionnelle: true, conditionLevee: false };
  assert.throws(() => checkPayment(annee3, 0, 100), /conditionnelle/);
  checkPayment({ ...annee3, conditionLevee: true }, 0, 100);
  assert.throws(() => checkPayment({ ...annee3, montantCentimes: null, conditionLevee: true }, 0, 100), /pas encore fixé/);
});

test('totaux : ferme, conditionnel, versé, montants à fixer', () => {
  const totals = agreementTotals([
    { ...ferme, verseCentimes: 5_000_000 },
    { montantCentimes: null, conditionnelle: true, conditionLevee: false, verseCentimes: 0 },
    { montantCentimes: 200, conditionnelle: true, conditionLevee: false, verseCentimes: 0 },
  ]);
  assert.deepEqual(totals, { fermeCentimes: 10_000_000, conditionnelCentimes: 200, verseCentimes: 5_000_000, montantsAFixer: 1 });
});

test('état d’un rapport selon la date du jour', () => {
  assert.equal(reportState({ echeance: '2022-06-30', remisLe: null, valide: false }, '2022-06-30'), 'a_venir');
  assert.equal(reportState({ echeance: '2022-06-30', remisLe: null, valide: false }, '2022-07-01'), 'en_retard');
  assert.equal(reportState({ echeance: '2022-06-30', remisLe: '2022-07-02', valide: false }, '2022-08-01'), 'remis');
  assert.equal(reportState({ echeance: '2022-06-30', remisLe: '2022-07-02', valide: true }, '2022-08-01'), 'valide');
});

test('mois ajoutés et montants saisis à la française', () => {
  assert.equal(addMonths('2021-11-30', 24), '2023-11-30');
  assert.equal(addMonths('2022-01-31', 1), '2022-02-28');
  assert.equal(parseEuros('100 000'), 10_000_000);
  assert.equal(parseEuros('12 500,50 €'), 1_250_050);
  assert.equal(parseEuros('douze'), null);
  assert.equal(parseEuros('-5'), null);
});
