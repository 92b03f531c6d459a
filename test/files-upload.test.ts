/**
 * Files joined to applications, through HTTP on each real database, with the files folder of a temporary
 * MAILLAGE_DATA_DIR inspected directly: a PDF kept under a random id and read back byte for byte; the kind
 * judged on the content (a PNG named .pdf, an executable, refused); an oversize upload cut with a 413 and
 * nothing left; CSRF; who may read or send (owner; once submitted, instructors of the call and admins; others 404); hostile
 * names; a required file at submission; removal; the RGPD export, and erasure of drafts with their account.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { firstRow, rows } from '../src/db/database.ts';
import type { FormDefinition } from '../src/domain/form.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { applicationsErasure } from '../src/features/calls/applications/personal-data.ts';
import { folderStore } from '../src/platform/file-store.ts';
import { sweepErasedFiles } from '../src/features/calls/files/sweep.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { siretFrom } from './support/siret.ts';

async function pdfBytes(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(text);
  doc.addPage([200, 200]);
  return Buffer.from(await doc.save());
}

/** A real 1×1 PNG. */
function pngBytes(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a Windows executable (MZ, then a PE header), as file-type sees one. */
function exeBytes(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'ascii');
  bytes.writeUInt32LE(128, 0x3c);
  bytes.write('PE\0\0', 128, 'binary');
  return bytes;
}

async function xlsxBytes(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Budget').addRow(['Poste', 'Montant']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const FILE_SECTION = {
  titre: 'Pièces jointes',
  champs: [
    { cle: 'statuts', type: 'fichier', libelle: 'Statuts de la structure cheffe de file', obligatoire: true, types: ['pdf'] },
    { cle: 'budget', type: 'fichier', libelle: 'Budget prévisionnel détaillé' },
  ],
};

const COMPLETE = {
  nom_dynamique: 'Coopérations du Val de Drôme',
  territoire: '26281',
  description: 'Une dynamique de coopération.',
  candidat_phase2: 'non',
  contact_nom: 'Claude Martin',
  contact_email: 'claude.martin@exemple.fr',
};

describe(`Fichiers des candidatures`, () => {
  let t: TestApp;
  let dataDir: string;
  let amiId: number;
  const filesDir = () => join(dataDir, 'files');
  const db = () => t.database.db;

  /** Every kept file on disk (temporary ones included), by name. */
  const onDisk = () => {
    if (!existsSync(filesDir())) return [];
    return readdirSync(filesDir(), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  };
  const fileRows = async () => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from candidature_fichier`))!.n;
  const cookie = (who: TestAccount) => [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const api = (who: TestAccount, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookie(who), 'x-csrf-token': who.csrf } });

  /** Sends a file as the browser's upload form does (multipart), with the CSRF token in the query, the header, or nowhere. */
  const upload = (
    who: TestAccount,
    id: number,
    champ: string,
    name: string,
    bytes: Buffer,
    { csrf = 'query', token = who.csrf, type = 'application/pdf' }: { csrf?: 'query' | 'header' | 'none'; token?: string; type?: string } = {},
  ) => {
    const boundary = `----maillage${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${name.replace(/"/g, '%22')}"\r\nContent-Type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const headers: Record<string, string> = { cookie: cookie(who), 'content-type': `multipart/form-data; boundary=${boundary}` };
    if (csrf === 'header') headers['x-csrf-token'] = token;
    const query = csrf === 'query' ? `?_csrf=${encodeURIComponent(token)}` : '';
    return t.app.inject({ method: 'POST', url: `/candidatures/${id}/fichiers/${champ}${query}`, payload, headers });
  };
  const start = async (who: TestAccount) => {
    const response = await api(who, 'POST', `/api/v1/appels/${amiId}/candidatures`, {
      titre: 'Dynamique avec pièces',
      porteur: 'cooperation',
      chef_de_file: { siret: siretFrom(11), nom: 'Association Pilote' },
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: number; version: number };
  };
  const storedOf = async (id: number, champ: string) =>
    firstRow<{ id: string; nom: string; content_type: string; size_bytes: number; sha256: string }>(
      db(),
      sql`select id, original_name as nom, content_type, size_bytes::int as size_bytes, sha256 from candidature_fichier
      where candidature_id = ${id} and field_key = ${champ}`,
    );

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'maillage-fichiers-'));
    t = await buildTestApp({ config: { MAILLAGE_DATA_DIR: dataDir, MAX_UPLOAD_MB: '1' } });
    setCallsClock(() => new Date('2021-06-01T10:00:00Z'));
    amiId = (await t.app.inject('/api/v1/appels?q=ami%20ptce').then((r) => r.json())).resultats[0].id;
    // A second version of the AMI's form with two file fields: new applications take it.
    const v1 = await firstRow<{ definition: FormDefinition }>(db(), sql`select definition from appel_formulaire where appel_id = ${amiId} and version = 1`);
    const v2 = { sections: [...v1!.definition.sections, FILE_SECTION] };
    await db().execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${amiId}, 2, ${JSON.stringify(v2)}::jsonb)`);
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('un PDF envoyé est gardé sous un identifiant aléatoire, relu octet pour octet, avec les bons en-têtes', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const bytes = await pdfBytes('Statuts');
    const sent = await upload(who, c.id, 'statuts', 'Statuts signés.pdf', bytes);
    assert.equal(sent.statusCode, 303, sent.body);
    assert.equal(sent.headers.location, `/candidatures/${c.id}?fichier=envoye#champ-statuts`);
    const row = (await storedOf(c.id, 'statuts'))!;
    assert.match(row.id, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(
      { ...row, id: undefined },
      {
        id: undefined,
        nom: 'Statuts signés.pdf',
        content_type: 'application/pdf',
        size_bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    );
    assert.deepEqual(readFileSync(join(filesDir(), row.id.slice(0, 2), row.id)), bytes);
    assert.ok(!onDisk().some((name) => name.includes('Statuts')), 'le nom donné n’est jamais un nom de fichier sur le disque');
    const answers = await firstRow<{ donnees: Record<string, unknown> }>(db(), sql`select donnees from candidature where id = ${c.id}`);
    assert.deepEqual(answers!.donnees.statuts, { id: row.id, nom: 'Statuts signés.pdf' });

    const download = await who.client.get(`/candidatures/${c.id}/fichiers/${row.id}`);
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, bytes);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal(download.headers['content-disposition'], 'attachment; filename="Statuts signes.pdf"; filename*=UTF-8\'\'Statuts%20sign%C3%A9s.pdf');
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.equal(download.headers['cache-control'], 'private, no-store');

    const page = await who.client.get(`/candidatures/${c.id}?fichier=envoye`);
    assert.match(page.body, /Fichier envoyé\./);
    assert.ok(page.body.includes(`href="/candidatures/${c.id}/fichiers/${row.id}">Statuts signés.pdf</a>`));
    assert.match(page.body, /<form id="envoi-statuts" method="post" enctype="multipart\/form-data"/);

    // By a script: the token in the x-csrf-token header; the default kinds take a spreadsheet.
    const xlsx = await xlsxBytes();
    const byScript = await upload(who, c.id, 'budget', 'budget.xlsx', xlsx, { csrf: 'header' });
    assert.equal(byScript.statusCode, 303, byScript.body);
    assert.equal((await storedOf(c.id, 'budget'))!.content_type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    // A new file replaces the field's previous one, on disk too.
    const again = await upload(who, c.id, 'statuts', 'statuts-v2.pdf', await pdfBytes('Statuts v2'));
    assert.equal(again.statusCode, 303);
    assert.ok(!existsSync(join(filesDir(), row.id.slice(0, 2), row.id)));
    assert.equal((await storedOf(c.id, 'statuts'))!.nom, 'statuts-v2.pdf');
  });

  test('le type se juge au contenu : un PNG nommé .pdf, un exécutable nommé .pdf, refusés ; rien n’est gardé', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const [rowsBefore, diskBefore] = [await fileRows(), onDisk()];
    const png = await upload(who, c.id, 'statuts', 'statuts.pdf', pngBytes());
    assert.equal(png.statusCode, 400);
    assert.match(png.headers['content-type'] as string, /text\/html/);
    assert.match(png.body, /son contenu est image PNG, alors que ce champ accepte PDF/);
    assert.match(png.body, /<a href="#champ-statuts">/);
    assert.match(png.body, /id="champ-statuts"[^>]*aria-invalid="true"/);
    const exe = await upload(who, c.id, 'budget', 'budget.pdf', exeBytes(), { type: 'application/pdf' });
    assert.equal(exe.statusCode, 400);
    assert.match(exe.body, /son contenu est un fichier EXE/);
    const unknown = await upload(who, c.id, 'budget', 'notes.pdf', Buffer.from('juste du texte, pas un PDF'));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /type de fichier non reconnu/);
    const empty = await upload(who, c.id, 'budget', '', Buffer.alloc(0));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Choisissez un fichier à envoyer/);
    // A PNG is fine where images are accepted (the default kinds), and its name gets the right extension.
    const image = await upload(who, c.id, 'budget', 'photo.pdf', pngBytes());
    assert.equal(image.statusCode, 303);
    assert.equal((await storedOf(c.id, 'budget'))!.nom, 'photo.pdf.png');
    assert.equal(await fileRows(), rowsBefore + 1);
    assert.equal(onDisk().length, diskBefore.length + 1);
  });

  test('trop volumineux : coupé à la réception, 413 en français, rien sur le disque ni en base', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const [rowsBefore, diskBefore] = [await fileRows(), onDisk()];
    const big = Buffer.concat([await pdfBytes('Gros'), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    const response = await upload(who, c.id, 'statuts', 'gros.pdf', big);
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /Le fichier dépasse 1 Mo, la taille maximale pour « Statuts de la structure cheffe de file »/);
    assert.equal(await fileRows(), rowsBefore);
    assert.deepEqual(onDisk(), diskBefore);
  });

  test('CSRF : sans jeton ou avec un faux, 403 et rien n’est écrit', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const [rowsBefore, diskBefore] = [await fileRows(), onDisk()];
    const bytes = await pdfBytes('x');
    assert.equal((await upload(who, c.id, 'statuts', 's.pdf', bytes, { csrf: 'none' })).statusCode, 403);
    assert.equal((await upload(who, c.id, 'statuts', 's.pdf', bytes, { token: 'faux' })).statusCode, 403);
    assert.equal((await upload(who, c.id, 'statuts', 's.pdf', bytes, { csrf: 'header', token: 'faux' })).statusCode, 403);
    assert.equal(await fileRows(), rowsBefore);
    assert.deepEqual(onDisk(), diskBefore);
  });

  test('qui lit, qui envoie : la personne qui candidate ; une fois déposée, l’instruction de l’appel et l’administration ; les autres 404', async () => {
    const owner = await signedInAs(t.app, db());
    const c = await start(owner);
    assert.equal((await upload(owner, c.id, 'statuts', 's.pdf', await pdfBytes('s'))).statusCode, 303);
    const file = (await storedOf(c.id, 'statuts'))!;
    const url = `/candidatures/${c.id}/fichiers/${file.id}`;
    const other = await signedInAs(t.app, db());
    const [rowsBefore, diskBefore] = [await fileRows(), onDisk()];
    assert.equal((await other.client.get(url)).statusCode, 404);
    assert.equal((await upload(other, c.id, 'statuts', 's.pdf', await pdfBytes('intrus'))).statusCode, 404);
    assert.equal((await other.client.post(`${url}/suppression`, { _csrf: other.csrf })).statusCode, 404);
    assert.equal(await fileRows(), rowsBefore);
    assert.deepEqual(onDisk(), diskBefore);
    const instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const admin = await signedInAs(t.app, db(), [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    // A draft, with its files, is its owner's alone: the call's instructors and the admins get the 404 of anyone else.
    const refusal = /Aucun fichier ne porte cet identifiant parmi ceux que vous pouvez lire\./;
    assert.match((await other.client.get(url)).body, refusal);
    for (const reader of [instructor, admin]) {
      assert.equal((await reader.client.get(`/instruction/candidatures/${c.id}`)).statusCode, 404);
      const draftFile = await reader.client.get(url);
      assert.equal(draftFile.statusCode, 404);
      assert.match(draftFile.body, refusal);
    }
    assert.equal((await owner.client.get(`/candidatures/${c.id}/fichiers/AAAAAAAAAAAAAAAAAAAAAA`)).statusCode, 404);
    assert.equal((await upload(owner, c.id, 'contact_nom', 's.pdf', await pdfBytes('s'))).statusCode, 404);
    const version = (await api(owner, 'GET', `/api/v1/candidatures/${c.id}`)).json().version;
    const submitted = await owner.client.post(`/candidatures/${c.id}`, { _csrf: owner.csrf, version: String(version), action: 'deposer', ...COMPLETE });
    assert.equal(submitted.statusCode, 303, submitted.body);
    assert.equal((await instructor.client.get(url)).statusCode, 200);
    const elsewhere = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId + 1000) }]);
    assert.equal((await elsewhere.client.get(url)).statusCode, 404);
    const moderator = await signedInAs(t.app, db(), [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    assert.equal((await moderator.client.get(url)).statusCode, 404);
    assert.equal((await admin.client.get(url)).statusCode, 200);
    assert.equal((await other.client.get(url)).statusCode, 404);
    // Instructors read, they do not send.
    assert.equal((await upload(instructor, c.id, 'statuts', 's.pdf', await pdfBytes('i'))).statusCode, 404);
    const visitor = await t.app.inject({ method: 'GET', url });
    assert.equal(visitor.statusCode, 303);
    assert.match(visitor.headers.location as string, /^\/compte\/connexion/);
  });

  test('nom piégé (chemin, balises, guillemets) : gardé sans danger, affiché échappé', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const sent = await upload(who, c.id, 'statuts', '../../../etc/R&D l\'équipe <b>"gras"</b>\u202e.pdf', await pdfBytes('p'));
    assert.equal(sent.statusCode, 303, sent.body);
    const row = (await storedOf(c.id, 'statuts'))!;
    assert.equal(row.nom, 'b_.pdf');
    const hostile = await upload(who, c.id, 'budget', "..\\..\\R&D <img src=x onerror=alert(1)> l'été.pdf", await pdfBytes('q'));
    assert.equal(hostile.statusCode, 303);
    const budget = (await storedOf(c.id, 'budget'))!;
    assert.equal(budget.nom, "R&D _img src=x onerror=alert(1)_ l'été.pdf");
    const page = await who.client.get(`/candidatures/${c.id}`);
    assert.ok(page.body.includes('R&amp;D _img src=x onerror=alert(1)_ l&#39;été.pdf'));
    assert.ok(!page.body.includes('<img src=x'));
    const download = await who.client.get(`/candidatures/${c.id}/fichiers/${budget.id}`);
    assert.equal(
      download.headers['content-disposition'],
      "attachment; filename=\"R&D _img src=x onerror=alert(1)_ l'ete.pdf\"; filename*=UTF-8''R%26D%20_img%20src%3Dx%20onerror%3Dalert%281%29_%20l%27%C3%A9t%C3%A9.pdf",
    );
    assert.ok(
      onDisk().every((name) => /^[A-Za-z0-9_-]{22}$/.test(name)),
      onDisk().join(),
    );
  });

  test('dépôt : fichier obligatoire manquant → erreur en français ; avec lui, déposée ; ensuite plus d’envoi ni de retrait', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    const missing = await who.client.post(`/candidatures/${c.id}`, { _csrf: who.csrf, version: String(c.version), action: 'deposer', ...COMPLETE });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /<a href="#champ-statuts">Statuts de la structure cheffe de file : ce champ est obligatoire<\/a>/);
    assert.equal((await upload(who, c.id, 'statuts', 'statuts.pdf', await pdfBytes('s'))).statusCode, 303);
    const file = (await storedOf(c.id, 'statuts'))!;
    // What a client writes in a file field is not taken: the field is the stored file.
    const current = (await api(who, 'GET', `/api/v1/candidatures/${c.id}`)).json();
    const saved = await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, {
      version: current.version,
      donnees: { ...COMPLETE, candidat_phase2: false, statuts: { id: 'AAAAAAAAAAAAAAAAAAAAAA', nom: 'autre.pdf' } },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const draft = (await api(who, 'GET', `/api/v1/candidatures/${c.id}`)).json();
    assert.deepEqual(draft.donnees.statuts, { id: file.id, nom: 'statuts.pdf' });
    const submitted = await who.client.post(`/candidatures/${c.id}`, { _csrf: who.csrf, version: String(draft.version), action: 'deposer', ...COMPLETE });
    assert.equal(submitted.statusCode, 303, submitted.body);
    const late = await upload(who, c.id, 'budget', 'budget.pdf', await pdfBytes('b'));
    assert.equal(late.statusCode, 409);
    const remove = await who.client.post(`/candidatures/${c.id}/fichiers/${file.id}/suppression`, { _csrf: who.csrf });
    assert.equal(remove.statusCode, 409);
    assert.equal((await who.client.get(`/candidatures/${c.id}/fichiers/${file.id}`)).statusCode, 200);
  });

  test('retirer un fichier : sa ligne, sa réponse et ses octets disparaissent', async () => {
    const who = await signedInAs(t.app, db());
    const c = await start(who);
    assert.equal((await upload(who, c.id, 'budget', 'budget.pdf', await pdfBytes('b'))).statusCode, 303);
    const file = (await storedOf(c.id, 'budget'))!;
    const removed = await who.client.post(`/candidatures/${c.id}/fichiers/${file.id}/suppression`, { _csrf: who.csrf });
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `/candidatures/${c.id}?fichier=retire#champ-budget`);
    assert.equal(await storedOf(c.id, 'budget'), undefined);
    assert.ok(!existsSync(join(filesDir(), file.id.slice(0, 2), file.id)));
    const answers = await firstRow<{ donnees: Record<string, unknown> }>(db(), sql`select donnees from candidature where id = ${c.id}`);
    assert.equal(answers!.donnees.budget, undefined);
    assert.equal((await who.client.post(`/candidatures/${c.id}/fichiers/${file.id}/suppression`, {})).statusCode, 403);
  });

  test('suppression du compte : les fichiers des brouillons effacés quittent le disque, ceux des candidatures déposées restent', async () => {
    const who = await signedInAs(t.app, db());
    const draft = await start(who);
    const kept = await start(who);
    assert.equal((await upload(who, draft.id, 'statuts', 'a.pdf', await pdfBytes('a'))).statusCode, 303);
    assert.equal((await upload(who, kept.id, 'statuts', 'b.pdf', await pdfBytes('b'))).statusCode, 303);
    const version = (await api(who, 'GET', `/api/v1/candidatures/${kept.id}`)).json().version;
    assert.equal(
      (await who.client.post(`/candidatures/${kept.id}`, { _csrf: who.csrf, version: String(version), action: 'deposer', ...COMPLETE })).statusCode,
      303,
    );
    const [draftFile, keptFile] = [(await storedOf(draft.id, 'statuts'))!, (await storedOf(kept.id, 'statuts'))!];
    const exported = (await who.client.get('/compte/donnees.json')).json() as {
      candidatures: { id: number; fichiers: { champ: string; nom: string; type: string; sha256: string }[] }[];
    };
    const listed = exported.candidatures.find((c) => c.id === draft.id)!.fichiers;
    assert.deepEqual(
      listed.map((f) => [f.champ, f.nom, f.type, f.sha256]),
      [['statuts', 'a.pdf', 'application/pdf', draftFile.sha256]],
    );
    await db().transaction(async (tx) => {
      for (const step of applicationsErasure) await step.run(tx, who.id);
    });
    assert.equal(await storedOf(draft.id, 'statuts'), undefined);
    const queued = await rows<{ id: string }>(db(), sql`select id from candidature_fichier_a_effacer where id = ${draftFile.id}`);
    assert.equal(queued.length, 1);
    await sweepErasedFiles(db(), folderStore(filesDir()));
    assert.ok(!existsSync(join(filesDir(), draftFile.id.slice(0, 2), draftFile.id)));
    assert.ok(existsSync(join(filesDir(), keptFile.id.slice(0, 2), keptFile.id)));
    assert.equal((await rows(db(), sql`select id from candidature_fichier_a_effacer`)).length, 0);
  });
});
