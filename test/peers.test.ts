import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';

describe('Pairs : transfert de savoir-faire et visites apprenantes', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  let adminA: TestAccount;
  const get = (url: string) => t.app.inject(url);

  before(async () => {
    t = await buildTestApp({ demo: false });
    const add = async (key: string, name: string, values: { modele: string; stade: string; transfert?: boolean; visites?: boolean }) => {
      const [row] = await rows<{ id: number }>(
        t.database.db,
        sql`insert into cooperation (name, modele, finalite, modele_economique, stade, secteur, commune_code, region_code, ouverte_transfert, ouverte_visites)
          values (${name}, ${values.modele}, 'systemique', 'hybride', ${values.stade}, 'agriculture_alimentation', '26281', '84',
            ${values.transfert ?? false}, ${values.visites ?? false}) returning id::int as id`,
      );
      ids[key] = row!.id;
    };
    await add('a', 'Pôle naissant', { modele: 'PTCE', stade: 'emergence' });
    await add('b', 'Pôle consolidé', { modele: 'PTCE', stade: 'consolidation', transfert: true, visites: true });
    await add('c', 'Pôle fermé', { modele: 'PTCE', stade: 'consolidation' });
    await add('d', 'Pôle au même stade', { modele: 'PTCE', stade: 'emergence', transfert: true });
    adminA = await signedInAs(t.app, t.database.db, [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(ids.a) }]);
  });
  after(() => t.close());

  const ask = (account: TestAccount, pair: number, message = 'Nous aimerions visiter votre atelier partagé.') =>
    account.client.post(`/cooperations/${ids.a}/pairs/demande`, { _csrf: account.csrf, pair: String(pair), message });

  test('les pairs d’une coopération : semblables, plus avancés, ouverts, avec leurs raisons', async () => {
    const answer = (await get(`/api/v1/cooperations/${ids.a}/pairs`)).json();
    assert.deepEqual(
      answer.pairs.map((p: { nom: string }) => p.nom),
      ['Pôle consolidé'],
    );
    assert.ok(answer.pairs[0].raisons.includes('Plus avancée : consolidation (vous : émergence)'));
    assert.ok(answer.pairs[0].raisons.includes('Ouverte aux visites apprenantes'));
    assert.equal((await get('/api/v1/cooperations/999999/pairs')).statusCode, 404);
    const page = await get(`/cooperations/${ids.a}/pairs`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Pôle consolidé/);
    assert.doesNotMatch(page.body, /Demander une rencontre/, 'un visiteur ne demande rien');
  });

  test('une demande de rencontre part par courriel aux administrateurs du pair, sans montrer d’adresse', async () => {
    assert.equal((await ask(adminA, ids.b!)).statusCode, 409, 'pas encore d’administrateur');
    const adminB = await signedInAs(t.app, t.database.db, [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(ids.b) }]);
    const stranger = await signedInAs(t.app, t.database.db);
    assert.equal((await ask(stranger, ids.b!)).statusCode, 403);
    assert.equal((await ask(adminA, ids.c!)).statusCode, 409, 'un pair fermé n’est pas proposé');
    const blank = await ask(adminA, ids.b!, '   ');
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /<title>Erreur — Pairs/);
    assert.match(blank.body, /href="#demande-message">Votre message : écrivez qui vous êtes/, 'l’erreur mène au champ');
    assert.match(blank.body, /id="demande-message"[^>]*aria-invalid="true"/);
    const sent = await ask(adminA, ids.b!);
    assert.equal(sent.statusCode, 303);
    const page = await adminA.client.get(sent.headers.location as string);
    assert.match(page.body, /ni leur adresse ni la vôtre ne sont montrées/);
    assert.doesNotMatch(page.body, new RegExp(adminB.email.replace(/[.]/g, '\\.')));
    const mails = await rows<{ to: string; text: string }>(
      t.database.db,
      sql`select payload->>'to' as to, payload->>'text' as text from job where kind = 'mail.send' and payload->>'purpose' = 'demande_pairs'`,
    );
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, adminB.email);
    assert.match(mails[0]!.text, /Nous aimerions visiter votre atelier partagé/);
    assert.ok(!mails[0]!.text.includes(adminA.email), 'l’adresse du demandeur n’est pas donnée');
  });

  test('limité contre les abus : cinq demandes par jour et par personne', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ask(adminA, ids.b!)).statusCode);
    assert.deepEqual(statuses, [303, 303, 303, 303, 429], 'une demande déjà faite au test précédent');
  });

  test('ses administrateurs disent si la coopération accueille des pairs', async () => {
    const stranger = await signedInAs(t.app, t.database.db);
    const url = `/cooperations/${ids.a}/pairs/ouverture`;
    assert.equal((await stranger.client.post(url, { _csrf: stranger.csrf, visites: 'oui' })).statusCode, 403);
    assert.equal((await adminA.client.post(url, { _csrf: adminA.csrf, visites: 'oui' })).statusCode, 303);
    const answer = (await get(`/api/v1/cooperations/${ids.a}/pairs`)).json();
    assert.deepEqual([answer.cooperation.ouverte_transfert, answer.cooperation.ouverte_visites], [false, true]);
  });

  test('la fiche de la coopération montre ses pairs et pourquoi ; ses administrateurs y trouvent la demande et le réglage', async () => {
    const visitor = await get(`/cooperations/${ids.a}`);
    assert.equal(visitor.statusCode, 200);
    assert.match(visitor.body, /<h2 id="pairs">Pairs/);
    assert.match(visitor.body, /Pôle consolidé<\/a><\/h3>[\s\S]*Pourquoi : [^<]*Plus avancée : consolidation/);
    assert.doesNotMatch(visitor.body, /action="\/cooperations\/\d+\/pairs\/demande"/, 'un visiteur ne demande rien');
    const admin = await adminA.client.get(`/cooperations/${ids.a}`);
    assert.match(admin.body, new RegExp(`action="/cooperations/${ids.a}/pairs/demande"`));
    assert.match(admin.body, new RegExp(`<option value="${ids.b}"[^>]*>Pôle consolidé</option>`));
    assert.match(admin.body, new RegExp(`href="/cooperations/${ids.a}/pairs/ouverture"`));
  });

  test('la page de réglage est aux administrateurs ; le changement est audité', async () => {
    const url = `/cooperations/${ids.a}/pairs/ouverture`;
    const stranger = await signedInAs(t.app, t.database.db);
    assert.equal((await stranger.client.get(url)).statusCode, 403);
    const page = await adminA.client.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<input type="checkbox" id="visites" name="visites" value="oui" checked>/, 'le réglage enregistré est coché');
    assert.equal((await adminA.client.post(url, { _csrf: adminA.csrf, transfert: 'oui' })).statusCode, 303);
    const [audit] = await rows<{ details: { transfert: boolean; visites: boolean } }>(
      t.database.db,
      sql`select details from audit_log where action = 'cooperation.pairs_ouverture' and object_id = ${String(ids.a)} order by id desc limit 1`,
    );
    assert.deepEqual(audit?.details, { transfert: true, visites: false });
  });
});
