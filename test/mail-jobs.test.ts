/**
 * Every mail is a job written with the change it speaks of, through HTTP on each real database and real SMTP
 * servers on loopback: a sign-up whose process dies before its mail left still gets its verification mail when
 * a worker runs; a mail the SMTP server keeps refusing is retried with growing delays, then shown to the admins
 * (its error code, nothing of its content) and sent once they retry it; with the mail folder unusable, the
 * sign-up says the mail will be sent, not that it was, and the mail leaves once the folder is repaired.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import { checkedRows, type Db } from '../src/db/database.ts';
import { MAIL_ATTEMPTS, MAIL_JOB, mailJob } from '../src/platform/jobs/mail.ts';
import { runDueJobs } from '../src/platform/jobs/queue.ts';
import { emlFileMailer, smtpMailer, type Mailer } from '../src/platform/mail/mailer.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, linkIn, signedInAs, startSmtpCapture, type SmtpCapture } from './support/accounts.ts';

const PASSWORD = 'un mot de passe assez long';

const mailRow = z.object({
  id: z.number(),
  attempts: z.number(),
  last_error: z.string().nullable(),
  done: z.boolean(),
  failed: z.boolean(),
  run_at: z.coerce.date(),
});

/** The mail jobs written for `to`, oldest first. */
function mailJobsFor(db: Db, to: string) {
  return checkedRows(
    db,
    mailRow,
    sql`select id::int as id, attempts, last_error, done_at is not null as done, failed_at is not null as failed, run_at
    from job where kind = ${MAIL_JOB} and payload->>'to' = ${to} order by id`,
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Toujours pas : ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const signUp = (t: TestApp, email: string) =>
  new Client(t.app).submit('/compte/inscription', '/compte/inscription', { email, nom: 'Dominique Test', mot_de_passe: PASSWORD });

/** A mailer whose sends never end until `release()` (then every send fails at once): the process is gone before its mail left. */
function stuckMailer(): Mailer & { release(): void } {
  const waiting: (() => void)[] = [];
  let released = false;
  return {
    description: 'bloqué',
    send: () =>
      new Promise<void>((_resolve, reject) => {
        const stop = () => reject(new Error('processus arrêté'));
        if (released) stop();
        else waiting.push(stop);
      }),
    async close() {},
    release() {
      released = true;
      for (const stop of waiting.splice(0)) stop();
    },
  };
}

/** A real SMTP server that refuses every recipient with a temporary error quoting the address, until `accept = true`. */
async function startFlakySmtp() {
  const state = { accept: false, refused: 0, subjects: [] as string[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.accept) return callback();
      state.refused++;
      callback(Object.assign(new Error(`Boîte de ${address.address} indisponible, réessayez plus tard`), { responseCode: 450 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          state.subjects.push(parsed.subject ?? '');
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    state,
    mailer: smtpMailer(`smtp://127.0.0.1:${port}`, 'Maillage <ne-pas-repondre@localhost>'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Courriels en file', () => {
  let smtp: SmtpCapture;
  let n = 0;
  const uniqueEmail = (label: string) => `${label}.${process.pid}.${++n}@exemple.fr`;

  before(async () => {
    smtp = await startSmtpCapture();
  });
  after(async () => {
    await smtp.close();
  });

  test('une inscription dont le processus meurt avant l’envoi reçoit son courriel de vérification quand un worker passe', async () => {
    const stuck = stuckMailer();
    const t = await buildTestApp({ demo: false, mailer: stuck });
    try {
      const email = uniqueEmail('interrompue');
      assert.equal((await signUp(t, email)).statusCode, 303);
      // The request is answered and the mail has not left: it is a job of the same transaction as the account.
      const [job] = await mailJobsFor(t.database.db, email);
      assert.ok(job, 'le courriel de vérification est écrit avec le compte');
      assert.equal(job.done, false);
      // The send that follows the response takes the job (its claim may still be in flight, the row locked and
      // skipped by any other worker); then that process « dies » with the mail unsent.
      await until('l’envoi qui suit la réponse a pris la tâche', async () => (await mailJobsFor(t.database.db, email)).find((j) => j.attempts === 1));
      // Another process's worker, once the lease of the dead one has passed, delivers it over SMTP.
      const outcomes = await runDueJobs(t.database.db, { [MAIL_JOB]: mailJob(smtp.mailer) }, new Date(Date.now() + 6 * 60_000));
      assert.deepEqual(
        outcomes.map((o) => [o.id, o.status]),
        [[job.id, 'done']],
      );
      const mail = await smtp.next(email);
      assert.equal(mail.subject, 'Confirmez votre adresse e-mail sur Maillage');
      const client = new Client(t.app);
      assert.equal((await client.get(linkIn(mail, '/compte/verification'))).statusCode, 200);
      stuck.release();
      assert.equal((await mailJobsFor(t.database.db, email))[0]!.done, true);
      assert.equal(smtp.all(email).length, 1);
    } finally {
      stuck.release();
      await t.close();
    }
  });

  test('un courriel refusé est réessayé avec des délais croissants, puis montré aux admins sans son contenu ; relancé, il part', async () => {
    const flaky = await startFlakySmtp();
    const t = await buildTestApp({ demo: false, mailer: flaky.mailer });
    const db = t.database.db;
    try {
      const email = uniqueEmail('refusee');
      const before = Date.now();
      const created = await signUp(t, email);
      assert.equal(created.statusCode, 303);
      // The first attempt follows the response at once, and fails: kept with its code, due again 30 s later.
      const first = await until('premier essai', async () => (await mailJobsFor(db, email)).find((j) => j.attempts === 1 && j.last_error));
      assert.equal(first.last_error, 'EENVELOPE 450');
      assert.ok(first.run_at.getTime() >= before + 30_000, 'le nouvel essai attend');
      const mailer = { [MAIL_JOB]: mailJob(flaky.mailer) };
      // Each next attempt, at the instant it is due: the delay before the following one grows.
      const delays: number[] = [];
      let job = first;
      while (!job.failed) {
        const clock = job.run_at.getTime() + 1000;
        const outcomes = await runDueJobs(db, mailer, new Date(clock));
        assert.equal(outcomes.length, 1);
        job = (await mailJobsFor(db, email))[0]!;
        if (!job.failed) delays.push((job.run_at.getTime() - clock) / 1000);
      }
      assert.equal(job.attempts, MAIL_ATTEMPTS);
      assert.equal(flaky.state.refused, MAIL_ATTEMPTS);
      assert.ok(
        delays.every((delay, i) => delay > 30 && (i === 0 || delay >= delays[i - 1]!)),
        `délais croissants : ${delays.join(', ')}`,
      );
      assert.deepEqual(flaky.state.subjects, []);

      const admin = await signedInAs(t.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
      const page = await admin.client.get('/admin/courriels');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Courriels en échec<\/h1>/);
      assert.match(page.body, /Confirmation d’adresse e-mail/);
      assert.match(page.body, /<code>EENVELOPE 450<\/code>/);
      assert.match(page.body, new RegExp(`${MAIL_ATTEMPTS} sur ${MAIL_ATTEMPTS}`));
      assert.match(page.body, /Abandonné le/);
      for (const secret of [email, 'Confirmez votre adresse', 'jeton', 'indisponible']) {
        assert.ok(!page.body.includes(secret), `la page ne montre pas « ${secret} »`);
      }
      const someone = await signedInAs(t.app, db);
      assert.notEqual((await someone.client.get('/admin/courriels')).statusCode, 200);

      // The mail server is back: the admins retry, and the mail leaves right after their request.
      flaky.state.accept = true;
      const retried = await admin.client.submit('/admin/courriels', '/admin/courriels/relance', {});
      assert.equal(retried.statusCode, 303);
      assert.equal(retried.headers.location, '/admin/courriels?relances=1');
      await until('courriel parti', async () => ((await mailJobsFor(db, email))[0]!.done ? true : undefined));
      assert.deepEqual(flaky.state.subjects, ['Confirmez votre adresse e-mail sur Maillage']);
      assert.match((await admin.client.get('/admin/courriels')).body, /Aucun courriel en échec\./);
    } finally {
      await t.close();
      await flaky.close();
    }
  });

  test('dossier des courriels inutilisable : l’inscription dit que le courriel va partir, et il reste en file avec son code', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'maillage-courriels-'));
    // A file where the folder of .eml files should be: the development mailer cannot write there.
    writeFileSync(join(dataDir, 'mail'), '');
    const t = await buildTestApp({ demo: false, config: { MAILLAGE_DATA_DIR: dataDir } });
    try {
      const email = uniqueEmail('dossier');
      const client = new Client(t.app);
      const created = await client.submit('/compte/inscription', '/compte/inscription', { email, nom: 'Dominique Test', mot_de_passe: PASSWORD });
      assert.equal(created.statusCode, 303);
      const sent = await client.get(created.headers.location as string);
      assert.match(sent.body, /un e-mail va y être envoyé dans quelques instants/);
      assert.doesNotMatch(sent.body, /vient d’y être envoyé/);
      const job = await until('premier essai', async () => (await mailJobsFor(t.database.db, email)).find((j) => j.attempts === 1 && j.last_error));
      assert.match(job.last_error!, /^E[A-Z]+$/);
      assert.equal(job.done, false);
      assert.equal(job.failed, false);
      // The folder repaired, the job leaves at its next run, with what the running process holds: nothing to restart.
      rmSync(join(dataDir, 'mail'));
      const mailer = emlFileMailer(join(dataDir, 'mail'), 'maillage@localhost');
      await runDueJobs(t.database.db, { [MAIL_JOB]: mailJob(mailer) }, new Date(job.run_at.getTime() + 60_000));
      const [delivered] = await mailJobsFor(t.database.db, email);
      assert.equal(delivered!.done, true);
      assert.equal(readdirSync(join(dataDir, 'mail')).length, 1);
    } finally {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
