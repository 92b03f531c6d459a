/**
 * The knowledge base in SQL: French full text with the Atlas's `fr` configuration (migration 0030's GIN index),
 * tag filters, and the facets counted on the same matching rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows, column, type Db } from '../../db/database.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { themeRessource, typeRessource } from '../../domain/knowledge.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { ResourceDetail, ResourceFilters, ResourceSearch, ResourceSearchAnswer, ResourceSummary } from './schemas.ts';

const FACETS = {
  type: { column: sql`array[m.type]`, label: typeRessource.label },
  theme: { column: sql`m.themes`, label: themeRessource.label },
  stade: { column: sql`m.stades`, label: stade.label },
  modele: { column: sql`m.modeles`, label: modele.label },
} as const;

const summaryColumns = sql`r.id::int as id, r.titre, r.type, r.resume, r.themes, r.stades, r.modeles, r.region_code, r.departement_code,
  r.is_example, r.source`;

const summaryRowSchema = z.object({
  id: z.number().int(),
  titre: z.string(),
  type: typeRessource.schema,
  resume: z.string(),
  themes: z.array(themeRessource.schema),
  stades: z.array(stade.schema),
  modeles: z.array(modele.schema),
  region_code: z.string().nullable(),
  departement_code: z.string().nullable(),
  is_example: z.boolean(),
  source: z.string().nullable(),
});
type SummaryRow = z.infer<typeof summaryRowSchema>;

function summary(row: SummaryRow, territories: TerritoryIndex): ResourceSummary {
  const named = (code: string | null, name: string | undefined) => (code && name ? { code, nom: name } : null);
  return {
    id: row.id,
    titre: row.titre,
    type: row.type,
    resume: row.resume,
    themes: row.themes,
    stades: row.stades,
    modeles: row.modeles,
    region: named(row.region_code, row.region_code ? territories.name('region', row.region_code) : undefined),
    departement: named(row.departement_code, row.departement_code ? territories.name('departement', row.departement_code) : undefined),
    exemple: row.is_example,
    source: row.source,
  };
}

function conditions(filters: ResourceFilters): SQL {
  const where: SQL[] = [sql`true`];
  if (filters.q) where.push(sql`r.search_vector @@ websearch_to_tsquery('fr', ${filters.q})`);
  if (filters.type) where.push(sql`r.type = ${filters.type}`);
  if (filters.theme) where.push(sql`${filters.theme} = any(r.themes)`);
  if (filters.stade) where.push(sql`${filters.stade} = any(r.stades)`);
  if (filters.modele) where.push(sql`${filters.modele} = any(r.modeles)`);
  if (filters.region) where.push(sql`r.region_code = ${filters.region}`);
  if (filters.departement) where.push(sql`r.departement_code = ${filters.departement}`);
  if (filters.cooperation)
    where.push(sql`exists (select 1 from ressource_cooperation rc where rc.ressource_id = r.id and rc.cooperation_id = ${filters.cooperation})`);
  if (filters.dispositif)
    where.push(sql`exists (select 1 from ressource_dispositif rd where rd.ressource_id = r.id and rd.dispositif_id = ${filters.dispositif})`);
  return sql.join(where, sql` and `);
}

const facetRowSchema = z.object({ facette: z.string(), valeur: z.string(), nombre: z.number().int() });

/** One page of the resources that match, best first (then the latest), each row with the number of matches. */
function pageOfResources(db: Db, filters: ResourceFilters, limit: number, offset: number) {
  const rank = filters.q ? sql`ts_rank(r.search_vector, websearch_to_tsquery('fr', ${filters.q})) desc,` : sql``;
  return checkedRows(
    db,
    summaryRowSchema.extend({ total: z.number().int() }),
    sql`select ${summaryColumns}, count(*) over ()::int as total from ressource r where ${conditions(filters)}
      order by ${rank} r.updated_at desc, r.id limit ${limit} offset ${offset}`,
  );
}

export async function searchResources(db: Db, territories: TerritoryIndex, search: ResourceSearch): Promise<ResourceSearchAnswer> {
  const where = conditions(search);
  const page = await pageOfResources(db, search, search.par_page, (search.page - 1) * search.par_page);
  const facetRows = await checkedRows(
    db,
    facetRowSchema,
    sql`with m as materialized (select r.type, r.themes, r.stades, r.modeles from ressource r where ${where})
    ${sql.join(
      Object.entries(FACETS).map(
        ([name, facet]) => sql`select ${name} as facette, v as valeur, count(*)::int as nombre from m, unnest(${facet.column}) v group by v`,
      ),
      sql` union all `,
    )}
    order by nombre desc, valeur`,
  );
  const total =
    page[0]?.total ??
    (search.page > 1 ? (await checkedRows(db, z.object({ n: z.number().int() }), sql`select count(*)::int as n from ressource r where ${where}`))[0]!.n : 0);
  const facettes: ResourceSearchAnswer['facettes'] = {};
  for (const [name, facet] of Object.entries(FACETS))
    facettes[name] = facetRows.filter((f) => f.facette === name).map((f) => ({ valeur: f.valeur, libelle: facet.label(f.valeur), nombre: f.nombre }));
  return { total, page: search.page, par_page: search.par_page, resultats: page.map((row) => summary(row, territories)), facettes };
}

/** The object a resource names: a cooperation or a dispositif, the name of its filter. */
export interface ResourceLink {
  kind: 'cooperation' | 'dispositif';
  id: number;
}

/** The latest resources linked to a cooperation or a dispositif (at most `limit`), and how many there are. */
export async function linkedResources(db: Db, territories: TerritoryIndex, link: ResourceLink, limit: number) {
  const page = await pageOfResources(db, { [link.kind]: link.id }, limit, 0);
  return { total: page[0]?.total ?? 0, resultats: page.map((row) => summary(row, territories)) };
}

/** The names of the cooperation and the dispositif the list is filtered on (null: not filtered, or unknown). */
export interface LinkNames {
  cooperation: string | null;
  dispositif: string | null;
}

export async function linkNames(db: Db, filters: ResourceFilters): Promise<LinkNames> {
  if (!filters.cooperation && !filters.dispositif) return { cooperation: null, dispositif: null };
  const names = await checkedFirstRow(
    db,
    z.object({ cooperation: z.string().nullable(), dispositif: z.string().nullable() }),
    sql`select (select name from cooperation where id = ${filters.cooperation ?? null}) as cooperation,
      (select name from dispositif where id = ${filters.dispositif ?? null}) as dispositif`,
  );
  return names!;
}

const detailRowSchema = summaryRowSchema.extend({
  corps: z.string(),
  updated_at: column.instant,
  cooperations: z.array(z.object({ id: z.number().int(), nom: z.string() })),
  dispositifs: z.array(z.object({ id: z.number().int(), nom: z.string() })),
  fichiers: z.array(z.object({ id: z.string(), nom: z.string(), type: z.string(), taille: z.number().int() })),
});

export async function readResource(db: Db, territories: TerritoryIndex, id: number): Promise<ResourceDetail | undefined> {
  const [row] = await checkedRows(
    db,
    detailRowSchema,
    sql`select ${summaryColumns}, r.corps, r.updated_at,
      coalesce((select json_agg(json_build_object('id', c.id, 'nom', c.name) order by c.name) from ressource_cooperation rc
        join cooperation c on c.id = rc.cooperation_id where rc.ressource_id = r.id), '[]') as cooperations,
      coalesce((select json_agg(json_build_object('id', d.id, 'nom', d.name) order by d.name) from ressource_dispositif rd
        join dispositif d on d.id = rd.dispositif_id where rd.ressource_id = r.id), '[]') as dispositifs,
      coalesce((select json_agg(json_build_object('id', f.id, 'nom', f.original_name, 'type', f.content_type, 'taille', f.size_bytes)
        order by f.created_at, f.id) from ressource_fichier f where f.ressource_id = r.id), '[]') as fichiers
    from ressource r where r.id = ${id}`,
  );
  if (!row) return undefined;
  return {
    ...summary(row, territories),
    corps: row.corps,
    cooperations: row.cooperations,
    dispositifs: row.dispositifs,
    fichiers: row.fichiers.map((f) => ({ ...f, adresse: `/ressources/${row.id}/fichiers/${f.id}` })),
    mise_a_jour: new Date(row.updated_at).toISOString(),
  };
}
