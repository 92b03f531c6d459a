/**
 * The treasury pages through HTTP: a structure's members create and edit a plan with the page form (amounts in euros,
 * lines added without script, removed by their box), see its forecast, and anyone simulates a plan without saving it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, signedInAs, type TestAccount } from './support/accounts.ts';

/** 000's case, as a person types it: 10 000 € in the bank, 2 000 € more out than in each month, a grant paid six months late. */
const fields = {
  debut: '2027-01',
  duree_mois: '12',
  solde_initial: '10 000',
  seuil: '',
  delai_clients_jours: '',
  delai_fournisseurs_jours: '',
  'encaissements.0.libelle': 'Ventes',
  'encaissements.0.montant': '6 000',
  'encaissements.0.mois': '2027-01',
  'encaissements.0.jusqu_a': '2027-12',
  'encaissements.1.libelle': '',
  'encaissements.1.montant': '',
  'decaissements.0.libelle': 'Salaires et loyer',
  'decaissements.0.montant': '8000,00',
  'decaissements.0.mois': '2027-01',
  'decaissements.0.jusqu_a': '2027-12',
  'tranches.0.libelle': 'Région, tranche 1',
  'tranches.0.montant': '24 000',
  'tranches.0.date_convenue': '2027-03-15',
  'tranches.0.date_prevue': '2027-09-15',
  'tranches.1.libelle': '',
};
const profile = {
  'profil.modele': 'PTCE',
  'profil.finalite': 'systemique',
  'profil.modele_economique': 'hybride',
  'profil.stade': 'consolidation',
  'profil.departement': '26',
};

/** The labels of the main menu's links marked as the current section. */
const currentSections = (body: string) =>
  [...(body.match(/<nav aria-label="Navigation principale">[\s\S]*?<\/nav>/)?.[0] ?? '').matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]*)</g)].map(
    (match) => match[1],
  );

describe('Pages de trésorerie : plans d’une structure et simulation publique', () => {
  let t: TestApp;
  let organisation: { id: number; siret: string };
  let member: TestAccount;
  let outsider: TestAccount;
  const base = () => `/organisations/${organisation.id}/tresorerie`;
  const plans = async () =>
    rows<{ id: number; nom: string; plan: Record<string, unknown> }>(
      t.database.db,
      sql`select id::int as id, nom, plan from plan_tresorerie where organisation_id = ${organisation.id} order by id`,
    );

  before(async () => {
    t = await buildTestApp();
    organisation = (await firstRow<{ id: number; siret: string }>(
      t.database.db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000002600001', '100000026', 'Atelier de la vallée', '26281', '26', '84', 'ess_de_droit') returning id::int as id, siret`,
    ))!;
    member = await signedInAs(t.app, t.database.db, [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]);
    outsider = await signedInAs(t.app, t.database.db);
  });
  after(() => t.close());

  test('un membre crée un plan par le formulaire : montants en euros, prévision avec les mois en tension, leurs causes et les dispositifs', async () => {
    // The structure's page leads its members, and them alone, to their plans.
    assert.match((await member.client.get(`/organisations/${organisation.id}`)).body, new RegExp(`href="${base()}">Plans de trésorerie de la structure`));
    assert.doesNotMatch((await outsider.client.get(`/organisations/${organisation.id}`)).body, /Plans de trésorerie de la structure/);
    const form = await member.client.get(`${base()}/nouveau`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="encaissements-1-montant">Montant en euros/);
    assert.match(form.body, /name="ajouter_lignes"/);
    const created = await member.client.post(`${base()}/nouveau`, { _csrf: member.csrf, nom: 'Budget 2027', avec_conventions: 'oui', ...fields, ...profile });
    assert.equal(created.statusCode, 303, created.body);
    const [saved] = await plans();
    assert.equal(created.headers.location, `${base()}/${saved!.id}`);
    assert.equal(saved!.nom, 'Budget 2027');
    assert.equal(saved!.plan.solde_initial, 1_000_000);
    assert.deepEqual(saved!.plan.decaissements, [{ libelle: 'Salaires et loyer', montant: 800_000, mois: '2027-01', jusqu_a: '2027-12' }]);
    assert.equal((saved!.plan.encaissements as unknown[]).length, 1, 'la ligne vide est ignorée');

    const shown = (await member.client.get(created.headers.location as string)).body;
    assert.match(shown, /Mois en tension : 2027-06 à 2027-08\. En tout, 3 mois sur 12\./);
    assert.match(
      shown,
      /<time datetime="2027-06">juin 2027<\/time><\/th>[\s\S]*?<strong>En tension<\/strong><ul><li>Solde de fin de mois négatif : -2\s000,00\s€\.<\/li>/,
    );
    assert.match(shown, /6 mois de retard/);
    assert.match(shown, /France Active<\/a><p><strong>Pourquoi :<\/strong> Mois en tension : 2027-06 à 2027-08\./);
    assert.match(shown, new RegExp(`href="${base()}/${saved!.id}.csv"`));
    assert.match(shown, new RegExp(`href="${base()}/${saved!.id}/modifier"`));
  });

  test('un plan refusé revient avec chaque erreur près de sa ligne (numérotée comme postée), rien n’est écrit', async () => {
    const before = (await plans()).length;
    const refused = await member.client.post(`${base()}/nouveau`, {
      _csrf: member.csrf,
      nom: 'Mauvais',
      ...fields,
      'encaissements.0.libelle': '',
      'encaissements.0.montant': '',
      'encaissements.0.mois': '',
      'encaissements.0.jusqu_a': '',
      'encaissements.1.libelle': 'Subvention',
      'encaissements.1.montant': 'douze',
      'encaissements.1.mois': '2027-02',
      'decaissements.0.jusqu_a': '2026-12',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Erreur — /);
    assert.match(refused.body, /href="#encaissements-1-montant">Encaissement 2 — Montant en euros : écrivez un montant en euros/);
    assert.match(refused.body, /id="encaissements-1-montant"[^>]*value="douze"/);
    assert.equal((await plans()).length, before);

    // A profile half filled: each missing input, and the place the orientation needs, said beside the form's inputs.
    const halfProfile = await member.client.post(`${base()}/nouveau`, { _csrf: member.csrf, nom: 'Profil', ...fields, 'profil.modele': 'PTCE' });
    assert.equal(halfProfile.statusCode, 400);
    assert.match(halfProfile.body, /id="profil-finalite-erreur">choisissez une valeur dans la liste/);
    const placeless = await member.client.post(`${base()}/nouveau`, { _csrf: member.csrf, nom: 'Profil', ...fields, ...profile, 'profil.departement': '' });
    assert.equal(placeless.statusCode, 400);
    assert.match(placeless.body, /id="profil-departement-erreur">indiquez un territoire/);
    assert.equal((await plans()).length, before);

    // The domain's refusal (months out of order) stands beside its input too.
    const backwards = await member.client.post(`${base()}/nouveau`, { _csrf: member.csrf, nom: 'À l’envers', ...fields, 'decaissements.0.jusqu_a': '2026-12' });
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /id="decaissements-0-jusqu_a-erreur">Le mois de fin \(2026-12\) précède le mois de début \(2027-01\)/);
    assert.equal((await plans()).length, before);
  });

  test('« Ajouter des lignes » montre le formulaire avec plus de lignes vides, sans rien enregistrer', async () => {
    const before = (await plans()).length;
    const more = await member.client.post(`${base()}/nouveau`, { _csrf: member.csrf, nom: 'Brouillon', ...fields, ajouter_lignes: 'oui' });
    assert.equal(more.statusCode, 200);
    assert.match(more.body, /id="encaissements-4-libelle"/, 'deux lignes postées, trois de plus');
    assert.doesNotMatch(more.body, /id="encaissements-5-libelle"/);
    assert.match(more.body, /id="decaissements-0-libelle"[^>]*value="Salaires et loyer"/);
    assert.equal((await plans()).length, before);
  });

  test('modifier : le formulaire reprend le plan en euros ; une ligne retirée disparaît ; les autres structures n’y ont pas accès', async () => {
    const [saved] = await plans();
    const edit = await member.client.get(`${base()}/${saved!.id}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /id="solde_initial"[^>]*value="10000"/);
    assert.match(edit.body, /id="decaissements-0-montant"[^>]*value="8000"/);
    assert.match(edit.body, /id="profil-departement"[\s\S]*?<option value="26"\s+selected>/);
    const updated = await member.client.post(`${base()}/${saved!.id}/modifier`, {
      _csrf: member.csrf,
      nom: 'Budget 2027 revu',
      ...fields,
      'tranches.0.retirer': 'oui',
      solde_initial: '-500,50',
    });
    assert.equal(updated.statusCode, 303, updated.body);
    const [after] = await plans();
    assert.equal(after!.nom, 'Budget 2027 revu');
    assert.equal(after!.plan.solde_initial, -50_050);
    assert.deepEqual(after!.plan.tranches, []);
    assert.equal(after!.plan.profil, undefined, 'profil vidé');

    assert.deepEqual(currentSections(edit.body), ['Structures'], 'les pages d’une structure restent sous « Structures »');

    assert.equal((await outsider.client.get(`${base()}/nouveau`)).statusCode, 403);
    assert.equal((await outsider.client.get(`${base()}/${saved!.id}/modifier`)).statusCode, 403);
    const intruder = await outsider.client.post(`${base()}/${saved!.id}/modifier`, { _csrf: outsider.csrf, nom: 'Intrus', ...fields });
    assert.equal(intruder.statusCode, 403);
    assert.equal((await plans())[0]!.nom, 'Budget 2027 revu');
  });

  test('simulation publique : sans compte, le résultat sous le formulaire, rien d’enregistré ; un plan refusé revient en 400', async () => {
    const visitor = new Client(t.app);
    const form = await visitor.get('/tresorerie/simulation');
    assert.equal(form.statusCode, 200);
    assert.doesNotMatch(form.body, /name="nom"/);
    // The menu has no treasury entry: none is marked current, least of all « Orientation ».
    assert.match(form.body, /<nav aria-label="Navigation principale">[\s\S]*?>Orientation</);
    assert.deepEqual(currentSections(form.body), []);
    const before = (await rows(t.database.db, sql`select 1 from plan_tresorerie`)).length;
    const result = await visitor.submit('/tresorerie/simulation', '/tresorerie/simulation', { ...fields, ...profile });
    assert.equal(result.statusCode, 200, result.body);
    assert.match(result.body, /Résultat de la simulation/);
    assert.deepEqual(currentSections(result.body), []);
    assert.match(result.body, /Mois en tension : 2027-06 à 2027-08\. En tout, 3 mois sur 12\./);
    assert.match(result.body, /<strong>Pourquoi :<\/strong>/);
    assert.match(result.body, /id="tranches-0-date_prevue"[^>]*value="2027-09-15"/, 'le plan reste dans le formulaire');
    assert.equal((await rows(t.database.db, sql`select 1 from plan_tresorerie`)).length, before);

    const refused = await visitor.submit('/tresorerie/simulation', '/tresorerie/simulation', { ...fields, duree_mois: '40' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="duree_mois-erreur">un plan couvre au plus 36 mois/);
  });
});
