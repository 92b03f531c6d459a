/**
 * Writes a batch of organisations in one statement: the rows travel as one JSON parameter, the territory
 * codes are copied from the commune in SQL, and a SIRET already present is updated in place (idempotent).
 * Rows whose values did not change are left alone, so re-importing the same stock rewrites nothing.
 */
import { sql, type SQL } from 'drizzle-orm';
import { firstRow, jsonRecords, type Db } from '../../db/database.ts';

/** Columns an import may fill, with their SQL type; names come only from here, never from the input. */
const COLUMN_TYPES = {
  siret: 'text',
  siren: 'text',
  name: 'text',
  legal_form: 'text',
  statut_ess: 'text',
  naf_code: 'text',
  secteur: 'text',
  tranche_effectif: 'text',
  commune_code: 'text',
  latitude: 'float8',
  longitude: 'float8',
  address: 'text',
  website: 'text',
  description: 'text',
  source: 'text',
} as const;

export type OrganisationColumn = keyof typeof COLUMN_TYPES;
const ORGANISATION_COLUMNS = Object.keys(COLUMN_TYPES) as OrganisationColumn[];

export type OrganisationRow = { siret: string; siren: string; name: string; source: string } & {
  [K in Exclude<OrganisationColumn, 'siret' | 'siren' | 'name' | 'source'>]?: K extends 'latitude' | 'longitude' ? number | null : string | null;
};

export interface BatchResult {
  inserted: number;
  /** Ids of the rows inserted (their first version is the caller's to write). */
  insertedIds: number[];
  /** Existing rows whose values changed. */
  updated: number;
  unchanged: number;
}

const TERRITORY_COLUMNS = ['departement_code', 'region_code', 'epci_code'] as const;

/** The value inserted for a column: coordinates fall back on the commune's centre when it is known. */
function selected(column: OrganisationColumn): string {
  return column === 'latitude' || column === 'longitude' ? `coalesce(r.${column}, c.${column})` : `r.${column}`;
}

/** Columns an update overwrites: those the source provides, with the territory codes when the commune is one. */
function updatedColumns(provided: readonly OrganisationColumn[]): string[] {
  const columns: string[] = provided.filter((column) => column !== 'siret');
  return provided.includes('commune_code') ? [...columns, ...TERRITORY_COLUMNS] : columns;
}

function upsertStatement(records: readonly OrganisationRow[], provided: readonly OrganisationColumn[]): SQL {
  const recordType = ORGANISATION_COLUMNS.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ');
  const updated = updatedColumns(provided);
  return sql`with written as (
      insert into organisation as o (${sql.raw([...ORGANISATION_COLUMNS, ...TERRITORY_COLUMNS].join(', '))})
      select ${sql.raw([...ORGANISATION_COLUMNS.map(selected), ...TERRITORY_COLUMNS.map((column) => `c.${column}`)].join(', '))}
      from json_to_recordset(${jsonRecords(records)}) as r(${sql.raw(recordType)})
      left join commune c on c.code = r.commune_code
      on conflict (siret) do update set
        ${sql.raw(updated.map((column) => `${column} = excluded.${column}`).join(', '))}, updated_at = now()
      where (${sql.raw(updated.map((column) => `o.${column}`).join(', '))})
        is distinct from (${sql.raw(updated.map((column) => `excluded.${column}`).join(', '))})
      returning o.id, (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*)::int as changed,
      coalesce(array_agg(id::int) filter (where inserted), '{}') as inserted_ids from written`;
}

/**
 * Upserts the rows (their SIRETs must be distinct) on the given transaction. `provided` lists the columns
 * the source really has: the others keep their current value on an update.
 */
export async function upsertOrganisations(tx: Db, records: readonly OrganisationRow[], provided: readonly OrganisationColumn[]): Promise<BatchResult> {
  if (records.length === 0) return { inserted: 0, insertedIds: [], updated: 0, unchanged: 0 };
  const result = await firstRow<{ inserted: number; changed: number; inserted_ids: number[] }>(tx, upsertStatement(records, provided));
  const { inserted, changed, inserted_ids } = result!;
  return { inserted, insertedIds: inserted_ids, updated: changed - inserted, unchanged: records.length - changed };
}
