/**
 * Every mail Maillage sends is a job: `enqueueMail` writes it in the transaction of the change it speaks of,
 * so it exists exactly when that change does (a process killed after the commit loses no mail, a rollback
 * sends none). The mail job delivers it, retried with the queue's back-off until MAIL_ATTEMPTS runs are
 * spent, then kept as failed; `failingMails` lists for the admins those that have failed at least once, with
 * their error code and nothing of their content. The first attempt is made right after the response of the
 * request that wrote the mail (`dispatchMailAfterResponses`), so the time a response takes never tells
 * whether a mail was written; the worker of `serve` takes whatever is left.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';
import { enqueue, runDueJobs, type JobHandler } from './queue.ts';

export const MAIL_JOB = 'mail.send';
/** 8 runs: the queue's back-off spreads them over about 15 hours. */
export const MAIL_ATTEMPTS = 8;

const payloadSchema = z.object({
  purpose: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), base64: z.string() })).default([]),
});

function toPayload(message: MailMessage): z.input<typeof payloadSchema> {
  const attachments = (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, base64: a.content.toString('base64') }));
  return { purpose: message.purpose, to: message.to, subject: message.subject, text: message.text, html: message.html, attachments };
}

function fromPayload(payload: unknown): MailMessage {
  const { attachments, ...message } = payloadSchema.parse(payload);
  return { ...message, attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.base64, 'base64') })) };
}

/** Mail written in this process so far: a request during which it moved may have written some. */
let mailWritten = 0;

/** Writes the mail as a job, inside the caller's transaction (give the transaction, not the pool). */
export async function enqueueMail(tx: Db, message: MailMessage, runAt?: Date): Promise<void> {
  await enqueue(tx, { kind: MAIL_JOB, payload: toPayload(message), runAt, maxAttempts: MAIL_ATTEMPTS });
  mailWritten++;
}

/**
 * A failed delivery as it is kept (job.last_error) and logged: nodemailer's or the file system's code and the
 * SMTP reply code, never the server's text, which may quote the address.
 */
export class MailDeliveryError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export function mailErrorCode(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const parts = [typeof code === 'string' && /^[A-Z0-9_]{1,40}$/i.test(code) ? code : 'ERREUR'];
  if (typeof responseCode === 'number') parts.push(String(responseCode));
  return parts.join(' ');
}

export function mailJob(mailer: Mailer): JobHandler {
  return {
    async run(payload) {
      try {
        await mailer.send(fromPayload(payload));
      } catch (error) {
        throw new MailDeliveryError(mailErrorCode(error));
      }
    },
  };
}

/**
 * After the response of each request during which mail was written (its transaction has committed by then),
 * runs the due mail jobs in the background. Returns what waits for the run in progress (the app closing).
 */
export function dispatchMailAfterResponses(app: FastifyInstance, db: Db, handler: JobHandler): () => Promise<void> {
  const seenAtStart = new WeakMap<object, number>();
  let running: Promise<void> | null = null;
  let again = false;
  const run = async () => {
    do {
      again = false;
      await runDueJobs(db, { [MAIL_JOB]: handler }, new Date(), { log: app.log });
    } while (again);
  };
  const wake = () => {
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch((error: unknown) => app.log.error({ err: error }, 'File des courriels indisponible'))
      .finally(() => {
        running = null;
      });
  };
  app.addHook('onRequest', async (request) => {
    seenAtStart.set(request, mailWritten);
  });
  app.addHook('onResponse', async (request) => {
    if (seenAtStart.get(request) !== mailWritten) wake();
  });
  return async () => {
    await running;
  };
}

const failingRow = z.object({
  id: z.number(),
  purpose: z.string(),
  attempts: z.number(),
  max_attempts: z.number(),
  error: z.string(),
  created_at: z.coerce.date(),
  next_attempt: z.coerce.date().nullable(),
  failed_at: z.coerce.date().nullable(),
});
export type FailingMail = z.infer<typeof failingRow>;

/** Mail not delivered after at least one attempt, newest first: what it is for, its attempts, its error code. */
export function failingMails(db: Db, limit = 100): Promise<FailingMail[]> {
  return checkedRows(
    db,
    failingRow,
    sql`select id::int as id, coalesce(payload->>'purpose', '') as purpose, attempts, max_attempts, last_error as error,
      created_at, case when failed_at is null then run_at end as next_attempt, failed_at
    from job where kind = ${MAIL_JOB} and done_at is null and last_error is not null
    order by created_at desc, id desc limit ${limit}`,
  );
}

/** Every abandoned mail gets a new series of attempts, starting now (the mail server is back); returns how many. */
export async function retryFailedMails(db: Db): Promise<number> {
  const retried = await checkedRows(
    db,
    z.object({ id: z.number() }),
    sql`update job set failed_at = null, attempts = 0, run_at = now(), locked_until = null
    where kind = ${MAIL_JOB} and failed_at is not null returning id::int as id`,
  );
  if (retried.length) mailWritten++;
  return retried.length;
}
