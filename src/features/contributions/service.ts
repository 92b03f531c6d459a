/**
 * What contributions do, whatever the door: a proposal of a new object goes to the moderation queue of its
 * régions; an edit goes there too, unless its author may edit the object directly (its admins, publishers,
 * moderators of its région), in which case it is written at once. Either way a written object gets a version,
 * in the same transaction, and the searches' caches are dropped after the commit.
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { canEditCooperation, canEditOrganisation, canPublishDispositif, type Actor } from '../../domain/authorization.ts';
import type { ContributionAction, ContributionKind } from '../../domain/contribution.ts';
import type { AppContext } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { ensureWritable, objectRegions, readSnapshot, writeObject } from './objects.ts';
import { proposalRegions, type DispositifProposal, type OrganisationProposal, type Proposal } from './schemas.ts';
import { recordVersion } from './versions.ts';

/** Where an object written through Maillage says it comes from. */
export const CONTRIBUTION_SOURCE = 'Contribution sur Maillage';

/** May this person write the object directly, without the queue? */
export function mayEditDirectly(actor: Actor | null, kind: ContributionKind, id: number, current: Proposal, regions: string[]): boolean {
  if (kind === 'organisation') {
    const siret = (current as OrganisationProposal).siret;
    // Without SIRET, no organisation admin can hold on it: moderators of its région only.
    return canEditOrganisation(actor, { siret: siret ?? '', regionCode: regions[0] ?? null });
  }
  if (kind === 'cooperation') return canEditCooperation(actor, { id, regionCodes: regions });
  return canPublishDispositif(actor, { porteurs: (current as DispositifProposal).porteurs, regionCodes: regions });
}

/** Drops what the searches keep in memory, once a write has committed. */
export function afterObjectWrite(context: AppContext, kind: ContributionKind): void {
  if (kind === 'dispositif') {
    context.onCatalogueChange();
    return;
  }
  context.onAtlasChange();
}

export type SubmitResult = { type: 'queued'; contributionId: number } | { type: 'applied'; objectId: number };

export interface SubmitInput {
  kind: ContributionKind;
  action: ContributionAction;
  /** The object edited (modification), whose current state and régions are given. */
  target: { id: number; current: Proposal; regions: string[] } | null;
  data: Proposal;
}

export async function submitProposal(context: AppContext, actor: CurrentAccount, input: SubmitInput): Promise<SubmitResult> {
  const { kind, target, data } = input;
  const db = context.database.db;
  const regions = [...new Set([...(target?.regions ?? []), ...proposalRegions(kind, data, context.territories)])].sort();
  const result = await db.transaction(async (tx): Promise<SubmitResult> => {
    await ensureWritable(tx, kind, data, target?.id ?? null);
    if (target && mayEditDirectly(actor, kind, target.id, target.current, target.regions)) {
      // The state before is read in the transaction, after the row lock, so the version diff is exact.
      const objectId = await writeObjectWithVersion(tx, kind, data, target.id, { authorId: actor.id, contributionId: null });
      await recordAudit(tx, { actor, action: 'contribution.publish', object: { kind, id: objectId }, details: { directe: true } });
      return { type: 'applied', objectId };
    }
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into contribution (kind, action, target_id, data, base, region_codes, author_id)
      values (${kind}, ${input.action}, ${target?.id ?? null}, ${JSON.stringify(data)}::jsonb, ${target ? JSON.stringify(target.current) : null}::jsonb,
        string_to_array(${regions.join(',')}, ','), ${actor.id})
      returning id::int as id`,
    );
    return { type: 'queued', contributionId: created!.id };
  });
  if (result.type === 'applied') afterObjectWrite(context, kind);
  return result;
}

/** Writes the proposal (a new object when targetId is null) and its version, on the caller's transaction. */
export async function writeObjectWithVersion(
  tx: Db,
  kind: ContributionKind,
  data: Proposal,
  targetId: number | null,
  by: { authorId: number | null; contributionId: number | null },
): Promise<number> {
  if (targetId !== null) await tx.execute(sql`select id from ${sql.raw(kind)} where id = ${targetId} for update`);
  const before = targetId === null ? null : ((await readSnapshot(tx, kind, targetId)) ?? null);
  const objectId = await writeObject(tx, kind, data, { id: targetId, source: CONTRIBUTION_SOURCE, contributionId: by.contributionId });
  await recordVersion(tx, kind, objectId, before, by);
  return objectId;
}

/** The object a form edits: its current state and régions, or undefined when it does not exist. */
export async function loadTarget(db: Db, kind: ContributionKind, id: number, context: AppContext) {
  const current = await readSnapshot(db, kind, id);
  if (!current) return undefined;
  const regions = (await objectRegions(db, kind, id, context.territories)) ?? [];
  return { id, current, regions };
}
