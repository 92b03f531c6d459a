/**
 * Exports of any Atlas search, streamed in batches (keyset on id) so that a national export never sits in
 * memory: CSV (French Excel or RFC 4180), JSON and GeoJSON, under the Licence Ouverte.
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { checkedRows, type Db } from '../../db/database.ts';
import { nafLabel } from '../../data/naf.ts';
import { csvLine, UTF8_BOM, type CsvDialect } from '../../web/csv.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { AtlasEntity } from './entities.ts';
import { cooperationColumns, cooperationRow, organisationColumns, organisationRow, type CooperationRow, type OrganisationRow } from './records.ts';
import { whereClause, type ResolvedFilters } from './search.ts';

export type ExportFormat = 'csv' | 'json' | 'geojson';
const BATCH_SIZE = 5000;

type Flat = Record<string, string | number | boolean | null>;

/** One flat record per row: the columns of the CSV and the properties of the GeoJSON features. */
function flatten(entity: AtlasEntity, row: OrganisationRow | CooperationRow, territories: TerritoryIndex): Flat {
  const commune = row.commune_code ? territories.communes.get(row.commune_code) : undefined;
  const place = {
    commune_code: row.commune_code,
    commune_nom: commune?.name ?? null,
    departement_code: commune?.departementCode ?? null,
    region_code: commune?.regionCode ?? null,
    latitude: row.latitude,
    longitude: row.longitude,
    exemple: row.is_example,
  };
  if (entity.kind === 'organisations') {
    const o = row as OrganisationRow;
    return {
      id: o.id,
      nom: o.name,
      siret: o.siret,
      siren: o.siren,
      forme_juridique: o.legal_form,
      statut_ess: o.statut_ess,
      code_naf: o.naf_code,
      libelle_naf: nafLabel(o.naf_code),
      secteur: o.secteur,
      ...place,
    };
  }
  const c = row as CooperationRow;
  return {
    id: c.id,
    nom: c.name,
    modele: c.modele,
    finalite: c.finalite,
    modele_economique: c.modele_economique,
    stade: c.stade,
    secteur: c.secteur,
    territoire: c.territory_label,
    ...place,
  };
}

async function* batches(db: Db, entity: AtlasEntity, filters: ResolvedFilters) {
  const [columns, schema] = entity.kind === 'organisations' ? [organisationColumns, organisationRow] : [cooperationColumns, cooperationRow];
  let lastId = 0;
  for (;;) {
    const batch = await checkedRows(
      db,
      schema,
      sql`select ${columns} from ${entity.table} t
      ${whereClause(entity, filters, [sql`t.id > ${lastId}`])} order by t.id limit ${BATCH_SIZE}`,
    );
    if (batch.length === 0) return;
    yield batch;
    lastId = batch[batch.length - 1]!.id;
  }
}

export function exportStream(
  db: Db,
  entity: AtlasEntity,
  filters: ResolvedFilters,
  territories: TerritoryIndex,
  format: ExportFormat,
  dialect: CsvDialect,
): Readable {
  async function* generate() {
    let first = true;
    if (format === 'json') yield '[\n';
    if (format === 'geojson') yield '{"type":"FeatureCollection","features":[\n';
    for await (const batch of batches(db, entity, filters)) {
      let chunk = '';
      for (const row of batch) {
        const flat = flatten(entity, row, territories);
        if (format === 'csv') {
          if (first) chunk += (dialect === 'excel-fr' ? UTF8_BOM : '') + csvLine(Object.keys(flat), dialect);
          chunk += csvLine(Object.values(flat), dialect);
        } else if (format === 'json') {
          chunk += (first ? '' : ',\n') + JSON.stringify(flat);
        } else {
          const geometry = flat.longitude !== null && flat.latitude !== null ? { type: 'Point', coordinates: [flat.longitude, flat.latitude] } : null;
          chunk += (first ? '' : ',\n') + JSON.stringify({ type: 'Feature', id: flat.id, geometry, properties: flat });
        }
        first = false;
      }
      yield chunk;
    }
    if (format === 'csv' && first) yield `${dialect === 'excel-fr' ? UTF8_BOM : ''}\r\n`;
    if (format === 'json') yield '\n]\n';
    if (format === 'geojson') yield '\n]}\n';
  }
  return Readable.from(generate());
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};
