/**
 * The Atlas search engine: French full text (stemming, no accents) with typo tolerance on names (trigrams),
 * territory filters at every level, facets counted in the same pass (GROUPING SETS), one page of results.
 */
import { compareFrench } from '../../domain/french.ts';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows, idRow, preparedRows, renderedSql, type Db } from '../../db/database.ts';
import { badRequest } from '../../web/errors.ts';
import type { TerritoryIndex, TerritoryLevel } from '../../platform/territory-index.ts';
import type { AtlasEntity, Facet } from './entities.ts';
import { cachePerDatabase, GenerationCache, searchGeneration } from './generation-cache.ts';
import { FILTER_KEYS, type AtlasFilters, type AtlasSearch } from './schemas.ts';
import { spellingIndex } from './spelling.ts';
import { knownCurrency } from './currencies/queries.ts';

/** « Région inconnue », « Département inconnu »… (French agrees the adjective with the noun). */
export const UNKNOWN_TERRITORY: Record<TerritoryLevel, string> = {
  region: 'Région inconnue',
  departement: 'Département inconnu',
  epci: 'EPCI inconnu',
  commune: 'Commune inconnue',
};

/** Filters once their territory codes are known to exist; a territoire de projet is resolved to its id. */
export interface ResolvedFilters extends AtlasFilters {
  territoireProjetId?: number;
  /** How q matches: full text, or trigrams on names when full text finds nothing (see withTextMode). */
  textMode?: 'fulltext' | 'fuzzy';
  /** The full-text query when it is not q itself: q with its misspelt words corrected (see withTextMode). */
  textQuery?: string;
}

export async function resolveFilters(db: Db, territories: TerritoryIndex, filters: AtlasFilters): Promise<ResolvedFilters> {
  for (const level of ['region', 'departement', 'epci', 'commune'] as const) {
    const code = filters[level];
    if (code !== undefined && !territories.has(level, code)) {
      throw badRequest(`${UNKNOWN_TERRITORY[level]} dans le Code officiel géographique : ${code}.`);
    }
  }
  if (filters.monnaie_locale !== undefined) await knownCurrency(db, filters.monnaie_locale, 'monnaie_locale');
  if (filters.territoire === undefined) return filters;
  const projet = await checkedFirstRow(db, idRow, sql`select id::int as id from territoire_projet where slug = ${filters.territoire}`);
  if (!projet) throw badRequest(`Territoire de projet inconnu : ${filters.territoire}.`);
  return { ...filters, territoireProjetId: projet.id };
}

const fullText = (q: string) => sql`t.search_vector @@ websearch_to_tsquery('fr', ${q})`;
const fuzzyName = (q: string) => sql`t.name_search %> immutable_unaccent(lower(${q}))`;

function textCondition(filters: ResolvedFilters & { q: string }): SQL {
  const textQuery = filters.textQuery ?? filters.q;
  if (filters.textMode === 'fulltext') return fullText(textQuery);
  if (filters.textMode === 'fuzzy') return fuzzyName(filters.q);
  return sql`(${fullText(textQuery)} or ${fuzzyName(filters.q)})`;
}

const foundRow = z.object({ found: z.boolean() });

async function anyMatch(db: Db, entity: AtlasEntity, filters: ResolvedFilters): Promise<boolean> {
  const found = await checkedFirstRow(
    db,
    foundRow,
    sql`select exists (select 1 from ${entity.table} t
    ${whereClause(entity, filters)}) as found`,
  );
  return found!.found;
}

/**
 * Typo tolerance costs: matching names by trigrams (word_similarity) must check every name sharing a
 * trigram with the query, hundreds of milliseconds at national scale, while full text answers in a few.
 * So when full text finds nothing with the same filters, the misspelt words are first corrected against the
 * dictionary of name words (spelling.ts) and full text runs again (« ressoucerie » finds « Ressourcerie »); trigrams on
 * whole names are the last resort. « éoliennes » never pays for either.
 */
export async function withTextMode(db: Db, entity: AtlasEntity, filters: ResolvedFilters): Promise<ResolvedFilters> {
  if (!filters.q || filters.textMode) return filters;
  const fulltext: ResolvedFilters = { ...filters, textMode: 'fulltext' };
  if (await anyMatch(db, entity, fulltext)) return fulltext;
  const textQuery = (await spellingIndex(db)).correct(filters.q);
  if (textQuery !== undefined && (await anyMatch(db, entity, { ...fulltext, textQuery }))) return { ...fulltext, textQuery };
  return { ...filters, textMode: 'fuzzy' };
}

/**
 * The WHERE clause of a search, on alias t; shared by results, facets, exports and map clusters, which may
 * add their own conditions (a keyset, a bounding box).
 */
export function whereClause(entity: AtlasEntity, filters: ResolvedFilters, extra: SQL[] = []): SQL {
  const conditions: SQL[] = [...extra];
  if (filters.q) conditions.push(textCondition({ ...filters, q: filters.q }));
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
  if (filters.monnaie_locale) conditions.push(acceptsCurrency(entity, filters.monnaie_locale));
  conditions.push(...entity.ownFilters(filters));
  return conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

/** An organisation that accepts the currency; a cooperation one of whose members does. */
function acceptsCurrency(entity: AtlasEntity, slug: string): SQL {
  const accepting = sql`select a.organisation_id from organisation_monnaie_locale a join monnaie_locale ml on ml.id = a.monnaie_locale_id where ml.slug = ${slug}`;
  return entity.kind === 'organisations'
    ? sql`t.id in (${accepting})`
    : sql`exists (select 1 from cooperation_member m where m.cooperation_id = t.id and m.organisation_id in (${accepting}))`;
}

/**
 * How well a row matches a search with text, the first key of its order: the full-text rank, or the similarity
 * of its name when trigrams match it (see withTextMode). The searched text is a scalar subquery, evaluated once
 * per statement: in a generic plan (preparedRows) a function of a parameter would be evaluated on every row.
 */
function rankExpression(filters: ResolvedFilters & { q: string }): SQL {
  if (filters.textMode === 'fuzzy') return sql`word_similarity((select immutable_unaccent(lower(${filters.q}))), t.name_search)`;
  return sql`ts_rank(t.search_vector, (select websearch_to_tsquery('fr', ${filters.textQuery ?? filters.q})))`;
}

export interface FacetValue {
  valeur: string;
  libelle: string;
  nombre: number;
}

/** Facets list their most frequent values; a territory page asks for all of them. */
const DEFAULT_FACET_LIMIT = 100;

/**
 * Facets of searches without text are the same for everyone who opens a page (the search page itself, a
 * territory, a facet link) and cost a scan of every matching row: they are kept while the searchable data
 * keeps its generation (generation-cache.ts). Searches with text vary too much to be worth keeping, and are
 * narrow enough to count quickly.
 */
const FACET_CACHE_SIZE = 500;
type FacetCounts = { total: number; facettes: Record<string, FacetValue[]> };
const facetCache = cachePerDatabase(() => new GenerationCache<Promise<FacetCounts>>(FACET_CACHE_SIZE));

/** After a write in this process (an import, a contribution): the memory is freed at once. */
export function clearFacetCache(db: Db): void {
  facetCache(db).clear();
}

/** `known`: the generation the caller has just read, if it has. */
async function cachedFacets(db: Db, key: string, compute: () => Promise<FacetCounts>, known?: string): Promise<FacetCounts> {
  const generation = known ?? (await searchGeneration(db));
  const cache = facetCache(db);
  const hit = cache.get(generation, key);
  if (hit) return hit;
  // The promise is kept, so that requests arriving while it is counted wait for it instead of counting too.
  const value = compute();
  cache.set(generation, key, value);
  value.catch(() => cache.delete(key));
  return value;
}

/**
 * The facets a search shows, and the query that counts them in one pass (GROUPING SETS), over the rows of a
 * table (alias t) or over matched rows (alias m) that carry the facet columns as c0, c1… (`named`). Its
 * counts come back as one JSON array of [facet index, value, count] (index -1: the total): parsed natively,
 * where hundreds of rows of one column per facet cost more to decode than to count. It has no parameter: it is
 * rendered once per entity, source and facets shown, since building it from its fragments at every search
 * cost more than the rest of the statement.
 */
function facetCounting(entity: AtlasEntity, filters: ResolvedFilters, over: 'rows' | 'matched'): FacetCounting {
  const facets = entity.facets.filter((facet) => !facet.shownWhen || facet.shownWhen(filters));
  const key = `${entity.kind} ${over} ${facets.map((facet) => facet.param).join(' ')}`;
  let counting = facetCountings.get(key);
  if (!counting) facetCountings.set(key, (counting = renderFacetCounting(facets, over)));
  return counting;
}

interface FacetCounting {
  facets: Facet[];
  named: SQL;
  counts(from: SQL): SQL;
}
const facetCountings = new Map<string, FacetCounting>();

function renderFacetCounting(facets: Facet[], over: 'rows' | 'matched'): FacetCounting {
  const columns = facets.map((facet, i) => (over === 'matched' ? sql.raw(`m.c${i}`) : facet.column));
  const index = sql.join(
    columns.map((c, i) => sql`when grouping(${c}) = 0 then ${sql.raw(String(i))}`),
    sql` `,
  );
  const head = renderedSql(sql`select coalesce(json_agg(json_build_array(x.facet, x.value, x.n)), '[]') from (
      select case ${index} else -1 end as facet, coalesce(${sql.join(columns, sql`, `)}) as value, count(*)::int as n`);
  const tail = renderedSql(
    sql`group by grouping sets ((), ${sql.join(
      columns.map((c) => sql`(${c})`),
      sql`, `,
    )})) x`,
  );
  const named = renderedSql(
    sql.join(
      facets.map((facet, i) => sql`${facet.column} as ${sql.raw(`c${i}`)}`),
      sql`, `,
    ),
  );
  return { facets, named, counts: (from) => sql`${head} ${from} ${tail}` };
}

/** [facet, value, count]: a facet's index in facetCounting's list, one of its values (null: records without it), its count. */
const facetCount = z.tuple([z.number(), z.string().nullable(), z.number()]);
type FacetCount = z.infer<typeof facetCount>;
const countsRow = z.object({ counts: z.array(facetCount) });

/** The total and each facet's values from the counts of facetCounting. */
function readFacets(facets: Facet[], counted: FacetCount[], territories: TerritoryIndex, facetLimit: number): FacetCounts {
  let total = 0;
  const facettes: Record<string, FacetValue[]> = Object.fromEntries(facets.map((facet) => [facet.param, []]));
  for (const [index, value, count] of counted) {
    if (index === -1) {
      total = count;
      continue;
    }
    if (value === null) continue; // records without this attribute
    const facet = facets[index]!;
    facettes[facet.param]!.push({ valeur: value, libelle: facet.label(value, territories), nombre: count });
  }
  for (const values of Object.values(facettes)) {
    values.sort((a, b) => b.nombre - a.nombre || compareFrench(a.libelle, b.libelle));
    values.splice(facetLimit);
  }
  return { total, facettes };
}

/** Total and every facet's counts in one scan of the filtered rows. */
async function countFacets(db: Db, entity: AtlasEntity, filters: ResolvedFilters, territories: TerritoryIndex, facetLimit: number) {
  const { facets, counts } = facetCounting(entity, filters, 'rows');
  const row = await checkedFirstRow(db, countsRow, sql`select (${counts(sql`from ${entity.table} t ${whereClause(entity, filters)}`)}) as counts`);
  return readFacets(facets, row!.counts, territories, facetLimit);
}

/**
 * A text search's counts and page, from one scan of the matching rows, in one statement. Finding
 * the rows that hold a common word costs more than anything done with them afterwards (about 8 ms for 10 000
 * rows at national scale, `npm run bench`), and each statement has its own fixed cost: the rows are kept
 * (MATERIALIZED) with their rank, computed once each, the facets and the page read them, and the page comes
 * back as JSON beside the counts. The statement is prepared (its text depends only on which filters are set),
 * and it reads the generation of the searchable data in its own snapshot, for the answer memory (api.ts).
 * `columns` must be JSON-safe (text, numbers, booleans), as the Atlas's are.
 */
async function textSearchPage<Row>(
  db: Db,
  entity: AtlasEntity,
  search: AtlasSearch & ResolvedFilters & { q: string },
  territories: TerritoryIndex,
  columns: SQL,
  pageRow: z.ZodType<Row>,
  facetLimit: number,
  offset: number,
): Promise<Answer<Row>> {
  const { facets, named, counts } = facetCounting(entity, search, 'matched');
  const [row] = await preparedRows<{ generation: string; counts: FacetCount[]; page: unknown[] }>(
    db,
    sql`
    with matched as materialized (
      select t.id as sort_id, t.name as sort_name, ${rankExpression(search)} as sort_rank, ${named}
      from ${entity.table} t ${whereClause(entity, search)}
    )
    select (select generation::text from search_generation) as generation,
      (${counts(sql`from matched m`)}) as counts,
      (select coalesce(json_agg(to_jsonb(r) - array['sort_id', 'sort_name', 'sort_rank'] order by r.sort_rank desc, r.sort_name, r.sort_id), '[]')
        from (select ${columns}, p.sort_id, p.sort_name, p.sort_rank
          from (select m.sort_id, m.sort_name, m.sort_rank from matched m
            order by m.sort_rank desc, m.sort_name, m.sort_id limit ${search.par_page} offset ${offset}) p
          join ${entity.table} t on t.id = p.sort_id) r) as page`,
  );
  return { ...readFacets(facets, row!.counts, territories, facetLimit), rows: pageRow.array().parse(row!.page), generation: row!.generation };
}

/** Filters whose statistics let the planner choose well on its own (see pageQuery). */
const UNFENCED_FILTERS: readonly (keyof AtlasFilters)[] = ['region', 'departement', 'epci'];

/**
 * One page of a search without text (textSearchPage serves those with text). Without any filter the
 * (name, id) index gives the page directly. With several filters, the planner may walk that index hoping to
 * meet 20 matches early, which is very slow for rare combinations whose rows it overestimates; the OFFSET 0
 * fence makes it select the matching rows first (with their own indexes), then sort just those. A single
 * territory is estimated well from its column's statistics: the planner walks the name order for a large
 * one (a région's page 6: 39 → 1.5 ms at national scale) and sorts a small one's rows.
 */
function pageQuery(entity: AtlasEntity, search: AtlasSearch & ResolvedFilters, columns: SQL, offset: number): SQL {
  const limit = sql`limit ${search.par_page} offset ${offset}`;
  const filters = FILTER_KEYS.filter((key) => search[key] !== undefined);
  if (filters.length === 0 || (filters.length === 1 && UNFENCED_FILTERS.includes(filters[0]!))) {
    return sql`select ${columns} from ${entity.table} t ${whereClause(entity, search)} order by t.name, t.id ${limit}`;
  }
  return sql`select * from (select ${columns}, t.name as sort_name, t.id as sort_id
      from ${entity.table} t ${whereClause(entity, search)} offset 0) f
    order by f.sort_name, f.sort_id ${limit}`;
}

/** The total and the facets of a search, without its rows (a territory page needs only these). */
export async function countAtlas(
  db: Db,
  entity: AtlasEntity,
  filters: ResolvedFilters,
  territories: TerritoryIndex,
  { facetLimit = DEFAULT_FACET_LIMIT, generation }: { facetLimit?: number; generation?: string } = {},
): Promise<FacetCounts> {
  const resolved = await withTextMode(db, entity, filters);
  if (resolved.q) return countFacets(db, entity, resolved, territories, facetLimit);
  const key = JSON.stringify([entity.kind, facetLimit, ...FILTER_KEYS.map((k) => resolved[k]), resolved.territoireProjetId]);
  return cachedFacets(db, key, () => countFacets(db, entity, resolved, territories, facetLimit), generation);
}

export interface SearchPage<Row> {
  total: number;
  page: number;
  par_page: number;
  rows: Row[];
  facettes: Record<string, FacetValue[]>;
  /** The generation of the searchable data read before or with the first statement (generation-cache.ts). */
  generation: string;
}

/** Counts and rows of a search, and the generation they were read at. */
type Answer<Row> = FacetCounts & { rows: Row[]; generation: string };

/** Runs a search: the page of rows (selected by `columns`, on alias t, and checked by `pageRow`), the total and the facets. */
export async function searchAtlas<Row>(
  db: Db,
  entity: AtlasEntity,
  search: AtlasSearch & ResolvedFilters,
  territories: TerritoryIndex,
  columns: SQL,
  pageRow: z.ZodType<Row>,
  { facetLimit = DEFAULT_FACET_LIMIT } = {},
): Promise<SearchPage<Row>> {
  const offset = (search.page - 1) * search.par_page;
  const { page, par_page } = search;
  const {
    total,
    facettes,
    rows: pageRows,
    generation,
  } = search.q
    ? await textSearch<Row>(db, entity, { ...search, q: search.q }, territories, columns, pageRow, facetLimit, offset)
    : await filterSearch<Row>(db, entity, search, territories, columns, pageRow, facetLimit, offset);
  const lastPage = Math.max(1, Math.ceil(total / par_page));
  if (page > lastPage) throw badRequest(`La page ${page} n'existe pas : cette recherche compte ${lastPage} page${lastPage > 1 ? 's' : ''}.`);
  return { total, page, par_page, rows: pageRows, facettes, generation };
}

/**
 * A search with text, choosing its text mode as withTextMode does, each try a whole search: full text answers
 * most searches in one statement; when it finds nothing, full text with the misspelt words corrected, then
 * trigrams on names. A try that finds nothing costs no more than the probe withTextMode would make. The
 * answer keeps the generation of the first statement, the oldest.
 */
async function textSearch<Row>(
  db: Db,
  entity: AtlasEntity,
  search: AtlasSearch & ResolvedFilters & { q: string },
  territories: TerritoryIndex,
  columns: SQL,
  pageRow: z.ZodType<Row>,
  facetLimit: number,
  offset: number,
): Promise<Answer<Row>> {
  const run = (filters: ResolvedFilters) => textSearchPage<Row>(db, entity, { ...search, ...filters }, territories, columns, pageRow, facetLimit, offset);
  if (search.textMode) return run(search);
  const fulltext = await run({ textMode: 'fulltext' });
  if (fulltext.total > 0) return fulltext;
  const textQuery = (await spellingIndex(db)).correct(search.q);
  const corrected = textQuery === undefined ? undefined : await run({ textMode: 'fulltext', textQuery });
  const found = corrected && corrected.total > 0 ? corrected : await run({ textMode: 'fuzzy' });
  return { ...found, generation: fulltext.generation };
}

/** A search without text: its page, and its counts (kept in memory, see cachedFacets). */
async function filterSearch<Row>(
  db: Db,
  entity: AtlasEntity,
  search: AtlasSearch & ResolvedFilters,
  territories: TerritoryIndex,
  columns: SQL,
  pageRow: z.ZodType<Row>,
  facetLimit: number,
  offset: number,
): Promise<Answer<Row>> {
  const generation = await searchGeneration(db);
  const [counted, pageRows] = await Promise.all([
    countAtlas(db, entity, search, territories, { facetLimit, generation }),
    checkedRows(db, pageRow, pageQuery(entity, search, columns, offset)),
  ]);
  return { ...counted, rows: pageRows, generation };
}
