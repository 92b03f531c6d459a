/**
 * Co-construction of a call (001) through HTTP, on each real database: while a call is in concertation, a
 * verified person comments (public, escaped, with their display name); out of concertation no new comment
 * (409), the old ones stay readable; unverified, visitor, empty, oversized or unknown part: refused, nothing
 * written; the call's managers reply and hide (audit log), another call's instructor may not; the public API
 * lists the visible comments; the RGPD export lists a person's comments, and their deletion keeps them
 * anonymised.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { COMMENT_RATE } from '../src/features/calls/applications/comments.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, csrfOf, signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';

const HOSTILE = '<script>alert("xss")</script> Le calendrier est trop court & les critères flous.';

describe(`Concertation sur un projet d’appel`, () => {
  let t: TestApp;
  let n = 0;
  const db = () => t.database.db;
  const comments = async () => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from appel_commentaire`))!.n;
  /** A call in concertation (or in the given state), made by SQL as the call management would leave it. */
  const call = async (statut = 'brouillon_concertation') =>
    (await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut)
    values (${`concertation-${++n}`}, ${`Projet d’appel ${n}`}, ${statut}) returning id::int as id`,
    ))!.id;
  /** Posts a form of the call's page with the page's CSRF token. */
  const post = async (who: TestAccount, appelId: number, action: string, fields: Record<string, string>) =>
    who.client.post(action, { _csrf: csrfOf((await who.client.get(`/appels/${appelId}`)).body), ...fields });
  const comment = (who: TestAccount, appelId: number, fields: Record<string, string>) => post(who, appelId, `/appels/${appelId}/commentaires`, fields);
  const apiComments = async (appelId: number) =>
    (await t.app.inject(`/api/v1/appels/${appelId}`)).json().commentaires as {
      id: number;
      auteur: string;
      section: string;
      texte: string;
      date: string;
      reponse: { texte: string; date: string } | null;
    }[];
  const managerOf = (appelId: number, displayName = 'Organisatrice') =>
    signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(appelId) }], { displayName });

  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(async () => t.close());

  test('en concertation : commentaire publié, échappé, nom affiché et partie de l’appel ; dans l’API', async () => {
    const appelId = await call();
    const who = await signedInAs(t.app, db(), [], { displayName: 'Dominique <b>Acteur</b>' });
    const page = await who.client.get(`/appels/${appelId}`);
    assert.match(page.body, /<h2 id="concertation">Concertation<\/h2>/);
    assert.match(page.body, /<form method="post" action="\/appels\/\d+\/commentaires"/);
    const sent = await comment(who, appelId, { section: 'phases', texte: HOSTILE });
    assert.equal(sent.statusCode, 303, sent.body);
    assert.match(sent.headers.location as string, new RegExp(`^/appels/${appelId}\\?commentaire=publie#commentaire-\\d+$`));
    const shown = (await new Client(t.app).get(sent.headers.location as string)).body;
    assert.ok(!shown.includes('<script>alert'), 'le texte est échappé');
    assert.ok(shown.includes('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; Le calendrier est trop court &amp; les critères flous.'));
    assert.ok(shown.includes('<strong>Dominique &lt;b&gt;Acteur&lt;/b&gt;</strong>'));
    assert.match(shown, /<span class="badge">Calendrier et phases<\/span>/);
    assert.match(shown, /Connectez-vous<\/a> pour commenter/);
    assert.match((await who.client.get(sent.headers.location as string)).body, /Merci : votre commentaire est publié\./);
    const [listed] = await apiComments(appelId);
    assert.deepEqual({ ...listed, id: 0, date: '' }, { id: 0, auteur: 'Dominique <b>Acteur</b>', section: 'phases', texte: HOSTILE, date: '', reponse: null });
    assert.match(listed!.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/);
  });

  test('hors concertation : 409 en français, rien n’est écrit ; après la concertation les commentaires restent lisibles, sans formulaire', async () => {
    const published = await call('publie');
    const who = await signedInAs(t.app, db());
    const before = await comments();
    const refused = await comment(who, published, { texte: 'Trop tard ?' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Cet appel n’est pas soumis à concertation : il ne reçoit pas de commentaires/);
    assert.equal(await comments(), before);
    assert.doesNotMatch((await who.client.get(`/appels/${published}`)).body, /Concertation/, 'rien à montrer : ni concertation ni commentaire');

    const appelId = await call();
    assert.equal((await comment(who, appelId, { texte: 'Pensez aux groupements.' })).statusCode, 303);
    await db().execute(sql`update appel set statut = 'publie' where id = ${appelId}`);
    const after = (await who.client.get(`/appels/${appelId}`)).body;
    assert.match(after, /La concertation sur ce projet d’appel est close/);
    assert.match(after, /Pensez aux groupements\./);
    assert.doesNotMatch(after, /action="\/appels\/\d+\/commentaires"/);
    assert.equal((await comment(who, appelId, { texte: 'Encore un mot' })).statusCode, 409);
    // A call in preparation is private: as if it did not exist.
    const draft = await call('brouillon');
    assert.equal((await who.client.post(`/appels/${draft}/commentaires`, { _csrf: who.csrf, texte: 'Bonjour' })).statusCode, 404);
    assert.equal(await comments(), before + 1);
  });

  test('adresse non vérifiée 403, visiteur (sans session ni jeton) 403, sans jeton CSRF 403 : rien n’est écrit ; la page dit comment commenter', async () => {
    const appelId = await call();
    const before = await comments();
    const unverified = await signedInAs(t.app, db(), [], { verified: false });
    assert.match((await unverified.client.get(`/appels/${appelId}`)).body, /Confirmez votre adresse e-mail pour commenter/);
    assert.equal((await unverified.client.post(`/appels/${appelId}/commentaires`, { _csrf: unverified.csrf, texte: 'Bonjour' })).statusCode, 403);
    assert.equal((await new Client(t.app).post(`/appels/${appelId}/commentaires`, { texte: 'Bonjour' })).statusCode, 403);
    const who = await signedInAs(t.app, db());
    assert.equal((await who.client.post(`/appels/${appelId}/commentaires`, { texte: 'Bonjour' })).statusCode, 403);
    assert.equal(await comments(), before);
  });

  test('vide, trop long, partie inconnue : 400, erreur liée au champ, texte gardé, rien n’est écrit', async () => {
    const appelId = await call();
    const who = await signedInAs(t.app, db());
    const before = await comments();
    const empty = await comment(who, appelId, { texte: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<a href="#commentaire-texte">Commentaire : écrivez votre commentaire<\/a>/);
    assert.match(
      empty.body,
      /id="commentaire-texte" name="texte" rows="5" maxlength="4000" aria-describedby="commentaire-texte-aide commentaire-texte-erreur" aria-invalid="true"/,
    );
    const long = await comment(who, appelId, { texte: 'é'.repeat(4001) });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Commentaire : 4\s000 caractères au plus/);
    assert.ok(long.body.includes(`>${'é'.repeat(4001)}</textarea>`), 'le texte tapé est rendu');
    const section = await comment(who, appelId, { section: 'budget', texte: 'Bonjour' });
    assert.equal(section.statusCode, 400);
    assert.match(section.body, /href="#commentaire-section">Partie de l’appel : choisissez la partie/);
    assert.equal(await comments(), before);
    assert.equal((await comment(who, appelId, { texte: 'é'.repeat(4000) })).statusCode, 303);
  });

  test('limite de débit : au-delà de COMMENT_RATE.limit commentaires dans l’heure, 429 en français et rien n’est écrit', async () => {
    const appelId = await call();
    const who = await signedInAs(t.app, db());
    for (let i = 0; i < COMMENT_RATE.limit; i++) assert.equal((await comment(who, appelId, { texte: `Avis ${i}` })).statusCode, 303);
    const before = await comments();
    const refused = await comment(who, appelId, { texte: 'Un de trop' });
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.match(refused.body, /patientez une heure avant de réessayer/);
    assert.ok(refused.body.includes('>Un de trop</textarea>'));
    assert.equal(await comments(), before);
  });

  test('réponse de l’organisateur : par qui gère l’appel ; pas par l’instructeur d’un autre appel ni par l’auteur', async () => {
    const appelId = await call();
    const author = await signedInAs(t.app, db());
    const id = Number(
      ((await comment(author, appelId, { section: 'eligibilite', texte: 'Les SCIC sont-elles éligibles ?' })).headers.location as string).split('-').pop(),
    );
    const elsewhere = await managerOf(appelId + 1000);
    const replyUrl = `/appels/${appelId}/commentaires/${id}/reponse`;
    for (const who of [elsewhere, author]) {
      const refused = await post(who, appelId, replyUrl, { texte: 'Oui.' });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Seules les personnes qui gèrent cet appel répondent aux commentaires/);
    }
    assert.equal((await new Client(t.app).post(replyUrl, { texte: 'Oui.' })).statusCode, 403);
    assert.equal((await apiComments(appelId))[0]!.reponse, null);

    const manager = await managerOf(appelId);
    const managerPage = (await manager.client.get(`/appels/${appelId}`)).body;
    assert.match(managerPage, new RegExp(`action="/appels/${appelId}/commentaires/${id}/reponse"`));
    assert.doesNotMatch((await author.client.get(`/appels/${appelId}`)).body, /\/reponse"/);
    const empty = await post(manager, appelId, replyUrl, { texte: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, new RegExp(`<a href="#reponse-${id}-texte">Réponse : écrivez la réponse</a>`));
    assert.match(empty.body, /<details open>/);
    const replied = await post(manager, appelId, replyUrl, { texte: 'Oui, <em>toutes</em> les SCIC.' });
    assert.equal(replied.statusCode, 303);
    const shown = (await new Client(t.app).get(`/appels/${appelId}`)).body;
    assert.match(shown, /<strong>Réponse de l’organisateur<\/strong>/);
    assert.ok(shown.includes('Oui, &lt;em&gt;toutes&lt;/em&gt; les SCIC.'));
    assert.deepEqual((await apiComments(appelId))[0]!.reponse?.texte, 'Oui, <em>toutes</em> les SCIC.');
    const audit = await firstRow<{ action: string; details: { commentaire: number } }>(
      db(),
      sql`select action, details from audit_log
      where object_kind = 'appel' and object_id = ${String(appelId)} order by id desc limit 1`,
    );
    assert.deepEqual(audit, { action: 'appel.comment_reply', details: { commentaire: id } });
  });

  test('masquer un commentaire abusif : motif requis, disparu de la page et de l’API, gardé au journal d’audit', async () => {
    const appelId = await call();
    const author = await signedInAs(t.app, db());
    await comment(author, appelId, { texte: 'Un avis utile.' });
    const abusive = Number(((await comment(author, appelId, { texte: 'Propos injurieux envers X.' })).headers.location as string).split('-').pop());
    const hideUrl = `/appels/${appelId}/commentaires/${abusive}/masquage`;
    assert.equal((await post(await managerOf(appelId + 1000), appelId, hideUrl, { motif: 'Injure' })).statusCode, 403);
    const manager = await managerOf(appelId);
    const noReason = await post(manager, appelId, hideUrl, { motif: ' ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, new RegExp(`<a href="#masquage-${abusive}-motif">Motif du masquage : indiquez pourquoi le commentaire est masqué</a>`));
    assert.equal((await apiComments(appelId)).length, 2);

    const hidden = await post(manager, appelId, hideUrl, { motif: 'Injure envers une personne' });
    assert.equal(hidden.statusCode, 303);
    const page = (await new Client(t.app).get(`/appels/${appelId}`)).body;
    assert.doesNotMatch(page, /Propos injurieux/);
    assert.match(page, /Un avis utile\./);
    assert.deepEqual(
      (await apiComments(appelId)).map((c) => c.texte),
      ['Un avis utile.'],
    );
    const audit = await firstRow<{ action: string; actor_id: number; details: Record<string, unknown> }>(
      db(),
      sql`select action, actor_id::int as actor_id, details
      from audit_log where object_kind = 'appel' and object_id = ${String(appelId)} order by id desc limit 1`,
    );
    assert.deepEqual(audit, {
      action: 'appel.comment_hide',
      actor_id: manager.id,
      details: { commentaire: abusive, motif: 'Injure envers une personne', texte: 'Propos injurieux envers X.' },
    });
    // Hidden: no second hiding, no reply (409, said on the page); a comment of another call is not found.
    const again = await post(manager, appelId, hideUrl, { motif: 'Encore' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Ce commentaire est masqué : on n’y répond plus/);
    assert.equal((await post(manager, appelId, `/appels/${appelId}/commentaires/${abusive}/reponse`, { texte: 'Non' })).statusCode, 409);
    const otherCall = await call();
    const elsewhere = await managerOf(otherCall);
    assert.equal((await post(elsewhere, otherCall, `/appels/${otherCall}/commentaires/${abusive}/masquage`, { motif: 'x' })).statusCode, 404);
  });

  test('RGPD : l’export liste mes commentaires ; la suppression du compte les garde, anonymisés « Compte supprimé »', async () => {
    const appelId = await call();
    const me = await signedInAs(t.app, db(), [], { displayName: 'Camille Commentatrice' });
    await comment(me, appelId, { section: 'formulaire', texte: 'Ajoutez une question sur la gouvernance.' });
    const other = await signedInAs(t.app, db(), [], { displayName: 'Yann Autre' });
    await comment(other, appelId, { texte: 'Commentaire de Yann.' });
    const manager = await managerOf(appelId);
    const mine = (await apiComments(appelId)).find((c) => c.auteur === 'Camille Commentatrice')!;
    await post(manager, appelId, `/appels/${appelId}/commentaires/${mine.id}/reponse`, { texte: 'Bonne idée.' });

    const data = (await me.client.get('/compte/donnees.json')).json() as { commentaires_appels: Record<string, unknown>[] };
    assert.equal(data.commentaires_appels.length, 1);
    assert.deepEqual(
      { ...data.commentaires_appels[0], publie_le: null, reponse_le: null },
      {
        id: mine.id,
        appel: `Projet d’appel ${n}`,
        section: 'formulaire',
        texte: 'Ajoutez une question sur la gouvernance.',
        publie_le: null,
        reponse_organisateur: 'Bonne idée.',
        reponse_le: null,
        masque_le: null,
        motif_masquage: null,
      },
    );
    assert.ok(!JSON.stringify(data).includes('Commentaire de Yann'));

    const deleted = await post(me, appelId, '/compte/suppression', { confirmation: TEST_PASSWORD });
    assert.equal(deleted.statusCode, 303, deleted.body.match(/role="alert"[\s\S]*?<\/div>/)?.[0]);
    const left = await firstRow<{ account_id: number | null; body: string }>(
      db(),
      sql`select account_id::int as account_id, body from appel_commentaire where id = ${mine.id}`,
    );
    assert.deepEqual(left, { account_id: null, body: 'Ajoutez une question sur la gouvernance.' });
    const shown = await apiComments(appelId);
    assert.deepEqual(
      shown.map((c) => [c.auteur, c.texte, c.reponse?.texte ?? null]),
      [
        ['Compte supprimé', 'Ajoutez une question sur la gouvernance.', 'Bonne idée.'],
        ['Yann Autre', 'Commentaire de Yann.', null],
      ],
    );
    assert.doesNotMatch((await new Client(t.app).get(`/appels/${appelId}`)).body, /Camille Commentatrice/);
    // The organiser's account deleted: the reply stays, unsigned.
    assert.equal((await post(manager, appelId, '/compte/suppression', { confirmation: TEST_PASSWORD })).statusCode, 303);
    const reply = await firstRow<{ replied_by: number | null; reply: string }>(
      db(),
      sql`select replied_by::int as replied_by, reply from appel_commentaire where id = ${mine.id}`,
    );
    assert.deepEqual(reply, { replied_by: null, reply: 'Bonne idée.' });
  });
});
