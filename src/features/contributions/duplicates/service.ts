/**
 * The moderators' decisions on a pair of records: merge them, or dismiss the pair as « pas un doublon ». Each
 * runs in one transaction that locks both rows and checks that the moderator holds the régions of both; the
 * merge writes the kept record with a version by the moderator (its history shows what the merge changed),
 * moves everything that pointed to the other record onto the kept one, deletes the other and keeps its
 * address as a redirect, and writes the audit log. The searches' caches are dropped after the commit.
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/app-context.ts';
import { type Db, checkedRows, checkedFirstRow } from '../../../db/database.ts';
import { moderatesAny, type Actor } from '../../../domain/authorization.ts';
import { diffRecords } from '../../../domain/diff.ts';
import { applyMergePlan, mergePlan, pairKey, type FieldSource, type RecordValues } from '../../../domain/duplicates.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { forbidden } from '../../../platform/http/guards.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { readSnapshot } from '../objects.ts';
import { MERGE_FIELDS, PROPOSAL_FIELDS, proposalRegions, type CooperationProposal, type OrganisationProposal, type Proposal } from '../schemas.ts';
import { afterObjectWrite, writeObjectWithVersion } from '../service.ts';
import { mergedInto, siretOf, tableOf, type DuplicateKind } from './queries.ts';
import { z } from 'zod';

const pairRecordRow = z.object({
  id: z.number(),
  name: z.string(),
  siret: z.string().nullable(),
  commune_code: z.string().nullable(),
  region_code: z.string().nullable(),
});
export type PairRecord = z.infer<typeof pairRecordRow>;

const MISSING: Record<DuplicateKind, (id: number) => string> = {
  organisation: (id) => `Aucune structure ne porte l'identifiant ${id}.`,
  cooperation: (id) => `Aucune coopération ne porte l'identifiant ${id}.`,
};

const regionCodeRow = z.object({ region_code: z.string().nullable() });

/**
 * The two records, in the order asked, when they are two, exist, were not merged already, and the moderator
 * holds the régions of both (400, 409, 404, 403 otherwise). `lock` takes their rows for the transaction.
 */
export async function loadPair(db: Db, actor: Actor, kind: DuplicateKind, id: number, otherId: number, lock = false): Promise<[PairRecord, PairRecord]> {
  if (id === otherId) {
    throw new RuleError('meme_fiche', 'Une fiche ne peut pas être comparée ni fusionnée avec elle-même : choisissez deux fiches différentes.', {
      kind: 'invalid',
    });
  }
  // A record absent was merged (409) or never existed (404); read under the lock, a merge committed meanwhile counts.
  const found = await checkedRows(
    db,
    pairRecordRow,
    sql`select id::int as id, name, ${siretOf(kind, kind)} as siret,
      commune_code, region_code from ${tableOf(kind)} where id in (${id}, ${otherId}) order by id ${lock ? sql`for update` : sql``}`,
  );
  const ensureModerated = (region: string | null | undefined) => {
    if (!moderatesAny(actor, region ? [region] : [])) throw forbidden('Ces fiches relèvent de la modération d’une autre région.');
  };
  const pick = async (wanted: number) => {
    const record = found.find((r) => r.id === wanted);
    if (record) return record;
    const kept = await mergedInto(db, kind, wanted);
    if (kept === undefined) throw new RuleError('fiche_inconnue', MISSING[kind](wanted), { kind: 'not_found' });
    // Said merged only to the moderators of the record it went into.
    ensureModerated((await checkedFirstRow(db, regionCodeRow, sql`select region_code from ${tableOf(kind)} where id = ${kept}`))?.region_code);
    throw new RuleError('deja_fusionnee', `La fiche n° ${wanted} a déjà été fusionnée dans la fiche n° ${kept}.`);
  };
  const pair: [PairRecord, PairRecord] = [await pick(id), await pick(otherId)];
  for (const record of pair) ensureModerated(record.region_code);
  return pair;
}

const keysRow = z.object({ table_name: z.string(), column_name: z.string() });

/** Moves what pointed to record `from` onto record `to`, without making two rows of one. */
async function moveReferences(tx: Db, kind: DuplicateKind, from: number, to: number): Promise<void> {
  if (kind === 'organisation') {
    // A cooperation that counted both records as members keeps the kept one's member row.
    await tx.execute(sql`delete from cooperation_member m where m.organisation_id = ${from}
      and exists (select 1 from cooperation_member k where k.cooperation_id = m.cooperation_id and k.organisation_id = ${to})`);
    // One waiting claim per person and organisation (a unique index says so).
    await tx.execute(sql`delete from organisation_claim c where c.organisation_id = ${from} and c.status = 'en_attente'
      and exists (select 1 from organisation_claim k where k.organisation_id = ${to} and k.account_id = c.account_id and k.status = 'en_attente')`);
    // The kept record accepts the local currencies of both (one row per organisation and currency).
    await tx.execute(sql`insert into organisation_monnaie_locale (organisation_id, monnaie_locale_id)
      select ${to}, monnaie_locale_id from organisation_monnaie_locale where organisation_id = ${from} on conflict do nothing`);
    await tx.execute(sql`delete from organisation_monnaie_locale where organisation_id = ${from}`);
  } else {
    await tx.execute(sql`delete from cooperation_member m where m.cooperation_id = ${from}
      and exists (select 1 from cooperation_member k where k.cooperation_id = ${to}
        and (k.organisation_id = m.organisation_id or (m.organisation_id is null and k.organisation_id is null and lower(k.name) = lower(m.name))))`);
    await moveRoles(tx, 'cooperation', String(from), String(to));
  }
  // Every foreign key to the table (members, claims, scheme providers, calls…), read from the catalogue so that
  // a table added by a later feature is moved too.
  const keys = await checkedRows(
    tx,
    keysRow,
    sql`select c.conrelid::regclass::text as table_name,
      quote_ident(a.attname) as column_name
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = ${kind}::regclass and cardinality(c.conkey) = 1 order by 1, 2`,
  );
  for (const key of keys) {
    await tx.execute(sql`update ${sql.raw(key.table_name)} set ${sql.raw(key.column_name)} = ${to} where ${sql.raw(key.column_name)} = ${from}`);
  }
  await tx.execute(sql`update contribution set target_id = ${to} where kind = ${kind} and target_id = ${from}`);
  await tx.execute(sql`update error_report set object_id = ${to} where kind = ${kind} and object_id = ${from}`);
}

/** Roles held on one scope (a cooperation's id, an organisation's SIRET) now held on another. */
async function moveRoles(tx: Db, scopeKind: 'organisation' | 'cooperation', from: string, to: string): Promise<void> {
  await tx.execute(sql`insert into account_role (account_id, role, scope_kind, scope_code, granted_at, granted_by)
    select account_id, role, scope_kind, ${to}, granted_at, granted_by from account_role where scope_kind = ${scopeKind} and scope_code = ${from}
    on conflict do nothing`);
  await tx.execute(sql`delete from account_role where scope_kind = ${scopeKind} and scope_code = ${from}`);
}

export interface MergeRequest {
  keptId: number;
  otherId: number;
  choices: Record<string, FieldSource>;
}

export async function mergeRecords(context: AppContext, actor: CurrentAccount, kind: DuplicateKind, request: MergeRequest): Promise<void> {
  const { keptId, otherId } = request;
  await context.database.db.transaction(async (tx) => {
    await loadPair(tx, actor, kind, keptId, otherId, true);
    const kept = (await readSnapshot(tx, kind, keptId)) as RecordValues;
    const other = (await readSnapshot(tx, kind, otherId)) as RecordValues;
    // Every value comes from one of the two stored records: not validated again as a form would be, so that an
    // imported value the forms would refuse today (an old NAF code) does not prevent the merge.
    const merged = applyMergePlan(mergePlan(MERGE_FIELDS[kind], kept, other), request.choices) as Proposal;
    if (!moderatesAny(actor, proposalRegions(kind, merged, context.territories))) {
      throw forbidden('La fiche fusionnée relèverait d’une région que vous ne modérez pas.');
    }
    await moveReferences(tx, kind, otherId, keptId);
    // The members of both are now the kept one's (moveReferences): written back as they are.
    if (kind === 'cooperation') {
      (merged as CooperationProposal).membres = ((await readSnapshot(tx, kind, keptId)) as CooperationProposal).membres;
    }
    if (kind === 'organisation') {
      const siret = (merged as OrganisationProposal).siret;
      for (const old of new Set([kept.siret, other.siret])) {
        if (siret && typeof old === 'string' && old !== siret) await moveRoles(tx, 'organisation', old, siret);
      }
    }
    // The redirects that led to the merged record now lead to the kept one (one hop), then its own.
    await tx.execute(sql`update merged_record set kept_id = ${keptId} where kind = ${kind} and kept_id = ${otherId}`);
    await tx.execute(sql`insert into merged_record (kind, merged_id, kept_id, snapshot, merged_by)
      values (${kind}, ${otherId}, ${keptId}, ${JSON.stringify(other)}::jsonb, ${actor.id})`);
    await tx.execute(sql`delete from duplicate_dismissal where kind = ${kind} and ${otherId} in (first_id, second_id)`);
    // The merged association's RNA id (unique) moves to the kept record, so that the next RNA import finds it there.
    if (kind === 'organisation') {
      await tx.execute(sql`with moved as (
        update organisation o set rna = null from organisation was where o.id = was.id and o.id = ${otherId} and was.rna is not null returning was.rna)
        update organisation k set rna = moved.rna from moved where k.id = ${keptId} and k.rna is null`);
    }
    // Deleted before the kept record is written: the kept record may take the other's SIRET (unique).
    await tx.execute(sql`delete from ${tableOf(kind)} where id = ${otherId}`);
    await writeObjectWithVersion(tx, kind, merged, keptId, { authorId: actor.id, contributionId: null });
    const changed = diffRecords(kept, merged, PROPOSAL_FIELDS[kind]).map((c) => c.field);
    await recordAudit(tx, {
      actor,
      action: 'duplicate.merge',
      object: { kind, id: keptId },
      details: { fiche_fusionnee: otherId, nom_fusionne: other.nom, champs_repris: changed },
    });
  });
  afterObjectWrite(context, kind);
}

const firstIdRow = z.object({ first_id: z.number() });

/** « Pas un doublon »: the pair is not listed again. Dismissing it twice changes nothing. */
export async function dismissPair(context: AppContext, actor: CurrentAccount, kind: DuplicateKind, id: number, otherId: number): Promise<void> {
  await context.database.db.transaction(async (tx) => {
    await loadPair(tx, actor, kind, id, otherId);
    const [first, second] = pairKey(id, otherId);
    const inserted = await checkedFirstRow(
      tx,
      firstIdRow,
      sql`insert into duplicate_dismissal (kind, first_id, second_id, dismissed_by)
      values (${kind}, ${first}, ${second}, ${actor.id}) on conflict do nothing returning first_id::int as first_id`,
    );
    if (inserted) await recordAudit(tx, { actor, action: 'duplicate.dismiss', object: { kind, id: first }, details: { autre_fiche: second } });
  });
}
