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
  /** Counts by day, then by kind: the kinds are constant strings, so a count is two lookups and no new string. */
  private byDay = new Map<string, Map<UsageKind, number>>();
  private today: Map<UsageKind, number> | undefined;
  private day = '';
  private dayUntil = 0;

  /** Adds one to `kind` today; the day is worked out at most once a second. */
  count(kind: UsageKind, now = Date.now()): void {
    if (now >= this.dayUntil || now < this.dayUntil - 1000) {
      this.day = parisDayOf(new Date(now));
      this.dayUntil = now - (now % 1000) + 1000;
      this.today = undefined;
    }
    let today = this.today;
    if (!today) {
      today = this.byDay.get(this.day) ?? new Map<UsageKind, number>();
      this.byDay.set(this.day, today);
      this.today = today;
    }
    today.set(kind, (today.get(kind) ?? 0) + 1);
  }

  /** Adds what was counted since the last flush to the table, in one statement; counts that failed to be written are kept for the next flush. */
  async flush(db: Db): Promise<void> {
    if (this.byDay.size === 0) return;
    const taken = this.byDay;
    this.byDay = new Map();
    this.today = undefined;
    const records = [...taken].flatMap(([day, kinds]) => [...kinds].map(([kind, count]) => ({ day, kind, count })));
    try {
      await db.execute(sql`
        insert into usage_daily (day, kind, count)
        select r.day, r.kind, r.count from json_to_recordset(${JSON.stringify(records)}::json) as r(day date, kind text, count bigint)
        on conflict (day, kind) do update set count = usage_daily.count + excluded.count`);
    } catch (error) {
      this.today = undefined;
      for (const { day, kind, count } of records) {
        const kinds = this.byDay.get(day) ?? new Map<UsageKind, number>();
        this.byDay.set(day, kinds);
        kinds.set(kind, (kinds.get(kind) ?? 0) + count);
      }
      throw error;
    }
  }
}
