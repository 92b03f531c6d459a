/** How schemes leave the database, with the French field names of the public API. */
import { sql, type SQL } from 'drizzle-orm';
import type { Calendar } from '../../domain/calendar.ts';

export interface DispositifRow {
  id: number;
  key: string;
  name: string;
  description: string | null;
  types_accompagnement: string[];
  types_financement: string[];
  stades: string[];
  modeles: string[];
  finalites: string[];
  modeles_economiques: string[];
  formes_juridiques: string[];
  esus_requis: boolean | null;
  couverture_niveau: string | null;
  couverture_codes: string[];
  montant_min: string | number | null;
  montant_max: string | number | null;
  montant_texte: string | null;
  duree_texte: string | null;
  calendrier: Calendar | null;
  conditions: string | null;
  contact: string | null;
  url: string | null;
  source: string | null;
  date_verification: string | Date | null;
  statut: 'actif' | 'clos';
  porteurs: string[] | null;
}

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
