/**
 * Contributions through HTTP on each real database, with a real SMTP server receiving the mail: a proposal
 * reaches the queue of its région only, is accepted (object in the Atlas API, version written, author told),
 * refused with a reason (nothing written), amended; an edit of an existing record keeps its history, shown
 * as a diff; an authorised person edits directly. Unverified accounts and bad input write nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { readSnapshot } from '../src/features/contributions/objects.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { validSiret } from './support/siret.ts';

const moderatorOf = (region: string) => [{ role: 'regional_moderator' as const, scopeKind: 'region', scopeCode: region }];
const contributionId = (location: unknown) => Number(/^\/contributions\/(\d+)\?envoyee=1$/.exec(String(location))?.[1]);

describe(`Contributions et modération`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let author: TestAccount;
  let moderator84: TestAccount;
  let moderator53: TestAccount;
  const db = () => t.database.db;
  const count = async (table: string) => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from ${sql.raw(table)}`))!.n;

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
    author = await signedInAs(t.app, db(), [], { displayName: 'Camille Contributrice' });
    moderator84 = await signedInAs(t.app, db(), moderatorOf('84'));
    moderator53 = await signedInAs(t.app, db(), moderatorOf('53'));
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  async function proposeCooperation(who: TestAccount, fields: Record<string, string>) {
    return who.client.post('/contributions/nouvelle/cooperation', { _csrf: who.csrf, modele: 'PTCE', commune: '26281', ...fields });
  }

  test('proposition → file de la région seulement → acceptation : visible dans l’API Atlas, version écrite, courriel', async () => {
    const form = await author.client.get('/contributions/nouvelle/cooperation');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="nom">Nom de la coopération/);

    // Text-free searches keep their facets for a minute: an accepted contribution must drop them.
    const ptceCount = async () => {
      const body = (await t.app.inject({ url: '/api/v1/cooperations?region=84' })).json() as {
        total: number;
        facettes: Record<string, { valeur: string; nombre: number }[]>;
      };
      return { total: body.total, ptce: body.facettes.modele?.find((f) => f.valeur === 'PTCE')?.nombre ?? 0 };
    };
    const countsBefore = await ptceCount();
    const sent = await proposeCooperation(author, { nom: 'Pôle des Communs de Romans', stade: 'emergence', description: 'Coopération proposée' });
    assert.equal(sent.statusCode, 303);
    const id = contributionId(sent.headers.location);
    const row = await firstRow<{ status: string; region_codes: string[]; action: string }>(
      db(),
      sql`select status, region_codes, action from contribution where id = ${id}`,
    );
    assert.deepEqual(row, { status: 'en_attente', region_codes: ['84'], action: 'creation' });
    assert.equal(
      await firstRow(db(), sql`select 1 from cooperation where name = 'Pôle des Communs de Romans'`),
      undefined,
      'rien n’est publié avant la modération',
    );
    const own = await author.client.get(`/contributions/${id}?envoyee=1`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /transmise à la modération/);

    assert.match((await moderator84.client.get('/moderation')).body, /Pôle des Communs de Romans/);
    assert.doesNotMatch((await moderator53.client.get('/moderation')).body, /Pôle des Communs de Romans/);
    assert.equal((await moderator53.client.get(`/moderation/contributions/${id}`)).statusCode, 403);
    assert.equal((await moderator53.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator53.csrf })).statusCode, 403);
    assert.equal((await moderator53.client.post(`/moderation/contributions/${id}/refuser`, { _csrf: moderator53.csrf, motif: 'non' })).statusCode, 403);
    assert.equal((await author.client.get('/moderation')).statusCode, 403, 'un contributeur n’accède pas à la modération');

    const page = await moderator84.client.get(`/moderation/contributions/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<th scope="row">Stade<\/th><td><span class="hint">\(vide\)<\/span><\/td><td>Émergence<\/td>/);
    const accepted = await moderator84.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator84.csrf });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/moderation?fait=acceptee');

    const cooperation = await firstRow<{ id: number; region_code: string; departement_code: string; latitude: number | null }>(
      db(),
      sql`
      select id::int as id, region_code, departement_code, latitude from cooperation where name = 'Pôle des Communs de Romans'`,
    );
    assert.ok(cooperation);
    assert.equal(cooperation.region_code, '84');
    assert.equal(cooperation.departement_code, '26');
    const api = (await t.app.inject({ url: '/api/v1/cooperations?q=communs%20romans' })).json() as { resultats: { id: number; nom: string }[] };
    assert.ok(
      api.resultats.some((r) => r.id === cooperation.id),
      'la coopération est trouvée par l’API de l’Atlas',
    );
    const detail = (await t.app.inject({ url: `/api/v1/cooperations/${cooperation.id}` })).json() as { stade: string; commune: { code: string } };
    assert.equal(detail.stade, 'emergence');
    assert.equal(detail.commune.code, '26281');

    assert.deepEqual(await ptceCount(), { total: countsBefore.total + 1, ptce: countsBefore.ptce + 1 }, 'facettes à jour');
    const versions = await rows<{ version: number; contribution_id: number; author_id: number; nom: string }>(
      db(),
      sql`
      select version, contribution_id::int as contribution_id, author_id::int as author_id, snapshot->>'nom' as nom
      from object_version where kind = 'cooperation' and object_id = ${cooperation.id}`,
    );
    assert.deepEqual(versions, [{ version: 1, contribution_id: id, author_id: author.id, nom: 'Pôle des Communs de Romans' }]);
    const decided = await firstRow<{ status: string; target_id: number }>(
      db(),
      sql`select status, target_id::int as target_id from contribution where id = ${id}`,
    );
    assert.deepEqual(decided, { status: 'acceptee', target_id: cooperation.id });
    const audit = await firstRow<{ actor_id: number }>(
      db(),
      sql`select actor_id::int as actor_id from audit_log where action = 'moderation.accept' and object_id = ${String(id)}`,
    );
    assert.equal(audit?.actor_id, moderator84.id);

    const mail = await smtp.next(author.email);
    assert.match(mail.subject, /publiée/);
    assert.match(mail.text, /Pôle des Communs de Romans/);
    assert.match(mail.text, new RegExp(`/cooperations/${cooperation.id}`));
    assert.match(mail.html, /<a href="http[^"]+\/cooperations\/\d+">Voir la fiche<\/a>/);

    const mine = await author.client.get('/contributions');
    assert.match(mine.body, new RegExp(`<a href="/contributions/${id}">n° ${id}</a>[\\s\\S]*Pôle des Communs de Romans</a></td>\\s*<td>Acceptée</td>`));

    // Decided once and for all.
    const again = await moderator84.client.post(`/moderation/contributions/${id}/refuser`, { _csrf: moderator84.csrf, motif: 'trop tard' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /déjà été traitée/);
  });

  test('refus : motif obligatoire, rien n’est publié, l’auteur reçoit le motif par courriel', async () => {
    const before = await count('cooperation');
    const id = contributionId((await proposeCooperation(author, { nom: 'Coopération à refuser' })).headers.location);
    const empty = await moderator84.client.post(`/moderation/contributions/${id}/refuser`, { _csrf: moderator84.csrf, motif: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Indiquez le motif du refus/);
    assert.match(empty.body, /<a href="#motif">/);
    assert.equal((await firstRow<{ status: string }>(db(), sql`select status from contribution where id = ${id}`))!.status, 'en_attente');

    const refused = await moderator84.client.post(`/moderation/contributions/${id}/refuser`, {
      _csrf: moderator84.csrf,
      motif: 'Doublon de la fiche Pôle Sud Archer.',
    });
    assert.equal(refused.statusCode, 303);
    assert.equal(await count('cooperation'), before, 'rien n’est écrit');
    const row = await firstRow<{ status: string; reason: string; moderator_id: number }>(
      db(),
      sql`select status, reason, moderator_id::int as moderator_id from contribution where id = ${id}`,
    );
    assert.deepEqual(row, { status: 'refusee', reason: 'Doublon de la fiche Pôle Sud Archer.', moderator_id: moderator84.id });
    assert.equal(await firstRow(db(), sql`select 1 from object_version where contribution_id = ${id}`), undefined);
    const mail = await smtp.next(author.email);
    assert.match(mail.subject, /n’a pas été retenue/);
    assert.match(mail.text, /Motif : Doublon de la fiche Pôle Sud Archer\./);
    assert.match(mail.text, new RegExp(`/contributions/${id}`));
  });

  test('modifier puis accepter : la fiche publiée est celle de la modération', async () => {
    const id = contributionId((await proposeCooperation(author, { nom: 'Tiers-lieu mal nommé', modele: 'tiers_lieu' })).headers.location);
    const form = await moderator84.client.get(`/moderation/contributions/${id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Tiers-lieu mal nommé"/);
    const bad = await moderator84.client.post(`/moderation/contributions/${id}/modifier`, {
      _csrf: moderator84.csrf,
      nom: '',
      modele: 'tiers_lieu',
      commune: '26281',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez le nom de la coopération/);
    const amended = await moderator84.client.post(`/moderation/contributions/${id}/modifier`, {
      _csrf: moderator84.csrf,
      nom: 'La Fabrique de Romans',
      modele: 'tiers_lieu',
      commune: '26281',
      stade: 'creation',
    });
    assert.equal(amended.statusCode, 303);
    assert.equal(await firstRow(db(), sql`select 1 from cooperation where name = 'Tiers-lieu mal nommé'`), undefined);
    const cooperation = await firstRow<{ id: number; stade: string }>(
      db(),
      sql`select id::int as id, stade from cooperation where name = 'La Fabrique de Romans'`,
    );
    assert.equal(cooperation?.stade, 'creation');
    const row = await firstRow<{ status: string; nom: string }>(db(), sql`select status, data->>'nom' as nom from contribution where id = ${id}`);
    assert.deepEqual(row, { status: 'modifiee_acceptee', nom: 'La Fabrique de Romans' });
    const mail = await smtp.next(author.email);
    assert.match(mail.text, /acceptée avec des modifications de la modération/);
  });

  test('compte non vérifié : refusé (403), rien n’est écrit', async () => {
    const unverified = await signedInAs(t.app, db(), [], { verified: false });
    const before = await count('contribution');
    assert.equal((await unverified.client.get('/contributions/nouvelle/structure')).statusCode, 403);
    const sent = await unverified.client.post('/contributions/nouvelle/structure', {
      _csrf: unverified.csrf,
      nom: 'Structure',
      siret: validSiret('4000000000001'),
      commune: '26281',
    });
    assert.equal(sent.statusCode, 403);
    assert.match(sent.body, /Confirmez d’abord votre adresse e-mail/);
    assert.equal(await count('contribution'), before);
    const visitor = await t.app.inject({ url: '/contributions/nouvelle/structure' });
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/compte\/connexion\?retour=/);
  });

  test('saisie invalide (SIRET, commune inconnue, nom vide) : 400 avec messages en français liés aux champs, rien n’est écrit', async () => {
    const before = await count('contribution');
    const response = await author.client.post('/contributions/nouvelle/structure', {
      _csrf: author.csrf,
      siret: '12345678901234',
      nom: '  ',
      commune: '99999',
      code_naf: '12',
      site_web: 'exemple',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Erreur — /);
    assert.match(response.body, /Le formulaire contient 5 erreurs/);
    assert.match(response.body, /<a href="#siret">SIRET : Ce SIRET est invalide : sa clé de contrôle ne correspond pas\.<\/a>/);
    assert.match(response.body, /<a href="#nom">Nom de la structure : Indiquez le nom de la structure\.<\/a>/);
    assert.match(response.body, /Cette commune est inconnue du Code officiel géographique/);
    assert.match(response.body, /id="siret" name="siret" value="12345678901234" aria-describedby="siret-aide siret-erreur" aria-invalid="true"/);
    const missing = await author.client.post('/contributions/nouvelle/structure', { _csrf: author.csrf, nom: 'Sans SIRET' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Indiquez le SIRET de la structure/);
    assert.match(missing.body, /Indiquez le code INSEE de la commune/);
    const short = await author.client.post('/contributions/nouvelle/cooperation', { _csrf: author.csrf, nom: 'X', commune: '26281', modele: 'inconnu' });
    assert.equal(short.statusCode, 400);
    assert.equal(await count('contribution'), before, 'rien n’est écrit');
    assert.doesNotMatch(response.body + missing.body + short.body, /\.ts:\d+|Failed query|insert into|from contribution/i, 'ni pile ni SQL');
  });

  test('structure : un SIRET déjà présent est refusé ; la structure acceptée porte les codes de sa commune', async () => {
    const siret = validSiret('4120000000001');
    const sent = await author.client.post('/contributions/nouvelle/structure', {
      _csrf: author.csrf,
      siret: siret.replace(/(\d{3})(\d{3})(\d{3})(\d{5})/, '$1 $2 $3 $4'),
      nom: 'Épicerie solidaire de Béganne',
      commune: '56011',
      code_naf: '4711D',
      forme_juridique: '9220',
      statut_ess: 'ess_de_droit',
    });
    assert.equal(sent.statusCode, 303);
    const id = contributionId(sent.headers.location);
    assert.deepEqual((await firstRow<{ r: string[] }>(db(), sql`select region_codes as r from contribution where id = ${id}`))!.r, ['53']);
    assert.doesNotMatch((await moderator84.client.get('/moderation')).body, /Épicerie solidaire de Béganne/);
    assert.equal((await moderator53.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator53.csrf })).statusCode, 303);
    const organisation = await firstRow<{ region_code: string; secteur: string; siren: string; source: string }>(
      db(),
      sql`
      select region_code, secteur, siren, source from organisation where siret = ${siret}`,
    );
    assert.deepEqual(organisation, { region_code: '53', secteur: 'commerce', siren: siret.slice(0, 9), source: 'Contribution sur Maillage' });
    const duplicate = await author.client.post('/contributions/nouvelle/structure', { _csrf: author.csrf, siret, nom: 'Doublon', commune: '56011' });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /Une structure porte déjà ce SIRET/);
    await smtp.next(author.email);
  });

  test('modification d’une fiche existante : file, puis historique avec l’état d’origine et le diff ; édition directe par son administrateur', async () => {
    const demo = await firstRow<{ id: number; name: string; description: string | null }>(
      db(),
      sql`
      select id::int as id, name, description from cooperation where region_code = '84' and is_example order by id limit 1`,
    );
    assert.ok(demo);
    const form = await author.client.get(`/cooperations/${demo.id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes('relue par la modération'), 'un contributeur propose');
    const current = await firstRow<Record<string, string | null>>(db(), sql`select modele, commune_code from cooperation where id = ${demo.id}`);
    const sent = await author.client.post(`/cooperations/${demo.id}/modifier`, {
      _csrf: author.csrf,
      nom: demo.name,
      modele: current!.modele!,
      commune: current!.commune_code ?? '',
      description: 'Nouvelle présentation proposée',
    });
    assert.equal(sent.statusCode, 303);
    const id = contributionId(sent.headers.location);
    const decision = await moderator84.client.get(`/moderation/contributions/${id}`);
    assert.match(decision.body, /Nouvelle présentation proposée/);
    assert.equal((await moderator84.client.post(`/moderation/contributions/${id}/accepter`, { _csrf: moderator84.csrf })).statusCode, 303);
    await smtp.next(author.email);

    const history = await t.app.inject({ url: `/cooperations/${demo.id}/historique` });
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /Version 2/);
    assert.match(history.body, /Camille Contributrice/);
    assert.match(history.body, /Données de démonstration/, 'la version 1 est celle du chargement des données de démonstration');
    const row = /<th scope="row">Présentation<\/th><td>[^<]*<\/td><td>Nouvelle présentation proposée<\/td>/;
    assert.match(history.body, row, 'le diff montre avant et après');

    const admin = await signedInAs(t.app, db(), [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(demo.id) }], {
      displayName: 'Admin de la coopération',
    });
    assert.match((await admin.client.get(`/cooperations/${demo.id}/modifier`)).body, /publiées directement/);
    const contributions = await count('contribution');
    const direct = await admin.client.post(`/cooperations/${demo.id}/modifier`, {
      _csrf: admin.csrf,
      nom: demo.name,
      modele: current!.modele!,
      commune: current!.commune_code ?? '',
      description: 'Présentation revue par l’administration',
      annee_creation: '2016',
    });
    assert.equal(direct.statusCode, 303);
    assert.equal(direct.headers.location, `/cooperations/${demo.id}/historique`);
    assert.equal(await count('contribution'), contributions, 'pas de file pour une personne autorisée');
    const versions = await rows<{ version: number; author_id: number | null }>(
      db(),
      sql`select version, author_id::int as author_id from object_version
      where kind = 'cooperation' and object_id = ${demo.id} order by version`,
    );
    assert.deepEqual(versions, [
      { version: 1, author_id: null },
      { version: 2, author_id: author.id },
      { version: 3, author_id: admin.id },
    ]);
    const page = await t.app.inject({ url: `/cooperations/${demo.id}` });
    assert.match(page.body, /Présentation revue par l’administration/);
    assert.match(page.body, /href="\/cooperations\/\d+\/historique">Historique<\/a>/);
    const after = await t.app.inject({ url: `/cooperations/${demo.id}/historique` });
    assert.match(after.body, /<th scope="row">Année de création<\/th><td><span class="hint">\(vide\)<\/span><\/td><td>2016<\/td>/);

    const api = await t.app.inject({ url: `/api/v1/cooperations/${demo.id}/historique` });
    assert.equal(api.statusCode, 200);
    const history2 = api.json() as {
      nom: string;
      versions: { version: number; auteur: string | null; contribution: number | null; modifications: { champ: string; avant: unknown; apres: unknown }[] }[];
    };
    assert.equal(history2.nom, demo.name);
    assert.deepEqual(
      history2.versions.map((v) => [v.version, v.auteur, v.contribution]),
      [
        [3, 'Admin de la coopération', null],
        [2, 'Camille Contributrice', id],
        [1, null, null],
      ],
    );
    assert.deepEqual(
      history2.versions[0]!.modifications.find((m) => m.champ === 'annee_creation'),
      { champ: 'annee_creation', avant: null, apres: 2016 },
    );
    const openapi = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const kind of ['organisations', 'cooperations', 'dispositifs'])
      assert.ok(openapi.paths[`/api/v1/${kind}/{id}/historique`], `OpenAPI : historique des ${kind}`);
    assert.equal((await t.app.inject({ url: '/api/v1/cooperations/999999/historique' })).statusCode, 404);
  });

  test('deux modifications en attente sur la même fiche : accepter l’une ne défait pas l’autre ; une proposition sans changement est refusée', async () => {
    const demo = await firstRow<{ id: number }>(
      db(),
      sql`select id::int as id from cooperation where region_code = '84' and is_example order by id desc limit 1`,
    );
    // The edit form as a browser sends it back: every current value.
    const current = (await readSnapshot(db(), 'cooperation', demo!.id))!;
    const form = async (who: TestAccount) => ({
      _csrf: who.csrf,
      ...Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v === null ? '' : String(v)])),
    });
    const other = await signedInAs(t.app, db());
    const unchanged = await author.client.post(`/cooperations/${demo!.id}/modifier`, await form(author));
    assert.equal(unchanged.statusCode, 400);
    assert.match(unchanged.body, /Vous n’avez modifié aucun champ/);

    const first = contributionId(
      (await author.client.post(`/cooperations/${demo!.id}/modifier`, { ...(await form(author)), site_web: 'https://premiere.exemple.fr' })).headers.location,
    );
    const second = contributionId(
      (await other.client.post(`/cooperations/${demo!.id}/modifier`, { ...(await form(other)), gouvernance: 'Collégiale, proposée par la seconde personne' }))
        .headers.location,
    );
    const proposed = await author.client.get(`/contributions/${first}`);
    assert.match(proposed.body, /<th scope="row">Site web<\/th><td><span class="hint">\(vide\)<\/span><\/td><td>https:\/\/premiere\.exemple\.fr<\/td>/);
    assert.doesNotMatch(proposed.body, /<th scope="row">Gouvernance<\/th>/, 'seuls les champs changés par l’auteur');
    assert.equal((await moderator84.client.post(`/moderation/contributions/${first}/accepter`, { _csrf: moderator84.csrf })).statusCode, 303);
    assert.equal((await moderator84.client.post(`/moderation/contributions/${second}/accepter`, { _csrf: moderator84.csrf })).statusCode, 303);
    const row = await firstRow(db(), sql`select website, governance from cooperation where id = ${demo!.id}`);
    assert.deepEqual(row, { website: 'https://premiere.exemple.fr', governance: 'Collégiale, proposée par la seconde personne' });
    await smtp.next(author.email);
    await smtp.next(other.email);
  });
});
