/**
 * The instruction of the AMI PTCE 2021 through HTTP, on each real database: score sheets checked against the
 * grid's scales (nothing written when refused), weighted totals and ranking, state changes through the guard
 * (a refused one writes nothing), results notified once per applicant even when the action runs twice (mail
 * over SMTP), CSV and XLSX exports read back, payments never above their tranche, and escaped user text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { firstRow, rows } from '../src/db/database.ts';
import { MAIL_JOB } from '../src/platform/jobs/mail.ts';
import { runDueJobs } from '../src/platform/jobs/queue.ts';
import { instructionErasure, instructionPersonalData } from '../src/features/calls/instruction/personal-data.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { assignReviewer, count, depositedApplication, forceStatus, getAs, postForm, prepareCalls } from './support/instruction.ts';

describe(`Instruction de l’AMI PTCE 2021`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let amiId: number;
  let grid: { id: number; max: number }[];
  let instructor: TestAccount;
  let reviewer: TestAccount;
  const db = () => t.database.db;
  const notes = (values: number[]) => Object.fromEntries(grid.map((c, i) => [`note_${c.id}`, String(values[i] ?? 0)]));
  const statusOf = async (id: number) => (await firstRow<{ statut: string }>(db(), sql`select statut from candidature where id = ${id}`))!.statut;
  const sendMail = () => runDueJobs(db(), { [MAIL_JOB]: t.app.jobHandlers[MAIL_JOB]! });

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
    ({ amiId, grid } = await prepareCalls(db()));
    instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }], { displayName: 'Inès Instructrice' });
    reviewer = await signedInAs(t.app, db(), [], { displayName: 'Romain Évaluateur' });
    await assignReviewer(db(), amiId, reviewer);
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('la grille de l’AMI vient de 004 : cinq critères sourcés, poids et échelle marqués comme choix de Maillage', async () => {
    const criteria = await rows<{ label: string; source: string; description: string; echelle_max: number }>(
      db(),
      sql`
      select label, source, description, echelle_max from grille_critere where appel_id = ${amiId} order by position`,
    );
    assert.equal(criteria.length, 5);
    for (const c of criteria) {
      assert.match(c.source, /^004_37a44aab6c3ef982\.txt — /);
      assert.match(c.description, /choix de Maillage/);
    }
    const model = await rows<{ montant: string | null; conditionnelle: boolean; mois: number }>(
      db(),
      sql`
      select montant::text as montant, conditionnelle, mois from appel_tranche_modele where appel_id = ${amiId} order by position`,
    );
    assert.deepEqual(
      model.map((m) => [m.montant === null ? null : Number(m.montant), m.conditionnelle, m.mois]),
      [
        [100000, false, 0],
        [null, true, 24],
      ],
    );
  });

  test('notation : hors échelle ou manquante → 400 en français, rien n’est écrit ; une fiche par personne', async () => {
    const owner = await signedInAs(t.app, db());
    const id = await depositedApplication(db(), amiId, owner);
    const before = await count(db(), 'evaluation_note');
    const outOfScale = await postForm(t.app, reviewer, `/instruction/candidatures/${id}/evaluation`, { ...notes([3, 3, 3, 3]), [`note_${grid[4]!.id}`]: '6' });
    assert.equal(outOfScale.statusCode, 400);
    assert.match(outOfScale.body, /doit être un nombre entier de 0 à 5/);
    assert.match(outOfScale.body, new RegExp(`href="#notation-note_${grid[4]!.id}"`));
    const missing = await postForm(t.app, reviewer, `/instruction/candidatures/${id}/evaluation`, { [`note_${grid[0]!.id}`]: '2' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Notez « Passerelles entre l’ESS et l’économie classique »/);
    const decimal = await postForm(t.app, reviewer, `/instruction/candidatures/${id}/evaluation`, {
      ...notes([3, 3, 3, 3, 3]),
      [`note_${grid[0]!.id}`]: '2,5',
    });
    assert.equal(decimal.statusCode, 400);
    assert.equal(await count(db(), 'evaluation_note'), before);
    assert.equal(await count(db(), 'evaluation'), 0);
    for (const values of [
      [1, 1, 1, 1, 1],
      [5, 5, 5, 5, 5],
    ]) {
      const ok = await postForm(t.app, reviewer, `/instruction/candidatures/${id}/evaluation`, notes(values));
      assert.equal(ok.statusCode, 303, ok.body);
    }
    const sheets = await rows<{ note: number }>(
      db(),
      sql`select n.note from evaluation e join evaluation_note n on n.evaluation_id = e.id
      where e.candidature_id = ${id} and e.account_id = ${reviewer.id}`,
    );
    assert.deepEqual(
      sheets.map((s) => s.note),
      [5, 5, 5, 5, 5],
    );
  });

  test('totaux pondérés, moyenne des fiches et classement (ex aequo, non notée sans rang) dans le comparatif et le CSV', async () => {
    const owner = await signedInAs(t.app, db());
    const [a, b, c, d] = [
      await depositedApplication(db(), amiId, owner, 'Alpha'),
      await depositedApplication(db(), amiId, owner, 'Bêta'),
      await depositedApplication(db(), amiId, owner, 'Gamma'),
      await depositedApplication(db(), amiId, owner, 'Delta'),
    ];
    await db().execute(sql`update grille_critere set poids = 3 where id = ${grid[0]!.id}`);
    // Alpha: instructor 5 everywhere, reviewer 3 everywhere → averages 4 → 80. Bêta: only criterion 1 high.
    for (const [id, who, values] of [
      [a, instructor, [5, 5, 5, 5, 5]],
      [a, reviewer, [3, 3, 3, 3, 3]],
      [b, instructor, [5, 0, 0, 0, 0]],
      [c, instructor, [4, 4, 4, 4, 4]],
    ] as const) {
      assert.equal((await postForm(t.app, who, `/instruction/candidatures/${id}/evaluation`, notes([...values]))).statusCode, 303);
    }
    const csv = await getAs(t.app, instructor, `/instruction/appels/${amiId}/candidatures.csv`);
    assert.equal(csv.statusCode, 200);
    assert.ok(csv.body.startsWith('\uFEFF'));
    const lines = csv.body
      .slice(1)
      .trim()
      .split('\r\n')
      .map((l) => l.split(';'));
    const header = lines[0]!;
    assert.equal(header.at(-2), 'Total pondéré sur 100');
    const byTitle = (title: string) => lines.find((l) => l[1] === title)!;
    // Bêta: (3 × 5/5) / (3 + 4) × 100 = 42,86 ; Alpha and Gamma tie at 80.
    // (The application of the previous test, noted 100, ranks above them.)
    const alphaRank = Number(byTitle('Alpha').at(-1));
    assert.deepEqual([byTitle('Alpha').at(-2), byTitle('Alpha').at(-3)], ['80', '2']);
    assert.deepEqual([byTitle('Gamma').at(-2), byTitle('Gamma').at(-1)], ['80', String(alphaRank)]);
    assert.deepEqual([byTitle('Bêta').at(-2), byTitle('Bêta').at(-1)], ['42,86', String(alphaRank + 2)]);
    assert.deepEqual([byTitle('Delta').at(-2), byTitle('Delta').at(-1)], ['', '']);
    assert.equal(byTitle('Alpha')[7], '4');
    void d;

    const xlsx = await getAs(t.app, instructor, `/instruction/appels/${amiId}/candidatures.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Candidatures')!;
    const xHeader = (sheet.getRow(2).values as unknown[]).slice(1);
    assert.deepEqual(xHeader, header);
    const betaRow = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(2).value === 'Bêta')!;
    assert.equal(betaRow.getCell(header.length - 1).value, 42.86);
    assert.equal(betaRow.getCell(header.length).value, alphaRank + 2);

    const comparison = await getAs(t.app, instructor, `/instruction/appels/${amiId}/comparaison`);
    assert.equal(comparison.statusCode, 200);
    assert.match(comparison.body, /Alpha/);
    // A reviewer's list shows their own note only: Bêta, which they did not score, has none.
    const reviewerList = await getAs(t.app, reviewer, `/instruction/appels/${amiId}`);
    assert.match(reviewerList.body, /Ma note sur 100/);
  });

  test('transitions par le garde : refus clair sans rien écrire, motivation exigée, historique et journal, courriel au candidat', async () => {
    const owner = await signedInAs(t.app, db(), [], { displayName: 'Lou Candidate' });
    const id = await depositedApplication(db(), amiId, owner);
    const [transitions, audits] = [await count(db(), 'candidature_transition'), await count(db(), 'audit_log')];
    const refused = await postForm(t.app, instructor, `/instruction/candidatures/${id}/statut`, { statut: 'laureate', motif: 'Excellent' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Une candidature « déposée » ne peut pas passer à « lauréate »/);
    const noReason = await postForm(t.app, instructor, `/instruction/candidatures/${id}/statut`, { statut: 'en_instruction' });
    assert.equal(noReason.statusCode, 303);
    const withoutMotif = await postForm(t.app, instructor, `/instruction/candidatures/${id}/statut`, { statut: 'retenue', motif: '  ' });
    assert.equal(withoutMotif.statusCode, 400);
    assert.match(withoutMotif.body, /Indiquez la motivation du passage à « retenue »/);
    assert.equal(await statusOf(id), 'en_instruction');
    assert.equal(await count(db(), 'candidature_transition'), transitions + 1);
    assert.equal(await count(db(), 'audit_log'), audits + 1);
    const mail = await smtp.next(owner.email);
    assert.match(mail.subject, /en instruction/);
    assert.match(mail.text, new RegExp(`/candidatures/${id}/messages`));

    const complement = await postForm(t.app, instructor, `/instruction/candidatures/${id}/statut`, {
      statut: 'complement_demande',
      motif: 'Joignez le budget.',
    });
    assert.equal(complement.statusCode, 303);
    assert.match((await smtp.next(owner.email)).text, /Motivation : Joignez le budget\./);
    const thread = await getAs(t.app, owner, `/candidatures/${id}/messages`);
    assert.match(thread.body, /Complément demandé : Joignez le budget\./);
    const history = await rows<{ from_statut: string; to_statut: string; actor_label: string; motif: string | null }>(
      db(),
      sql`
      select from_statut, to_statut, actor_label, motif from candidature_transition where candidature_id = ${id} order by id`,
    );
    assert.deepEqual(history.slice(-2), [
      { from_statut: 'deposee', to_statut: 'en_instruction', actor_label: 'Inès Instructrice', motif: null },
      { from_statut: 'en_instruction', to_statut: 'complement_demande', actor_label: 'Inès Instructrice', motif: 'Joignez le budget.' },
    ]);
    const audit = await firstRow<{ action: string; actor_label: string }>(
      db(),
      sql`select action, actor_label from audit_log
      where object_kind = 'candidature' and object_id = ${String(id)} order by id desc limit 1`,
    );
    assert.deepEqual(audit, { action: 'candidature.decide', actor_label: 'Inès Instructrice' });
    // The reviewer may not decide.
    assert.equal((await postForm(t.app, reviewer, `/instruction/candidatures/${id}/statut`, { statut: 'retenue', motif: 'x' })).statusCode, 403);
  });

  test('notification groupée : un seul courriel par candidat décidé, même lancée deux fois ; rien pour les autres', async () => {
    const [laureate, declined, pending] = [await signedInAs(t.app, db()), await signedInAs(t.app, db()), await signedInAs(t.app, db())];
    const a = await depositedApplication(db(), amiId, laureate, 'Lauréate');
    const b = await depositedApplication(db(), amiId, declined, 'Non retenue');
    await depositedApplication(db(), amiId, pending, 'En attente');
    for (const [id, moves] of [
      [
        a,
        [
          ['en_instruction', ''],
          ['retenue', 'Dynamique solide'],
          ['laureate', 'Retenue par le comité'],
        ],
      ],
      [
        b,
        [
          ['en_instruction', ''],
          ['non_retenue', 'Trop tôt'],
        ],
      ],
    ] as const) {
      for (const [statut, motif] of moves) {
        assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${id}/statut`, { statut, motif })).statusCode, 303);
      }
    }
    const decisionMails = (who: TestAccount) => smtp.all(who.email).filter((m) => /— (lauréate|non retenue|retenue|refusée)$/.test(m.subject));
    const first = await postForm(t.app, instructor, `/instruction/appels/${amiId}/notifications`);
    assert.equal(first.statusCode, 303);
    assert.match(first.headers.location as string, /notifiees=2$/);
    const again = await Promise.all([1, 2].map(() => postForm(t.app, instructor, `/instruction/appels/${amiId}/notifications`)));
    assert.deepEqual(
      again.map((r) => (r.headers.location as string).match(/notifiees=(\d+)/)![1]),
      ['0', '0'],
    );
    const page = await getAs(t.app, instructor, again[0]!.headers.location as string);
    assert.match(page.body, /Aucune décision nouvelle à notifier/);
    // The mails leave right after the responses; a worker finds whatever is left, then nothing.
    await sendMail();
    assert.equal((await sendMail()).length, 0);
    for (const who of [laureate, declined]) {
      const deadline = Date.now() + 15_000;
      while (decisionMails(who).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(decisionMails(laureate).length, 1);
    assert.match(decisionMails(laureate)[0]!.text, /est désormais : lauréate\.[\s\S]*Motivation : Retenue par le comité/);
    assert.equal(decisionMails(declined).length, 1);
    assert.match(decisionMails(declined)[0]!.text, /non retenue[\s\S]*Motivation : Trop tôt/);
    assert.equal(smtp.all(pending.email).length, 0);
    // A later decision on the same application is told once more, and only it.
    await forceStatus(db(), b, 'non_retenue');
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${b}/statut`, { statut: 'refusee', motif: 'Confirmé' })).statusCode, 303);
    assert.match((await postForm(t.app, instructor, `/instruction/appels/${amiId}/notifications`)).headers.location as string, /notifiees=1$/);
  });

  test('financement d’une lauréate : tranches de l’AMI, versements jamais au-delà de la tranche, année 3 conditionnelle, rapports', async () => {
    const owner = await signedInAs(t.app, db());
    const id = await depositedApplication(db(), amiId, owner, 'Lauréate financée');
    const base = `/instruction/candidatures/${id}/financement`;
    const early = await postForm(t.app, instructor, base, { debut: '2021-12-01' });
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /lauréate seulement/);
    await forceStatus(db(), id, 'laureate');
    assert.equal((await postForm(t.app, instructor, base, { debut: '2021-13-01' })).statusCode, 400);
    assert.equal((await postForm(t.app, instructor, base, { debut: '2021-12-01' })).statusCode, 303);
    const tranches = await rows<{ id: number; label: string; montant: string | null; echeance: string; conditionnelle: boolean }>(
      db(),
      sql`
      select t.id::int as id, t.label, t.montant::text as montant, t.echeance::text as echeance, t.conditionnelle
      from convention_tranche t join convention c on c.id = t.convention_id where c.candidature_id = ${id} order by t.position`,
    );
    assert.deepEqual(
      tranches.map((tr) => [tr.montant && Number(tr.montant), tr.echeance, tr.conditionnelle]),
      [
        [100000, '2021-12-01', false],
        [null, '2023-12-01', true],
      ],
    );
    const [years12, year3] = tranches as [(typeof tranches)[0], (typeof tranches)[0]];
    const pay = (tranche: number, montant: string) =>
      postForm(t.app, instructor, `${base}/versements`, { tranche: String(tranche), montant, verse_le: '2022-01-15' });
    assert.equal((await pay(years12.id, '60 000')).statusCode, 303);
    const before = await count(db(), 'versement');
    const over = await pay(years12.id, '40 000,01');
    assert.equal(over.statusCode, 400);
    assert.match(over.body, /dépasserait la tranche : il reste 40\s000,00\s€/);
    const unset = await pay(year3.id, '1 000');
    assert.equal(unset.statusCode, 400);
    assert.match(unset.body, /pas encore fixé/);
    assert.equal(await count(db(), 'versement'), before);
    assert.equal((await pay(years12.id, '40 000')).statusCode, 303);
    assert.equal((await postForm(t.app, instructor, `${base}/tranches/${year3.id}`, { montant: '30 000' })).statusCode, 303);
    assert.match((await pay(year3.id, '1 000')).body, /conditionnelle : constatez/);
    assert.equal((await postForm(t.app, instructor, `${base}/tranches/${year3.id}`, { condition_levee: 'oui' })).statusCode, 303);
    assert.equal((await pay(year3.id, '30 000')).statusCode, 303);
    assert.equal((await postForm(t.app, instructor, `${base}/rapports`, { libelle: 'Rapport d’étape année 1', echeance: '2022-12-31' })).statusCode, 303);
    const page = await getAs(t.app, instructor, base);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Rapport d’étape année 1[\s\S]*En retard/);
    assert.match(page.body, /<dt>Versé<\/dt><dd>130\s000,00\s€<\/dd>/);
  });

  test('annotations et messages : le script injecté est affiché échappé ; le fil réservé au candidat propriétaire', async () => {
    const owner = await signedInAs(t.app, db());
    const id = await depositedApplication(db(), amiId, owner);
    const attack = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${id}/annotations`, { texte: attack })).statusCode, 303);
    assert.equal((await postForm(t.app, owner, `/candidatures/${id}/messages`, { texte: attack })).statusCode, 303);
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${id}/messages`, { texte: attack })).statusCode, 303);
    for (const [who, url] of [
      [instructor, `/instruction/candidatures/${id}`],
      [owner, `/candidatures/${id}/messages`],
    ] as const) {
      const body = (await getAs(t.app, who, url)).body;
      assert.ok(!body.includes(attack), url);
      assert.ok(!body.includes('<img src=x'), url);
      assert.ok(body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), url);
    }
    const empty = await postForm(t.app, owner, `/candidatures/${id}/messages`, { texte: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Écrivez votre message/);
    const stranger = await signedInAs(t.app, db());
    assert.equal((await getAs(t.app, stranger, `/candidatures/${id}/messages`)).statusCode, 404);
  });

  test('RGPD : les données d’instruction d’une personne s’exportent ; à la suppression, son nom s’efface et ses désignations cessent', async () => {
    const exported = Object.fromEntries(
      await Promise.all(instructionPersonalData.map(async (section) => [section.name, await section.query(db(), reviewer.id)] as const)),
    );
    assert.ok((exported.fiches_de_notation as unknown[]).length > 0);
    assert.equal((exported.evaluation_appels as { appel: number }[])[0]!.appel, amiId);
    await db().transaction(async (tx) => {
      for (const step of instructionErasure) await step.run(tx, reviewer.id);
    });
    const labels = await rows<{ evaluator_label: string }>(db(), sql`select distinct evaluator_label from evaluation where account_id = ${reviewer.id}`);
    assert.deepEqual(
      labels.map((l) => l.evaluator_label),
      ['Compte supprimé'],
    );
    assert.equal((await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from appel_evaluateur where account_id = ${reviewer.id}`))!.n, 0);
  });
});
