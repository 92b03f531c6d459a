/**
 * Citizen campaigns and Cigales clubs through HTTP on a real database: created by a structure's members, bad input
 * refused in French naming its field with nothing written, drafts private, intentions by anyone (API and form,
 * rate-limited, the excess said), follow-up and exports for the members alone, closing, RGPD, Cigales
 * investments on the club's and the funded enterprise's pages, every change audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { rows } from '../src/db/database.ts';
import { parisToday } from '../src/domain/campaign.ts';
import { campaignsErasure, campaignsPersonalData, ERASED_NAME } from '../src/features/campaigns/personal-data.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, csrfOf, signedInAs, type TestAccount } from './support/accounts.ts';

/** A Paris day `days` after today. */
const dayFromToday = (days: number) => {
  const date = new Date(`${parisToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

describe('Campagnes citoyennes et clubs Cigales', () => {
  let t: TestApp;
  let organisation: { id: number; siret: string };
  let club: { id: number; siret: string };
  let member: TestAccount;
  let outsider: TestAccount;
  let platformAdmin: TestAccount;
  let campaignId: number;
  const count = async (table: 'campagne' | 'campagne_intention' | 'investissement_cigales') =>
    (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
  const audits = async (action: string) =>
    (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n;
  const asJson = (who: TestAccount, url: string, body: unknown) => who.client.postJson(url, body, { 'x-csrf-token': who.csrf });
  const campaign = (overrides: Record<string, unknown> = {}) => ({
    organisation_id: organisation.id,
    titre: 'Une serre pour le jardin',
    objet: 'La serre et l’outillage du jardin d’insertion.',
    montant_recherche: 1_000_000,
    instrument: 'parts_sociales',
    debut: dayFromToday(-1),
    fin: dayFromToday(30),
    ...overrides,
  });
  const problemFields = (body: string) => (JSON.parse(body) as { errors?: { champ: string }[] }).errors?.map((e) => e.champ);

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    const inserted = await rows<{ id: number; siret: string }>(
      db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000001800008', '100000018', 'Ressourcerie de la vallée', '26281', '26', '84', 'ess_de_droit'),
             ('10000002600007', '100000026', 'Cigales de la Drôme', '26281', '26', '84', 'ess_de_droit')
      returning id::int as id, siret`,
    );
    [organisation, club] = [inserted[0]!, inserted[1]!];
    member = await signedInAs(t.app, db, [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]);
    outsider = await signedInAs(t.app, db);
    platformAdmin = await signedInAs(t.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
  });
  after(() => t.close());

  test('OpenAPI : chaque route JSON des campagnes est décrite, chaque corps avec un exemple que l’API accepte', async () => {
    const document = JSON.parse((await new Client(t.app).get('/api/openapi.json')).body) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>;
    };
    const bodies = [
      '/api/v1/campagnes',
      '/api/v1/campagnes/{id}',
      '/api/v1/campagnes/{id}/etat',
      '/api/v1/campagnes/{id}/intentions',
      '/api/v1/organisations/{id}/club-cigales',
      '/api/v1/organisations/{id}/investissements-cigales',
    ];
    for (const path of bodies) {
      const example = document.paths[path]?.post?.requestBody?.content['application/json']?.example;
      assert.ok(example, `POST ${path} : exemple`);
      // Validation comes before the guards: any answer but 400 says the example is accepted.
      const response = await asJson(outsider, path.replace('{id}', String(organisation.id)), example);
      assert.notEqual(response.statusCode, 400, `POST ${path} : ${response.body}`);
    }
    for (const path of ['/api/v1/campagnes', '/api/v1/campagnes/{id}', '/api/v1/campagnes/{id}/intentions', '/api/v1/organisations/{id}/cigales']) {
      assert.ok(document.paths[path]?.get, `GET ${path}`);
    }
  });

  test('un membre crée un brouillon ; les autres sont refusés ; une mauvaise saisie : 400 nommant le champ, rien d’écrit', async () => {
    for (const who of [outsider, platformAdmin]) assert.equal((await asJson(who, '/api/v1/campagnes', campaign())).statusCode, 403);
    const refusals: [Record<string, unknown>, string][] = [
      [{ organisation_id: 999_999_999 }, 'organisation_id'],
      [{ fin: dayFromToday(-2) }, 'fin'],
      [{ montant_recherche: -500 }, 'montant_recherche'],
      [{ montant_recherche: 10.5 }, 'montant_recherche'],
      [{ debut: '2027-02-30' }, 'debut'],
      [{ instrument: 'actions' }, 'instrument'],
      [{ cooperation_id: 1 }, 'organisation_id'],
    ];
    for (const [overrides, field] of refusals) {
      const response = await asJson(member, '/api/v1/campagnes', campaign(overrides));
      assert.equal(response.statusCode, 400, `${field} : ${response.body}`);
      assert.ok(problemFields(response.body)?.includes(field), `${field} nommé : ${response.body}`);
      assert.match(JSON.parse(response.body).detail, /[éèàô]|indiquez|date|montant/);
    }
    assert.equal(await count('campagne'), 0);
    const created = await asJson(member, '/api/v1/campagnes', campaign());
    assert.equal(created.statusCode, 201, created.body);
    campaignId = JSON.parse(created.body).id;
    assert.equal(await audits('campagne.create'), 1);
  });

  test('un brouillon n’est visible que de sa structure, et ne reçoit pas d’intentions', async () => {
    assert.equal((await new Client(t.app).get(`/api/v1/campagnes/${campaignId}`)).statusCode, 404);
    assert.equal((await outsider.client.get(`/campagnes/${campaignId}`)).statusCode, 404);
    assert.equal((await member.client.get(`/api/v1/campagnes/${campaignId}`)).statusCode, 200);
    assert.equal(JSON.parse((await new Client(t.app).get('/api/v1/campagnes')).body).total, 0);
    const edited = await asJson(member, `/api/v1/campagnes/${campaignId}`, { ...campaign(), organisation_id: undefined, titre: 'Une serre partagée' });
    assert.equal(edited.statusCode, 200, edited.body);
  });

  test('la campagne s’ouvre, une étape à la fois (409 sinon)', async () => {
    assert.equal((await asJson(outsider, `/api/v1/campagnes/${campaignId}/etat`, { etat: 'ouverte' })).statusCode, 403);
    assert.equal((await asJson(member, `/api/v1/campagnes/${campaignId}/etat`, { etat: 'close' })).statusCode, 409);
    assert.equal((await asJson(member, `/api/v1/campagnes/${campaignId}/etat`, { etat: 'ouverte' })).statusCode, 200);
    assert.equal((await asJson(member, `/api/v1/campagnes/${campaignId}/etat`, { etat: 'ouverte' })).statusCode, 409);
    const edit = await asJson(member, `/api/v1/campagnes/${campaignId}`, { ...campaign(), organisation_id: undefined });
    assert.equal(edit.statusCode, 409, 'une campagne ouverte ne se modifie plus');
    assert.equal(await audits('campagne.open'), 1);
  });

  test('intentions par l’API et par le formulaire ; mauvaise saisie refusée sans rien écrire ; dépassement permis et dit', async () => {
    const visitor = new Client(t.app);
    const url = `/api/v1/campagnes/${campaignId}/intentions`;
    for (const [body, field] of [
      [{ montant: -100, nom: 'A', email: 'a@exemple.fr' }, 'montant'],
      [{ montant: 100, nom: 'A', email: 'pas-une-adresse' }, 'email'],
      [{ montant: 100, nom: '', email: 'a@exemple.fr' }, 'nom'],
    ] as const) {
      const response = await visitor.postJson(url, body);
      assert.equal(response.statusCode, 400);
      assert.deepEqual(problemFields(response.body), [field]);
    }
    assert.equal(await count('campagne_intention'), 0);
    const first = await visitor.postJson(url, { montant: 400_000, nom: 'Camille Martin', email: 'Camille@Exemple.fr', message: 'Cinq parts.' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(JSON.parse(first.body).depasse, false);
    assert.match(JSON.parse(first.body).message, /aucun paiement/);

    // The page form: amounts typed in euros, the visitor's CSRF token.
    const page = await visitor.get(`/campagnes/${campaignId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="progression">Intentions recueillies<\/label>\s*<progress id="progression" max="100" value="40"/);
    assert.match(page.body, /4\s000,00\s€ sur 10\s000,00\s€ recherchés \(40 %\), 1 intention\./);
    assert.match(page.body, /Maillage ne reçoit aucun paiement/);
    assert.doesNotMatch(page.body, /Camille/, 'les noms ne sont pas publics');
    const refused = await visitor.post(`/campagnes/${campaignId}/intentions`, {
      _csrf: csrfOf(page.body),
      montant: '-3',
      nom: 'Dominique',
      email: 'd@exemple.fr',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Le formulaire contient une erreur/);
    assert.match(refused.body, /href="#montant"/);
    const sent = await visitor.post(`/campagnes/${campaignId}/intentions`, {
      _csrf: csrfOf(page.body),
      montant: '7 000,50',
      nom: 'Dominique',
      email: 'd@exemple.fr',
    });
    assert.equal(sent.statusCode, 303);
    assert.match(String(sent.headers.location), /\?intention=depasse/);
    const after = await visitor.get(String(sent.headers.location));
    assert.match(after.body, /dépassent le montant recherché/);
    assert.match(after.body, /value="100"/);
    const [stored] = await rows<{ email: string }>(t.database.db, sql`select email from campagne_intention order by id`);
    assert.equal(stored!.email, 'camille@exemple.fr', 'une adresse se garde en minuscules');
    assert.deepEqual(
      (await rows<{ montant: string }>(t.database.db, sql`select montant::text from campagne_intention order by id`)).map((r) => r.montant),
      ['400000', '700050'],
    );
    assert.equal(await audits('campagne.intention'), 2);
  });

  test('trop d’intentions d’une même adresse e-mail : 429 avec Retry-After', async () => {
    const url = `/api/v1/campagnes/${campaignId}/intentions`;
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(await new Client(t.app).postJson(url, { montant: 100, nom: 'Robot', email: 'robot@exemple.fr' }));
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      [201, 201, 201, 201, 201, 429],
    );
    assert.ok(Number(responses[5]!.headers['retry-after']) > 0);
  });

  test('la liste publique et ses filtres', async () => {
    const visitor = new Client(t.app);
    const list = async (query: string) =>
      JSON.parse((await visitor.get(`/api/v1/campagnes${query}`)).body) as { total: number; resultats: { id: number; progression: number }[] };
    assert.deepEqual(
      (await list('')).resultats.map((c) => c.id),
      [campaignId],
    );
    assert.equal((await list('?instrument=parts_sociales&etat=ouverte&region=84&departement=26')).total, 1);
    assert.equal((await list('?instrument=don')).total, 0);
    assert.equal((await list('?etat=close')).total, 0);
    assert.equal((await list('?region=11')).total, 0);
    const bad = await visitor.get('/api/v1/campagnes?instrument=actions');
    assert.equal(bad.statusCode, 400);
    const page = await visitor.get('/campagnes?instrument=parts_sociales');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /1 campagne</);
    assert.match(page.body, /<progress id="progression-\d+"/);
    assert.equal((await visitor.get('/campagnes?etat=rien')).statusCode, 400);
  });

  test('le suivi, ses totaux et ses exports : aux membres seuls', async () => {
    for (const who of [outsider, platformAdmin]) {
      for (const url of [`/api/v1/campagnes/${campaignId}/intentions`, `/campagnes/${campaignId}/suivi`, `/campagnes/${campaignId}/intentions.csv`]) {
        assert.equal((await who.client.get(url)).statusCode, 403, url);
      }
    }
    const api = JSON.parse((await member.client.get(`/api/v1/campagnes/${campaignId}/intentions`)).body);
    assert.equal(api.nombre, 7);
    assert.equal(api.total, 400_000 + 700_050 + 5 * 100);
    const follow = await member.client.get(`/campagnes/${campaignId}/suivi`);
    assert.match(follow.body, /Camille Martin/);
    const csv = await member.client.get(`/campagnes/${campaignId}/intentions.csv`);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /^\uFEFFDate \(Paris\);Nom;Adresse e-mail;Montant \(€\);Message\r\n/);
    assert.match(csv.body, /;Camille Martin;camille@exemple\.fr;4000;Cinq parts\.\r\n/);
    assert.match(csv.body, /Total;;;11005,5;\r\n$/);
    const xlsx = await member.client.get(`/campagnes/${campaignId}/intentions.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Intentions')!;
    assert.equal(sheet.getRow(3).getCell(2).value, 'Camille Martin');
    assert.equal(sheet.getRow(3).getCell(4).value, 4000);
  });

  test('close, la campagne ne reçoit plus d’intentions (409) et ne change plus d’état', async () => {
    const page = await member.client.get(`/campagnes/${campaignId}/suivi`);
    const closed = await member.client.post(`/campagnes/${campaignId}/etat`, { _csrf: csrfOf(page.body), etat: 'close' });
    assert.equal(closed.statusCode, 303);
    assert.equal(await audits('campagne.close'), 1);
    const refused = await new Client(t.app).postJson(`/api/v1/campagnes/${campaignId}/intentions`, { montant: 100, nom: 'Tard', email: 'tard@exemple.fr' });
    assert.equal(refused.statusCode, 409);
    assert.match(JSON.parse(refused.body).detail, /close/);
    assert.equal((await asJson(member, `/api/v1/campagnes/${campaignId}/etat`, { etat: 'ouverte' })).statusCode, 409);
    const organisationPage = await new Client(t.app).get(`/organisations/${organisation.id}`);
    assert.match(organisationPage.body, /Campagnes citoyennes/);
    assert.match(organisationPage.body, /Une serre partagée/);
  });

  test('RGPD : l’intention d’une personne connectée est dans ses données, et son effacement garde le montant sans elle', async () => {
    const person = await signedInAs(t.app, t.database.db);
    const open = await asJson(member, '/api/v1/campagnes', campaign({ titre: 'Prêt pour le camion', instrument: 'pret' }));
    const id = JSON.parse(open.body).id;
    await asJson(member, `/api/v1/campagnes/${id}/etat`, { etat: 'ouverte' });
    assert.equal((await asJson(person, `/api/v1/campagnes/${id}/intentions`, { montant: 20_000, nom: 'Alex', email: 'alex@exemple.fr' })).statusCode, 201);
    const mine = (await campaignsPersonalData[0]!.query(t.database.db, person.id)) as { nom: string; montant_centimes: number }[];
    assert.deepEqual(
      mine.map((i) => [i.nom, i.montant_centimes]),
      [['Alex', 20_000]],
    );
    const exported = await person.client.get('/compte/donnees.json');
    assert.match(exported.body, /"intentions_campagnes"/);
    assert.match(exported.body, /alex@exemple\.fr/);
    await t.database.db.transaction(async (tx) => {
      for (const step of campaignsErasure) await step.run(tx, person.id);
    });
    const [kept] = await rows<{ nom: string; email: string; montant: string }>(
      t.database.db,
      sql`select nom, email, montant::text from campagne_intention where campagne_id = ${id}`,
    );
    assert.deepEqual(kept, { nom: ERASED_NAME, email: 'adresse-supprimee@invalid', montant: '20000' });
  });

  test('une coopération : ses administrateurs mènent la campagne, sa page la montre', async () => {
    const [cooperation] = await rows<{ id: number }>(
      t.database.db,
      sql`insert into cooperation (name, modele, commune_code, departement_code, region_code) values ('Pôle des collines', 'PTCE', '26281', '26', '84')
      returning id::int as id`,
    );
    const coopAdmin = await signedInAs(t.app, t.database.db, [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(cooperation!.id) }]);
    const body = campaign({ organisation_id: undefined, cooperation_id: cooperation!.id, titre: 'Dons pour la cuisine partagée', instrument: 'don' });
    assert.equal((await asJson(member, '/api/v1/campagnes', body)).statusCode, 403, 'un membre d’une autre structure');
    const created = await asJson(coopAdmin, '/api/v1/campagnes', body);
    assert.equal(created.statusCode, 201, created.body);
    const id = JSON.parse(created.body).id;
    const page = () => new Client(t.app).get(`/cooperations/${cooperation!.id}`);
    assert.doesNotMatch((await page()).body, /Dons pour la cuisine partagée/, 'un brouillon n’est pas public');
    assert.match((await coopAdmin.client.get(`/cooperations/${cooperation!.id}`)).body, /Dons pour la cuisine partagée/);
    assert.equal((await asJson(coopAdmin, `/api/v1/campagnes/${id}/etat`, { etat: 'ouverte' })).statusCode, 200);
    assert.match((await page()).body, /<h2 id="campagnes-citoyennes">Campagnes citoyennes<\/h2>[\s\S]*Dons pour la cuisine partagée/);
    const listed = JSON.parse((await new Client(t.app).get('/api/v1/campagnes?instrument=don')).body);
    assert.deepEqual(listed.resultats[0].structure, { type: 'cooperation', id: cooperation!.id, nom: 'Pôle des collines' });
  });

  test('Cigales : déclaration par les administrateurs, investissements par les membres, montrés sur les deux fiches', async () => {
    const admin = await signedInAs(t.app, t.database.db, [{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: club.siret }]);
    const clubMember = await signedInAs(t.app, t.database.db, [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: club.siret }]);
    const investment = { entreprise_siret: organisation.siret, montant: 300_000, date_investissement: dayFromToday(-10), instrument: 'parts_sociales' };
    const record = (who: TestAccount, body: unknown) => asJson(who, `/api/v1/organisations/${club.id}/investissements-cigales`, body);
    assert.equal((await record(clubMember, investment)).statusCode, 409, 'pas encore un club');
    assert.equal((await asJson(clubMember, `/api/v1/organisations/${club.id}/club-cigales`, { club: true })).statusCode, 403);
    assert.equal((await asJson(admin, `/api/v1/organisations/${club.id}/club-cigales`, { club: true })).statusCode, 200);
    assert.equal(await audits('cigales.declare'), 1);
    for (const who of [outsider, platformAdmin]) assert.equal((await record(who, investment)).statusCode, 403);
    for (const [body, field] of [
      [{ ...investment, entreprise_siret: '10000003400000' }, 'entreprise_siret'],
      [{ ...investment, entreprise_siret: club.siret }, 'entreprise_siret'],
      [{ ...investment, montant: -1 }, 'montant'],
      [{ ...investment, date_investissement: dayFromToday(2) }, 'date_investissement'],
      [{ ...investment, instrument: 'don' }, 'instrument'],
    ] as const) {
      const response = await record(clubMember, body);
      assert.equal(response.statusCode, 400, `${field} : ${response.body}`);
      assert.deepEqual(problemFields(response.body), [field]);
    }
    assert.equal(await count('investissement_cigales'), 0);
    assert.equal((await record(clubMember, investment)).statusCode, 201);
    const page = await clubMember.client.get(`/organisations/${club.id}/cigales`);
    const viaForm = await clubMember.client.post(`/organisations/${club.id}/cigales/investissements`, {
      _csrf: csrfOf(page.body),
      entreprise_siret: organisation.siret,
      montant: '1 500',
      date_investissement: dayFromToday(-1),
      instrument: 'pret',
    });
    assert.equal(viaForm.statusCode, 303, viaForm.body);
    assert.equal(await audits('cigales.investment'), 2);

    const api = JSON.parse((await new Client(t.app).get(`/api/v1/organisations/${club.id}/cigales`)).body);
    assert.equal(api.club, true);
    assert.equal(api.total_investi, 450_000);
    const funded = JSON.parse((await new Client(t.app).get(`/api/v1/organisations/${organisation.id}/cigales`)).body);
    assert.equal(funded.total_recu, 450_000);
    const clubPage = await new Client(t.app).get(`/organisations/${club.id}`);
    assert.match(clubPage.body, /Cette structure est un club Cigales : ses membres ont investi 4\s500,00\s€ dans 2 entreprises/);
    const enterprisePage = await new Client(t.app).get(`/organisations/${organisation.id}`);
    assert.match(enterprisePage.body, /<caption>Investissements reçus de clubs Cigales<\/caption>/);
    assert.match(enterprisePage.body, /Cigales de la Drôme/);
    const withdraw = await asJson(admin, `/api/v1/organisations/${club.id}/club-cigales`, { club: false });
    assert.equal(withdraw.statusCode, 409, 'un club dont des investissements sont enregistrés le reste');
  });
});
