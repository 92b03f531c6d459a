/**
 * The version history of public objects: every write through Maillage (an accepted contribution, a direct
 * edit) adds the object's new state, read back from its row. An object loaded from a source (import, demo)
 * gets version 1 when it is loaded, signed by its source (platform/object-snapshots.ts); one loaded before
 * that existed has none, and its first edit records the state before as version 1, without author.
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedRows, checkedFirstRow, column } from '../../db/database.ts';
import type { ContributionKind } from '../../domain/contribution.ts';
import { readSnapshot } from './objects.ts';
import type { Proposal } from './schemas.ts';
import { z } from 'zod';

const versionRow = z.object({ version: z.number().nullable() });

/** Records the object's current state as its next version; `before` is its state before the write (null for a creation). */
export async function recordVersion(
  tx: Db,
  kind: ContributionKind,
  objectId: number,
  before: Proposal | null,
  by: { authorId: number | null; contributionId: number | null },
): Promise<number> {
  const last = await checkedFirstRow(
    tx,
    versionRow,
    sql`select max(version)::int as version from object_version
    where kind = ${kind} and object_id = ${objectId}`,
  );
  let version = last?.version ?? 0;
  if (version === 0 && before) {
    version = 1;
    await tx.execute(sql`insert into object_version (kind, object_id, version, snapshot)
      values (${kind}, ${objectId}, 1, ${JSON.stringify(before)}::jsonb)`);
  }
  const after = await readSnapshot(tx, kind, objectId);
  await tx.execute(sql`insert into object_version (kind, object_id, version, snapshot, author_id, contribution_id)
    values (${kind}, ${objectId}, ${version + 1}, ${JSON.stringify(after)}::jsonb, ${by.authorId}, ${by.contributionId})`);
  return version + 1;
}

const versionEntryRow = z.object({
  version: z.number(),
  snapshot: column.json,
  at: column.instant,
  author_id: z.number().nullable(),
  /** The author's name, null when the account is deleted (or for the state loaded from a source). */
  author_name: z.string().nullable(),
  /** The source that loaded this state (« Import SIRENE », « Données de démonstration »), when no account wrote it. */
  source_label: z.string().nullable(),
  contribution_id: z.number().nullable(),
});
export type VersionRow = z.infer<typeof versionEntryRow>;

/** Every version of an object, newest first. */
export async function listVersions(db: Db, kind: ContributionKind, objectId: number): Promise<VersionRow[]> {
  return checkedRows(
    db,
    versionEntryRow,
    sql`select v.version, v.snapshot, v.at, v.author_id::int as author_id,
      case when a.deleted_at is null then a.display_name end as author_name, v.source_label,
      v.contribution_id::int as contribution_id
    from object_version v left join account a on a.id = v.author_id
    where v.kind = ${kind} and v.object_id = ${objectId} order by v.version desc`,
  );
}
