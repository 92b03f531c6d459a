/**
 * Mail as a job: written in the same transaction as what it speaks of, sent by a worker, retried when the
 * SMTP server is away (the Outbox of features/mail sends at once and only logs a failure).
 */
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';
import { enqueue, type JobHandler } from './queue.ts';

export const MAIL_JOB = 'mail.send';

const messageSchema = z.object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string() });

export function enqueueMail(db: Db, message: MailMessage, runAt?: Date): Promise<number | null> {
  return enqueue(db, { kind: MAIL_JOB, payload: message, runAt, maxAttempts: 8 });
}

export function mailJob(mailer: Mailer): JobHandler {
  return { run: (payload) => mailer.send(messageSchema.parse(payload)) };
}
