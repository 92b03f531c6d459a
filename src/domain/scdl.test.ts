import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objetOf, paymentPeriod, SCDL_FIELDS, scdlCells, toScdl, type AgreementSource, type SubventionScdl } from './scdl.ts';

const source = (change: Partial<AgreementSource> = {}): AgreementSource => ({
  appel: { titre: 'AMI PTCE 2021', dispositifAide: 'ptce-soutien' },
  attribuant: { nom: 'Région Exemple', siret: '23350001600040' },
  candidature: { titre: 'Coopérations du Val de Drôme' },
  beneficiaire: { nom: 'Association Val de Drôme', siret: '38047555800058' },
  debut: '2021-12-01',
  tranches: [
    { montantCentimes: 10_000_000, echeance: '2021-12-01', conditionnelle: false, conditionLevee: false },
    { montantCentimes: null, echeance: '2023-12-01', conditionnelle: true, conditionLevee: false },
  ],
  ...change,
});

const subventionOf = (s: AgreementSource): SubventionScdl => {
  const mapped = toScdl(s);
  assert.ok('subvention' in mapped, JSON.stringify(mapped));
  return mapped.subvention;
};

test('les 16 colonnes du schéma SCDL subventions 2.1.1, dans son ordre', () => {
  assert.deepEqual(
    [...SCDL_FIELDS],
    [
      'nomAttribuant',
      'idAttribuant',
      'dateConvention',
      'referenceDecision',
      'nomBeneficiaire',
      'idBeneficiaire',
      'rnaBeneficiaire',
      'objet',
      'montant',
      'nature',
      'conditionsVersement',
      'datesPeriodeVersement',
      'idRAE',
      'notificationUE',
      'pourcentageSubvention',
      'dispositifAide',
    ],
  );
  assert.deepEqual(Object.keys(subventionOf(source())), [...SCDL_FIELDS]);
});

test('convention de l’AMI : année 3 conditionnelle sans montant exclue, versement unique à la date de la tranche ferme', () => {
  const s = subventionOf(source());
  assert.equal(s.montant, 100000);
  assert.equal(s.conditionsVersement, 'unique');
  assert.equal(s.datesPeriodeVersement, '2021-12-01');
  assert.equal(s.dateConvention, '2021-12-01');
  assert.equal(s.idAttribuant, '23350001600040');
  assert.equal(s.idBeneficiaire, '38047555800058');
  assert.equal(s.nature, 'aide en numéraire');
  assert.equal(s.notificationUE, 'non');
  assert.equal(s.pourcentageSubvention, 1);
  assert.equal(s.objet, 'AMI PTCE 2021 — Coopérations du Val de Drôme');
});

test('une tranche conditionnelle compte une fois sa condition constatée : versement échelonné sur la période', () => {
  const tranches = [
    { montantCentimes: 3_000_050, echeance: '2023-12-01', conditionnelle: true, conditionLevee: true },
    { montantCentimes: 10_000_000, echeance: '2021-12-01', conditionnelle: false, conditionLevee: false },
    { montantCentimes: 5_000_000, echeance: '2024-06-01', conditionnelle: true, conditionLevee: false },
  ];
  const s = subventionOf(source({ tranches }));
  assert.equal(s.montant, 130000.5);
  assert.equal(s.conditionsVersement, 'échelonné');
  assert.equal(s.datesPeriodeVersement, '2021-12-01/2023-12-01');
});

test('sans SIRET d’attribuant, sans chef de file ou sans montant ferme : la ligne est écartée avec sa raison, rien n’est inventé', () => {
  assert.deepEqual(toScdl(source({ attribuant: null })), {
    motif: 'Aucun organisateur de l’appel n’a de SIRET : idAttribuant est obligatoire et n’est pas inventé.',
  });
  assert.match((toScdl(source({ beneficiaire: null })) as { motif: string }).motif, /chef de file/);
  const pending = [{ montantCentimes: 5_000_000, echeance: '2022-01-01', conditionnelle: true, conditionLevee: false }];
  assert.match((toScdl(source({ tranches: pending })) as { motif: string }).motif, /montant attribué n’est pas encore connu/);
  assert.match((toScdl(source({ tranches: [] })) as { motif: string }).motif, /pas encore connu/);
});

test('cellules CSV : montants et pourcentage avec un point, valeurs absentes vides', () => {
  const cells = scdlCells(subventionOf(source({ appel: { titre: 'AMI', dispositifAide: null } })));
  assert.equal(cells.length, SCDL_FIELDS.length);
  const cell = (field: string) => cells[SCDL_FIELDS.indexOf(field as never)];
  assert.equal(cell('montant'), '100000.00');
  assert.equal(cell('pourcentageSubvention'), '1.00');
  assert.equal(cell('referenceDecision'), '');
  assert.equal(cell('dispositifAide'), '');
  assert.match(cell('datesPeriodeVersement')!, /^[0-9]{4}-[0-9]{2}-[0-9]{2}(\/[0-9]{4}-[0-9]{2}-[0-9]{2})?$/);
});

test('objet : moins de 256 caractères, raccourci avec une ellipse', () => {
  const long = objetOf('Appel', 'x'.repeat(400));
  assert.equal(long.length, 255);
  assert.ok(long.endsWith('…'));
  assert.equal(objetOf(' Appel ', ' Titre '), 'Appel — Titre');
});

test('période de versement : une date, ou la première et la dernière', () => {
  assert.equal(paymentPeriod(['2022-01-01']), '2022-01-01');
  assert.equal(paymentPeriod(['2023-06-01', '2021-12-01', '2022-06-01']), '2021-12-01/2023-06-01');
});
