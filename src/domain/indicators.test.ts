import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, checkPeriodStarted, decideEntry, parsePeriod, parseValue, type IndicatorDefinition } from './indicators.ts';
import { RuleError } from './rule-error.ts';

const etp: IndicatorDefinition = { code: 'etp', libelle: 'Emplois en équivalent temps plein', type: 'decimal', unite: 'ETP' };
const benevoles: IndicatorDefinition = { code: 'benevoles', libelle: 'Bénévoles', type: 'entier', unite: 'personnes' };
const refusedOn = (field: string, pattern: RegExp) => (e: unknown) => e instanceof RuleError && e.field === field && pattern.test(e.message);

test('une période est une année ou un trimestre, entre 2000 et 2100', () => {
  assert.deepEqual(parsePeriod('2025'), { code: '2025', annee: 2025, trimestre: null });
  assert.deepEqual(parsePeriod(' 2025-T2 '), { code: '2025-T2', annee: 2025, trimestre: 2 });
  for (const wrong of ['2025-T5', '25', '2025-Q1', '1999', 'demain'])
    assert.throws(() => parsePeriod(wrong), refusedOn('periode', /indiquez une année .* ou un trimestre/));
  assert.throws(() => checkPeriodStarted(parsePeriod('2027'), { annee: 2026, trimestre: 4 }), refusedOn('periode', /n’a pas commencé/));
  assert.throws(() => checkPeriodStarted(parsePeriod('2026-T3'), { annee: 2026, trimestre: 2 }), refusedOn('periode', /n’a pas commencé/));
  checkPeriodStarted(parsePeriod('2026'), { annee: 2026, trimestre: 1 });
});

test('une valeur se lit à la française et selon la sorte de l’indicateur ; la mauvaise sorte est refusée en nommant le champ', () => {
  assert.equal(parseValue(etp, '12,5'), 12.5);
  assert.equal(parseValue(etp, '1 204.25'), 1204.25);
  assert.equal(parseValue(benevoles, '800'), 800);
  assert.throws(() => parseValue(benevoles, '12,5'), refusedOn('valeur', /« Bénévoles » attend un nombre entier positif ou nul/));
  assert.throws(() => parseValue(etp, 'beaucoup'), refusedOn('valeur', /attend un nombre positif ou nul/));
  assert.throws(() => parseValue(etp, '-3'), refusedOn('valeur', /positif/));
  assert.throws(() => parseValue(etp, '1,234'), refusedOn('valeur', /deux décimales/));
  assert.throws(() => parseValue(etp, ' '), refusedOn('valeur', /Indiquez la valeur/));
  assert.throws(() => parseValue({ ...etp, type: 'pourcentage' }, '120'), refusedOn('valeur', /entre 0 et 100/));
  assert.throws(() => parseValue(benevoles, 'x', 'valeurs.benevoles'), refusedOn('valeurs.benevoles', /Bénévoles/));
});

test('une saisie à valider est validée, ou refusée avec son motif ; une saisie décidée ne l’est pas deux fois', () => {
  assert.deepEqual(decideEntry('soumise', { valider: true, motif: '' }), { statut: 'validee', motif: null });
  assert.deepEqual(decideEntry('soumise', { valider: false, motif: ' Chiffre à justifier ' }), { statut: 'refusee', motif: 'Chiffre à justifier' });
  assert.throws(() => decideEntry('soumise', { valider: false, motif: '' }), refusedOn('motif', /motif du refus/));
  assert.throws(
    () => decideEntry('validee', { valider: true, motif: '' }),
    (e: unknown) => e instanceof RuleError && e.kind === 'conflict',
  );
});

test('un indicateur propre a un code libre et bien formé, un libellé et une unité', () => {
  const taken = new Set(['etp']);
  checkDefinition({ code: 'repas_servis', libelle: 'Repas servis', type: 'entier', unite: 'repas' }, taken);
  assert.throws(() => checkDefinition({ ...etp }, taken), refusedOn('code', /déjà celui/));
  assert.throws(() => checkDefinition({ ...etp, code: 'Repas servis' }, taken), refusedOn('code', /minuscules/));
  assert.throws(() => checkDefinition({ ...etp, code: 'x_y', unite: '' }, taken), refusedOn('unite', /obligatoire/));
});
