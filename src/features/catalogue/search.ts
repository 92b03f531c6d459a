/**
 * Catalogue search: full text like the Atlas, « available on this territory » (national schemes, and those
 * whose coverage shares ground with the territory), eligibility filters where an empty list means « open »,
 * and facets counted over the array columns.
 */
import { compareFrench } from '../../domain/french.ts';
import { sql, type SQL } from 'drizzle-orm';
import { textArray, type Db, checkedRows, checkedFirstRow, countRow } from '../../db/database.ts';
import { stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { badRequest } from '../../web/errors.ts';
import { resolveFilters, type FacetValue } from '../atlas/search.ts';
import { overlappingCodes, type TerritoryIndex, type TerritoryLevel } from '../../platform/territory-index.ts';
import { dispositifColumns, dispositifRow, type DispositifRow } from './records.ts';
import type { DispositifFilters, DispositifSearch } from './schemas.ts';
import { z } from 'zod';

/**
 * Whether the scheme's coverage codes include one of `codes`. Not `couverture_codes && codes`: PostgreSQL
 * compares two arrays element by element, and a région holds 4 000 communes (131 ms for the
 * Auvergne-Rhône-Alpes page against 5 000 schemes); `= any` of a constant list looks each code up in a hash.
 */
const coverageIncludesOneOf = (codes: string[]) =>
  sql`exists (select 1 from unnest(t.couverture_codes) as covered(code) where covered.code = any(${textArray(codes)}))`;

/** Schemes acting, at least partly, on a territory (or whose coverage the source does not give). */
export function availableOn(index: TerritoryIndex, level: TerritoryLevel, code: string): SQL {
  const codes = overlappingCodes(index, level, code);
  return sql`(t.couverture_niveau is null or t.couverture_niveau = 'national'
    or (t.couverture_niveau = 'region' and ${coverageIncludesOneOf(codes.region)})
    or (t.couverture_niveau = 'departement' and ${coverageIncludesOneOf(codes.departement)})
    or (t.couverture_niveau = 'epci' and ${coverageIncludesOneOf(codes.epci)})
    or (t.couverture_niveau = 'commune' and ${coverageIncludesOneOf(codes.commune)}))`;
}

function territoryOf(filters: DispositifFilters): { level: TerritoryLevel; code: string } | null {
  for (const level of ['commune', 'epci', 'departement', 'region'] as const) {
    const code = filters[level];
    if (code) return { level, code };
  }
  return null;
}

export function dispositifWhere(index: TerritoryIndex, filters: DispositifFilters): SQL {
  const conditions: SQL[] = [];
  if (filters.q) {
    conditions.push(sql`(t.search_vector @@ websearch_to_tsquery('fr', ${filters.q}) or t.name_search %> immutable_unaccent(lower(${filters.q})))`);
  }
  const territory = territoryOf(filters);
  if (territory) conditions.push(availableOn(index, territory.level, territory.code));
  if (filters.stade) conditions.push(sql`(cardinality(t.stades) = 0 or ${filters.stade} = any(t.stades))`);
  if (filters.modele) conditions.push(sql`(cardinality(t.modeles) = 0 or ${filters.modele} = any(t.modeles))`);
  if (filters.type) conditions.push(sql`(${filters.type} = any(t.types_accompagnement) or ${filters.type} = any(t.types_financement))`);
  if (filters.nature === 'accompagnement') conditions.push(sql`cardinality(t.types_accompagnement) > 0`);
  if (filters.nature === 'financement') conditions.push(sql`cardinality(t.types_financement) > 0`);
  if (filters.couverture) conditions.push(sql`t.couverture_niveau = ${filters.couverture}`);
  return conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

const FACET_LABELS: Record<string, (code: string) => string> = {
  type: (c) => ((typeAccompagnement.codes as readonly string[]).includes(c) ? typeAccompagnement.label(c) : typeFinancement.label(c)),
  stade: (c) => stade.label(c),
  couverture: (c) => niveauCouverture.label(c),
};

const countedRow = z.object({ facet: z.string(), value: z.string(), n: z.number() });

async function facets(db: Db, where: SQL): Promise<Record<string, FacetValue[]>> {
  const counted = await checkedRows(
    db,
    countedRow,
    sql`
    with f as (select * from dispositif t ${where})
    select 'type' as facet, v as value, count(*)::int as n from f, unnest(f.types_accompagnement || f.types_financement) v group by v
    union all select 'stade', v, count(*)::int from f, unnest(f.stades) v group by v
    union all select 'couverture', couverture_niveau, count(*)::int from f where couverture_niveau is not null group by couverture_niveau`,
  );
  const result: Record<string, FacetValue[]> = { type: [], stade: [], couverture: [] };
  for (const row of counted) result[row.facet]!.push({ valeur: row.value, libelle: FACET_LABELS[row.facet]!(row.value), nombre: row.n });
  for (const values of Object.values(result)) values.sort((a, b) => b.nombre - a.nombre || compareFrench(a.libelle, b.libelle));
  return result;
}

export async function searchDispositifs(db: Db, index: TerritoryIndex, search: DispositifSearch) {
  await resolveFilters(db, index, search); // unknown COG codes → 400
  const where = dispositifWhere(index, search);
  const order = search.q
    ? sql`order by ts_rank(t.search_vector, websearch_to_tsquery('fr', ${search.q})) + word_similarity(immutable_unaccent(lower(${search.q})), t.name_search) desc, t.name`
    : sql`order by t.name`;
  const [total, facettes, page] = await Promise.all([
    checkedFirstRow(db, countRow, sql`select count(*)::int as n from dispositif t ${where}`),
    facets(db, where),
    checkedRows(
      db,
      dispositifRow,
      sql`select ${dispositifColumns} from dispositif t ${where} ${order}
      limit ${search.par_page} offset ${(search.page - 1) * search.par_page}`,
    ),
  ]);
  const lastPage = Math.max(1, Math.ceil(total!.n / search.par_page));
  if (search.page > lastPage) throw badRequest(`La page ${search.page} n'existe pas : cette recherche compte ${lastPage} page${lastPage > 1 ? 's' : ''}.`);
  return { total: total!.n, page: search.page, par_page: search.par_page, rows: page, facettes };
}

export async function findDispositif(db: Db, id: number): Promise<DispositifRow | undefined> {
  return checkedFirstRow(db, dispositifRow, sql`select ${dispositifColumns} from dispositif t where t.id = ${id}`);
}
