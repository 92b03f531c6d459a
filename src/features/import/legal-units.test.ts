import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegalUnitIndex } from './legal-units.ts';

const unit = (values: Partial<Parameters<LegalUnitIndex['keep']>[1]>) => ({
  denominationUniteLegale: '',
  nomUniteLegale: '',
  nomUsageUniteLegale: '',
  prenom1UniteLegale: '',
  prenomUsuelUniteLegale: '',
  categorieJuridiqueUniteLegale: '',
  economieSocialeSolidaireUniteLegale: '',
  ...values,
});

test('une unité gardée se relit telle quelle, accents compris ; une personne par « prénom nom », les usuels d’abord', () => {
  const index = new LegalUnitIndex();
  index.keep(
    '775672272',
    unit({
      denominationUniteLegale: 'Société coopérative « Les Œillets » — Émile',
      categorieJuridiqueUniteLegale: '5458',
      economieSocialeSolidaireUniteLegale: 'O',
    }),
  );
  index.keep(
    '130005481',
    unit({ nomUniteLegale: 'DUPONT', nomUsageUniteLegale: 'Dupont', prenom1UniteLegale: 'Jean', categorieJuridiqueUniteLegale: '1000x' }),
  );
  index.keep('552100554', unit({ denominationUniteLegale: '[ND]', prenom1UniteLegale: 'Marie', nomUniteLegale: 'Curie' }));
  assert.deepEqual(index.get('775672272'), { name: 'Société coopérative « Les Œillets » — Émile', legalForm: '5458', ess: 'O' });
  assert.deepEqual(index.get('130005481'), { name: 'Jean Dupont', legalForm: '', ess: '' });
  assert.deepEqual(index.get('552100554'), { name: 'Marie Curie', legalForm: '', ess: '' });
  assert.equal(index.get('356000000'), undefined);
  assert.equal(index.kept, 3);
});

test('une unité gardée depuis les octets bruts de sa ligne se relit décodée, guillemets CSV retirés', () => {
  const index = new LegalUnitIndex(',');
  const line = Buffer.from('"COOPÉRATIVE ""LE GRENIER"", SCIC",,,,,5458,O');
  const ranges = new Int32Array(14);
  // Ranges computed from the commas, as the field picker finds them.
  const commas = [...line.entries()].filter(([, byte], at) => byte === 0x2c && at > line.indexOf('SCIC')).map(([at]) => at);
  [0, ...commas.map((at) => at + 1)].forEach((start, field) => {
    ranges[field * 2] = start;
    ranges[field * 2 + 1] = field < commas.length ? commas[field]! : line.length;
  });
  index.keepRaw(775672272, line, ranges);
  assert.deepEqual(index.get('775672272'), { name: 'COOPÉRATIVE "LE GRENIER", SCIC', legalForm: '5458', ess: 'O' });
});

test('l’index grandit au-delà de sa première réserve sans rien perdre', () => {
  const index = new LegalUnitIndex();
  const sirens = Array.from({ length: 30_000 }, (_, i) => String(100_000_000 + i * 7));
  const name = (i: number) => `Association numéro ${i} pour la solidarité territoriale`;
  for (const [i, siren] of sirens.entries()) {
    index.keep(
      siren,
      unit({ denominationUniteLegale: name(i), categorieJuridiqueUniteLegale: '9220', economieSocialeSolidaireUniteLegale: i % 2 ? 'O' : 'N' }),
    );
  }
  // About 70 bytes per unit: 30 000 units are well beyond the first megabyte.
  for (const i of [0, 1, 12_345, 29_999]) {
    assert.deepEqual(index.get(sirens[i]!), { name: name(i), legalForm: '9220', ess: i % 2 ? 'O' : 'N' });
  }
});

test('une même SIREN gardée deux fois : la dernière lecture l’emporte', () => {
  const index = new LegalUnitIndex();
  index.keep('775672272', unit({ denominationUniteLegale: 'Ancien nom' }));
  assert.equal(index.get('775672272')?.name, 'Ancien nom');
  // Read again right after: the unit read last is kept aside, and a unit kept again replaces it.
  index.keep('775672272', unit({ denominationUniteLegale: 'Nouveau nom' }));
  assert.equal(index.get('775672272')?.name, 'Nouveau nom');
  assert.equal(index.get('775672272')?.name, 'Nouveau nom');
});

test('les SIREN vus sont retenus, même quand l’unité n’est pas gardée', () => {
  const index = new LegalUnitIndex();
  index.markSeen('775672272');
  assert.equal(index.hasSeen('775672272'), true);
  assert.equal(index.hasSeen('552100554'), false);
});
