/**
 * Loads the knowledge base's first resources (examples from the source documents) once, in one transaction that
 * also writes their first version: their history starts with their loading.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, firstRow, jsonRecords, type Db } from '../../db/database.ts';
import { recordFirstVersions } from '../../platform/object-snapshots.ts';
import { seedResources } from './resources.ts';

/** Arbitrary key of the advisory lock that keeps two instances starting together from loading twice. */
const KNOWLEDGE_LOCK_KEY = 7_263_017;

/** Who signs a seeded resource's first version: the source it cites. Also written when one loaded before it had versions is first edited. */
export const ORIGINAL_VERSION_LABEL = 'Version d’origine (source citée sur la ressource)';

const hasResources = async (db: Db) => !!(await firstRow(db, sql`select 1 from ressource limit 1`));

export async function loadKnowledgeIfEmpty(db: Db): Promise<number> {
  if (await hasResources(db)) return 0;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KNOWLEDGE_LOCK_KEY})`);
    if (await hasResources(tx)) return 0;
    const inserted = await checkedRows(
      tx,
      z.object({ id: z.number().int() }),
      sql`insert into ressource (titre, type, resume, corps, themes, stades, modeles, is_example, source)
      select r.titre, r.type, r.resume, r.corps, r.themes, r.stades, r.modeles, true, r.source
      from json_to_recordset(${jsonRecords(seedResources)}) as r(titre text, type text, resume text, corps text, themes text[],
        stades text[], modeles text[], source text)
      returning id::int as id`,
    );
    await recordFirstVersions(
      tx,
      'ressource',
      inserted.map((r) => r.id),
      ORIGINAL_VERSION_LABEL,
    );
    return inserted.length;
  });
}
