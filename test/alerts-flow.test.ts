/**
 * Alerts through HTTP on each real database, with a real SMTP server receiving the digests: an alert created
 * from a search page or an orientation result, a digest listing only the new matching objects (and nothing
 * when nothing is new), validation that writes nothing, ownership (404), CSRF, escaping, deleted accounts.
 * The job queue is driven with runDueJobs at chosen instants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, type Db } from '../src/db/database.ts';
import { alertsPersonalData, deleteAlertsOf } from '../src/features/alerts/queries.ts';
import { runDueJobs } from '../src/platform/jobs/queue.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, linkIn, signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';

const DAY = 86_400_000;

/** The saved query of the « Créer une alerte » form of a page. */
function alertQueryOf(body: string): { type: string; requete: string } {
  const form = body.match(/<form method="post" action="\/compte\/alertes"[\s\S]*?<\/form>/)?.[0];
  assert.ok(form, 'pas de formulaire « Créer une alerte » dans la page');
  assert.match(form, /Créer une alerte/);
  const value = (name: string) => form.match(new RegExp(`name="${name}" value="([^"]*)"`))![1]!.replace(/&amp;/g, '&');
  return { type: value('type'), requete: value('requete') };
}

async function insertCooperation(db: Db, name: string, commune: string): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into cooperation (name, modele, commune_code, departement_code, region_code)
    select ${name}, 'PTCE', c.code, c.departement_code, c.region_code from commune c where c.code = ${commune}
    returning id::int as id`,
  );
  return row!.id;
}

/** A new scheme made like an existing one (same eligibility), covering only `outsideRegion` when given. */
async function cloneScheme(db: Db, fromId: number, key: string, name: string, outsideRegion?: string): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into dispositif (key, name, description, types_accompagnement, types_financement,
      stades, modeles, finalites, modeles_economiques, formes_juridiques, esus_requis, couverture_niveau, couverture_codes, calendrier, statut)
    select ${key}, ${name}, description, types_accompagnement, types_financement, stades, modeles, finalites, modeles_economiques,
      formes_juridiques, esus_requis,
      ${outsideRegion ? sql`'region'` : sql`couverture_niveau`}, ${outsideRegion ? sql`array[${outsideRegion}]` : sql`couverture_codes`},
      calendrier, statut
    from dispositif where id = ${fromId} returning id::int as id`,
  );
  return row!.id;
}

describe(`Alertes`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  const db = () => t.database.db;
  /** The test clock: each digest run happens later than the one before. */
  let clock = Date.now();
  const runLater = async (ms: number) => {
    clock += ms;
    return runDueJobs(db(), t.app.jobHandlers, new Date(clock));
  };
  const alertCount = async (accountId: number) =>
    (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from alert where account_id = ${accountId}`))!.n;
  const mailJobs = async (to: string) =>
    (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from job where kind = 'mail.send' and payload->>'to' = ${to}`))!.n;

  async function createAlert(account: TestAccount, fields: Record<string, string>) {
    return account.client.post('/compte/alertes', { _csrf: account.csrf, ...fields });
  }

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('recherche de coopérations dans une région : un seul résumé, avec la seule nouveauté qui correspond', async () => {
    const account = await signedInAs(t.app, db());
    const search = await account.client.get('/recherche?type=cooperations&region=84&page=1');
    assert.equal(search.statusCode, 200);
    const saved = alertQueryOf(search.body);
    assert.deepEqual(saved, { type: 'recherche_cooperations', requete: 'region=84' });

    const created = await createAlert(account, { ...saved, nom: '', frequence: 'quotidienne' });
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, '/compte/alertes?creee=1');
    const list = await account.client.get('/compte/alertes?creee=1');
    assert.match(list.body, /Votre alerte est créée/);
    assert.match(list.body, /Coopérations — Auvergne-Rhône-Alpes/);

    const matching = await insertCooperation(db(), 'Pôle coopératif du Diois', '26113');
    const other = await insertCooperation(db(), 'Coopérative bretonne', '35238');
    await runLater(2 * DAY);

    const mail = await smtp.next(account.email);
    assert.match(mail.subject, /1 nouveauté pour « Coopérations — Auvergne-Rhône-Alpes »/);
    assert.match(mail.text, /Pôle coopératif du Diois/);
    assert.equal(linkIn(mail, `/cooperations/${matching}`), `/cooperations/${matching}`);
    assert.doesNotMatch(mail.text, /Coopérative bretonne/);
    assert.doesNotMatch(mail.text, new RegExp(`/cooperations/${other}\\b`));
    assert.equal(linkIn(mail, '/compte/alertes'), '/compte/alertes', 'lien pour gérer ou arrêter les alertes');
    assert.match(mail.html, new RegExp(`<a href="[^"]+/cooperations/${matching}">Pôle coopératif du Diois</a>`));
    assert.match(mail.html, /gérer mes alertes/);

    // Later runs: before the next period, then after it with nothing new: no mail.
    await runLater(2 * 3600_000);
    await runLater(2 * DAY);
    assert.equal(await mailJobs(account.email), 1);
    assert.equal(smtp.all(account.email).length, 1);
    const [alert] = (await alertsPersonalData[0]!.query(db(), account.id)) as Record<string, unknown>[];
    assert.equal(alert!.type, 'recherche_cooperations');
    assert.deepEqual(alert!.parametres, { region: '84' });
    assert.ok(alert!.dernier_envoi, 'date du dernier envoi gardée');
  });

  test('profil d’orientation : le résumé annonce le nouveau dispositif qui lui répond, pas celui hors territoire', async () => {
    const account = await signedInAs(t.app, db());
    const profile = 'modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=26114';
    const result = await account.client.get(`/orientation/resultat?${profile}`);
    assert.equal(result.statusCode, 200);
    const saved = alertQueryOf(result.body);
    assert.equal(saved.type, 'profil_orientation');
    const orientation = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orientation',
        payload: { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26114' },
      })
    ).json();
    const model = orientation.dispositifs[0].id as number;

    assert.equal((await createAlert(account, { ...saved, nom: 'Mon PTCE à Dieulefit', frequence: 'hebdomadaire' })).statusCode, 303);
    const fresh = await cloneScheme(db(), model, 'fonds-nouveau-ptce', 'Fonds nouveau des PTCE');
    await cloneScheme(db(), model, 'fonds-breton', 'Fonds breton des PTCE', '53');

    await runLater(8 * DAY);
    const mail = await smtp.next(account.email);
    assert.match(mail.subject, /« Mon PTCE à Dieulefit »/);
    assert.match(mail.text, /Dispositif : Fonds nouveau des PTCE/);
    assert.equal(linkIn(mail, `/dispositifs/${fresh}`), `/dispositifs/${fresh}`);
    assert.doesNotMatch(mail.text, /Fonds breton/);
    assert.doesNotMatch(mail.text, /Programme LEADER/, 'les dispositifs déjà là ne sont pas des nouveautés');
    assert.match(mail.text, /\/orientation\/resultat\?/, 'lien vers le résultat complet');
  });

  test('recherche de dispositifs : le nouveau dispositif disponible sur le territoire', async () => {
    const account = await signedInAs(t.app, db());
    const catalogue = await account.client.get('/dispositifs?region=53&nature=financement');
    const saved = alertQueryOf(catalogue.body);
    assert.deepEqual(saved, { type: 'recherche_dispositifs', requete: 'region=53&nature=financement' });
    assert.equal((await createAlert(account, { ...saved, frequence: 'quotidienne' })).statusCode, 303);
    const base = (await firstRow<{ id: number }>(db(), sql`select id::int as id from dispositif where cardinality(types_financement) > 0 order by id limit 1`))!
      .id;
    await cloneScheme(db(), base, 'garantie-bretagne', 'Garantie régionale de Bretagne', '53');
    await cloneScheme(db(), base, 'garantie-occitanie', 'Garantie régionale d’Occitanie', '76');
    await runLater(2 * DAY);
    const mail = await smtp.next(account.email);
    assert.match(mail.text, /Garantie régionale de Bretagne/);
    assert.doesNotMatch(mail.text, /Occitanie/);
  });

  test('recherche d’appels à projets : le nouvel appel ouvert sur la région, pas celui d’une autre', async () => {
    const account = await signedInAs(t.app, db());
    const saved = alertQueryOf((await account.client.get('/appels?region=53')).body);
    assert.deepEqual(saved, { type: 'recherche_appels', requete: 'region=53' });
    assert.equal((await createAlert(account, { ...saved, frequence: 'quotidienne' })).statusCode, 303);
    for (const [key, title, region] of [
      ['amorcage-bretagne', 'Appel à projets Coopérations de Bretagne', '53'],
      ['amorcage-occitanie', 'Appel à projets Coopérations d’Occitanie', '76'],
    ]) {
      await db().execute(sql`insert into appel (key, title, statut, couverture_niveau, couverture_codes)
        values (${key}, ${title}, 'brouillon_concertation', 'region', ${`{${region}}`}::text[])`);
    }
    // A call its funder prepares in private is no news until it is made public.
    await db().execute(sql`insert into appel (key, title, statut, couverture_niveau, couverture_codes)
      values ('tiers-lieux-bretagne', 'Appel Tiers-lieux de Bretagne', 'brouillon', 'region', '{53}'::text[])`);
    await runLater(2 * DAY);
    const mail = await smtp.next(account.email);
    assert.match(mail.text, /Appel à projets : Appel à projets Coopérations de Bretagne/);
    assert.match(mail.text, /\/appels\/\d+/);
    assert.doesNotMatch(mail.text, /Occitanie/);
    assert.doesNotMatch(mail.text, /Tiers-lieux/);

    await db().execute(sql`update appel set statut = 'publie' where key = 'tiers-lieux-bretagne'`);
    const made = await firstRow<{ at: string | null }>(db(), sql`select public_since::text as at from appel where key = 'tiers-lieux-bretagne'`);
    assert.ok(made!.at, 'la date à laquelle l’appel devient public est posée à sa publication');
    // On the test's clock, the publication falls in the next period.
    await db().execute(sql`update appel set public_since = ${new Date(clock + DAY).toISOString()}::timestamptz where key = 'tiers-lieux-bretagne'`);
    await runLater(2 * DAY);
    const next = await smtp.next(account.email);
    assert.match(next.text, /Appel Tiers-lieux de Bretagne/);
    assert.doesNotMatch(next.text, /Coopérations de Bretagne/);
  });

  test('recherche de structures en texte libre : la nouvelle structure dont le nom correspond', async () => {
    const account = await signedInAs(t.app, db());
    const saved = alertQueryOf((await account.client.get('/recherche?type=organisations&q=ressourcerie')).body);
    assert.deepEqual(saved, { type: 'recherche_organisations', requete: 'q=ressourcerie' });
    assert.equal((await createAlert(account, { ...saved, frequence: 'quotidienne' })).statusCode, 303);
    for (const name of ['Ressourcerie du Val de Drôme', 'Garage solidaire du Val']) {
      await db().execute(sql`insert into organisation (name, commune_code, departement_code, region_code) values (${name}, '26113', '26', '84')`);
    }
    await runLater(2 * DAY);
    const mail = await smtp.next(account.email);
    assert.match(mail.text, /Structure : Ressourcerie du Val de Drôme/);
    assert.match(mail.text, /\/organisations\/\d+/);
    assert.doesNotMatch(mail.text, /Garage solidaire/);
  });

  test('une recherche invalide (région inconnue) est refusée en français, rien n’est écrit', async () => {
    const account = await signedInAs(t.app, db());
    const unknownRegion = await createAlert(account, { type: 'recherche_cooperations', requete: 'region=99' });
    assert.equal(unknownRegion.statusCode, 400);
    assert.match(unknownRegion.body, /Région inconnue dans le Code officiel géographique : 99/);
    const badCode = await createAlert(account, { type: 'recherche_dispositifs', requete: 'region=Bretagne' });
    assert.equal(badCode.statusCode, 400);
    assert.match(badCode.body, /un code de région compte 2 chiffres/);
    const badProfile = await createAlert(account, { type: 'profil_orientation', requete: 'modele=PTCE&commune=26114' });
    assert.equal(badProfile.statusCode, 400);
    assert.match(badProfile.body, /La recherche de cette alerte est invalide — « finalite »/);
    const badKind = await createAlert(account, { type: 'recherche_inconnue', requete: '' });
    assert.equal(badKind.statusCode, 400);
    assert.match(badKind.body, /Alerte invalide — « type »/);
    const longName = await createAlert(account, { type: 'recherche_cooperations', requete: '', nom: 'x'.repeat(121) });
    assert.equal(longName.statusCode, 400);
    assert.doesNotMatch(unknownRegion.body + badProfile.body, /at .*\.ts:\d+|select |insert /i, 'ni pile ni SQL');
    assert.equal(await alertCount(account.id), 0);
  });

  test('l’alerte d’une autre personne est introuvable : ni suppression ni modification', async () => {
    const owner = await signedInAs(t.app, db());
    const intruder = await signedInAs(t.app, db());
    await createAlert(owner, { type: 'recherche_organisations', requete: 'departement=26' });
    const { id } = (await firstRow<{ id: number }>(db(), sql`select id::int as id from alert where account_id = ${owner.id}`))!;

    const deleting = await intruder.client.post(`/compte/alertes/${id}/suppression`, { _csrf: intruder.csrf });
    assert.equal(deleting.statusCode, 404);
    const changing = await intruder.client.post(`/compte/alertes/${id}/frequence`, { _csrf: intruder.csrf, frequence: 'quotidienne' });
    assert.equal(changing.statusCode, 404);
    assert.doesNotMatch((await intruder.client.get('/compte/alertes')).body, /Drôme/);
    const kept = await firstRow<{ frequency: string }>(db(), sql`select frequency from alert where id = ${id}`);
    assert.equal(kept!.frequency, 'hebdomadaire');

    const changed = await owner.client.post(`/compte/alertes/${id}/frequence`, { _csrf: owner.csrf, frequence: 'quotidienne' });
    assert.equal(changed.statusCode, 303);
    assert.equal((await firstRow<{ frequency: string }>(db(), sql`select frequency from alert where id = ${id}`))!.frequency, 'quotidienne');
    assert.equal((await owner.client.post(`/compte/alertes/${id}/frequence`, { _csrf: owner.csrf, frequence: 'mensuelle' })).statusCode, 400);
    const deleted = await owner.client.post(`/compte/alertes/${id}/suppression`, { _csrf: owner.csrf });
    assert.equal(deleted.statusCode, 303);
    assert.match((await owner.client.get('/compte/alertes?supprimee=1')).body, /Vous n’avez aucune alerte/);
    assert.equal((await owner.client.post(`/compte/alertes/${id}/suppression`, { _csrf: owner.csrf })).statusCode, 404);
  });

  test('CSRF exigé, compte exigé ; un visiteur voit un lien de connexion au lieu du formulaire', async () => {
    const account = await signedInAs(t.app, db());
    const noToken = await account.client.post('/compte/alertes', { type: 'recherche_cooperations', requete: 'region=84' });
    assert.equal(noToken.statusCode, 403);
    const wrongToken = await createAlert(account, { _csrf: 'x'.repeat(43), type: 'recherche_cooperations', requete: 'region=84' });
    assert.equal(wrongToken.statusCode, 403);
    assert.equal(await alertCount(account.id), 0);

    const visitor = new Client(t.app);
    const page = await visitor.get('/recherche?type=cooperations&region=84');
    assert.doesNotMatch(page.body, /action="\/compte\/alertes"/);
    assert.match(page.body, /<a href="\/compte\/connexion\?retour=[^"]+">Connectez-vous<\/a> pour créer une alerte/);
    const anonymous = await visitor.submit('/compte/connexion', '/compte/alertes', { type: 'recherche_cooperations', requete: '' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await visitor.get('/compte/alertes')).statusCode, 303, 'la page des alertes renvoie vers la connexion');
  });

  test('le nom d’une alerte est affiché échappé', async () => {
    const account = await signedInAs(t.app, db());
    const created = await createAlert(account, { type: 'recherche_cooperations', requete: 'q=ressourcerie', nom: '<script>alert("x")</script> & co' });
    assert.equal(created.statusCode, 303);
    const list = await account.client.get('/compte/alertes');
    assert.doesNotMatch(list.body, /<script>alert/);
    assert.match(list.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; co/);
  });

  test('une alerte devenue invalide n’empêche pas les résumés des autres', async () => {
    const broken = await signedInAs(t.app, db());
    const fine = await signedInAs(t.app, db());
    await db().execute(sql`insert into alert (account_id, name, kind, query, frequency, watermark)
      values (${broken.id}, 'Région disparue', 'recherche_cooperations', '{"region":"99"}', 'quotidienne', now() - interval '3 days')`);
    assert.equal((await createAlert(fine, { type: 'recherche_cooperations', requete: 'departement=26', frequence: 'quotidienne' })).statusCode, 303);
    await insertCooperation(db(), 'Fabrique coopérative de Nyons', '26220');
    const outcomes = await runLater(2 * DAY);
    assert.ok(outcomes.some((o) => o.kind === 'alerts.digest' && o.status === 'done'));
    assert.match((await smtp.next(fine.email)).text, /Fabrique coopérative de Nyons/);
    assert.equal(await mailJobs(broken.email), 0);
  });

  test('un compte supprimé ne reçoit plus ses alertes, une adresse non confirmée non plus', async () => {
    const gone = await signedInAs(t.app, db());
    const unverified = await signedInAs(t.app, db(), [], { verified: false });
    for (const account of [gone, unverified]) {
      assert.equal((await createAlert(account, { type: 'recherche_cooperations', requete: 'departement=26', frequence: 'quotidienne' })).statusCode, 303);
    }
    assert.match((await unverified.client.get('/compte/alertes')).body, /n’est pas encore confirmée/);
    await db().execute(sql`update account set deleted_at = now() where id = ${gone.id}`);
    await insertCooperation(db(), 'Tiers-lieu de Crest', '26108');
    await runLater(2 * DAY);
    assert.equal(await mailJobs(gone.email), 0);
    assert.equal(await mailJobs(unverified.email), 0);
    // The erasure step of the account deletion removes them outright.
    await deleteAlertsOf(db(), gone.id);
    assert.equal(await alertCount(gone.id), 0);
    assert.deepEqual(await alertsPersonalData[0]!.query(db(), gone.id), []);
    assert.equal(await alertCount(unverified.id), 1);
  });
});
