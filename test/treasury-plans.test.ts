import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { firstRow, rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';

const plan = {
  debut: '2027-01',
  duree_mois: 12,
  solde_initial: 1_000_000,
  encaissements: [{ libelle: 'Ventes', montant: 600_000, mois: '2027-01', jusqu_a: '2027-12' }],
  decaissements: [{ libelle: 'Salaires et loyer', montant: 800_000, mois: '2027-01', jusqu_a: '2027-12' }],
};

describe('Plans de trésorerie d’une structure (privés à ses membres)', () => {
  let t: TestApp;
  let organisation: { id: number; siret: string };
  let member: TestAccount;
  let outsider: TestAccount;
  const api = (id = organisation.id) => `/api/v1/organisations/${id}/tresorerie`;
  const send = (who: TestAccount, method: 'POST', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: who.client.cookieHeader(), 'x-csrf-token': who.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });
  const audits = async (action: string) =>
    (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n;

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    organisation = (await firstRow<{ id: number; siret: string }>(
      db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000001800008', '100000018', 'Épicerie de la vallée', '26281', '26', '84', 'ess_de_droit') returning id::int as id, siret`,
    ))!;
    member = await signedInAs(t.app, db, [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]);
    outsider = await signedInAs(t.app, db);
    // A funding agreement of a call for an application of this structure: 30 000 € due in March 2027, 10 000 € of it
    // already paid; a conditional tranche whose condition is not met; a tranche due in 2026 never paid.
    const appel = (await firstRow<{ id: number; version: number }>(
      db,
      sql`select appel_id::int as id, version from appel_formulaire order by appel_id limit 1`,
    ))!;
    const candidature = (await firstRow<{ id: number }>(
      db,
      sql`insert into candidature (appel_id, formulaire_version, account_id, porteur_type, title, statut)
      values (${appel.id}, ${appel.version}, ${member.id}, 'cooperation', 'Pôle de la vallée', 'laureate') returning id::int as id`,
    ))!;
    await db.execute(
      sql`insert into candidature_membre (candidature_id, position, role, siret, name) values (${candidature.id}, 1, 'chef_de_file', ${organisation.siret}, 'Structure')`,
    );
    const convention = (await firstRow<{ id: number }>(
      db,
      sql`insert into convention (candidature_id, debut) values (${candidature.id}, '2026-01-01') returning id::int as id`,
    ))!;
    const tranche = (await firstRow<{ id: number }>(
      db,
      sql`insert into convention_tranche (convention_id, position, label, montant, echeance) values (${convention.id}, 1, 'Année 1', 30000, '2027-03-31') returning id::int as id`,
    ))!;
    await db.execute(sql`insert into versement (tranche_id, montant, verse_le) values (${tranche.id}, 10000, '2026-12-01')`);
    await db.execute(
      sql`insert into convention_tranche (convention_id, position, label, montant, echeance, conditionnelle) values (${convention.id}, 2, 'Année 3', 50000, '2027-06-30', true)`,
    );
    await db.execute(
      sql`insert into convention_tranche (convention_id, position, label, montant, echeance) values (${convention.id}, 3, 'Solde 2026', 5000, '2026-10-31')`,
    );
  });
  after(() => t.close());

  test('seuls les membres lisent et écrivent : 401 sans compte, 403 hors de la structure', async () => {
    assert.equal((await t.app.inject(api())).statusCode, 401);
    assert.equal((await outsider.client.get(api())).statusCode, 403);
    assert.equal((await send(outsider, 'POST', api(), { nom: 'Intrus', plan })).statusCode, 403);
    assert.equal((await outsider.client.get(`/organisations/${organisation.id}/tresorerie`)).statusCode, 403);
    assert.equal((await member.client.get(api())).statusCode, 200);
    assert.equal(await audits('tresorerie.create'), 0);
  });

  test('un plan enregistré reçoit les tranches dues par les conventions ; chaque écriture est tracée', async () => {
    const created = await send(member, 'POST', api(), { nom: 'Budget 2027', plan });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    assert.equal(await audits('tresorerie.create'), 1);
    const listed = (await member.client.get(api())).json();
    assert.deepEqual(
      listed.plans.map((p: { id: number; nom: string }) => [p.id, p.nom]),
      [[id, 'Budget 2027']],
    );

    const forecast = (await member.client.get(`${api()}/${id}`)).json();
    assert.deepEqual(
      forecast.tranches_conventions.map((t: { libelle: string; montant: number; date_convenue: string; date_prevue?: string }) => [
        t.libelle.split(' — ').at(-1),
        t.montant,
        t.date_convenue,
        t.date_prevue,
      ]),
      [
        ['Solde 2026', 500_000, '2026-10-31', '2027-01-01'],
        ['Année 1', 2_000_000, '2027-03-31', undefined],
      ],
    );
    assert.equal(forecast.mois[0].encaissements, 600_000 + 500_000);
    assert.equal(forecast.mois[2].encaissements, 600_000 + 2_000_000);
    assert.ok(forecast.mois[0].causes.length === 0);

    // Without the agreements: the months turn into tension sooner.
    const replaced = await send(member, 'POST', `${api()}/${id}`, { nom: 'Budget 2027 sans conventions', avec_conventions: false, plan });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(await audits('tresorerie.update'), 1);
    const alone = (await member.client.get(`${api()}/${id}`)).json();
    assert.deepEqual(alone.tranches_conventions, []);
    assert.deepEqual(alone.mois_en_tension, ['2027-06', '2027-07', '2027-08', '2027-09', '2027-10', '2027-11', '2027-12']);

    const page = await member.client.get(`/organisations/${organisation.id}/tresorerie/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mois en tension : 2027-06 à 2027-12\./);

    const csv = await member.client.get(`/organisations/${organisation.id}/tresorerie/${id}.csv`);
    assert.equal(csv.statusCode, 200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 13);
    assert.equal(lines[0], 'Mois;Solde de début (€);Encaissements (€);Décaissements (€);Solde de fin (€);En tension;Causes');
    assert.match(lines[6]!, /^2027-06;0;6000;8000;"?'?-2000"?;oui;Solde de fin de mois négatif/);

    const xlsx = await member.client.get(`/organisations/${organisation.id}/tresorerie/${id}.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Trésorerie')!;
    assert.equal(sheet.getRow(8).getCell(1).value, '2027-06');
    assert.equal(sheet.getRow(8).getCell(5).value, -2000);
    assert.equal((await outsider.client.get(`/organisations/${organisation.id}/tresorerie/${id}.csv`)).statusCode, 403);

    const deleted = await send(member, 'POST', `${api()}/${id}/suppression`);
    assert.equal(deleted.statusCode, 200);
    assert.equal(await audits('tresorerie.delete'), 1);
    assert.equal((await member.client.get(`${api()}/${id}`)).statusCode, 404);
  });

  test('plan refusé : 400 en français nommant le champ, rien d’écrit', async () => {
    const before = (await member.client.get(api())).json().plans.length;
    const refused = await send(member, 'POST', api(), {
      nom: 'Mal daté',
      plan: { ...plan, decaissements: [{ ...plan.decaissements[0], jusqu_a: '2026-12' }] },
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().errors[0].champ, 'plan.decaissements.0.jusqu_a');
    const negative = await send(member, 'POST', api(), { nom: 'Négatif', plan: { ...plan, encaissements: [{ ...plan.encaissements[0], montant: -1 }] } });
    assert.equal(negative.statusCode, 400);
    assert.ok(negative.json().errors.some((e: { champ: string }) => e.champ === 'plan.encaissements.0.montant'));
    assert.equal((await member.client.get(api())).json().plans.length, before);
  });
});
