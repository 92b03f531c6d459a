import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/database.ts';

/** The official territory levels, as they appear in URLs and API parameters. */
export const TERRITORY_LEVELS = ['region', 'departement', 'epci', 'commune'] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

export interface CommuneEntry {
  code: string; name: string; departementCode: string; regionCode: string; epciCode: string | null; parentCode: string | null;
  population: number | null;
}
export interface NamedEntry { code: string; name: string }
export interface DepartementEntry extends NamedEntry { regionCode: string }
export interface EpciEntry extends NamedEntry { kind: string; population: number | null }

/**
 * The COG held in memory (a few MB): the names behind facet codes, the check that a code exists, and the
 * parents of a commune, without a query each time. The COG only changes with a new load, at start.
 */
export interface TerritoryIndex {
  regions: Map<string, NamedEntry>;
  departements: Map<string, DepartementEntry>;
  epcis: Map<string, EpciEntry>;
  communes: Map<string, CommuneEntry>;
  name(level: TerritoryLevel, code: string): string | undefined;
  has(level: TerritoryLevel, code: string): boolean;
}

export async function loadTerritoryIndex(db: Db): Promise<TerritoryIndex> {
  const [regionRows, departementRows, epciRows, communeRows] = await Promise.all([
    rows<NamedEntry>(db, sql`select code, name from region order by code`),
    rows<DepartementEntry>(db, sql`select code, name, region_code as "regionCode" from departement order by code`),
    rows<EpciEntry>(db, sql`select code, name, kind, population from epci order by name`),
    rows<CommuneEntry>(db, sql`select code, name, departement_code as "departementCode", region_code as "regionCode",
      epci_code as "epciCode", parent_code as "parentCode", population from commune order by code`),
  ]);
  const byCode = <T extends NamedEntry>(list: T[]) => new Map(list.map((entry) => [entry.code, entry]));
  const maps = {
    region: byCode(regionRows),
    departement: byCode(departementRows),
    epci: byCode(epciRows),
    commune: byCode(communeRows),
  } satisfies Record<TerritoryLevel, Map<string, NamedEntry>>;
  return {
    regions: maps.region,
    departements: maps.departement,
    epcis: maps.epci,
    communes: maps.commune,
    name: (level, code) => maps[level].get(code)?.name,
    has: (level, code) => maps[level].has(code),
  };
}
