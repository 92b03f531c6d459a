/**
 * Members of a cooperation through contributions: a proposal lists them (a structure by its SIRET, linked to
 * its record; another by its name alone), each with its role; they are written when the proposal is accepted,
 * in the same transaction as the version, which records them; an edit changes a role and removes a member,
 * and the history shows both lists. A line without name nor SIRET, an unknown SIRET without name and an
 * unknown role are refused with a sentence beside their line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { validSiret } from './support/siret.ts';

const contributionId = (location: unknown) => Number(/^\/contributions\/(\d+)\?envoyee=1$/.exec(String(location))?.[1]);

describe('Membres d’une coopération par contribution', () => {
  let t: TestApp;
  let author: TestAccount;
  let moderator: TestAccount;
  const db = () => t.database.db;
  const siret = validSiret('8401234560001');
  let organisationId: number;

  const members = (cooperationId: number) =>
    rows<{ name: string; role: string; organisation_id: number | null; siret: string | null }>(
      db(),
      sql`select name, role, organisation_id::int as organisation_id, siret from cooperation_member where cooperation_id = ${cooperationId} order by id`,
    );

  async function accept(location: unknown) {
    const id = contributionId(location);
    const decided = await moderator.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator.csrf });
    assert.equal(decided.statusCode, 303);
    return id;
  }

  before(async () => {
    t = await buildTestApp();
    author = await signedInAs(t.app, db(), [], { displayName: 'Dominique Contributrice' });
    moderator = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    const created = await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name, commune_code, region_code, source)
      values (${siret}, ${siret.slice(0, 9)}, 'Ferme des Collines', '26281', '84', 'test') returning id::int as id`,
    );
    organisationId = created!.id;
  });
  after(() => t.close());

  test('une proposition avec ses membres : erreurs en phrases sur leur ligne, puis membres écrits et versionnés à l’acceptation', async () => {
    const base = { _csrf: author.csrf, nom: 'Coopérative des Collines', modele: 'PTCE', commune: '26281' };
    const form = await author.client.get('/contributions/nouvelle/cooperation');
    assert.match(form.body, /<legend>Membres de la coopération<\/legend>/);
    assert.match(form.body, /name="membres\.0\.siret"/);

    const refused = await author.client.post('/contributions/nouvelle/cooperation', {
      ...base,
      'membres.0.siret': siret,
      'membres.0.role': 'porteur',
      'membres.1.nom': 'Mairie de Romans',
      'membres.1.role': 'maire',
      'membres.2.role': 'citoyens',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<span class="field-error" id="membres-1-role-erreur">Choisissez le rôle de ce membre dans la liste proposée\.<\/span>/);
    assert.match(refused.body, /id="membres-2-nom-erreur">Indiquez le SIRET ou le nom de ce membre, ou videz sa ligne\.</);
    assert.match(refused.body, /href="#membres-2-nom">Membre 3 : Nom/);
    assert.doesNotMatch(refused.body, /Option invalide|Entrée invalide/);
    assert.match(refused.body, /name="membres\.1\.nom"[^>]*value="Mairie de Romans"|value="Mairie de Romans"[^>]*name="membres\.1\.nom"/, 'valeurs gardées');

    const unknown = await author.client.post('/contributions/nouvelle/cooperation', {
      ...base,
      'membres.0.siret': validSiret('8409999990001'),
      'membres.0.role': 'entreprise_ess',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Aucune structure recensée ne porte le SIRET \d{14} : indiquez aussi le nom de ce membre/);

    const sent = await author.client.post('/contributions/nouvelle/cooperation', {
      ...base,
      'membres.0.siret': siret.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 '),
      'membres.0.role': 'porteur',
      'membres.1.nom': 'Mairie de Romans',
      'membres.1.role': 'collectivite',
      'membres.2.siret': '',
      'membres.2.nom': '',
      'membres.2.role': '',
    });
    assert.equal(sent.statusCode, 303);
    const decision = await moderator.client.get(`/moderation/contributions/${contributionId(sent.headers.location)}`);
    assert.match(decision.body, /Ferme des Collines|SIRET \d{14} — Porteur/);
    await accept(sent.headers.location);

    const cooperation = await firstRow<{ id: number }>(db(), sql`select id::int as id from cooperation where name = 'Coopérative des Collines'`);
    assert.ok(cooperation);
    assert.deepEqual(await members(cooperation.id), [
      { name: 'Ferme des Collines', role: 'porteur', organisation_id: organisationId, siret: null },
      { name: 'Mairie de Romans', role: 'collectivite', organisation_id: null, siret: null },
    ]);
    const version = await firstRow<{ membres: unknown }>(
      db(),
      sql`select snapshot->'membres' as membres from object_version where kind = 'cooperation' and object_id = ${cooperation.id} and version = 1`,
    );
    assert.deepEqual(version?.membres, [
      { organisation: organisationId, siret, nom: 'Ferme des Collines', role: 'porteur' },
      { nom: 'Mairie de Romans', role: 'collectivite' },
    ]);
    const page = await t.app.inject({ url: `/cooperations/${cooperation.id}` });
    assert.match(page.body, new RegExp(`<a href="/organisations/${organisationId}">Ferme des Collines</a>`));
  });

  test('modifier un rôle, retirer un membre, en ajouter un sans SIRET : file, acceptation, historique des deux listes', async () => {
    const cooperation = await firstRow<{ id: number }>(db(), sql`select id::int as id from cooperation where name = 'Coopérative des Collines'`);
    assert.ok(cooperation);
    const form = await author.client.get(`/cooperations/${cooperation.id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<input type="hidden" name="membres.0.organisation" value="${organisationId}">`));
    assert.match(form.body, /<legend>Membre 2 : Mairie de Romans<\/legend>/);
    assert.match(form.body, /name="membres\.1\.retirer"/);

    const sent = await author.client.post(`/cooperations/${cooperation.id}/modifier`, {
      _csrf: author.csrf,
      nom: 'Coopérative des Collines',
      modele: 'PTCE',
      commune: '26281',
      'membres.0.organisation': String(organisationId),
      'membres.0.siret': siret,
      'membres.0.nom': 'Ferme des Collines',
      'membres.0.role': 'entreprise_ess',
      'membres.1.nom': 'Mairie de Romans',
      'membres.1.role': 'collectivite',
      'membres.1.retirer': 'oui',
      'membres.2.nom': 'Université Grenoble Alpes',
      'membres.2.role': 'recherche',
    });
    assert.equal(sent.statusCode, 303);
    assert.equal((await members(cooperation.id)).length, 2, 'rien ne change avant la modération');
    await accept(sent.headers.location);
    assert.deepEqual(await members(cooperation.id), [
      { name: 'Ferme des Collines', role: 'entreprise_ess', organisation_id: organisationId, siret: null },
      { name: 'Université Grenoble Alpes', role: 'recherche', organisation_id: null, siret: null },
    ]);

    const history = await t.app.inject({ url: `/cooperations/${cooperation.id}/historique` });
    assert.match(
      history.body,
      /<th scope="row">Membres de la coopération<\/th><td>Ferme des Collines \(SIRET \d{14}\) — Porteur ; Mairie de Romans — Collectivité<\/td><td>Ferme des Collines \(SIRET \d{14}\) — Entreprise de l&#39;ESS ; Université Grenoble Alpes — Recherche<\/td>/,
    );
  });

  test('une modification sans lignes de membres les garde ; une structure sans fiche reste nommée avec son SIRET', async () => {
    const cooperation = await firstRow<{ id: number }>(db(), sql`select id::int as id from cooperation where name = 'Coopérative des Collines'`);
    assert.ok(cooperation);
    const admin = await signedInAs(t.app, db(), [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(cooperation.id) }]);
    const direct = await admin.client.post(`/cooperations/${cooperation.id}/modifier`, {
      _csrf: admin.csrf,
      nom: 'Coopérative des Collines',
      modele: 'PTCE',
      commune: '26281',
      description: 'Sans toucher aux membres',
    });
    assert.equal(direct.statusCode, 303);
    assert.equal((await members(cooperation.id)).length, 2);

    const unlisted = validSiret('8405555550001');
    const added = await admin.client.post(`/cooperations/${cooperation.id}/modifier`, {
      _csrf: admin.csrf,
      nom: 'Coopérative des Collines',
      modele: 'PTCE',
      commune: '26281',
      description: 'Sans toucher aux membres',
      'membres.0.organisation': String(organisationId),
      'membres.0.nom': 'Ferme des Collines',
      'membres.0.role': 'entreprise_ess',
      'membres.1.siret': unlisted,
      'membres.1.nom': 'Scop du Vercors',
      'membres.1.role': 'autre_entreprise',
    });
    assert.equal(added.statusCode, 303);
    assert.deepEqual(await members(cooperation.id), [
      { name: 'Ferme des Collines', role: 'entreprise_ess', organisation_id: organisationId, siret: null },
      { name: 'Scop du Vercors', role: 'autre_entreprise', organisation_id: null, siret: unlisted },
    ]);
  });
});
