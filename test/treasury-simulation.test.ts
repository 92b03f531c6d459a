import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simulationExample } from '../src/features/treasury/schemas.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

/** 000: 10 000 € in the bank, 2 000 € more going out than in each month, a 24 000 € grant tranche paid six months late. */
const plan = {
  debut: '2027-01',
  duree_mois: 12,
  solde_initial: 1_000_000,
  encaissements: [{ libelle: 'Ventes', montant: 600_000, mois: '2027-01', jusqu_a: '2027-12' }],
  decaissements: [{ libelle: 'Salaires et loyer', montant: 800_000, mois: '2027-01', jusqu_a: '2027-12' }],
  tranches: [{ libelle: 'Région, tranche 1', montant: 2_400_000, date_convenue: '2027-03-15', date_prevue: '2027-09-15' }],
};
const profil = { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'consolidation', commune: '26281' };

describe('Simulation de trésorerie (POST /api/v1/tresorerie/simulation)', () => {
  let t: TestApp;
  const simulate = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/tresorerie/simulation', payload: payload as object });
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('000 : la tranche versée six mois après la date convenue met juin à août en tension ; avances et garanties du catalogue, avec pourquoi', async () => {
    const response = await simulate({ ...plan, profil });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['dispositifs', 'mois', 'mois_en_tension']);
    assert.equal(body.mois.length, 12);
    assert.deepEqual(Object.keys(body.mois[0]).sort(), ['causes', 'decaissements', 'encaissements', 'mois', 'solde_debut', 'solde_fin', 'tension']);
    assert.deepEqual(body.mois_en_tension, ['2027-06', '2027-07', '2027-08']);
    const june = body.mois[5];
    assert.equal(june.solde_fin, -200_000);
    assert.ok(june.causes.some((c: { code: string; libelle: string }) => c.code === 'tranche_en_retard' && /6 mois de retard/.test(c.libelle)));
    const names = body.dispositifs.map((d: { nom: string }) => d.nom);
    assert.ok(names.includes('France Active'), names.join(', '));
    assert.ok(names.includes('Prêts participatifs'), names.join(', '));
    for (const d of body.dispositifs) {
      assert.match(d.pourquoi, /^Mois en tension : 2027-06 à 2027-08\. Répond à (votre besoin|vos besoins) .*« Passer les mois de tension de trésorerie »/);
    }
    // The late tranche adds the need of an advance, answered by loans and guarantees but not by quasi-equity alone.
    const participatif = body.dispositifs.find((d: { nom: string }) => d.nom === 'Prêts participatifs');
    assert.doesNotMatch(participatif.pourquoi, /Avancer une subvention/);
    const franceActive = body.dispositifs.find((d: { nom: string }) => d.nom === 'France Active');
    assert.match(franceActive.pourquoi, /Avancer une subvention versée en retard/);
  });

  test('à la date convenue, aucune tension et aucun dispositif ; sans profil, aucun dispositif non plus', async () => {
    const onTime = (await simulate({ ...plan, profil, tranches: [{ ...plan.tranches[0], date_prevue: undefined }] })).json();
    assert.deepEqual(onTime.mois_en_tension, []);
    assert.deepEqual(onTime.dispositifs, []);
    const withoutProfile = (await simulate(plan)).json();
    assert.deepEqual(withoutProfile.mois_en_tension, ['2027-06', '2027-07', '2027-08']);
    assert.deepEqual(withoutProfile.dispositifs, []);
  });

  test('36 mois : la durée maximale', async () => {
    const body = (await simulate({ ...plan, duree_mois: 36 })).json();
    assert.equal(body.mois.length, 36);
    assert.equal(body.mois[35].mois, '2029-12');
  });

  test('plan invalide : 400 en français nommant le champ', async () => {
    const refused = async (payload: unknown, champ: string, message: RegExp) => {
      const response = await simulate(payload);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
      const problem = response.json();
      const error = problem.errors.find((e: { champ: string }) => e.champ === champ);
      assert.ok(error, `${champ} absent de ${response.body}`);
      assert.match(error.message, message);
    };
    await refused({ ...plan, encaissements: [{ ...plan.encaissements[0], montant: -5 }] }, 'encaissements.0.montant', /positif/);
    await refused({ ...plan, decaissements: [{ ...plan.decaissements[0], montant: 12.5 }] }, 'decaissements.0.montant', /entier de centimes/);
    await refused({ ...plan, seuil: -1 }, 'seuil', /négatif/);
    await refused({ ...plan, delai_clients_jours: -30 }, 'delai_clients_jours', /négatif/);
    await refused({ ...plan, duree_mois: 48 }, 'duree_mois', /au plus 36 mois/);
    await refused({ ...plan, debut: '2027-13' }, 'debut', /AAAA-MM/);
    await refused({ ...plan, tranches: [{ ...plan.tranches[0], date_prevue: '2027-02-30' }] }, 'tranches.0.date_prevue', /n’existe pas/);
    await refused(
      { ...plan, encaissements: [{ ...plan.encaissements[0], mois: '2027-06', jusqu_a: '2027-03' }] },
      'encaissements.0.jusqu_a',
      /précède le mois de début/,
    );
    await refused({ ...plan, decaissements: [{ ...plan.decaissements[0], mois: '2026-12' }] }, 'decaissements.0.mois', /avant le début du plan/);
    await refused({ ...plan, tranches: [{ ...plan.tranches[0], date_prevue: '2027-01-10' }] }, 'tranches.0.date_prevue', /précède la date convenue/);
    await refused({ ...plan, tranches: [{ ...plan.tranches[0], dispositif_id: 987_654 }] }, 'tranches.0.dispositif_id', /Aucun dispositif n°987654/);
    // A misspelt field is refused rather than ignored.
    assert.equal((await simulate({ ...plan, solde_initail: 1 })).statusCode, 400);
  });

  test('un dispositif connu du catalogue est accepté sur une tranche', async () => {
    const catalogue = (await t.app.inject('/api/v1/dispositifs?q=france%20active')).json();
    const id = catalogue.resultats[0].id as number;
    const response = await simulate({ ...plan, tranches: [{ ...plan.tranches[0], dispositif_id: id }] });
    assert.equal(response.statusCode, 200, response.body);
  });

  test('OpenAPI : la route, ses champs et un exemple que l’API accepte', async () => {
    const document = (await t.app.inject('/api/openapi.json')).json();
    const operation = document.paths['/api/v1/tresorerie/simulation'].post;
    const example = operation.requestBody.content['application/json'].example;
    assert.deepEqual(example, simulationExample);
    const response = operation.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(response.properties).sort(), ['dispositifs', 'mois', 'mois_en_tension']);
    const accepted = await simulate(example);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.ok(accepted.json().mois_en_tension.length > 0);
  });
});
