import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';

/** The dimensions the observatory counts cooperations by. */
export type Dimension = 'modele' | 'region' | 'stade' | 'finalite' | 'modele_economique';

export type CooperationCounts = Record<Dimension, Map<string | null, number>>;

const countRow = z.object({
  dimension: z.enum(['modele', 'region', 'stade', 'finalite', 'modele_economique']),
  code: z.string().nullable(),
  count: z.number().int(),
  count_of_model: z.number().int(),
});

/**
 * Cooperations counted by each dimension in one scan (GROUPING SETS); by région, only those of `modele` when
 * given. A null code is a cooperation that does not say (no stage, no commune…).
 */
export async function cooperationCounts(db: Db, modele: string | undefined): Promise<CooperationCounts> {
  const found = await checkedRows(
    db,
    countRow,
    sql`select case
        when grouping(modele) = 0 then 'modele' when grouping(region_code) = 0 then 'region' when grouping(stade) = 0 then 'stade'
        when grouping(finalite) = 0 then 'finalite' else 'modele_economique' end as dimension,
      coalesce(modele, region_code, stade, finalite, modele_economique) as code,
      count(*)::int as count,
      count(*) filter (where ${modele ?? null}::text is null or modele = ${modele ?? null}::text)::int as count_of_model
      from cooperation
      group by grouping sets ((modele), (region_code), (stade), (finalite), (modele_economique))`,
  );
  const counts: CooperationCounts = { modele: new Map(), region: new Map(), stade: new Map(), finalite: new Map(), modele_economique: new Map() };
  for (const row of found) counts[row.dimension].set(row.code, row.dimension === 'region' ? row.count_of_model : row.count);
  return counts;
}
