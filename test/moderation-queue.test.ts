/**
 * The moderation queue beyond proposals, on each real database: claims of an organisation by its SIRET (the
 * role granted on validation, mail, audit), error reports sent by visitors (rate-limited) and handled,
 * national schemes left to platform admins, and every text a person typed rendered escaped in the queue,
 * the history and the pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, csrfOf, signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { validSiret } from './support/siret.ts';

const moderatorOf = (region: string) => [{ role: 'regional_moderator' as const, scopeKind: 'region', scopeCode: region }];
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';

describe(`Modération : revendications, signalements, échappement`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let moderator84: TestAccount;
  let moderator53: TestAccount;
  let organisation: { id: number; siret: string };
  const db = () => t.database.db;

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
    moderator84 = await signedInAs(t.app, db(), moderatorOf('84'));
    moderator53 = await signedInAs(t.app, db(), moderatorOf('53'));
    const siret = validSiret('7770000000001');
    organisation = (await firstRow<{ id: number; siret: string }>(
      db(),
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
      values (${siret}, ${siret.slice(0, 9)}, 'Régie de quartier de Romans', '26281', '26', '84') returning id::int as id, siret`,
    ))!;
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('revendication par SIRET → validation par la modération de la région → rôle accordé, courriel, journal', async () => {
    const claimant = await signedInAs(t.app, db(), [], { displayName: 'Dominique Gérante' });
    const form = await claimant.client.get(`/organisations/${organisation.id}/revendiquer`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<legend>Rôle demandé/);
    const bad = await claimant.client.post(`/organisations/${organisation.id}/revendiquer`, { _csrf: claimant.csrf, justification: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Choisissez le rôle demandé/);
    assert.match(bad.body, /Expliquez votre lien avec la structure/);
    const sent = await claimant.client.post(`/organisations/${organisation.id}/revendiquer`, {
      _csrf: claimant.csrf,
      role: 'administrateur',
      justification: 'Je suis la directrice, nommée par le conseil d’administration.',
    });
    assert.equal(sent.statusCode, 200);
    const twice = await claimant.client.post(`/organisations/${organisation.id}/revendiquer`, {
      _csrf: claimant.csrf,
      role: 'membre',
      justification: 'encore',
    });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /déjà une demande en attente/);
    const claim = await firstRow<{ id: number; region_codes: string[] }>(
      db(),
      sql`select id::int as id, region_codes from organisation_claim where account_id = ${claimant.id}`,
    );
    assert.deepEqual(claim!.region_codes, ['84']);

    assert.doesNotMatch((await moderator53.client.get('/moderation')).body, /Dominique Gérante/);
    assert.equal((await moderator53.client.post(`/moderation/revendications/${claim!.id}/accepter`, { _csrf: moderator53.csrf })).statusCode, 403);
    const queue = await moderator84.client.get('/moderation');
    assert.match(queue.body, /Dominique Gérante/);
    assert.match(queue.body, /Administration d’une structure/);
    const accepted = await moderator84.client.post(`/moderation/revendications/${claim!.id}/accepter`, { _csrf: moderator84.csrf });
    assert.equal(accepted.statusCode, 303);

    const roles = await rows<{ role: string; scope_kind: string; scope_code: string; granted_by: number }>(
      db(),
      sql`
      select role, scope_kind, scope_code, granted_by::int as granted_by from account_role where account_id = ${claimant.id} and role <> 'contributor'`,
    );
    assert.deepEqual(roles, [{ role: 'organisation_admin', scope_kind: 'organisation', scope_code: organisation.siret, granted_by: moderator84.id }]);
    assert.ok(
      await firstRow(db(), sql`select 1 from audit_log where action = 'claim.accept' and object_id = ${String(claim!.id)} and actor_id = ${moderator84.id}`),
    );
    const mail = await smtp.next(claimant.email);
    assert.match(mail.subject, /acceptée/);
    assert.match(mail.text, /Régie de quartier de Romans/);

    // The new admin edits the organisation directly (the session reads its roles again).
    const edit = await claimant.client.get(`/organisations/${organisation.id}/modifier`);
    assert.match(edit.body, /publiées directement/);
    const saved = await claimant.client.post(`/organisations/${organisation.id}/modifier`, {
      _csrf: claimant.csrf,
      siret: organisation.siret,
      nom: 'Régie de quartier de Romans',
      commune: '26281',
      site_web: 'https://regie.exemple.fr',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(
      (await firstRow<{ website: string }>(db(), sql`select website from organisation where id = ${organisation.id}`))!.website,
      'https://regie.exemple.fr',
    );
    // Without a commune, the record keeps the région it had (its moderation does not change).
    await claimant.client.post(`/organisations/${organisation.id}/modifier`, {
      _csrf: claimant.csrf,
      siret: organisation.siret,
      nom: 'Régie de quartier de Romans',
      commune: '',
    });
    const place = await firstRow(db(), sql`select commune_code, region_code from organisation where id = ${organisation.id}`);
    assert.deepEqual(place, { commune_code: null, region_code: '84' });
  });

  test('refus d’une revendication : motif obligatoire, aucun rôle accordé', async () => {
    const claimant = await signedInAs(t.app, db());
    await claimant.client.post(`/organisations/${organisation.id}/revendiquer`, { _csrf: claimant.csrf, role: 'membre', justification: 'Bénévole.' });
    const claim = await firstRow<{ id: number }>(db(), sql`select id::int as id from organisation_claim where account_id = ${claimant.id}`);
    assert.equal((await moderator84.client.post(`/moderation/revendications/${claim!.id}/refuser`, { _csrf: moderator84.csrf, motif: '' })).statusCode, 400);
    assert.equal(
      (await moderator84.client.post(`/moderation/revendications/${claim!.id}/refuser`, { _csrf: moderator84.csrf, motif: 'Aucune preuve du lien.' }))
        .statusCode,
      303,
    );
    assert.equal(await firstRow(db(), sql`select 1 from account_role where account_id = ${claimant.id} and role like 'organisation%'`), undefined);
    assert.match((await smtp.next(claimant.email)).text, /Motif : Aucune preuve du lien\./);
  });

  test('une structure sans SIRET ne peut être revendiquée', async () => {
    const demo = await firstRow<{ id: number }>(db(), sql`select id::int as id from organisation where siret is null order by id limit 1`);
    const someone = await signedInAs(t.app, db());
    const response = await someone.client.get(`/organisations/${demo!.id}/revendiquer`);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /n’a pas de SIRET/);
  });

  test('signalement d’un visiteur → file de la région → traité ; limité en nombre', async () => {
    const visitor = new Client(t.app);
    const form = await visitor.get(`/organisations/${organisation.id}/signaler`);
    assert.equal(form.statusCode, 200);
    const bad = await visitor.post(`/organisations/${organisation.id}/signaler`, { _csrf: csrfOf(form.body), message: ' ', email: 'pas-une-adresse' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Décrivez l’erreur constatée/);
    assert.match(bad.body, /Indiquez une adresse e-mail valide/);
    const sent = await visitor.post(`/organisations/${organisation.id}/signaler`, {
      _csrf: csrfOf(form.body),
      message: 'L’adresse a changé en 2024.',
      email: 'voisin@exemple.fr',
    });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Merci pour votre signalement/);
    const report = await firstRow<{ id: number; region_codes: string[]; account_id: number | null }>(
      db(),
      sql`
      select id::int as id, region_codes, account_id::int as account_id from error_report where object_id = ${organisation.id} and kind = 'organisation'`,
    );
    assert.deepEqual({ ...report, id: 0 }, { id: 0, region_codes: ['84'], account_id: null });
    assert.doesNotMatch((await moderator53.client.get('/moderation')).body, /L’adresse a changé en 2024/);
    assert.match((await moderator84.client.get('/moderation')).body, /L’adresse a changé en 2024\.[\s\S]*voisin@exemple\.fr/);
    assert.equal((await moderator53.client.post(`/moderation/signalements/${report!.id}/traiter`, { _csrf: moderator53.csrf })).statusCode, 403);
    assert.equal((await moderator84.client.post(`/moderation/signalements/${report!.id}/traiter`, { _csrf: moderator84.csrf })).statusCode, 303);
    const handled = await firstRow<{ status: string; handled_by: number }>(
      db(),
      sql`select status, handled_by::int as handled_by from error_report where id = ${report!.id}`,
    );
    assert.deepEqual(handled, { status: 'traite', handled_by: moderator84.id });
    assert.doesNotMatch((await moderator84.client.get('/moderation')).body, /L’adresse a changé en 2024/);
    assert.equal((await moderator84.client.post(`/moderation/signalements/${report!.id}/traiter`, { _csrf: moderator84.csrf })).statusCode, 409);

    // Without its CSRF cookie and field, a report is refused.
    assert.equal((await new Client(t.app).post(`/organisations/${organisation.id}/signaler`, { message: 'forgé' })).statusCode, 403);
    // Rate limit per address: the 11th report within the hour is refused, and not written.
    const flooder = new Client(t.app);
    const token = csrfOf((await flooder.get(`/cooperations/1/signaler`)).body);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await flooder.post(`/cooperations/1/signaler`, { _csrf: token, message: `Signalement ${i}` })).statusCode);
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    const written = await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from error_report where message like 'Signalement %'`);
    assert.equal(written!.n, 10);
  });

  test('un dispositif national va à l’administration de la plateforme seulement', async () => {
    const author = await signedInAs(t.app, db());
    const admin = await signedInAs(t.app, db(), [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    // Checkboxes repeat their field: the form body is written by hand.
    const sent = await t.app.inject({
      method: 'POST',
      url: '/contributions/nouvelle/dispositif',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...author.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: new URLSearchParams([
        ['_csrf', author.csrf],
        ['nom', 'Fonds national des communs'],
        ['couverture_niveau', 'national'],
        ['types_financement', 'subvention_projet'],
        ['porteurs', 'Agence des communs\nFondation du territoire'],
        ['stades', 'emergence'],
        ['stades', 'creation'],
      ]).toString(),
    });
    assert.equal(sent.statusCode, 303);
    const id = Number(/\/contributions\/(\d+)/.exec(String(sent.headers.location))![1]);
    assert.deepEqual((await firstRow<{ r: string[] }>(db(), sql`select region_codes as r from contribution where id = ${id}`))!.r, []);
    assert.doesNotMatch((await moderator84.client.get('/moderation')).body, /Fonds national des communs/);
    assert.equal((await moderator84.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator84.csrf })).statusCode, 403);
    assert.match((await admin.client.get('/moderation')).body, /Fonds national des communs/);
    assert.equal((await admin.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: admin.csrf })).statusCode, 303);
    const dispositif = await firstRow<{ id: number; key: string; couverture_niveau: string; stades: string[]; porteurs: string[] }>(
      db(),
      sql`
      select id::int as id, key, couverture_niveau, stades, array(select name from dispositif_porteur p where p.dispositif_id = d.id order by position) as porteurs
      from dispositif d where name = 'Fonds national des communs'`,
    );
    assert.equal(dispositif!.key, `fonds-national-des-communs-${id}`);
    assert.equal(dispositif!.couverture_niveau, 'national');
    assert.deepEqual(dispositif!.stades, ['emergence', 'creation']);
    assert.deepEqual(dispositif!.porteurs, ['Agence des communs', 'Fondation du territoire']);
    const page = await t.app.inject({ url: `/dispositifs/${dispositif!.id}` });
    assert.match(page.body, /Agence des communs, Fondation du territoire/);
    assert.match(page.body, /href="\/dispositifs\/\d+\/signaler">Signaler une erreur<\/a>/);
    // Only a platform admin edits a national scheme directly; the providers are rewritten in the new order.
    assert.match((await moderator84.client.get(`/dispositifs/${dispositif!.id}/modifier`)).body, /relue par la modération/);
    assert.match((await admin.client.get(`/dispositifs/${dispositif!.id}/modifier`)).body, /publiées directement/);
    const edited = await admin.client.post(`/dispositifs/${dispositif!.id}/modifier`, {
      _csrf: admin.csrf,
      nom: 'Fonds national des communs',
      couverture_niveau: 'region',
      couverture_codes: '84, 53',
      porteurs: 'Fondation du territoire',
      montant_texte: 'Jusqu’à 30 000 €',
    });
    assert.equal(edited.statusCode, 303);
    const after = await firstRow<{ couverture_codes: string[]; stades: string[]; porteurs: string[]; versions: number }>(
      db(),
      sql`
      select couverture_codes, stades, array(select name from dispositif_porteur p where p.dispositif_id = d.id order by position) as porteurs,
        (select count(*)::int from object_version v where v.kind = 'dispositif' and v.object_id = d.id) as versions
      from dispositif d where id = ${dispositif!.id}`,
    );
    assert.deepEqual(after, { couverture_codes: ['84', '53'], stades: [], porteurs: ['Fondation du territoire'], versions: 2 });
    const history = (await t.app.inject({ url: `/api/v1/dispositifs/${dispositif!.id}/historique` })).json() as {
      versions: { modifications: { champ: string }[] }[];
    };
    assert.deepEqual(
      history.versions[0]!.modifications.map((m) => m.champ),
      ['types_financement', 'porteurs', 'stades', 'couverture_niveau', 'couverture_codes', 'montant_texte'],
    );

    const bad = await author.client.post('/contributions/nouvelle/dispositif', {
      _csrf: author.csrf,
      nom: 'Mauvaise couverture',
      couverture_niveau: 'departement',
      couverture_codes: '26, 999',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Codes inconnus pour le niveau département : 999/);
  });

  test('injection de script dans chaque champ texte : échappée dans la file, la décision, l’historique et les pages', async () => {
    const author = await signedInAs(t.app, db(), [], { displayName: `Auteur ${XSS}` });
    const fields = ['nom', 'territoire', 'description', 'activites', 'gouvernance', 'ressources_partagees', 'historique'];
    const sent = await author.client.post('/contributions/nouvelle/cooperation', {
      _csrf: author.csrf,
      modele: 'SCIC',
      commune: '26281',
      ...Object.fromEntries(fields.map((f) => [f, `${f} ${XSS}`])),
    });
    assert.equal(sent.statusCode, 303);
    const id = Number(/\/contributions\/(\d+)/.exec(String(sent.headers.location))![1]);
    const visitor = new Client(t.app);
    const reportForm = await visitor.get(`/organisations/${organisation.id}/signaler`);
    await visitor.post(`/organisations/${organisation.id}/signaler`, { _csrf: csrfOf(reportForm.body), message: `Signal ${XSS}` });
    const claimant = await signedInAs(t.app, db(), [], { displayName: `Revendicateur ${XSS}` });
    await claimant.client.post(`/organisations/${organisation.id}/revendiquer`, { _csrf: claimant.csrf, role: 'membre', justification: `Preuve ${XSS}` });

    const pages = [
      (await moderator84.client.get('/moderation')).body,
      (await moderator84.client.get(`/moderation/contributions/${id}`)).body,
      (await moderator84.client.get(`/moderation/contributions/${id}/modifier`)).body,
      (await author.client.get(`/contributions/${id}`)).body,
    ];
    assert.equal((await moderator84.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator84.csrf })).statusCode, 303);
    const cooperation = await firstRow<{ id: number }>(db(), sql`select id::int as id from cooperation where name = ${`nom ${XSS}`}`);
    pages.push((await t.app.inject({ url: `/cooperations/${cooperation!.id}` })).body);
    pages.push((await t.app.inject({ url: `/cooperations/${cooperation!.id}/historique` })).body);
    pages.push((await author.client.get(`/cooperations/${cooperation!.id}/modifier`)).body);
    for (const body of pages) {
      assert.doesNotMatch(body, /<script>alert|<img src=x/, 'aucun balisage injecté');
      assert.ok(body.includes(ESCAPED), 'le texte est montré échappé');
    }
    assert.ok(pages[0]!.includes(`Signal ${ESCAPED}`) && pages[0]!.includes(`Preuve ${ESCAPED}`) && pages[0]!.includes(`Revendicateur ${ESCAPED}`));
    assert.ok(pages[5]!.includes(`Auteur ${ESCAPED}`), 'le nom de l’auteur dans l’historique');
    for (const field of fields) assert.ok(pages[5]!.includes(`${field} ${ESCAPED}`), `historique : ${field}`);
    await smtp.next(author.email).then((mail) => assert.doesNotMatch(mail.html, /<script>alert/));
  });
});
