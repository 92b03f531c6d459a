import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleError } from './rule-error.ts';
import { checkPlan, forecast, monthRanges, paidMonth, treasuryNeeds, type TreasuryPlan } from './treasury.ts';

/**
 * A small association of 000: 10 000 € in the bank, 8 000 € of wages and rent a month, 6 000 € of sales a month,
 * and a grant of 24 000 € paid in March.
 */
const association: TreasuryPlan = {
  debut: '2027-01',
  duree_mois: 12,
  solde_initial: 1_000_000,
  seuil: 0,
  delai_clients_jours: 0,
  delai_fournisseurs_jours: 0,
  encaissements: [{ libelle: 'Ventes', montant: 600_000, mois: '2027-01', jusqu_a: '2027-12' }],
  decaissements: [{ libelle: 'Salaires et loyer', montant: 800_000, mois: '2027-01', jusqu_a: '2027-12' }],
  tranches: [{ libelle: 'Région, tranche 1', montant: 2_400_000, date_convenue: '2027-03-15' }],
};

test('versée à la date convenue, la tranche évite toute tension', () => {
  checkPlan(association);
  const result = forecast(association);
  assert.equal(result.mois.length, 12);
  assert.deepEqual(result.mois_en_tension, []);
  assert.deepEqual(result.mois[0], {
    mois: '2027-01',
    solde_debut: 1_000_000,
    encaissements: 600_000,
    decaissements: 800_000,
    solde_fin: 800_000,
    tension: false,
    causes: [],
  });
  assert.equal(result.mois[2]!.encaissements, 3_000_000);
  // Each month's opening balance is the last one's closing balance.
  for (let i = 1; i < 12; i++) assert.equal(result.mois[i]!.solde_debut, result.mois[i - 1]!.solde_fin);
  assert.equal(result.mois[11]!.solde_fin, 1_000_000 + 2_400_000 - 12 * 200_000);
  assert.deepEqual(treasuryNeeds(result), []);
});

test('000 : une tranche versée avec six mois de retard fait passer des mois en tension, avec sa cause', () => {
  const late: TreasuryPlan = { ...association, tranches: [{ ...association.tranches[0]!, date_prevue: '2027-09-15' }] };
  checkPlan(late);
  const result = forecast(late);
  // 10 000 − 2 000 a month: negative from June (−2 000) until the tranche comes in September.
  assert.deepEqual(result.mois_en_tension, ['2027-06', '2027-07', '2027-08']);
  const june = result.mois[5]!;
  assert.equal(june.solde_fin, -200_000);
  assert.equal(june.tension, true);
  assert.deepEqual(
    june.causes.map((c) => c.code),
    ['solde_negatif', 'tranche_en_retard', 'decaissements_superieurs'],
  );
  assert.match(june.causes[1]!.libelle, /« Région, tranche 1 » .*convenue le 15\/03\/2027, attendue le 15\/09\/2027 : 6 mois de retard/);
  assert.equal(result.mois[8]!.tension, false);
  assert.deepEqual(
    treasuryNeeds(result).map((n) => n.code),
    ['tresorerie_tension', 'tresorerie_avance_subvention'],
  );
  assert.equal(monthRanges(result.mois_en_tension), '2027-06 à 2027-08');
});

test('le seuil fixé par la structure met en tension un solde encore positif', () => {
  const result = forecast({ ...association, seuil: 700_000 });
  assert.deepEqual(result.mois_en_tension, ['2027-02']);
  assert.equal(result.mois[1]!.causes[0]!.code, 'sous_seuil');
  assert.match(result.mois[1]!.causes[0]!.libelle, /sous le seuil de 7\s000,00\s€/);
});

test('délais clients et fournisseurs : les encaissements et décaissements glissent, la cause est dite', () => {
  assert.equal(paidMonth('2027-01', 30), '2027-02');
  assert.equal(paidMonth('2027-02', 30), '2027-03');
  assert.equal(paidMonth('2027-01', 60), '2027-03');
  assert.equal(paidMonth('2027-12', 45), '2028-01');
  assert.equal(paidMonth('2027-05', 0), '2027-05');
  const slowClients = forecast({ ...association, tranches: [], solde_initial: 100_000, delai_clients_jours: 60 });
  assert.equal(slowClients.mois[0]!.encaissements, 0);
  assert.equal(slowClients.mois[2]!.encaissements, 600_000);
  const january = slowClients.mois[0]!;
  assert.equal(january.solde_fin, -700_000);
  assert.deepEqual(
    january.causes.find((c) => c.code === 'delai_clients')?.libelle,
    'Délais de paiement des clients : 6\u202f000,00\u00a0€ facturés et pas encore encaissés.',
  );
  // Two months of sales are awaited from February on.
  assert.match(slowClients.mois[1]!.causes.find((c) => c.code === 'delai_clients')!.libelle, /12\u202f000,00/);
  // Suppliers paid at 30 days: nothing leaves in January, December's bill falls after the plan.
  const slowSuppliers = forecast({ ...association, delai_fournisseurs_jours: 30 });
  assert.equal(slowSuppliers.mois[0]!.decaissements, 0);
  assert.equal(slowSuppliers.mois[11]!.decaissements, 800_000);
  assert.equal(slowSuppliers.mois[11]!.solde_fin, 1_000_000 + 2_400_000 + 12 * 600_000 - 11 * 800_000);
  // A line's own delay wins over the plan's.
  const own = forecast({ ...association, delai_clients_jours: 60, encaissements: [{ libelle: 'Comptant', montant: 100, mois: '2027-01', delai_jours: 0 }] });
  assert.equal(own.mois[0]!.encaissements, 100);
});

test('une tranche convenue avant le plan et encore attendue compte dans le plan', () => {
  const result = forecast({
    ...association,
    solde_initial: 0,
    encaissements: [],
    decaissements: [],
    tranches: [{ libelle: 'État', montant: 500_000, date_convenue: '2026-11-30', date_prevue: '2027-02-10' }],
  });
  assert.equal(result.mois[1]!.encaissements, 500_000);
  assert.deepEqual(result.mois_en_tension, []);
});

test('plan refusé : mois hors période ou dans le désordre, avec le champ en cause', () => {
  const refused = (plan: TreasuryPlan, field: string, message: RegExp) =>
    assert.throws(
      () => checkPlan(plan),
      (e: unknown) => e instanceof RuleError && e.field === field && message.test(e.message),
    );
  refused({ ...association, encaissements: [{ libelle: 'x', montant: 1, mois: '2026-12' }] }, 'encaissements.0.mois', /avant le début du plan/);
  refused({ ...association, decaissements: [{ libelle: 'x', montant: 1, mois: '2027-05', jusqu_a: '2027-04' }] }, 'decaissements.0.jusqu_a', /précède/);
  refused(
    { ...association, decaissements: [{ libelle: 'x', montant: 1, mois: '2027-05', jusqu_a: '2028-01' }] },
    'decaissements.0.jusqu_a',
    /après la fin du plan \(2027-12\)/,
  );
  refused(
    { ...association, tranches: [{ libelle: 'x', montant: 1, date_convenue: '2027-05-01', date_prevue: '2027-04-30' }] },
    'tranches.0.date_prevue',
    /précède la date convenue/,
  );
  refused({ ...association, tranches: [{ libelle: 'x', montant: 1, date_convenue: '2026-05-01' }] }, 'tranches.0.date_convenue', /solde initial/);
});

test('mois consécutifs regroupés', () => {
  assert.equal(monthRanges(['2027-03', '2027-07', '2027-08', '2027-12', '2028-01']), '2027-03, 2027-07 à 2027-08, 2027-12 à 2028-01');
  assert.equal(monthRanges([]), '');
});
