import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePeriod } from './indicators.ts';
import { checkExpected, checkPeriodInAgreement, checkReportAction, expectedState, periodDays, reportProgress } from './report-indicators.ts';
import { RuleError } from './rule-error.ts';

const refused = (code: string, field?: string) => (e: unknown) => e instanceof RuleError && e.code === code && e.field === field;

test('l’état d’un indicateur attendu suit la valeur saisie contre l’échéance', () => {
  assert.deepEqual(
    [null, 'soumise', 'validee', 'refusee'].map((s) => expectedState(s as never)),
    ['manquant', 'a_valider', 'valide', 'refuse'],
  );
  assert.deepEqual(reportProgress(['manquant', 'a_valider', 'valide', 'refuse']), { attendus: 4, saisis: 2, valides: 1 });
});

test('un rapport qui attend des indicateurs n’est pas marqué remis à la main, et n’est validé qu’une fois tous ses indicateurs validés', () => {
  assert.throws(() => checkReportAction('remis', { attendus: 2, saisis: 2, valides: 0 }), refused('remis_par_les_indicateurs'));
  assert.throws(() => checkReportAction('valide', { attendus: 2, saisis: 2, valides: 1 }), /1 sur 2/);
  checkReportAction('valide', { attendus: 2, saisis: 2, valides: 2 });
  checkReportAction('remis', { attendus: 0, saisis: 0, valides: 0 });
});

test('une période est dans la convention si elle en chevauche les dates', () => {
  assert.deepEqual(periodDays(parsePeriod('2024-T1')), { debut: '2024-01-01', fin: '2024-03-31' });
  assert.deepEqual(periodDays(parsePeriod('2023-T4')), { debut: '2023-10-01', fin: '2023-12-31' });
  const agreement = { debut: '2021-12-01', fin: '2023-12-01' };
  checkPeriodInAgreement(parsePeriod('2021'), agreement);
  checkPeriodInAgreement(parsePeriod('2023-T4'), agreement);
  assert.throws(() => checkPeriodInAgreement(parsePeriod('2021-T3'), agreement), refused('periode_hors_convention', 'periode'));
  assert.throws(() => checkPeriodInAgreement(parsePeriod('2024'), agreement), /du 01\/12\/2021 au 01\/12\/2023/);
});

test('une échéance attend au moins un indicateur, chacun une fois', () => {
  assert.deepEqual(checkExpected(['etp', 'etp', 'emplois_insertion']), ['etp', 'emplois_insertion']);
  assert.throws(() => checkExpected([]), refused('indicateurs_manquants', 'indicateurs'));
});
