import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, textArray, type Db } from '../../db/database.ts';
import { USAGE_KINDS, type UsageKind } from './kinds.ts';

export interface UsagePeriod {
  du: string;
  au: string;
}

const dailyRow = z.object({ day: z.string(), kind: z.enum(Object.keys(USAGE_KINDS) as [UsageKind, ...UsageKind[]]), count: z.number().int() });
export type DailyCount = z.infer<typeof dailyRow>;

/** The counts of each day of the period (both ends included), by day then kind. */
export async function dailyCounts(db: Db, period: UsagePeriod): Promise<DailyCount[]> {
  return checkedRows(
    db,
    dailyRow,
    sql`select to_char(day, 'YYYY-MM-DD') as day, kind, count::int as count from usage_daily
      where day between ${period.du}::date and ${period.au}::date and kind = any(${textArray(Object.keys(USAGE_KINDS))})
      order by day, kind`,
  );
}
