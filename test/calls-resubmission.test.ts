/**
 * A completion through HTTP, with real SMTP: the instruction asks for a complement after the deadline, the
 * applicant completes and submits again (complément demandé → déposée), receives a mail of its own (text,
 * HTML, the updated receipt in PDF), and each instructor of the call is told by mail; nobody else is. Every
 * step of the state list on the way tells the applicant by mail, and the history keeps who, when and why.
 * The file joined to the completed application: linked on the applicant's pages and on the instruction's
 * page, downloaded by the call's reviewers, except one who declared a conflict on it and those of another call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { firstRow, rows } from '../src/db/database.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { assignReviewer, getAs, postForm } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

const IN_TIME = '2021-06-01T10:00:00Z';
const AFTER_DEADLINE = '2021-07-05T08:00:00Z';
const COMPLETE = {
  nom_dynamique: 'Coopérations du Val de Drôme',
  territoire: '26281',
  description: 'Une dynamique de coopération.',
  candidat_phase2: false,
  contact_nom: 'Claude Martin',
  contact_email: 'claude.martin@exemple.fr',
};

describe(`Complément et nouveau dépôt`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let amiId: number;
  const db = () => t.database.db;
  const api = (who: TestAccount, url: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': who.csrf },
    });

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
    amiId = (await firstRow<{ id: number }>(db(), sql`select id::int as id from appel where key = 'ami-ptce-2021'`))!.id;
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
    await smtp.close();
  });

  test('complément demandé → déposée : courriel au candidat (récépissé à jour), à chaque instructeur de l’appel, à personne d’autre', async () => {
    setCallsClock(() => new Date(IN_TIME));
    const owner = await signedInAs(t.app, db(), [], { displayName: 'Claude Martin' });
    const instructors = [
      await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }], { displayName: 'Inès Instructrice' }),
      await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }], { displayName: 'Ivan Instructeur' }),
    ];
    const elsewhere = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId + 1000) }]);
    const admin = await signedInAs(t.app, db(), [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);

    const started = await api(owner, `/api/v1/appels/${amiId}/candidatures`, {
      titre: 'Dynamique à compléter',
      porteur: 'cooperation',
      chef_de_file: { siret: siretFrom(401), nom: 'Association Pilote' },
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
    });
    assert.equal(started.statusCode, 201, started.body);
    const { id, version } = started.json() as { id: number; version: number };
    assert.equal((await api(owner, `/api/v1/candidatures/${id}/brouillon`, { version, donnees: COMPLETE })).statusCode, 200);
    const first = await api(owner, `/api/v1/candidatures/${id}/depot`, {});
    assert.equal(first.statusCode, 200, first.body);
    const numero = first.json().numero_depot as string;
    assert.match((await smtp.next(owner.email)).subject, /^Récépissé de dépôt /);

    // After the deadline, the instruction asks for a complement: each step tells the applicant.
    setCallsClock(() => new Date(AFTER_DEADLINE));
    const [ines] = instructors;
    assert.equal((await postForm(t.app, ines!, `/instruction/candidatures/${id}/statut`, { statut: 'en_instruction' })).statusCode, 303);
    assert.match((await smtp.next(owner.email)).subject, /en instruction/);
    assert.equal(
      (await postForm(t.app, ines!, `/instruction/candidatures/${id}/statut`, { statut: 'complement_demande', motif: 'Précisez le territoire.' })).statusCode,
      303,
    );
    assert.match((await smtp.next(owner.email)).text, /Motivation : Précisez le territoire\./);

    // The completion is not bound by the deadline of the first submission, and its page says so.
    assert.match((await owner.client.get(`/candidatures/${id}`)).body, /la date limite du premier dépôt ne s’applique pas/);
    const current = (
      await t.app.inject({ url: `/api/v1/candidatures/${id}`, headers: { cookie: [...owner.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
    ).json();
    assert.equal(
      (
        await api(owner, `/api/v1/candidatures/${id}/brouillon`, {
          version: current.version,
          donnees: { ...COMPLETE, description: 'Complétée : le bassin de Romans.' },
        })
      ).statusCode,
      200,
    );
    const again = await api(owner, `/api/v1/candidatures/${id}/depot`, {});
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().numero_depot, numero);

    const mail = await smtp.next(owner.email);
    assert.equal(
      mail.subject,
      `Complément déposé — candidature ${numero} — AMI national PTCE 2021 — émergence de nouveaux pôles territoriaux de coopération économique`.slice(0, 250),
    );
    assert.match(mail.text, /Bonjour Claude Martin,/);
    assert.match(mail.text, /complétée à la demande de l’instruction, a bien été déposée de nouveau le 5 juillet 2021 à 10:00:00 \(heure de Paris\)/);
    assert.match(mail.html, /<strong>[^<]+<\/strong>/);
    assert.match(mail.html, new RegExp(`href="[^"]*/candidatures/${id}/recepisse"`));
    assert.ok(mail.parsed.attachments.some((a) => a.contentType === 'application/pdf' && a.content.subarray(0, 5).toString() === '%PDF-'));

    for (const instructor of instructors) {
      const told = await smtp.next(instructor.email);
      assert.match(told.subject, /candidature complétée — Dynamique à compléter/);
      assert.match(told.text, new RegExp(`n° ${numero}`));
      assert.match(told.text, new RegExp(`/instruction/candidatures/${id}`));
      assert.match(told.html, new RegExp(`href="[^"]*/instruction/candidatures/${id}"`));
    }
    // Nobody else: another call's instructor, the platform admins (not instructors of this call).
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.all(elsewhere.email).length, 0);
    assert.equal(smtp.all(admin.email).length, 0);

    const history = await rows<{ de: string; vers: string; par: string; le: Date | string }>(
      db(),
      sql`select from_statut as de, to_statut as vers,
        actor_label as par, at as le from candidature_transition where candidature_id = ${id} order by id`,
    );
    assert.deepEqual(
      history.map((h) => [h.de, h.vers, h.par]),
      [
        [null, 'brouillon', 'Claude Martin'],
        ['brouillon', 'deposee', 'Claude Martin'],
        ['deposee', 'en_instruction', 'Inès Instructrice'],
        ['en_instruction', 'complement_demande', 'Inès Instructrice'],
        ['complement_demande', 'deposee', 'Claude Martin'],
      ],
    );
    assert.equal(new Date(history.at(-1)!.le).toISOString(), new Date(AFTER_DEADLINE).toISOString());
  });

  test('pièce jointe : liens sur les pages du candidat et de l’instruction ; évaluateur 200, en conflit 404, d’un autre appel 404', async () => {
    setCallsClock(() => new Date(IN_TIME));
    const owner = await signedInAs(t.app, db());
    const started = await api(owner, `/api/v1/appels/${amiId}/candidatures`, {
      titre: 'Dynamique avec pièce',
      porteur: 'cooperation',
      chef_de_file: { siret: siretFrom(403), nom: 'Association' },
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'non_marchande' },
    });
    const { id, version } = started.json() as { id: number; version: number };
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const bytes = Buffer.from(await doc.save());
    const boundary = '----maillage-pieces';
    const sent = await t.app.inject({
      method: 'POST',
      url: `/candidatures/${id}/fichiers/pieces_complementaires?_csrf=${encodeURIComponent(owner.csrf)}`,
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="Lettre <de> soutien.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      headers: { cookie: [...owner.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(sent.statusCode, 303, sent.body);
    await api(owner, `/api/v1/candidatures/${id}/brouillon`, { version: version + 1, donnees: COMPLETE });
    assert.equal((await api(owner, `/api/v1/candidatures/${id}/depot`, {})).statusCode, 200);
    const file = (await firstRow<{ id: string }>(db(), sql`select id from candidature_fichier where candidature_id = ${id}`))!;
    const url = `/candidatures/${id}/fichiers/${file.id}`;
    const link = `<a href="${url}">Lettre _de_ soutien.pdf</a>`;

    // The applicant's pages of the submitted application link the file (its name escaped).
    for (const page of [`/candidatures/${id}`, `/candidatures/${id}/recepisse`]) {
      const body = (await owner.client.get(page)).body;
      assert.ok(body.includes(`<li>Pièces complémentaires : ${link}`), page);
    }
    assert.deepEqual((await owner.client.get(url)).rawPayload, bytes);

    const reviewer = await signedInAs(t.app, db());
    const conflicted = await signedInAs(t.app, db());
    const otherCall = await signedInAs(t.app, db());
    await assignReviewer(db(), amiId, reviewer);
    await assignReviewer(db(), amiId, conflicted);
    await db().execute(sql`insert into conflit_interet (candidature_id, account_id, motif) values (${id}, ${conflicted.id}, 'Membre du bureau')`);
    const other = await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut) values ('autre-appel-pieces', 'Autre', 'publie') returning id::int as id`,
    );
    await assignReviewer(db(), other!.id, otherCall);

    const read = await getAs(t.app, reviewer, url);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.rawPayload, bytes);
    assert.match(read.headers['content-disposition'] as string, /^attachment;/);
    assert.ok((await getAs(t.app, reviewer, `/instruction/candidatures/${id}`)).body.includes(`<li>${link}</li>`));
    for (const who of [conflicted, otherCall]) {
      const refused = await getAs(t.app, who, url);
      assert.equal(refused.statusCode, 404);
      assert.doesNotMatch(refused.body, /soutien/);
    }
    const instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    assert.ok((await getAs(t.app, instructor, `/instruction/candidatures/${id}`)).body.includes(`<li>${link}</li>`));
    assert.equal((await getAs(t.app, instructor, url)).statusCode, 200);
  });

  test('un premier dépôt après la date limite reste refusé', async () => {
    setCallsClock(() => new Date(IN_TIME));
    const owner = await signedInAs(t.app, db());
    const started = await api(owner, `/api/v1/appels/${amiId}/candidatures`, {
      titre: 'Trop tard',
      porteur: 'cooperation',
      chef_de_file: { siret: siretFrom(402), nom: 'Association' },
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'ciblee', modele_economique: 'marchande' },
    });
    const { id, version } = started.json() as { id: number; version: number };
    await api(owner, `/api/v1/candidatures/${id}/brouillon`, { version, donnees: COMPLETE });
    setCallsClock(() => new Date(AFTER_DEADLINE));
    const late = await api(owner, `/api/v1/candidatures/${id}/depot`, {});
    assert.equal(late.statusCode, 409);
    assert.match(late.json().detail, /Le dépôt est clos depuis le 23 juin 2021 à 23:59:59/);
  });
});
