/**
 * The knowledge base contributed and moderated: proposals of new resources and edits, the
 * moderation of their région with a reason and a mail, the published versions, the files of a resource and
 * those a contributor joins to a proposal, the links to cooperations and schemes as API filters, and the
 * person's proposals and their files in their RGPD data.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { firstRow, rows } from '../src/db/database.ts';
import { sweepErasedFiles } from '../src/features/calls/files/sweep.ts';
import { folderStore } from '../src/platform/file-store.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';

const moderatorOf = (region: string) => [{ role: 'regional_moderator' as const, scopeKind: 'region' as const, scopeCode: region }];

describe('Base de connaissances contributive et modérée', () => {
  let t: TestApp;
  let dataDir: string;
  let author: TestAccount;
  let moderator: TestAccount;
  let otherModerator: TestAccount;
  let cooperation: { id: number; name: string };
  let dispositif: { id: number; name: string };
  const db = () => t.database.db;
  const count = async (table: string) => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from ${sql.raw(table)}`))!.n;
  const cookie = (who: TestAccount) => who.client.cookieHeader();
  const filesDir = () => join(dataDir, 'files');
  /** Every file on disk, temporary ones included. */
  const onDisk = () =>
    existsSync(filesDir())
      ? readdirSync(filesDir(), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort()
      : [];
  const pdfBytes = async () => Buffer.from(await (await PDFDocument.create()).save({ useObjectStreams: false }));

  /** Sends one file as the upload forms do: multipart, the CSRF token in the action's query (or none). */
  const upload = (who: TestAccount, url: string, name: string, bytes: Buffer, { type = 'application/pdf', csrf = true } = {}) => {
    const boundary = `----maillage${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: csrf ? `${url}?_csrf=${encodeURIComponent(who.csrf)}` : url,
      payload,
      headers: { cookie: cookie(who), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };

  /** Posts a form as a browser does, repeated names for ticked boxes. */
  const post = (who: TestAccount, url: string, fields: [string, string][]) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams([['_csrf', who.csrf], ...fields]).toString(),
      headers: { cookie: cookie(who), 'content-type': 'application/x-www-form-urlencoded' },
    });

  const mailsTo = (to: string) =>
    rows<{ subject: string; text: string }>(
      db(),
      sql`select payload->>'subject' as subject, payload->>'text' as text from job where kind = 'mail.send' and payload->>'to' = ${to} order by id`,
    );

  const valid = (changes: Record<string, string> = {}): [string, string][] => [
    ...base().map(([k, v]): [string, string] => [k, changes[k] ?? v]),
    ...Object.entries(changes).filter(([k]) => !base().some(([b]) => b === k)),
  ];
  const base = (): [string, string][] => [
    ['titre', 'Retour d’expérience : une cuisine partagée entre trois structures'],
    ['type', 'experience'],
    ['resume', 'Comment trois associations ont mutualisé une cuisine professionnelle.'],
    ['corps', '## Le point de départ\nTrois structures, une cuisine : **un planning partagé** et une convention.'],
    ['themes', 'mutualisation'],
    ['themes', 'foncier_locaux'],
    ['stades', 'emergence'],
    ['region', '84'],
    ['departement', '26'],
    ['source', 'Témoignage de la coopération'],
  ];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'maillage-ressources-'));
    t = await buildTestApp({ config: { MAILLAGE_DATA_DIR: dataDir, MAX_UPLOAD_MB: '1' } });
    author = await signedInAs(t.app, db(), [], { displayName: 'Alix Autrice' });
    moderator = await signedInAs(t.app, db(), moderatorOf('84'), { displayName: 'Modération AURA' });
    otherModerator = await signedInAs(t.app, db(), moderatorOf('53'));
    cooperation = (await firstRow(db(), sql`select id::int as id, name from cooperation where region_code = '84' order by id limit 1`))!;
    dispositif = (await firstRow(db(), sql`select id::int as id, name from dispositif order by id limit 1`))!;
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('une proposition invalide : 400 en français nommant chaque champ, rien d’écrit', async () => {
    const before = await count('ressource_proposal');
    const empty = await post(author, '/ressources/proposer', [
      ['titre', ''],
      ['type', 'poeme'],
      ['departement', '29'],
      ['region', '84'],
    ]);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Indiquez le titre de la ressource/);
    assert.match(empty.body, /Choisissez le type de ressource dans la liste proposée/);
    assert.match(empty.body, /<a href="#corps">Contenu \(Markdown\) : Écrivez le contenu/);
    // Finistère is not in Auvergne-Rhône-Alpes: refused beside the département once the fields are valid.
    const elsewhere = await post(author, '/ressources/proposer', valid({ departement: '29' }));
    assert.equal(elsewhere.statusCode, 400);
    assert.match(elsewhere.body, /<a href="#departement">Département d’origine : Ce département n’est pas dans la région choisie/);
    // A cooperation that does not exist: refused beside its field.
    const unknown = await post(author, '/ressources/proposer', valid({ cooperations: '99999999' }));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Aucune coopération ne porte le numéro 99999999 : vérifiez-les\./);
    assert.match(unknown.body, /id="cooperations"[^>]*aria-invalid="true"/);
    // A text field sent twice (a hand-made request): refused beside it.
    const twice = await post(author, '/ressources/proposer', [...valid(), ['source', 'une deuxième source']]);
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /<a href="#source">Source : Ce champ attend une seule valeur/);
    assert.equal(await count('ressource_proposal'), before);
    // Not signed in: the sign-in page; not verified: refused.
    assert.equal((await t.app.inject({ method: 'GET', url: '/ressources/proposer' })).statusCode, 303);
  });

  test('proposer, modérer dans sa région, publier : la ressource, ses liens, sa version 1, le courriel', async () => {
    const sent = await post(author, '/ressources/proposer', valid({ cooperations: `/cooperations/${cooperation.id}`, dispositifs: String(dispositif.id) }));
    assert.equal(sent.statusCode, 303, sent.body);
    const id = Number(/\/ressources\/propositions\/(\d+)\?envoyee=1$/.exec(sent.headers.location as string)![1]);
    const mine = await author.client.get(`/ressources/propositions/${id}?envoyee=1`);
    assert.match(mine.body, /transmise à la modération/);
    // Markup typed in a proposal is shown as text to the moderators.
    const hostile = await post(
      author,
      '/ressources/proposer',
      valid({ titre: 'Essai <img src=x onerror=alert(1)>', corps: '<script>alert(1)</script> et du texte' }),
    );
    const hostileId = Number(/propositions\/(\d+)/.exec(hostile.headers.location as string)![1]);
    const shown = (await moderator.client.get(`/ressources/propositions/${hostileId}`)).body;
    assert.ok(!shown.includes('<img src=x') && !shown.includes('<script>alert'), 'rien n’est interprété');
    assert.match(shown, /Essai &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.equal((await post(moderator, `/ressources/propositions/${hostileId}/refuser`, [['motif', 'Essai']])).statusCode, 303);
    assert.equal((await otherModerator.client.get(`/ressources/propositions/${id}`)).statusCode, 403);

    const queue = await moderator.client.get('/moderation');
    assert.match(queue.body, new RegExp(`href="/ressources/propositions/${id}"`));
    assert.doesNotMatch((await otherModerator.client.get('/moderation')).body, new RegExp(`/ressources/propositions/${id}"`));
    // The moderator of another région may not decide it.
    assert.equal((await post(otherModerator, `/ressources/propositions/${id}/accepter`, [])).statusCode, 403);

    const accepted = await post(moderator, `/ressources/propositions/${id}/accepter`, []);
    assert.equal(accepted.statusCode, 303, accepted.body);
    const p = (await firstRow<{ ressource_id: number; status: string; version: number }>(
      db(),
      sql`select ressource_id::int as ressource_id, status, version from ressource_proposal where id = ${id}`,
    ))!;
    assert.deepEqual([p.status, p.version], ['acceptee', 1]);
    const detail = (await t.app.inject(`/api/v1/ressources/${p.ressource_id}`)).json();
    assert.equal(detail.titre, 'Retour d’expérience : une cuisine partagée entre trois structures');
    assert.deepEqual(detail.themes, ['mutualisation', 'foncier_locaux']);
    assert.deepEqual(detail.region, { code: '84', nom: 'Auvergne-Rhône-Alpes' });
    assert.equal(detail.exemple, false);
    assert.deepEqual(detail.cooperations, [{ id: cooperation.id, nom: cooperation.name }]);
    assert.deepEqual(detail.dispositifs, [{ id: dispositif.id, nom: dispositif.name }]);
    const page = await t.app.inject(`/ressources/${p.ressource_id}`);
    assert.match(page.body, new RegExp(`<a href="/cooperations/${cooperation.id}">`));
    assert.match(page.body, new RegExp(`<a href="/dispositifs/${dispositif.id}">`));
    assert.match(page.body, /<h2>Le point de départ<\/h2>/);
    const history = await t.app.inject(`/ressources/${p.ressource_id}/historique`);
    assert.match(history.body, /<h2>Version 1<\/h2>\s*<p>Alix Autrice, le <time/);
    const mail = (await mailsTo(author.email)).find((m) => /votre contribution est publiée/.test(m.subject));
    assert.match(mail!.text, new RegExp(`/ressources/${p.ressource_id}`));
    // Decided once: a second decision is refused (409), nothing changes.
    const again = await post(moderator, `/ressources/propositions/${id}/refuser`, [['motif', 'Trop tard']]);
    assert.equal(again.statusCode, 409);

    // The API filters by the cooperation and the scheme it names; other filters keep working beside them.
    const byCooperation = (await t.app.inject(`/api/v1/ressources?cooperation=${cooperation.id}`)).json();
    assert.deepEqual(
      byCooperation.resultats.map((r: { id: number }) => r.id),
      [p.ressource_id],
    );
    assert.equal((await t.app.inject(`/api/v1/ressources?dispositif=${dispositif.id}&theme=mutualisation`)).json().total, 1);
    assert.equal((await t.app.inject(`/api/v1/ressources?dispositif=${dispositif.id}&theme=circuit_court`)).json().total, 0);
    // Documented in the OpenAPI document, beside the parameters that were there.
    const openapi = (await t.app.inject('/api/openapi.json')).json();
    const parameters = openapi.paths['/api/v1/ressources'].get.parameters.map((parameter: { name: string }) => parameter.name);
    for (const name of ['q', 'theme', 'stade', 'modele', 'region', 'departement', 'page', 'cooperation', 'dispositif'])
      assert.ok(parameters.includes(name), name);
    const detailSchema = openapi.paths['/api/v1/ressources/{id}'].get.responses['200'].content['application/json'].schema;
    assert.ok(detailSchema.properties.fichiers, 'les fichiers joints documentés');
    const wrong = await t.app.inject('/api/v1/ressources?cooperation=abc');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.json().detail, /cooperation/);
    assert.match(wrong.json().detail, /nombre entier positif/);
  });

  test('une modification d’une ressource d’exemple : ses seuls champs changés, l’historique avec la version d’origine et le texte précédent', async () => {
    const seeded = (await firstRow<{ id: number; resume: string; titre: string }>(
      db(),
      sql`select id::int as id, resume, titre from ressource where is_example and region_code is null order by id limit 1`,
    ))!;
    const form = await author.client.get(`/ressources/${seeded.id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="titre"[^>]*value="[^"]+"/);
    // Unchanged: refused, nothing sent.
    const snapshot = (await t.app.inject(`/api/v1/ressources/${seeded.id}`)).json();
    const same: [string, string][] = [
      ['titre', snapshot.titre],
      ['type', snapshot.type],
      ['resume', snapshot.resume],
      ['corps', snapshot.corps],
      ...snapshot.themes.map((v: string) => ['themes', v] as [string, string]),
      ...snapshot.stades.map((v: string) => ['stades', v] as [string, string]),
      ...snapshot.modeles.map((v: string) => ['modeles', v] as [string, string]),
      ['source', snapshot.source ?? ''],
    ];
    const unchanged = await post(author, `/ressources/${seeded.id}/modifier`, same);
    assert.equal(unchanged.statusCode, 400);
    assert.match(unchanged.body, /Vous n’avez modifié aucun champ/);

    const edited = same.map(([k, v]): [string, string] => (k === 'resume' ? [k, 'Un résumé revu par une praticienne du terrain.'] : [k, v]));
    const sent = await post(author, `/ressources/${seeded.id}/modifier`, edited);
    assert.equal(sent.statusCode, 303, sent.body);
    const id = Number(/propositions\/(\d+)/.exec(sent.headers.location as string)![1]);
    // National (no région): a regional moderator does not decide it, a platform admin does.
    assert.equal((await post(moderator, `/ressources/propositions/${id}/accepter`, [])).statusCode, 403);
    // Meanwhile the title changes by another path: the edit applies only its own field.
    await db().execute(sql`update ressource set titre = ${`${seeded.titre} (revu)`} where id = ${seeded.id}`);
    const admin = await signedInAs(t.app, db(), [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    const decisionPage = await admin.client.get(`/ressources/propositions/${id}`);
    assert.match(decisionPage.body, /<th scope="row">Résumé<\/th><td>[^<]+<\/td><td>Un résumé revu/);
    assert.equal((await post(admin, `/ressources/propositions/${id}/accepter`, [])).statusCode, 303);
    const after = (await t.app.inject(`/api/v1/ressources/${seeded.id}`)).json();
    assert.equal(after.resume, 'Un résumé revu par une praticienne du terrain.');
    assert.equal(after.titre, `${seeded.titre} (revu)`);

    const history = (await t.app.inject(`/ressources/${seeded.id}/historique`)).body;
    assert.match(history, /<h2>Version 2<\/h2>\s*<p>Alix Autrice, le/);
    assert.match(history, /<h2>Version 1<\/h2>\s*<p>Version d’origine/);
    // Version 2 shows the previous text beside the new one.
    assert.ok(history.includes(`<td>${seeded.resume.replace(/'/g, '&#39;')}</td><td>Un résumé revu`), 'le résumé précédent et le nouveau');
  });

  test('refuser demande un motif (400), puis l’envoie par courriel ; une proposition refusée n’écrit rien', async () => {
    const sent = await post(author, '/ressources/proposer', valid({ titre: 'Méthode : une proposition à refuser' }));
    const id = Number(/propositions\/(\d+)/.exec(sent.headers.location as string)![1]);
    const resources = await count('ressource');
    const noReason = await post(moderator, `/ressources/propositions/${id}/refuser`, [['motif', '  ']]);
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Indiquez le motif du refus/);
    assert.equal((await firstRow<{ status: string }>(db(), sql`select status from ressource_proposal where id = ${id}`))!.status, 'en_attente');
    const refused = await post(moderator, `/ressources/propositions/${id}/refuser`, [['motif', 'Une ressource très proche existe déjà.']]);
    assert.equal(refused.statusCode, 303);
    assert.equal(await count('ressource'), resources);
    const mail = (await mailsTo(author.email)).at(-1)!;
    assert.match(mail.subject, /n’a pas été retenue/);
    assert.match(mail.text, /Motif : Une ressource très proche existe déjà\./);
    assert.match(mail.text, new RegExp(`/ressources/propositions/${id}`));
    const page = await author.client.get(`/ressources/propositions/${id}`);
    assert.match(page.body, /<dt>Motif du refus<\/dt><dd>Une ressource très proche existe déjà\.<\/dd>/);
    assert.doesNotMatch(page.body, /Accepter et publier/);
  });

  test('fichiers joints : la modération de la région en ajoute (type reconnu au contenu, taille bornée), tout le monde les télécharge', async () => {
    const resource = (await firstRow<{ id: number }>(db(), sql`select id::int as id from ressource where region_code = '84' order by id limit 1`))!;
    const pdf = await pdfBytes();
    const url = `/ressources/${resource.id}/fichiers`;
    assert.equal((await upload(author, url, 'fiche.pdf', pdf)).statusCode, 403);
    assert.equal((await upload(otherModerator, url, 'fiche.pdf', pdf)).statusCode, 403);
    const text = await upload(moderator, url, 'fiche.pdf', Buffer.from('ceci est du texte, pas un PDF'));
    assert.equal(text.statusCode, 400);
    assert.match(text.body, /Ce fichier n’est pas accepté : son contenu n’est pas PDF/);
    assert.equal(await count('ressource_fichier'), 0);

    const kept = await upload(moderator, url, 'Fiche <technique>.pdf', pdf);
    assert.equal(kept.statusCode, 303, kept.body);
    const [file] = (await t.app.inject(`/api/v1/ressources/${resource.id}`)).json().fichiers;
    assert.equal(file.type, 'application/pdf');
    assert.equal(file.taille, pdf.length);
    const download = await t.app.inject(file.adresse);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="Fiche _technique_.pdf"/);
    assert.ok(download.rawPayload.equals(pdf));
    const page = await moderator.client.get(`/ressources/${resource.id}?fichier=ajoute`);
    assert.match(page.body, /Le fichier est joint à la ressource/);
    assert.match(page.body, /Retirer le fichier Fiche _technique_\.pdf/);
    assert.doesNotMatch((await t.app.inject(`/ressources/${resource.id}`)).body, /Retirer le fichier/);

    assert.equal((await post(author, `${file.adresse}/suppression`, [])).statusCode, 403);
    assert.equal((await post(moderator, `${file.adresse}/suppression`, [])).statusCode, 303);
    assert.equal((await t.app.inject(file.adresse)).statusCode, 404);
    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where object_kind = 'ressource' order by id`);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['ressource.fichier_ajout', 'ressource.fichier_retrait'],
    );
  });

  /** Queues a proposal of `who` (a new resource of the région 84, or an edit of resource `edit`); returns its number. */
  const propose = async (who: TestAccount, titre: string, edit?: number) => {
    const sent = await post(who, edit ? `/ressources/${edit}/modifier` : '/ressources/proposer', valid({ titre }));
    assert.equal(sent.statusCode, 303, sent.body);
    return Number(/propositions\/(\d+)/.exec(sent.headers.location as string)![1]);
  };
  const proposalFileRows = (id: number) =>
    rows<{ id: string; nom: string; ressource_id: number | null }>(
      db(),
      sql`select id, original_name as nom, ressource_id::int as ressource_id from ressource_fichier where proposal_id = ${id} order by created_at, id`,
    );
  /** Inserts `n` file rows without bytes (the cap counts rows). */
  const fakeFiles = (n: number, owner: { ressource: number } | { proposition: number }) =>
    db().execute(sql`insert into ressource_fichier (id, ressource_id, proposal_id, original_name, content_type, size_bytes, sha256)
      select substr(md5(random()::text) || md5(random()::text), 1, 22), ${'ressource' in owner ? owner.ressource : null}::bigint,
        ${'proposition' in owner ? owner.proposition : null}::bigint, 'rempli-' || i || '.pdf', 'application/pdf', 10, repeat('0', 64)
      from generate_series(1, ${n}) i`);

  test('fichiers d’une proposition : son auteur seul en joint, avec les contrôles de la ressource ; refus en français, rien de gardé', async () => {
    const id = await propose(author, 'Outil : un modèle de convention de cuisine partagée');
    const url = `/ressources/propositions/${id}/fichiers`;
    const pdf = await pdfBytes();
    const disk = onDisk();
    const rowsBefore = await count('ressource_fichier');
    // Someone else's proposal: its moderator, another moderator, another contributor; a visitor; no CSRF token.
    const someone = await signedInAs(t.app, db(), []);
    for (const who of [moderator, otherModerator, someone]) assert.equal((await upload(who, url, 'fiche.pdf', pdf)).statusCode, 403);
    // A visitor has no session, hence no CSRF token: refused before anything else.
    assert.equal((await t.app.inject({ method: 'POST', url, payload: 'x', headers: { 'content-type': 'multipart/form-data; boundary=x' } })).statusCode, 403);
    assert.equal((await upload(author, url, 'fiche.pdf', pdf, { csrf: false })).statusCode, 403);
    assert.equal((await upload(author, '/ressources/propositions/99999999/fichiers', 'fiche.pdf', pdf)).statusCode, 404);

    // Bad files: a French message beside the field, on the proposal's page.
    const text = await upload(author, url, 'fiche.pdf', Buffer.from('ceci est du texte, pas un PDF'));
    assert.equal(text.statusCode, 400);
    assert.match(text.body, /<a href="#fichier">Fichier à joindre : Ce fichier n’est pas accepté : son contenu n’est pas PDF/);
    assert.match(text.body, /id="fichier"[^>]*aria-invalid="true"/);
    assert.match(text.body, /<h1>Proposition de ressource n° \d+/);
    const empty = await upload(author, url, 'vide.pdf', Buffer.alloc(0));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Le fichier envoyé est vide/);
    const big = await upload(author, url, 'gros.pdf', Buffer.concat([pdf, Buffer.alloc(1024 * 1024 + 10, 0x20)]));
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /Le fichier dépasse 1 Mo, la taille maximale : il n’a pas été enregistré/);
    const none = await upload(author, url, '', Buffer.alloc(0));
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choisissez un fichier à joindre/);
    const form = await t.app.inject({
      method: 'POST',
      url: `${url}?_csrf=${encodeURIComponent(author.csrf)}`,
      payload: 'a=b',
      headers: { cookie: cookie(author), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /Envoyez le fichier avec le formulaire « Joindre le fichier »/);
    assert.equal(await count('ressource_fichier'), rowsBefore);
    assert.deepEqual(onDisk(), disk, 'rien sur le disque');

    // Kept: not public, read by the author and the région's moderators only.
    const kept = await upload(author, url, 'Devis <cuisine>.pdf', pdf);
    assert.equal(kept.statusCode, 303, kept.body);
    assert.equal(kept.headers.location, `/ressources/propositions/${id}?fichier=ajoute#fichiers`);
    const [file] = await proposalFileRows(id);
    assert.deepEqual([file!.nom, file!.ressource_id], ['Devis _cuisine_.pdf', null]);
    assert.equal(onDisk().length, disk.length + 1);
    const address = `${url}/${file!.id}`;
    for (const who of [author, moderator]) {
      const download = await who.client.get(address);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(String(download.headers['content-disposition']), /^attachment; filename="Devis _cuisine_.pdf"/);
    }
    assert.equal((await otherModerator.client.get(address)).statusCode, 403);
    assert.equal((await someone.client.get(address)).statusCode, 403);
    assert.equal((await t.app.inject(address)).statusCode, 303, 'un visiteur est envoyé à la connexion');
    const mine = await author.client.get(`/ressources/propositions/${id}?fichier=ajoute`);
    assert.match(mine.body, /Le fichier est joint à la proposition/);
    assert.match(mine.body, new RegExp(`<a href="${address}" download>Devis _cuisine_.pdf</a>`));
    assert.match(mine.body, /Retirer le fichier Devis _cuisine_\.pdf/);
    const theirs = await moderator.client.get(`/ressources/propositions/${id}`);
    assert.match(theirs.body, new RegExp(`<a href="${address}" download>Devis _cuisine_.pdf</a>`));
    assert.doesNotMatch(theirs.body, /Retirer le fichier|Joindre le fichier/);
    const queue = await moderator.client.get('/moderation');
    assert.match(queue.body, new RegExp(`propositions/${id}"[\\s\\S]*?<td>Alix Autrice</td><td>1</td>`));

    // Removal: by its author only.
    assert.equal((await post(moderator, `${address}/suppression`, [])).statusCode, 403);
    assert.equal((await post(someone, `${address}/suppression`, [])).statusCode, 403);
    const removed = await post(author, `${address}/suppression`, []);
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `/ressources/propositions/${id}?fichier=retire#fichiers`);
    assert.deepEqual(await proposalFileRows(id), []);
    assert.deepEqual(onDisk(), disk);
    assert.equal((await author.client.get(address)).statusCode, 404);
    assert.equal((await post(author, `${address}/suppression`, [])).statusCode, 404);

    // Too many: a proposal holds as many files as a resource, at most.
    await fakeFiles(20, { proposition: id });
    const tooMany = await upload(author, url, 'vingt-et-unieme.pdf', pdf);
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.body, /Une ressource compte 20 fichiers au plus \(elle en aurait 21\) : retirez-en d’abord/);
    assert.deepEqual(onDisk(), disk);
    await db().execute(sql`delete from ressource_fichier where proposal_id = ${id}`);
    const audit = await rows<{ action: string }>(
      db(),
      sql`select action from audit_log where object_kind = 'ressource_proposal' and object_id = ${String(id)} order by id`,
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['ressource_proposal.fichier_ajout', 'ressource_proposal.fichier_retrait'],
    );
  });

  test('l’acceptation donne ses fichiers à la ressource (version, audit) ; un refus les efface ; une proposition décidée ne change plus', async () => {
    const pdf = await pdfBytes();
    const disk = onDisk();
    const id = await propose(author, 'Fiche technique : la cuisine partagée en pratique');
    const url = `/ressources/propositions/${id}/fichiers`;
    assert.equal((await upload(author, url, 'planning.pdf', pdf)).statusCode, 303);
    assert.equal((await upload(author, url, 'convention.pdf', pdf)).statusCode, 303);
    const files = await proposalFileRows(id);
    assert.deepEqual(
      files.map((f) => f.nom),
      ['planning.pdf', 'convention.pdf'],
    );
    assert.equal((await post(moderator, `/ressources/propositions/${id}/accepter`, [])).statusCode, 303);
    const resourceId = (await firstRow<{ id: number }>(db(), sql`select ressource_id::int as id from ressource_proposal where id = ${id}`))!.id;
    assert.deepEqual(
      (await proposalFileRows(id)).map((f) => f.ressource_id),
      [resourceId, resourceId],
    );
    const detail = (await t.app.inject(`/api/v1/ressources/${resourceId}`)).json();
    assert.deepEqual(
      detail.fichiers.map((f: { nom: string; adresse: string }) => [f.nom, f.adresse]),
      files.map((f) => [f.nom, `/ressources/${resourceId}/fichiers/${f.id}`]),
    );
    const download = await t.app.inject(`/ressources/${resourceId}/fichiers/${files[0]!.id}`);
    assert.equal(download.statusCode, 200);
    assert.ok(download.rawPayload.equals(pdf));
    assert.equal(onDisk().length, disk.length + 2, 'les octets restent où ils sont');
    // Its old address is gone; the proposal's page leads to the resource's.
    assert.equal((await author.client.get(`${url}/${files[0]!.id}`)).statusCode, 404);
    const page = await author.client.get(`/ressources/propositions/${id}`);
    assert.match(page.body, new RegExp(`<a href="/ressources/${resourceId}/fichiers/${files[0]!.id}" download>planning.pdf</a>`));
    assert.doesNotMatch(page.body, /Joindre le fichier|Retirer le fichier/);
    const history = (await t.app.inject(`/ressources/${resourceId}/historique`)).body;
    assert.match(history, /<h2>Version 1<\/h2>\s*<p>Alix Autrice, le <time[\s\S]*?<\/p>\s*<p>Fichiers ajoutés : planning.pdf, convention.pdf<\/p>/);
    const audit = await rows<{ action: string; details: { proposition?: number; nom?: string } }>(
      db(),
      sql`select action, details from audit_log where object_kind = 'ressource' and object_id = ${String(resourceId)} order by id`,
    );
    assert.deepEqual(
      audit.map((a) => [a.action, a.details.nom, a.details.proposition]),
      [
        ['ressource.fichier_ajout', 'planning.pdf', id],
        ['ressource.fichier_ajout', 'convention.pdf', id],
      ],
    );

    // Decided: its files change no more (409, nothing read nor kept).
    const late = await upload(author, url, 'tardif.pdf', pdf);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /Cette proposition est déjà décidée : ses fichiers ne changent plus/);
    assert.equal((await post(author, `${url}/${files[0]!.id}/suppression`, [])).statusCode, 409);
    assert.equal(onDisk().length, disk.length + 2);

    // Refused: its files are deleted with the decision, their bytes right after.
    const refusedId = await propose(author, 'Méthode : une proposition refusée avec son fichier');
    assert.equal((await upload(author, `/ressources/propositions/${refusedId}/fichiers`, 'refuse.pdf', pdf)).statusCode, 303);
    const [refusedFile] = await proposalFileRows(refusedId);
    assert.equal(onDisk().length, disk.length + 3);
    assert.equal((await post(moderator, `/ressources/propositions/${refusedId}/refuser`, [['motif', 'Doublon.']])).statusCode, 303);
    assert.deepEqual(await proposalFileRows(refusedId), []);
    assert.equal(onDisk().length, disk.length + 2);
    assert.ok(!onDisk().includes(refusedFile!.id));
    const refusedAudit = await firstRow<{ details: { fichiers_supprimes: string[] } }>(
      db(),
      sql`select details from audit_log where action = 'moderation.refuse' and object_id = ${String(refusedId)}`,
    );
    assert.deepEqual(refusedAudit!.details.fichiers_supprimes, [refusedFile!.id]);
  });

  test('une modification : les fichiers de la ressource comptent, et une acceptation qui dépasserait le plafond est refusée sans rien écrire', async () => {
    const pdf = await pdfBytes();
    const resource = (await firstRow<{ id: number }>(db(), sql`select id::int as id from ressource where region_code = '84' order by id limit 1`))!;
    const id = await propose(author, 'Titre revu avec une fiche jointe', resource.id);
    const url = `/ressources/propositions/${id}/fichiers`;
    // The resource holds 19 files: one more fits, not two.
    await fakeFiles(19, { ressource: resource.id });
    assert.equal((await upload(author, url, 'fiche.pdf', pdf)).statusCode, 303);
    const second = await upload(author, url, 'deuxieme.pdf', pdf);
    assert.equal(second.statusCode, 400);
    assert.match(second.body, /elle en aurait 21/);
    // Meanwhile the moderation fills the resource: the acceptance is refused, the proposal and its file wait still.
    await fakeFiles(1, { ressource: resource.id });
    const versions = await count('object_version');
    const accepted = await post(moderator, `/ressources/propositions/${id}/accepter`, []);
    assert.equal(accepted.statusCode, 409);
    assert.match(accepted.body, /Une ressource compte 20 fichiers au plus \(elle en aurait 21\)/);
    assert.equal((await firstRow<{ status: string }>(db(), sql`select status from ressource_proposal where id = ${id}`))!.status, 'en_attente');
    assert.deepEqual(
      (await proposalFileRows(id)).map((f) => f.ressource_id),
      [null],
    );
    assert.equal(await count('object_version'), versions);
    // Room made, the edit is accepted with its file.
    await db().execute(sql`delete from ressource_fichier where ressource_id = ${resource.id} and original_name like 'rempli-%'`);
    assert.equal((await post(moderator, `/ressources/propositions/${id}/accepter`, [])).statusCode, 303);
    assert.deepEqual(
      (await proposalFileRows(id)).map((f) => f.ressource_id),
      [resource.id],
    );
  });

  test('RGPD : les propositions de la personne dans son export ; à la suppression, celles non publiées s’effacent', async () => {
    const person = await signedInAs(t.app, db(), []);
    const id = await propose(person, 'Outil : une proposition personnelle');
    assert.equal((await upload(person, `/ressources/propositions/${id}/fichiers`, 'personnel.pdf', await pdfBytes())).statusCode, 303);
    const [file] = await proposalFileRows(id);
    const exported = (await person.client.get('/compte/donnees.json')).json();
    assert.deepEqual(
      exported.ressources_proposees.map((p: { statut: string; proposition: { titre: string } }) => [p.statut, p.proposition.titre]),
      [['en_attente', 'Outil : une proposition personnelle']],
    );
    assert.deepEqual(
      exported.fichiers_des_propositions_de_ressources.map((f: Record<string, unknown>) => [f.proposition, f.nom, f.type, f.ressource]),
      [[id, 'personnel.pdf', 'application/pdf', null]],
    );
    // The author's published files are theirs too.
    const published = (await author.client.get('/compte/donnees.json')).json().fichiers_des_propositions_de_ressources;
    assert.ok(published.some((f: { nom: string; ressource: number | null }) => f.nom === 'planning.pdf' && f.ressource !== null));
    const removed = await person.client.post('/compte/suppression', { _csrf: person.csrf, confirmation: TEST_PASSWORD });
    assert.ok(removed.statusCode < 400, removed.body);
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from ressource_proposal where author_id = ${person.id}`))!.n, 0);
    // The waiting proposal's file went with it; its bytes leave the disk at the file sweep, queued by the deletion.
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from ressource_fichier where id = ${file!.id}`))!.n, 0);
    assert.ok(onDisk().includes(file!.id));
    await sweepErasedFiles(db(), folderStore(filesDir()));
    assert.ok(!onDisk().includes(file!.id));
    // The accepted proposals of the author stay; the history shows them as before.
    assert.ok(
      (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from ressource_proposal where author_id = ${author.id} and status = 'acceptee'`))!.n >=
        1,
    );
  });
});
