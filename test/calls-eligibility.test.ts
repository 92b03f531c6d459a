/**
 * A call's eligibility, read by the orientation's profile rule, at the start of an application and again at
 * its submission, on each real database: the AMI PTCE 2021 (émergence, PTCE) with a declared profile; a
 * cooperation of the Atlas that speaks for itself; legal forms and ESUS agreement of the structures found in
 * the Atlas by SIRET; the French reasons; nothing written when refused; the call page shows every restriction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { csrfOf, signedInAs, type TestAccount } from './support/accounts.ts';
import { siretFrom } from './support/siret.ts';

const IN_TIME = '2021-06-01T10:00:00Z';
const ELIGIBLE = { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' };
const FORM = { sections: [{ titre: 'Projet', champs: [{ cle: 'projet', type: 'texte', libelle: 'Projet', obligatoire: true }] }] };

describe(`Éligibilité aux appels`, () => {
  let t: TestApp;
  let amiId: number;
  const db = () => t.database.db;
  const api = (who: TestAccount, url: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': who.csrf },
    });
  const count = async () => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from candidature`))!.n;
  const start = (who: TestAccount, appelId: number, body: object) =>
    api(who, `/api/v1/appels/${appelId}/candidatures`, {
      titre: 'Dynamique',
      porteur: 'groupement',
      chef_de_file: { siret: siretFrom(301), nom: 'Chef' },
      co_candidats: [{ siret: siretFrom(302), nom: 'Co' }],
      ...body,
    });
  /** A published call open on 1 June 2021, with this eligibility and a one-field form. */
  const openCall = async (key: string, eligibilite: object) => {
    const call = await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut, eligibilite)
      values (${key}, ${`Appel ${key}`}, 'publie', ${JSON.stringify(eligibilite)}::jsonb) returning id::int as id`,
    );
    await db().execute(sql`insert into appel_phase (appel_id, position, label, ouverture, cloture)
      values (${call!.id}, 0, 'Dépôt', '2021-05-01T00:00:00Z', '2021-07-01T00:00:00Z')`);
    await db().execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${call!.id}, 1, ${JSON.stringify(FORM)}::jsonb)`);
    return call!.id;
  };

  before(async () => {
    t = await buildTestApp();
    setCallsClock(() => new Date(IN_TIME));
    amiId = (await firstRow<{ id: number }>(db(), sql`select id::int as id from appel where key = 'ami-ptce-2021'`))!.id;
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
  });

  test('AMI PTCE : sans profil 400, au mauvais stade 409 avec la raison, rien n’est écrit ; éligible 201 et le profil est gardé', async () => {
    const who = await signedInAs(t.app, db());
    const before = await count();
    const none = await start(who, amiId, {});
    assert.equal(none.statusCode, 400);
    assert.match(none.headers['content-type'] as string, /problem\+json/);
    assert.match(none.json().detail, /Cet appel est réservé aux stades « Émergence » : stade non renseigné/);
    assert.match(none.json().detail, /Indiquez le profil/);
    const late = await start(who, amiId, { profil: { ...ELIGIBLE, stade: 'consolidation' } });
    assert.equal(late.statusCode, 409);
    assert.equal(
      late.json().detail,
      'Candidature non éligible. Cet appel est réservé aux stades « Émergence » : votre coopération est au stade « Consolidation ».',
    );
    const both = await start(who, amiId, { profil: { ...ELIGIBLE, stade: 'creation', modele: 'tiers_lieu' } });
    assert.match(
      both.json().detail,
      /stade « Création »\. Cet appel est réservé aux Pôle territorial de coopération économique \(PTCE\) : votre coopération est « Tiers-lieu »\./,
    );
    const badValue = await start(who, amiId, { profil: { ...ELIGIBLE, stade: 'adulte' } });
    assert.equal(badValue.statusCode, 400);
    assert.match(badValue.json().detail, /choisissez le stade/);
    assert.equal(await count(), before);
    const ok = await start(who, amiId, { profil: ELIGIBLE });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().profil, ELIGIBLE);
  });

  test('coopération de l’Atlas : son profil prime sur celui déclaré, le profil déclaré complète ce qu’elle tait', async () => {
    const who = await signedInAs(t.app, db());
    const tiersLieu = await firstRow<{ id: number }>(
      db(),
      sql`insert into cooperation (name, modele, stade) values ('Tiers-lieu de test', 'tiers_lieu', 'emergence') returning id::int as id`,
    );
    const refused = await start(who, amiId, { porteur: 'cooperation', co_candidats: [], cooperation_id: tiersLieu!.id, profil: ELIGIBLE });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().detail, /votre coopération est « Tiers-lieu »/);
    // A PTCE whose stage the Atlas does not say: the declared profile gives it.
    const ptce = await firstRow<{ id: number }>(db(), sql`insert into cooperation (name, modele) values ('PTCE de test', 'PTCE') returning id::int as id`);
    const unknown = await start(who, amiId, { porteur: 'cooperation', co_candidats: [], cooperation_id: ptce!.id });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().detail, /stade non renseigné/);
    const completed = await start(who, amiId, { porteur: 'cooperation', co_candidats: [], cooperation_id: ptce!.id, profil: { ...ELIGIBLE, modele: 'aucun' } });
    assert.equal(completed.statusCode, 201, completed.body);
  });

  test('formes juridiques et agrément ESUS : ceux des structures trouvées dans l’Atlas par SIRET', async () => {
    const who = await signedInAs(t.app, db());
    const appelId = await openCall('esus-associations', { formes_juridiques: ['92'], esus_requis: true });
    const unknown = await start(who, appelId, { profil: ELIGIBLE });
    assert.equal(unknown.statusCode, 409);
    assert.match(unknown.json().detail, /Forme juridique non éligible \(Association loi 1901 ou assimilé\)\. Agrément ESUS requis\./);
    await db().execute(sql`insert into organisation (name, siret, legal_form, statut_ess) values ('Chef associatif', ${siretFrom(301)}, '9220', 'ess_de_droit'),
      ('Co agréée', ${siretFrom(302)}, '5710', 'agrement_esus')`);
    const ok = await start(who, appelId, { profil: ELIGIBLE });
    assert.equal(ok.statusCode, 201, ok.body);
  });

  test('au dépôt, l’éligibilité est vérifiée de nouveau : l’appel a changé, le dépôt est refusé et rien ne bouge', async () => {
    const who = await signedInAs(t.app, db());
    const appelId = await openCall('stade-change', { stades: ['emergence'] });
    const started = await start(who, appelId, { profil: ELIGIBLE });
    assert.equal(started.statusCode, 201, started.body);
    const id = started.json().id as number;
    await db().execute(sql`update appel set eligibilite = '{"stades": ["creation"]}' where id = ${appelId}`);
    const refused = await api(who, `/api/v1/candidatures/${id}/depot`, {});
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().detail, /réservé aux stades « Création » : votre coopération est au stade « Émergence »/);
    const row = await firstRow<{ statut: string; numero_depot: string | null }>(db(), sql`select statut, numero_depot from candidature where id = ${id}`);
    assert.deepEqual(row, { statut: 'brouillon', numero_depot: null });
    await db().execute(sql`update appel set eligibilite = '{"stades": ["emergence"]}' where id = ${appelId}`);
    await api(who, `/api/v1/candidatures/${id}/brouillon`, { version: 1, donnees: { projet: 'Un projet' } });
    assert.equal((await api(who, `/api/v1/candidatures/${id}/depot`, {})).statusCode, 200);
    const instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(appelId) }]);
    const seen = await instructor.client.get(`/instruction/candidatures/${id}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /<dt>Profil déclaré<\/dt><dd>Stade : Émergence ; Modèle de coopération : [^<]+<\/dd>/, 'l’instruction voit le profil déclaré');

    // Started with no profile (the call did not restrict it then): the submission cannot ask for it, so only what is stated is checked.
    const open = await openCall('restreint-ensuite', {});
    const unstated = await start(who, open, {});
    assert.equal(unstated.statusCode, 201, unstated.body);
    assert.equal(unstated.json().profil, null);
    await db().execute(sql`update appel set eligibilite = '{"stades": ["creation"]}' where id = ${open}`);
    await api(who, `/api/v1/candidatures/${unstated.json().id}/brouillon`, { version: 1, donnees: { projet: 'Un projet' } });
    assert.equal((await api(who, `/api/v1/candidatures/${unstated.json().id}/depot`, {})).statusCode, 200);
  });

  test('pages : la fiche montre toute l’éligibilité ; le formulaire de départ demande le profil, erreurs liées aux champs', async () => {
    const appelId = await openCall('toutes-restrictions', {
      stades: ['creation'],
      modeles: ['SCIC'],
      finalites: ['ciblee'],
      modeles_economiques: ['marchande'],
      formes_juridiques: ['5458'],
      esus_requis: true,
    });
    const who = await signedInAs(t.app, db());
    const fiche = await who.client.get(`/appels/${appelId}`);
    for (const line of [
      'Modèle : Société coopérative d&#39;intérêt collectif (SCIC)',
      'Stade : Création',
      'Finalité : Ciblée',
      'Modèle économique : Marchande',
      'Forme juridique : Société à responsabilité limitée (SARL) (5458)',
      'Agrément ESUS : requis',
    ]) {
      assert.ok(fiche.body.includes(`<li>${line}</li>`), line);
    }
    assert.match((await who.client.get(`/appels/${amiId}`)).body, /<li>Stade : Émergence<\/li>/);
    const form = await who.client.get(`/appels/${amiId}/candidater`);
    assert.match(form.body, /<select id="profil-stade" name="profil\.stade"/);
    assert.match(form.body, /Cet appel est réservé à : Modèle : Pôle territorial/);
    const fields = {
      _csrf: csrfOf(form.body),
      titre: 'Par la page',
      porteur: 'groupement',
      chef_siret: siretFrom(303),
      chef_nom: 'Chef',
      'co.0.siret': siretFrom(304),
      'co.0.nom': 'Co',
    };
    const missing = await who.client.post(`/appels/${amiId}/candidater`, fields);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /<a href="#profil-stade">Stade : choisissez le stade de la coopération<\/a>/);
    assert.match(missing.body, /<a href="#profil-finalite">Finalité : choisissez la finalité<\/a>/);
    assert.match(missing.body, /id="profil-stade" name="profil\.stade" aria-describedby="profil-stade-erreur" aria-invalid="true"/);
    const before = await count();
    const ineligible = await who.client.post(`/appels/${amiId}/candidater`, {
      ...fields,
      'profil.stade': 'creation',
      'profil.modele': 'PTCE',
      'profil.finalite': 'ciblee',
      'profil.modele_economique': 'marchande',
    });
    assert.equal(ineligible.statusCode, 409);
    assert.match(ineligible.body, /role="alert"[\s\S]*Cet appel est réservé aux stades « Émergence » : votre coopération est au stade « Création »/);
    assert.match(ineligible.body, /<option value="creation" selected>/);
    assert.equal(await count(), before);
  });
});
