/**
 * The Atlas search engine: French full text (stemming, no accents) with typo tolerance on names (trigrams),
 * territory filters at every level, facets counted in the same pass (GROUPING SETS), one page of results.
 */
import { compareFrench } from '../../domain/french.ts';
import { sql, type SQL } from 'drizzle-orm';
import { firstRow, rows, type Db } from '../../db/database.ts';
import { badRequest } from '../../web/errors.ts';
import type { TerritoryIndex, TerritoryLevel } from '../territories/territory-index.ts';
import type { AtlasEntity } from './entities.ts';
import type { AtlasFilters, AtlasSearch } from './schemas.ts';

/** « Région inconnue », « Département inconnu »… (French agrees the adjective with the noun). */
export const UNKNOWN_TERRITORY: Record<TerritoryLevel, string> = {
  region: 'Région inconnue', departement: 'Département inconnu', epci: 'EPCI inconnu', commune: 'Commune inconnue',
};

/** Filters once their territory codes are known to exist; a territoire de projet is resolved to its id. */
export interface ResolvedFilters extends AtlasFilters {
  territoireProjetId?: number;
}

export async function resolveFilters(db: Db, territories: TerritoryIndex, filters: AtlasFilters): Promise<ResolvedFilters> {
  for (const level of ['region', 'departement', 'epci', 'commune'] as const) {
    const code = filters[level];
    if (code !== undefined && !territories.has(level, code)) {
      throw badRequest(`${UNKNOWN_TERRITORY[level]} dans le Code officiel géographique : ${code}.`);
    }
  }
  if (filters.territoire === undefined) return filters;
  const projet = await firstRow<{ id: number }>(db, sql`select id::int as id from territoire_projet where slug = ${filters.territoire}`);
  if (!projet) throw badRequest(`Territoire de projet inconnu : ${filters.territoire}.`);
  return { ...filters, territoireProjetId: projet.id };
}

function textCondition(q: string): SQL {
  return sql`(t.search_vector @@ websearch_to_tsquery('fr', ${q}) or t.name_search %> immutable_unaccent(lower(${q})))`;
}

/**
 * The WHERE clause of a search, on alias t; shared by results, facets, exports and map clusters, which may
 * add their own conditions (a keyset, a bounding box).
 */
export function whereClause(entity: AtlasEntity, filters: ResolvedFilters, extra: SQL[] = []): SQL {
  const conditions: SQL[] = [...extra];
  if (filters.q) conditions.push(textCondition(filters.q));
  if (filters.region) conditions.push(sql`t.region_code = ${filters.region}`);
  if (filters.departement) conditions.push(sql`t.departement_code = ${filters.departement}`);
  if (filters.epci) conditions.push(sql`t.epci_code = ${filters.epci}`);
  if (filters.commune) {
    // A commune with arrondissements (Paris, Lyon, Marseille) includes them.
    conditions.push(sql`t.commune_code in (select code from commune where code = ${filters.commune} or parent_code = ${filters.commune})`);
  }
  if (filters.territoireProjetId !== undefined) {
    conditions.push(sql`t.commune_code in (select commune_code from territoire_projet_commune where territoire_projet_id = ${filters.territoireProjetId})`);
  }
  if (filters.secteur) conditions.push(sql`t.secteur = ${filters.secteur}`);
  if (filters.forme_juridique) conditions.push(sql`left(t.legal_form, 2) = ${filters.forme_juridique}`);
  conditions.push(...entity.ownFilters(filters));
  return conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

export function orderClause(filters: AtlasFilters): SQL {
  if (!filters.q) return sql`order by t.name, t.id`;
  return sql`order by ts_rank(t.search_vector, websearch_to_tsquery('fr', ${filters.q}))
    + word_similarity(immutable_unaccent(lower(${filters.q})), t.name_search) desc, t.name, t.id`;
}

export interface FacetValue { valeur: string; libelle: string; nombre: number }

/** Facets list their most frequent values; a territory page asks for all of them. */
const DEFAULT_FACET_LIMIT = 100;

/** Total and every facet's counts in one scan of the filtered rows. */
async function countFacets(db: Db, entity: AtlasEntity, filters: ResolvedFilters, territories: TerritoryIndex, facetLimit: number) {
  const facets = entity.facets.filter((facet) => !facet.shownWhen || facet.shownWhen(filters));
  const selects = facets.map((facet, i) => sql`grouping(${facet.column}) as ${sql.raw(`g${i}`)}, ${facet.column} as ${sql.raw(`v${i}`)}`);
  const sets = facets.map((facet) => sql`(${facet.column})`);
  const counted = await rows<Record<string, string | number | null>>(db, sql`
    select ${sql.join(selects, sql`, `)}, count(*)::int as n
    from ${entity.table} t ${whereClause(entity, filters)}
    group by grouping sets ((), ${sql.join(sets, sql`, `)})`);

  let total = 0;
  const facettes: Record<string, FacetValue[]> = Object.fromEntries(facets.map((facet) => [facet.param, []]));
  for (const row of counted) {
    const index = facets.findIndex((_, i) => Number(row[`g${i}`]) === 0);
    if (index === -1) {
      total = Number(row.n);
      continue;
    }
    const value = row[`v${index}`];
    if (value === null || value === undefined) continue; // records without this attribute
    const facet = facets[index]!;
    facettes[facet.param]!.push({ valeur: String(value), libelle: facet.label(String(value), territories), nombre: Number(row.n) });
  }
  for (const values of Object.values(facettes)) {
    values.sort((a, b) => b.nombre - a.nombre || compareFrench(a.libelle, b.libelle));
    values.splice(facetLimit);
  }
  return { total, facettes };
}

export interface SearchPage<Row> {
  total: number;
  page: number;
  par_page: number;
  rows: Row[];
  facettes: Record<string, FacetValue[]>;
}

/** Runs a search: the page of rows (selected by `columns`, on alias t), the total and the facets. */
export async function searchAtlas<Row>(
  db: Db, entity: AtlasEntity, search: AtlasSearch & ResolvedFilters, territories: TerritoryIndex, columns: SQL,
  { facetLimit = DEFAULT_FACET_LIMIT } = {},
): Promise<SearchPage<Row>> {
  const offset = (search.page - 1) * search.par_page;
  const [{ total, facettes }, pageRows] = await Promise.all([
    countFacets(db, entity, search, territories, facetLimit),
    rows<Row>(db, sql`select ${columns} from ${entity.table} t ${whereClause(entity, search)}
      ${orderClause(search)} limit ${search.par_page} offset ${offset}`),
  ]);
  const lastPage = Math.max(1, Math.ceil(total / search.par_page));
  if (search.page > lastPage) {
    throw badRequest(`La page ${search.page} n'existe pas : cette recherche compte ${lastPage} page${lastPage > 1 ? 's' : ''}.`);
  }
  return { total, page: search.page, par_page: search.par_page, rows: pageRows, facettes };
}
