/**
 * Removes from disk the files whose rows were deleted (queued by a trigger in the deleting transaction, see
 * migration 0016). Instances share the queue: each takes rows no other holds (SKIP LOCKED).
 */
import { sql } from 'drizzle-orm';
import { textArray, type Db, checkedRows } from '../../../db/database.ts';
import type { FileStore } from '../../../platform/file-store.ts';
import { z } from 'zod';

const idRow = z.object({ id: z.string() });

export async function sweepErasedFiles(db: Db, store: FileStore): Promise<number> {
  return db.transaction(async (tx) => {
    const queued = await checkedRows(
      tx,
      idRow,
      sql`select id from candidature_fichier_a_effacer
      order by queued_at limit 500 for update skip locked`,
    );
    for (const { id } of queued) await store.remove(id);
    if (queued.length) await tx.execute(sql`delete from candidature_fichier_a_effacer where id = any(${textArray(queued.map((q) => q.id))})`);
    return queued.length;
  });
}
