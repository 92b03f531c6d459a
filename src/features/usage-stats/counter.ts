/**
 * Counting without slowing anyone down: a request adds one to a number in memory (a Map lookup), and the
 * counts are added to the daily table (usage_daily) by one upsert every minute, when the app closes and before
 * the statistics page reads them. A crash loses at most the last minute of counts of that instance.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { UsageKind } from './kinds.ts';

const parisDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });

/** The calendar day in Paris of an instant (AAAA-MM-JJ): statistics days are French days. */
export const parisDayOf = (instant: Date) => parisDay.format(instant);

export class UsageCounter {
  private counts = new Map<string, number>();
  private day = '';
  private dayUntil = 0;

  /** Adds one to `kind` today; the day is worked out at most once a second. */
  count(kind: UsageKind, now = Date.now()): void {
    if (now >= this.dayUntil || now < this.dayUntil - 1000) {
      this.day = parisDayOf(new Date(now));
      this.dayUntil = now - (now % 1000) + 1000;
    }
    const key = `${this.day} ${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Adds what was counted since the last flush to the table, in one statement; counts that failed to be written are kept for the next flush. */
  async flush(db: Db): Promise<void> {
    if (this.counts.size === 0) return;
    const taken = this.counts;
    this.counts = new Map();
    const records = [...taken].map(([key, count]) => {
      const [day, kind] = key.split(' ');
      return { day, kind, count };
    });
    try {
      await db.execute(sql`
        insert into usage_daily (day, kind, count)
        select r.day, r.kind, r.count from json_to_recordset(${JSON.stringify(records)}::json) as r(day date, kind text, count bigint)
        on conflict (day, kind) do update set count = usage_daily.count + excluded.count`);
    } catch (error) {
      for (const [key, count] of taken) this.counts.set(key, (this.counts.get(key) ?? 0) + count);
      throw error;
    }
  }
}
