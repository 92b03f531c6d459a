/**
 * Official geography: régions, départements, EPCI and communes of the COG (Code officiel géographique).
 * Source: INSEE COG and DGCL BANATIC, as published by Etalab in @etalab/decoupage-administratif
 * (Licence Ouverte). Loaded once, at first start, in one transaction.
 */
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { jsonRecords, type Db, checkedFirstRow, countRow } from '../db/database.ts';

const require = createRequire(import.meta.url);

interface CogRegion {
  code: string;
  nom: string;
}
interface CogDepartement {
  code: string;
  nom: string;
  region: string;
}
interface CogEpci {
  code: string;
  nom: string;
  type: string;
  populationTotale?: number;
  membres: { code: string }[];
}
interface CogCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  commune?: string;
  population?: number;
  codesPostaux?: string[];
}

const dataFile = <T>(name: string): T => require(`@etalab/decoupage-administratif/data/${name}.json`) as T;

/** Loads the COG unless it is already there; returns the number of communes loaded (0 when already loaded). */
export async function loadCogIfEmpty(db: Db): Promise<number> {
  const existing = await checkedFirstRow(db, countRow, sql`select count(*)::int as n from region`);
  if (existing && existing.n > 0) return 0;

  const regions = dataFile<CogRegion[]>('regions').map((r) => ({ code: r.code, name: r.nom }));
  const departements = dataFile<CogDepartement[]>('departements').map((d) => ({ code: d.code, name: d.nom, region_code: d.region }));
  const epcis = dataFile<CogEpci[]>('epci');
  const epciOfCommune = new Map<string, string>();
  for (const epci of epcis) for (const member of epci.membres) epciOfCommune.set(member.code, epci.code);

  // Arrondissements municipaux (Paris, Lyon, Marseille) are kept: SIRENE locates establishments in them.
  const communes = dataFile<CogCommune[]>('communes')
    .filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal')
    .map((c) => ({
      code: c.code,
      name: c.nom,
      departement_code: c.departement,
      region_code: c.region,
      epci_code: epciOfCommune.get(c.commune ?? c.code) ?? null,
      parent_code: c.commune ?? null,
      population: c.population ?? null,
      postal_codes: c.codesPostaux ?? [],
    }));

  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into region (code, name) select code, name from json_to_recordset(${jsonRecords(regions)}) as r(code text, name text)`);
    await tx.execute(sql`insert into departement (code, name, region_code)
      select code, name, region_code from json_to_recordset(${jsonRecords(departements)}) as d(code text, name text, region_code text)`);
    await tx.execute(sql`insert into epci (code, name, kind, population)
      select code, name, kind, population from json_to_recordset(${jsonRecords(
        epcis.map((e) => ({ code: e.code, name: e.nom, kind: e.type, population: e.populationTotale ?? null })),
      )}) as e(code text, name text, kind text, population integer)`);
    await tx.execute(sql`insert into commune (code, name, departement_code, region_code, epci_code, parent_code, population, postal_codes)
      select code, name, departement_code, region_code, epci_code, parent_code, population,
             array(select json_array_elements_text(postal_codes))
      from json_to_recordset(${jsonRecords(communes)}) as c(code text, name text, departement_code text, region_code text,
        epci_code text, parent_code text, population integer, postal_codes json)`);
  });
  return communes.length;
}
