/**
 * What exists on a territory: structures and cooperations counted by model, status and sector, and per
 * sub-territory (zeros included: a sub-territory with nothing is information too); the schemes available there
 * and the needs none of them answers. It reuses the Atlas search and the catalogue's « available on », so a
 * territory page and a search filtered on that territory always agree, and orientation's rules for the needs.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db, checkedFirstRow } from '../../db/database.ts';
import { stade as stadeEnum } from '../../domain/cooperation.ts';
import type { NeedRule } from '../../domain/needs.ts';
import type { SchemeForOrientation } from '../../domain/orientation.ts';
import { uncoveredNeeds } from '../../domain/territory-needs.ts';
import { atlasEntities } from '../atlas/entities.ts';
import { cooperationColumns, cooperationRow, cooperationSummary, type CooperationRow } from '../atlas/records.ts';
import type { AtlasFilters } from '../atlas/schemas.ts';
import { countAtlas, resolveFilters, searchAtlas, UNKNOWN_TERRITORY, type FacetValue } from '../atlas/search.ts';
import { notFound } from '../../web/errors.ts';
import { availableOn } from '../catalogue/search.ts';
import { childTerritories, parentTerritories, type TerritoryIndex, type TerritoryLevel, type TerritoryRef } from '../../platform/territory-index.ts';

export const TERRITORY_TYPES = ['region', 'departement', 'epci', 'commune', 'projet'] as const;
export type TerritoryType = (typeof TERRITORY_TYPES)[number];

export const TYPE_LABELS: Record<TerritoryType, string> = {
  region: 'Région',
  departement: 'Département',
  epci: 'Intercommunalité (EPCI)',
  commune: 'Commune',
  projet: 'Territoire de projet',
};

interface TerritoryIdentity {
  type: TerritoryType;
  code: string;
  name: string;
  population: number | null;
  filters: AtlasFilters;
  parents: TerritoryRef[];
  children: { type: TerritoryType; code: string; name: string }[];
  description?: string | null;
  source?: string | null;
}

function sumPopulation(index: TerritoryIndex, keep: (c: { departementCode: string; regionCode: string }) => boolean): number {
  let total = 0;
  for (const commune of index.communes.values()) if (!commune.parentCode && keep(commune)) total += commune.population ?? 0;
  return total;
}

const projetRow = z.object({ name: z.string(), description: z.string().nullable(), source: z.string().nullable() });

const communesRow = z.object({ code: z.string(), name: z.string(), population: z.number().nullable() });

async function identify(db: Db, index: TerritoryIndex, type: TerritoryType, code: string): Promise<TerritoryIdentity> {
  if (type === 'projet') {
    const projet = await checkedFirstRow(db, projetRow, sql`select name, description, source from territoire_projet where slug = ${code}`);
    if (!projet) throw notFound(`Aucun territoire de projet ne porte l'identifiant « ${code} ».`);
    const communes = await checkedRows(
      db,
      communesRow,
      sql`
      select c.code, c.name, c.population from territoire_projet_commune tc join territoire_projet p on p.id = tc.territoire_projet_id
      join commune c on c.code = tc.commune_code where p.slug = ${code} order by c.name`,
    );
    return {
      type,
      code,
      name: projet.name,
      description: projet.description,
      source: projet.source,
      filters: { territoire: code },
      population: communes.reduce((sum, c) => sum + (c.population ?? 0), 0),
      parents: [],
      children: communes.map((c) => ({ type: 'commune' as const, code: c.code, name: c.name })),
    };
  }
  const level: TerritoryLevel = type;
  const name = index.name(level, code);
  if (!name) throw notFound(`${UNKNOWN_TERRITORY[level]} dans le Code officiel géographique : ${code}.`);
  const population =
    level === 'commune'
      ? (index.communes.get(code)?.population ?? null)
      : level === 'epci'
        ? (index.epcis.get(code)?.population ?? null)
        : sumPopulation(index, (c) => (level === 'region' ? c.regionCode : c.departementCode) === code);
  return {
    type,
    code,
    name,
    population,
    filters: { [level]: code },
    parents: parentTerritories(index, level, code),
    children: childTerritories(index, level, code).map((c) => ({ type: c.level, code: c.code, name: c.name })),
  };
}

/**
 * What territory pages read of orientation's data: the needs rules and the schemes (kept by features/orientation,
 * handed over by the composition root).
 */
export interface NeedsData {
  get(): Promise<{ rules: readonly NeedRule[]; schemes: readonly SchemeForOrientation[] }>;
}

const availableRow = z.object({ id: z.number().int(), nom: z.string() });

/**
 * Active schemes acting on the territory (national ones included), as the catalogue finds them; on a territoire
 * de projet, those acting on one of its communes at least.
 */
async function dispositifsAvailable(db: Db, index: TerritoryIndex, identity: TerritoryIdentity) {
  const where =
    identity.type === 'projet'
      ? sql.join(
          identity.children.map((commune) => availableOn(index, 'commune', commune.code)),
          sql` or `,
        )
      : availableOn(index, identity.type, identity.code);
  return checkedRows(
    db,
    availableRow,
    sql`select t.id::int as id, t.name as nom from dispositif t where t.statut = 'actif' and (${where}) order by t.name, t.id`,
  );
}

/** The schemes listed on a territory page (all are counted). */
const LISTED_SCHEMES = 30;

const countOf = (values: FacetValue[] | undefined, code: string) => values?.find((v) => v.valeur === code)?.nombre ?? 0;

/** Facet key holding the counts per child: the level just below the territory. */
function childFacet(type: TerritoryType): keyof AtlasFilters | null {
  return ({ region: 'departement', departement: 'epci', epci: 'commune', commune: 'commune', projet: 'commune' } as const)[type] ?? null;
}

export async function territorySummary(db: Db, index: TerritoryIndex, needsData: NeedsData, type: TerritoryType, code: string) {
  const identity = await identify(db, index, type, code);
  const filters = await resolveFilters(db, index, identity.filters);
  const search = { ...filters, page: 1, par_page: 50 };
  const [organisations, cooperations, dispositifs, data] = await Promise.all([
    countAtlas(db, atlasEntities.organisations, filters, index, { facetLimit: Infinity }),
    searchAtlas<CooperationRow>(db, atlasEntities.cooperations, search, index, cooperationColumns, cooperationRow, { facetLimit: Infinity }),
    dispositifsAvailable(db, index, identity),
    needsData.get(),
  ]);
  const availableIds = new Set(dispositifs.map((d) => d.id));
  const facet = childFacet(type);
  return {
    type,
    code,
    nom: identity.name,
    libelle_type: TYPE_LABELS[type],
    population: identity.population,
    description: identity.description ?? null,
    source: identity.source ?? null,
    parents: identity.parents.map((p) => ({ type: p.level, code: p.code, nom: p.name })),
    organisations: {
      total: organisations.total,
      par_statut_ess: organisations.facettes.statut_ess ?? [],
      par_secteur: organisations.facettes.secteur ?? [],
    },
    cooperations: {
      total: cooperations.total,
      par_modele: cooperations.facettes.modele ?? [],
      par_stade: cooperations.facettes.stade ?? [],
      liste: cooperations.rows.map((row) => cooperationSummary(row, index)),
    },
    dispositifs_disponibles: dispositifs.length,
    dispositifs: dispositifs.slice(0, LISTED_SCHEMES),
    besoins_non_couverts: uncoveredNeeds(
      data.rules,
      data.schemes.filter((scheme) => availableIds.has(scheme.id)),
    ).map(({ stade, besoins }) => ({
      stade,
      libelle_stade: stadeEnum.label(stade),
      besoins: besoins.map((need) => ({ code: need.code, type: need.type, libelle: need.libelle })),
    })),
    sous_territoires: identity.children.map((child) => ({
      type: child.type,
      code: child.code,
      nom: child.name,
      organisations: facet ? countOf(organisations.facettes[facet], child.code) : 0,
      cooperations: facet ? countOf(cooperations.facettes[facet], child.code) : 0,
    })),
  };
}

export type TerritorySummary = Awaited<ReturnType<typeof territorySummary>>;
