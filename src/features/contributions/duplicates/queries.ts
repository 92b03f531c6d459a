/**
 * Finding likely duplicates. For one record (a proposal), the trigram operator `%` (pg_trgm's default threshold,
 * 0.3) lets the GIN index on name_search pick the candidates, and the domain's threshold, higher, decides. For
 * the moderators' list, the domain pairs the names of their régions in memory. Same-SIRET pairs cannot exist
 * between two organisations (siret is unique): the SIRET rule applies to a proposal against the records, where a
 * record imported since the proposal may carry the proposed SIRET.
 */
import { sql, type SQL } from 'drizzle-orm';
import { textArray, type Db, checkedRows, checkedFirstRow } from '../../../db/database.ts';
import { DUPLICATE_SIMILARITY, likelyPairs, type DuplicateProbe, type DuplicateReason } from '../../../domain/duplicates.ts';
import type { ContributionKind } from '../../../domain/contribution.ts';
import { z } from 'zod';

export type DuplicateKind = 'organisation' | 'cooperation';

export const isDuplicateKind = (kind: ContributionKind): kind is DuplicateKind => kind === 'organisation' || kind === 'cooperation';

/** The table of a kind, as an SQL identifier (from the closed list of kinds, never from input). */
export const tableOf = (kind: DuplicateKind): SQL => sql.raw(kind);
/** A record's SIRET column (cooperations have none). */
export const siretOf = (kind: DuplicateKind, alias: string): SQL => sql.raw(kind === 'organisation' ? `${alias}.siret` : 'null::text');

export interface PairSide {
  id: number;
  nom: string;
}
export interface DuplicatePair {
  a: PairSide;
  b: PairSide;
  commune_code: string;
  similarity: number;
}

const pairIdsRow = z.object({ first_id: z.number(), second_id: z.number() });

const pairSideRow = z.object({ id: z.number(), nom: z.string(), commune_code: z.string() });

/**
 * Pairs of records with close names in the same commune, in the régions given, except those dismissed; closest
 * first. The names of the régions are read once and paired in memory (likelyPairs): inside the database, each
 * record against its commune cost the square of the commune's size.
 */
export async function duplicatePairs(db: Db, kind: DuplicateKind, regions: 'all' | string[], limit = 200): Promise<DuplicatePair[]> {
  const inRegions = regions === 'all' ? sql`true` : sql`region_code = any(${textArray(regions)})`;
  const [records, dismissed] = await Promise.all([
    checkedRows(
      db,
      pairSideRow,
      sql`select id::int as id, name as nom, commune_code
      from ${tableOf(kind)} where commune_code is not null and ${inRegions}`,
    ),
    checkedRows(
      db,
      pairIdsRow,
      sql`select first_id::int as first_id, second_id::int as second_id
      from duplicate_dismissal where kind = ${kind}`,
    ),
  ]);
  const byId = new Map(records.map((r) => [r.id, r]));
  const skipped = new Set(dismissed.map((d) => `${d.first_id}-${d.second_id}`));
  return likelyPairs(records.map((r) => ({ id: r.id, name: r.nom, commune: r.commune_code })))
    .filter((p) => !skipped.has(`${p.a}-${p.b}`))
    .sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b)
    .slice(0, limit)
    .map((p) => {
      const a = byId.get(p.a)!;
      const b = byId.get(p.b)!;
      return { a: { id: a.id, nom: a.nom }, b: { id: b.id, nom: b.nom }, commune_code: a.commune_code, similarity: p.similarity };
    });
}

export interface DuplicateCandidate {
  id: number;
  nom: string;
  commune_code: string | null;
  reason: DuplicateReason;
}

const likelyDuplicatesOfRow = z.object({
  id: z.number(),
  nom: z.string(),
  siret: z.string().nullable(),
  commune_code: z.string().nullable(),
  similarity: z.number(),
});

/** The records a new record (or a proposal) would likely duplicate: same SIRET, or close name in the same commune. */
export async function likelyDuplicatesOf(db: Db, kind: DuplicateKind, probe: DuplicateProbe, excludeId: number | null = null): Promise<DuplicateCandidate[]> {
  const name = sql`immutable_unaccent(lower(${probe.name}))`;
  const bySiret = kind === 'organisation' && !!probe.siret;
  const sameSiret = bySiret ? sql`siret = ${probe.siret}` : sql`false`;
  const found = await checkedRows(
    db,
    likelyDuplicatesOfRow,
    sql`
    select id::int as id, name as nom, ${siretOf(kind, kind)} as siret, commune_code,
      similarity(name_search, ${name})::float8 as similarity
    from ${tableOf(kind)}
    where id is distinct from ${excludeId}
      and (${sameSiret} or (commune_code = ${probe.commune} and name_search % ${name} and similarity(name_search, ${name}) >= ${DUPLICATE_SIMILARITY}))
    order by ${bySiret ? sql`${sameSiret} desc,` : sql``} similarity desc, id limit 20`,
  );
  return found.map((r) => ({
    id: r.id,
    nom: r.nom,
    commune_code: r.commune_code,
    reason: probe.siret && r.siret === probe.siret ? { type: 'siret' } : { type: 'nom', similarity: r.similarity },
  }));
}

/** What a contribution is, as far as duplicates go. */
export interface ProposalLike {
  kind: ContributionKind;
  action: string;
  target_id: number | null;
  data: unknown;
}

/** The likely duplicates of a proposed new organisation or cooperation (none for edits and schemes). */
export async function proposalDuplicates(db: Db, c: ProposalLike): Promise<DuplicateCandidate[]> {
  if (c.action !== 'creation' || !isDuplicateKind(c.kind)) return [];
  const data = c.data as { nom?: string; siret?: string | null; commune?: string | null };
  if (!data.nom) return [];
  return likelyDuplicatesOf(db, c.kind, { name: data.nom, siret: data.siret ?? null, commune: data.commune ?? null }, c.target_id);
}

const keptIdRow = z.object({ kept_id: z.number() });

/** The record a merged one was merged into, if it was. */
export async function mergedInto(db: Db, kind: DuplicateKind, id: number): Promise<number | undefined> {
  const row = await checkedFirstRow(db, keptIdRow, sql`select kept_id::int as kept_id from merged_record where kind = ${kind} and merged_id = ${id}`);
  return row?.kept_id;
}
