import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';

describe('Mutualisation : offres, réservations, calendrier', () => {
  let t: TestApp;
  let owner: TestAccount;
  let asker: TestAccount;
  let salle: number;
  const day = (n: number, hour: number) => new Date(Date.UTC(2030, 0, n, hour)).toISOString();
  const post = (account: TestAccount, url: string, body: unknown) => account.client.postJson(url, body, { 'x-csrf-token': account.csrf });
  const book = (account: TestAccount, debut: string, fin: string) => post(account, `/api/v1/mutualisation/${salle}/reservations`, { debut, fin });
  const count = async () => (await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from reservation`))[0]!.n;

  before(async () => {
    t = await buildTestApp({ demo: false });
    await t.database.db.execute(sql`update commune set latitude = 45.0434, longitude = 5.0511 where code = '26281'`);
    await t.database.db.execute(sql`update commune set latitude = 44.9334, longitude = 4.8924 where code = '26362'`);
    owner = await signedInAs(t.app, t.database.db);
    asker = await signedInAs(t.app, t.database.db);
    const created = await post(owner, '/api/v1/mutualisation', {
      sens: 'offre',
      categorie: 'local',
      titre: 'Salle, cuisine; atelier',
      description: '20 places',
      commune: '26281',
    });
    assert.equal(created.statusCode, 201, created.body);
    salle = created.json().id;
    await post(owner, '/api/v1/mutualisation', { sens: 'demande', categorie: 'competence', titre: 'Comptable à temps partagé', commune: '26362' });
  });
  after(() => t.close());

  test('recherche par territoire et par distance', async () => {
    const near = (await t.app.inject('/api/v1/mutualisation?commune=26281&rayon_km=5')).json();
    assert.deepEqual(
      near.resultats.map((e: { titre: string }) => e.titre),
      ['Salle, cuisine; atelier'],
    );
    const wide = (await t.app.inject('/api/v1/mutualisation?commune=26281&rayon_km=30')).json();
    assert.deepEqual(
      wide.resultats.map((e: { titre: string; distance_km: number }) => [e.titre, e.distance_km > 15]),
      [
        ['Salle, cuisine; atelier', false],
        ['Comptable à temps partagé', true],
      ],
    );
    assert.equal((await t.app.inject('/api/v1/mutualisation?departement=26&categorie=competence')).json().total, 1);
    assert.equal((await t.app.inject('/api/v1/mutualisation?rayon_km=10')).statusCode, 400);
    assert.equal((await t.app.inject('/api/v1/mutualisation?commune=26281&rayon_km=999')).statusCode, 400);
  });

  test('une réservation qui en chevauche une autre : 409 en français, rien d’écrit', async () => {
    const first = await book(asker, day(10, 9), day(10, 12));
    assert.equal(first.statusCode, 201, first.body);
    const overlap = await book(owner, day(10, 11), day(10, 14));
    assert.equal(overlap.statusCode, 409);
    assert.match(overlap.json().detail, /chevauche une autre réservation/);
    assert.equal((await book(owner, day(10, 12), day(10, 13))).statusCode, 201, 'bout à bout : accepté');
    assert.equal(await count(), 2);
  });

  test('même à l’instant : de deux demandes simultanées du même créneau, une seule passe', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => book(asker, day(20, 9), day(20, 10))));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409, 409]);
    assert.equal(await count(), 3);
  });

  test('mauvaise demande : passée, fin avant début, date illisible — 400, rien d’écrit', async () => {
    assert.equal((await book(asker, '2020-01-01T09:00:00Z', '2020-01-01T10:00:00Z')).statusCode, 400);
    const backwards = await book(asker, day(25, 12), day(25, 9));
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.json().detail, /La fin de la réservation doit venir après son début/);
    assert.equal((await book(asker, 'demain', day(25, 9))).statusCode, 400);
    assert.equal(await count(), 3);
  });

  test('la personne qui publie confirme ou décline ; un courriel à chaque étape ; calendrier iCalendar', async () => {
    const [pending] = await rows<{ id: number }>(t.database.db, sql`select id::int as id from reservation where account_id = ${asker.id} order by id limit 1`);
    const url = `/api/v1/mutualisation/${salle}/reservations/${pending!.id}/decision`;
    assert.equal((await post(asker, url, { decision: 'confirmee' })).statusCode, 403);
    const done = await post(owner, url, { decision: 'confirmee' });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal((await post(owner, url, { decision: 'refusee' })).statusCode, 409, 'déjà décidée');
    const mails = await rows<{ to: string; subject: string }>(
      t.database.db,
      sql`select payload->>'to' as to, payload->>'subject' as subject from job where kind = 'mail.send' and payload->>'purpose' = 'reservation_mutualisation' order by id`,
    );
    assert.ok(mails.some((m) => m.to === owner.email && /^Demande de réservation/.test(m.subject)));
    assert.ok(mails.some((m) => m.to === asker.email && /^Réservation confirmée/.test(m.subject)));
    const ics = await t.app.inject(`/api/v1/mutualisation/${salle}/calendrier.ics`);
    assert.equal(ics.statusCode, 200);
    assert.match(ics.headers['content-type'] as string, /^text\/calendar/);
    assert.match(ics.body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(ics.body, /X-WR-CALNAME:Salle\\, cuisine\\; atelier/);
    assert.equal(ics.body.match(/BEGIN:VEVENT/g)?.length, 3);
    assert.match(ics.body, /DTSTART:20300110T090000Z\r\nDTEND:20300110T120000Z\r\nSUMMARY:[^\r]*réservé\r\nSTATUS:CONFIRMED/);
    const competence = (await t.app.inject('/api/v1/mutualisation?categorie=competence')).json().resultats[0].id;
    assert.equal((await post(asker, `/api/v1/mutualisation/${competence}/reservations`, { debut: day(11, 9), fin: day(11, 10) })).statusCode, 409);
  });
  test('documentées en OpenAPI, chaque corps JSON avec un exemple que l’API accepte', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    for (const path of ['/api/v1/fournisseurs', '/api/v1/ressources', '/api/v1/ressources/{id}', '/api/v1/cooperations/{id}/pairs', '/api/v1/mutualisation'])
      assert.ok(doc.paths[path]?.get, path);
    const example = (path: string) => doc.paths[path].post.requestBody.content['application/json'].example;
    const created = await post(owner, '/api/v1/mutualisation', example('/api/v1/mutualisation'));
    assert.equal(created.statusCode, 201);
    const booked = await post(asker, `/api/v1/mutualisation/${created.json().id}/reservations`, example('/api/v1/mutualisation/{id}/reservations'));
    assert.equal(booked.statusCode, 201, booked.body);
    const decided = await post(
      owner,
      `/api/v1/mutualisation/${created.json().id}/reservations/${booked.json().id}/decision`,
      example('/api/v1/mutualisation/{id}/reservations/{reservation}/decision'),
    );
    assert.equal(decided.statusCode, 200, decided.body);
  });
});
