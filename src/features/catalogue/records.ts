/** How schemes leave the database, with the French field names of the public API. */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { column } from '../../db/database.ts';
import type { Calendar } from '../../domain/calendar.ts';

export const dispositifRow = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  types_accompagnement: z.array(z.string()),
  types_financement: z.array(z.string()),
  stades: z.array(z.string()),
  modeles: z.array(z.string()),
  finalites: z.array(z.string()),
  modeles_economiques: z.array(z.string()),
  formes_juridiques: z.array(z.string()),
  esus_requis: z.boolean().nullable(),
  couverture_niveau: z.string().nullable(),
  couverture_codes: z.array(z.string()),
  montant_min: z.union([z.string(), z.number()]).nullable(),
  montant_max: z.union([z.string(), z.number()]).nullable(),
  montant_texte: z.string().nullable(),
  duree_texte: z.string().nullable(),
  calendrier: column.jsonAs<Calendar>().nullable(),
  conditions: z.string().nullable(),
  contact: z.string().nullable(),
  url: z.string().nullable(),
  source: z.string().nullable(),
  date_verification: column.instant.nullable(),
  statut: z.enum(['actif', 'clos']),
  porteurs: z.array(z.string()).nullable(),
});
export type DispositifRow = z.infer<typeof dispositifRow>;

export const dispositifColumns: SQL = sql`t.id::int as id, t.key, t.name, t.description, t.types_accompagnement, t.types_financement,
  t.stades, t.modeles, t.finalites, t.modeles_economiques, t.formes_juridiques, t.esus_requis, t.couverture_niveau,
  t.couverture_codes, t.montant_min, t.montant_max, t.montant_texte, t.duree_texte, t.calendrier, t.conditions, t.contact,
  t.url, t.source, t.date_verification::text as date_verification, t.statut,
  array(select p.name from dispositif_porteur p where p.dispositif_id = t.id order by p.position) as porteurs`;

const toNumber = (value: string | number | null) => (value === null ? null : Number(value));

export function dispositifSummary(row: DispositifRow) {
  return {
    id: row.id,
    nom: row.name,
    types_accompagnement: row.types_accompagnement as never[],
    types_financement: row.types_financement as never[],
    porteurs: row.porteurs ?? [],
    stades: row.stades as never[],
    couverture: row.couverture_niveau ? { niveau: row.couverture_niveau as never, codes: row.couverture_codes } : null,
    calendrier: row.calendrier as never,
    statut: row.statut,
  };
}

/** The fields the source leaves empty, shown as « à compléter ». */
function missingFields(row: DispositifRow): string[] {
  const missing: [string, boolean][] = [
    ['types', row.types_accompagnement.length + row.types_financement.length === 0],
    ['porteurs', !row.porteurs?.length],
    ['stades', row.stades.length === 0],
    ['couverture', row.couverture_niveau === null],
    ['montant', row.montant_texte === null && row.montant_min === null && row.montant_max === null],
    ['duree', row.duree_texte === null],
    ['calendrier', row.calendrier === null],
    ['conditions', row.conditions === null],
    ['contact', row.contact === null],
    ['url', row.url === null],
    ['date_verification', row.date_verification === null],
  ];
  return missing.filter(([, isMissing]) => isMissing).map(([field]) => field);
}

export function dispositifDetail(row: DispositifRow) {
  return {
    ...dispositifSummary(row),
    key: row.key,
    description: row.description,
    modeles: row.modeles as never[],
    finalites: row.finalites as never[],
    modeles_economiques: row.modeles_economiques as never[],
    formes_juridiques: row.formes_juridiques,
    esus_requis: row.esus_requis,
    montant_min: toNumber(row.montant_min),
    montant_max: toNumber(row.montant_max),
    montant_texte: row.montant_texte,
    duree_texte: row.duree_texte,
    conditions: row.conditions,
    contact: row.contact,
    url: row.url,
    source: row.source,
    date_verification: row.date_verification ? String(row.date_verification).slice(0, 10) : null,
    a_completer: missingFields(row),
  };
}

export type DispositifDetail = ReturnType<typeof dispositifDetail>;
