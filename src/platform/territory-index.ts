import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../db/database.ts';
import { compareFrench } from '../domain/french.ts';

/** The official territory levels, as they appear in URLs and API parameters. */
export const TERRITORY_LEVELS = ['region', 'departement', 'epci', 'commune'] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

const namedEntry = z.object({ code: z.string(), name: z.string() });
const departementEntry = namedEntry.extend({ regionCode: z.string() });
const epciEntry = namedEntry.extend({ kind: z.string(), population: z.number().int().nullable() });
const communeEntry = namedEntry.extend({
  departementCode: z.string(),
  regionCode: z.string(),
  epciCode: z.string().nullable(),
  parentCode: z.string().nullable(),
  population: z.number().int().nullable(),
  postalCodes: z.array(z.string()),
});
export type NamedEntry = z.infer<typeof namedEntry>;
export type DepartementEntry = z.infer<typeof departementEntry>;
export type EpciEntry = z.infer<typeof epciEntry>;
export type CommuneEntry = z.infer<typeof communeEntry>;

/**
 * The COG held in memory (a few MB): the names behind facet codes, the check that a code exists, and the
 * parents of a commune, without a query each time. The COG only changes with a new load, at start.
 */
export interface TerritoryIndex {
  regions: Map<string, NamedEntry>;
  departements: Map<string, DepartementEntry>;
  epcis: Map<string, EpciEntry>;
  communes: Map<string, CommuneEntry>;
  /** The départements an EPCI's communes lie in (an EPCI may straddle a border). */
  epciDepartements: Map<string, Set<string>>;
  name(level: TerritoryLevel, code: string): string | undefined;
  has(level: TerritoryLevel, code: string): boolean;
}

export async function loadTerritoryIndex(db: Db): Promise<TerritoryIndex> {
  const [regionRows, departementRows, epciRows, communeRows] = await Promise.all([
    checkedRows(db, namedEntry, sql`select code, name from region order by code`),
    checkedRows(db, departementEntry, sql`select code, name, region_code as "regionCode" from departement order by code`),
    checkedRows(db, epciEntry, sql`select code, name, kind, population from epci order by name`),
    checkedRows(
      db,
      communeEntry,
      sql`select code, name, departement_code as "departementCode", region_code as "regionCode",
      epci_code as "epciCode", parent_code as "parentCode", population, postal_codes as "postalCodes" from commune order by code`,
    ),
  ]);
  const byCode = <T extends NamedEntry>(list: T[]) => new Map(list.map((entry) => [entry.code, entry]));
  const maps = {
    region: byCode(regionRows),
    departement: byCode(departementRows),
    epci: byCode(epciRows),
    commune: byCode(communeRows),
  } satisfies Record<TerritoryLevel, Map<string, NamedEntry>>;
  const epciDepartements = new Map<string, Set<string>>();
  for (const commune of communeRows) {
    if (!commune.epciCode) continue;
    const departements = epciDepartements.get(commune.epciCode) ?? new Set<string>();
    departements.add(commune.departementCode);
    epciDepartements.set(commune.epciCode, departements);
  }
  return {
    epciDepartements,
    regions: maps.region,
    departements: maps.departement,
    epcis: maps.epci,
    communes: maps.commune,
    name: (level, code) => maps[level].get(code)?.name,
    has: (level, code) => maps[level].has(code),
  };
}

export interface TerritoryRef {
  level: TerritoryLevel;
  code: string;
  name: string;
}

/** The territories one level down, as the territory page lists them (with their counts, zero included). */
export function childTerritories(index: TerritoryIndex, level: TerritoryLevel, code: string): TerritoryRef[] {
  const communes = [...index.communes.values()];
  const byName = (a: TerritoryRef, b: TerritoryRef) => compareFrench(a.name, b.name);
  switch (level) {
    case 'region':
      return [...index.departements.values()].filter((d) => d.regionCode === code).map((d) => ({ level: 'departement' as const, code: d.code, name: d.name }));
    case 'departement': {
      const epciCodes = new Set(communes.filter((c) => c.departementCode === code && c.epciCode).map((c) => c.epciCode!));
      return [...epciCodes].map((epci) => ({ level: 'epci' as const, code: epci, name: index.name('epci', epci) ?? epci })).sort(byName);
    }
    case 'epci':
      return communes
        .filter((c) => c.epciCode === code && !c.parentCode)
        .map((c) => ({ level: 'commune' as const, code: c.code, name: c.name }))
        .sort(byName);
    case 'commune':
      return communes.filter((c) => c.parentCode === code).map((c) => ({ level: 'commune' as const, code: c.code, name: c.name }));
  }
}

/** The territories that contain a place, from the commune up. */
export function parentTerritories(index: TerritoryIndex, level: TerritoryLevel, code: string): TerritoryRef[] {
  const parents: TerritoryRef[] = [];
  const add = (parentLevel: TerritoryLevel, parentCode: string | null | undefined) => {
    const name = parentCode ? index.name(parentLevel, parentCode) : undefined;
    if (parentCode && name) parents.push({ level: parentLevel, code: parentCode, name });
  };
  if (level === 'commune') {
    const commune = index.communes.get(code);
    add('commune', commune?.parentCode);
    add('epci', commune?.epciCode);
    add('departement', commune?.departementCode);
    add('region', commune?.regionCode);
  } else if (level === 'epci') {
    const departements = index.epciDepartements.get(code) ?? new Set<string>();
    for (const departement of departements) add('departement', departement);
    for (const region of new Set([...departements].map((d) => index.departements.get(d)?.regionCode))) add('region', region);
  } else if (level === 'departement') {
    add('region', index.departements.get(code)?.regionCode);
  }
  return parents;
}

export interface CodesByLevel {
  region: string[];
  departement: string[];
  epci: string[];
  commune: string[];
}

/**
 * The codes, at every level, of the territories that share ground with one territory: its parents, itself and
 * what it contains. A scheme covering any of them acts (at least partly) on that territory.
 */
export function overlappingCodes(index: TerritoryIndex, level: TerritoryLevel, code: string): CodesByLevel {
  const sets = { region: new Set<string>(), departement: new Set<string>(), epci: new Set<string>(), commune: new Set<string>() };
  const inside = (c: CommuneEntry) =>
    (level === 'region' && c.regionCode === code) ||
    (level === 'departement' && c.departementCode === code) ||
    (level === 'epci' && c.epciCode === code) ||
    (level === 'commune' && (c.code === code || c.parentCode === code));
  for (const commune of index.communes.values()) {
    if (!inside(commune)) continue;
    sets.region.add(commune.regionCode);
    sets.departement.add(commune.departementCode);
    if (commune.epciCode) sets.epci.add(commune.epciCode);
    sets.commune.add(commune.code);
    if (commune.parentCode) sets.commune.add(commune.parentCode);
  }
  return { region: [...sets.region], departement: [...sets.departement], epci: [...sets.epci], commune: [...sets.commune] };
}

/**
 * The départements a scheme's coverage touches (all of them for a national one): what orientation indexes
 * schemes by, and what the analytical cartography counts them on.
 */
export function departementsCovered(index: TerritoryIndex, couverture: { niveau: string; codes: string[] }): Set<string> {
  if (couverture.niveau === 'national') return new Set(index.departements.keys());
  const departements = new Set<string>();
  for (const code of couverture.codes) {
    if (couverture.niveau === 'region') {
      for (const d of index.departements.values()) if (d.regionCode === code) departements.add(d.code);
    } else if (couverture.niveau === 'departement') {
      if (index.departements.has(code)) departements.add(code);
    } else if (couverture.niveau === 'epci') {
      for (const d of index.epciDepartements.get(code) ?? []) departements.add(d);
    } else {
      const commune = index.communes.get(code);
      if (commune) departements.add(commune.departementCode);
    }
  }
  return departements;
}

export function regionsOfDepartements(index: TerritoryIndex, departements: Iterable<string>): Set<string> {
  const regions = new Set<string>();
  for (const d of departements) {
    const region = index.departements.get(d)?.regionCode;
    if (region) regions.add(region);
  }
  return regions;
}
