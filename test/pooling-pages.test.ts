/**
 * The mutualisation pages through HTTP on a real database: the board's search form, publishing for a structure of
 * one's own, an entry's calendar as tables per month, the booking form's French refusals (past, backwards,
 * overlapping: nothing written), the owner's answer, and the booker's data in the RGPD export and deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';

const SIRET = '12345678900017';

describe('Mutualisation : les pages', () => {
  let t: TestApp;
  let member: TestAccount;
  let colleague: TestAccount;
  let booker: TestAccount;
  let structure: number;
  let entry: number;
  const db = () => t.database.db;
  const count = async () => (await rows<{ n: number }>(db(), sql`select count(*)::int as n from reservation`))[0]!.n;
  const book = (who: TestAccount, fields: Record<string, string>) => who.client.post(`/mutualisation/${entry}/reserver`, { _csrf: who.csrf, ...fields });

  before(async () => {
    t = await buildTestApp({ demo: false });
    await db().execute(sql`update commune set latitude = 45.0434, longitude = 5.0511 where code = '26281'`);
    [{ id: structure }] = (await rows<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
        values (${SIRET}, ${SIRET.slice(0, 9)}, 'Atelier partagé de Romans', '26281', '26', '84') returning id::int as id`,
    )) as [{ id: number }];
    const grant = [{ role: 'organisation_member' as const, scopeKind: 'organisation', scopeCode: SIRET }];
    member = await signedInAs(t.app, db(), grant);
    colleague = await signedInAs(t.app, db(), grant);
    booker = await signedInAs(t.app, db(), [], { displayName: 'Camille Réserve' });
  });
  after(() => t.close());

  test('publier : pour une structure dont on est membre ; erreurs en français à côté des champs, rien d’écrit', async () => {
    const alone = await booker.client.get('/mutualisation/publier');
    assert.equal(alone.statusCode, 200);
    assert.match(alone.body, /Rattachez-vous d’abord à la vôtre/);
    assert.doesNotMatch(alone.body, /<form method="post" action="\/mutualisation\/publier"/);
    assert.equal(
      (
        await booker.client.post('/mutualisation/publier', {
          _csrf: booker.csrf,
          structure: String(structure),
          sens: 'offre',
          categorie: 'local',
          titre: 'x',
          commune: '26281',
        })
      ).statusCode,
      403,
    );

    const bad = await member.client.post('/mutualisation/publier', {
      _csrf: member.csrf,
      structure: String(structure),
      sens: 'offre',
      categorie: 'local',
      titre: ' ',
      commune: '99999',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<a href="#titre">Titre : donnez un titre<\/a>/);
    const unknownCommune = await member.client.post('/mutualisation/publier', {
      _csrf: member.csrf,
      structure: String(structure),
      sens: 'offre',
      categorie: 'local',
      titre: 'Salle',
      commune: '99999',
    });
    assert.equal(unknownCommune.statusCode, 400);
    assert.match(unknownCommune.body, /Commune inconnue du COG : 99999/);
    assert.equal((await rows<{ n: number }>(db(), sql`select count(*)::int as n from mutualisation`))[0]!.n, 0);

    const done = await member.client.post('/mutualisation/publier', {
      _csrf: member.csrf,
      structure: String(structure),
      sens: 'offre',
      categorie: 'local',
      titre: 'Salle de réunion de l’atelier',
      description: '20 places, vidéoprojecteur',
      commune: '26281',
    });
    assert.equal(done.statusCode, 303, done.body);
    entry = Number(/\/mutualisation\/(\d+)\?fait=publiee/.exec(done.headers.location as string)![1]);
    const api = (await t.app.inject(`/api/v1/mutualisation/${entry}`)).json();
    assert.deepEqual(api.structure, { id: structure, nom: 'Atelier partagé de Romans' });
    const viaApi = (who: TestAccount) =>
      who.client.postJson(
        '/api/v1/mutualisation',
        { sens: 'demande', categorie: 'vehicule', titre: 'Camion', commune: '26281', structure },
        { 'x-csrf-token': who.csrf },
      );
    assert.equal((await viaApi(booker)).statusCode, 403, 'l’API aussi : au nom de sa structure seulement');
    const created = await viaApi(member);
    assert.equal(created.statusCode, 201);
    assert.equal((await t.app.inject(`/api/v1/mutualisation/${created.json().id}`)).json().structure.id, structure);
    const audit = await rows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_log where action = 'mutualisation.publish' and object_id = ${String(entry)}`,
    );
    assert.equal(audit[0]!.n, 1);
  });

  test('la liste et son formulaire : type, territoire, commune et rayon ; refus en français', async () => {
    const page = await t.app.inject('/mutualisation?categorie=local&commune=26281&rayon_km=5');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="titre-resultats">1 offre ou demande<\/h2>/);
    assert.match(page.body, new RegExp(`href="/mutualisation/${entry}">Salle de réunion de l’atelier</a>`));
    assert.equal((await t.app.inject('/mutualisation?region=53')).body.match(/<h2 id="titre-resultats">0 offre/)?.length, 1);
    const radiusAlone = await t.app.inject('/mutualisation?rayon_km=10');
    assert.equal(radiusAlone.statusCode, 400);
    assert.match(radiusAlone.body, /Un rayon se mesure autour d’une commune : indiquez la commune/);
    const tooFar = await t.app.inject('/mutualisation?commune=26281&rayon_km=999');
    assert.equal(tooFar.statusCode, 400);
    assert.match(tooFar.body, /id="rayon_km"[^>]*aria-invalid="true"/);
  });

  test('réserver : passé, fin avant début, chevauchement — refus en français, rien d’écrit', async () => {
    const past = await book(booker, { debut: '2020-01-06', debut_heure: '09:00', fin: '2020-01-06', fin_heure: '10:00' });
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /href="#reservation-debut">Date de début : Le début de la réservation est passé/);
    const backwards = await book(booker, { debut: '2031-02-10', debut_heure: '12:00', fin: '2031-02-10', fin_heure: '09:00' });
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /La fin de la réservation doit venir après son début/);
    const unreadable = await book(booker, { debut: '2031-02-31', fin: '2031-03-01' });
    assert.equal(unreadable.statusCode, 400);
    assert.match(unreadable.body, /id="reservation-debut"[^>]*aria-invalid="true"/);
    assert.equal(await count(), 0);

    const first = await book(booker, { debut: '2031-02-10', debut_heure: '09:00', fin: '2031-02-10', fin_heure: '12:00' });
    assert.equal(first.statusCode, 303, first.body);
    const overlap = await book(colleague, { debut: '2031-02-10', debut_heure: '11:00', fin: '2031-02-10', fin_heure: '14:00' });
    assert.equal(overlap.statusCode, 409);
    assert.match(overlap.body, /role="alert"[^>]*><p>Ce créneau chevauche une autre réservation : choisissez un autre moment/);
    assert.match(overlap.body, /value="2031-02-10"/, 'ce qui a été saisi reste dans le formulaire');
    assert.equal((await book(booker, { debut: '2031-03-02', fin: '2031-03-03' })).statusCode, 303, 'sans heure : des journées entières');
    assert.equal(await count(), 2);
  });

  test('le calendrier : un tableau par mois ; la structure répond, les autres non ; le lien iCalendar', async () => {
    const visitor = await t.app.inject(`/mutualisation/${entry}`);
    assert.match(visitor.body, /<caption>Réservations de février 2031<\/caption>/);
    assert.match(visitor.body, /<caption>Réservations de mars 2031<\/caption>/);
    assert.match(visitor.body, new RegExp(`href="/api/v1/mutualisation/${entry}/calendrier.ics"`));
    assert.doesNotMatch(visitor.body, /Camille Réserve/, 'qui réserve n’est montré qu’à qui répond');
    assert.doesNotMatch(visitor.body, /Confirmer/);

    const [pending] = await rows<{ id: number }>(db(), sql`select id::int as id from reservation order by lower(periode) limit 1`);
    const decision = `/mutualisation/${entry}/reservations/${pending!.id}/decision`;
    assert.equal((await booker.client.post(decision, { _csrf: booker.csrf, decision: 'confirmee' })).statusCode, 403);
    const ownerPage = await colleague.client.get(`/mutualisation/${entry}`);
    assert.match(ownerPage.body, /Camille Réserve/, 'un membre de la structure voit qui demande');
    assert.match(ownerPage.body, new RegExp(`action="${decision}"`));
    const answered = await colleague.client.post(decision, { _csrf: colleague.csrf, decision: 'confirmee' });
    assert.equal(answered.statusCode, 303);
    const again = await colleague.client.post(decision, { _csrf: colleague.csrf, decision: 'refusee' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /a déjà reçu une réponse/);
    const mails = await rows<{ subject: string }>(
      db(),
      sql`select payload->>'subject' as subject from job where kind = 'mail.send' and payload->>'to' = ${booker.email}`,
    );
    assert.deepEqual(
      mails.map((m) => m.subject),
      ['Réservation confirmée : Salle de réunion de l’atelier'],
    );
    assert.match((await t.app.inject(`/mutualisation/${entry}`)).body, /<td>Confirmée<\/td>/);
  });

  test('RGPD : les réservations dans l’export ; la suppression libère les créneaux à venir', async () => {
    const exported = (await booker.client.get('/compte/donnees.json')).json() as { reservations_mutualisation: { titre: string; statut: string }[] };
    assert.deepEqual(
      exported.reservations_mutualisation.map((r) => [r.titre, r.statut]),
      [
        ['Salle de réunion de l’atelier', 'confirmee'],
        ['Salle de réunion de l’atelier', 'demandee'],
      ],
    );
    const removed = await booker.client.post('/compte/suppression', { _csrf: booker.csrf, confirmation: TEST_PASSWORD });
    assert.equal(removed.statusCode, 303, removed.body);
    assert.equal(await count(), 0, 'ses créneaux à venir sont retirés du calendrier');
    const published = (await member.client.get('/compte/donnees.json')).json() as { publications_mutualisation: { titre: string }[] };
    assert.deepEqual(
      published.publications_mutualisation.map((p) => p.titre),
      ['Salle de réunion de l’atelier', 'Camion'],
    );
  });
});
