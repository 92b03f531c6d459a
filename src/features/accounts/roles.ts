import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';

/** The platform admins, locked until the transaction ends: two admins withdrawing each other cannot both succeed. */
export async function lockedPlatformAdmins(tx: Db): Promise<number[]> {
  const found = await checkedRows(
    tx,
    z.object({ account_id: z.number().int() }),
    sql`select account_id::int as account_id from account_role
    where role = 'platform_admin' order by account_id for update`,
  );
  return [...new Set(found.map((row) => row.account_id))];
}
