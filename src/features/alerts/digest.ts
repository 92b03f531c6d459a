/**
 * The recurring job that sends alert digests. Each hour it looks at the alerts whose period has passed; for
 * each, in one transaction: takes the alert (SKIP LOCKED: another instance's digest leaves it alone), lists what
 * is new since its watermark, moves the watermark to now and, when something is new, enqueues the mail (sent
 * by the mail job, with retries). Nothing new, no mail. Only live accounts with a confirmed address receive
 * digests: a deleted account's alerts stop, and nobody is mailed at an address they may not own.
 */
import { sql } from 'drizzle-orm';
import { checkedRows, checkedFirstRow, column } from '../../db/database.ts';
import { isDigestDue, alertFrequency, alertKind } from '../../domain/alert.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import type { JobHandler } from '../../platform/jobs/queue.ts';
import { alertDigestMail } from '../../platform/mail/templates.ts';
import { readOrientationData } from '../orientation/service.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { searchPathOf } from './links.ts';
import { ITEM_LABELS, newItems, type MatchContext } from './matching.ts';
import { z } from 'zod';

export const DIGEST_JOB = 'alerts.digest';
const DIGEST_EVERY_SECONDS = 3600;

const dueAlertRow = z.object({
  id: z.number(),
  name: z.string(),
  kind: alertKind.schema,
  query: column.json,
  frequency: alertFrequency.schema,
  watermark_ms: z.number(),
  email: z.string(),
  display_name: z.string(),
});

const candidatesRow = z.object({ id: z.number(), kind: alertKind.schema });

export function alertsDigestJob(deps: { territories: TerritoryIndex; baseUrl: string }): JobHandler {
  const url = (path: string) => new URL(path, deps.baseUrl).toString();
  return {
    everySeconds: DIGEST_EVERY_SECONDS,
    async run(_payload, { db, now, log }) {
      const nowSql = sql`${now.toISOString()}::timestamptz`;
      // The shortest period (a day, less the slack of isDigestDue) narrows the scan; the rule decides below.
      const candidates = await checkedRows(
        db,
        candidatesRow,
        sql`select a.id::int as id, a.kind from alert a
        join account ac on ac.id = a.account_id and ac.deleted_at is null and ac.email_verified_at is not null
        where a.watermark <= ${nowSql} - interval '23 hours' order by a.id`,
      );
      // Read before the transaction opens, so that it holds its connection no longer than the writes need.
      const context: Omit<MatchContext, 'db'> = {
        territories: deps.territories,
        orientationData: candidates.some((c) => c.kind === 'profil_orientation') ? await readOrientationData(db, deps.territories) : undefined,
      };
      for (const candidate of candidates) {
        try {
          await db.transaction(async (tx) => {
            const alert = await checkedFirstRow(
              tx,
              dueAlertRow,
              sql`select a.id::int as id, a.name, a.kind, a.query, a.frequency,
                (extract(epoch from a.watermark) * 1000)::float8 as watermark_ms, ac.email, ac.display_name
              from alert a join account ac on ac.id = a.account_id and ac.deleted_at is null and ac.email_verified_at is not null
              where a.id = ${candidate.id} for update of a skip locked`,
            );
            if (!alert) return;
            const since = new Date(alert.watermark_ms);
            if (!isDigestDue(since, alert.frequency, now)) return;
            const found = await newItems({ ...context, db: tx }, alert.kind, alert.query, { since, until: now });
            await tx.execute(sql`update alert set watermark = ${nowSql}
              ${found.total > 0 ? sql`, last_sent_at = ${nowSql}` : sql``} where id = ${alert.id}`);
            if (found.total === 0) return;
            await enqueueMail(
              tx,
              alertDigestMail(alert.email, {
                name: alert.display_name,
                alertName: alert.name,
                total: found.total,
                items: found.items.map((item) => ({ label: ITEM_LABELS[item.kind], nom: item.nom, url: url(item.path) })),
                searchUrl: url(searchPathOf(alert.kind, alert.query)),
                manageUrl: url('/compte/alertes'),
              }),
              now,
            );
          });
        } catch (error) {
          // One alert that cannot run (its query no longer valid…) must not hold back the others'.
          log.warn({ err: error, alert: candidate.id }, 'Alerte non traitée');
        }
      }
    },
  };
}
