/** The schemes as the exchange reads them, in one query shared by the export and its tests. */
import { sql, type SQL } from 'drizzle-orm';
import { checkedRows, column, type Db } from '../../db/database.ts';
import type { Calendar } from '../../domain/calendar.ts';
import type { InteropScheme, SchemaField } from './mapping.ts';
import { z } from 'zod';

const interopRow = z.object({
  key: z.string(),
  id_aide: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  types_accompagnement: z.array(z.string()),
  types_financement: z.array(z.string()),
  stades: z.array(z.string()),
  calendrier: column.jsonAs<Calendar>().nullable(),
  couverture_niveau: z.enum(['national', 'region', 'departement', 'epci', 'commune']).nullable(),
  couverture_codes: z.array(z.string()),
  conditions: z.string().nullable(),
  contact: z.string().nullable(),
  url: z.string().nullable(),
  date_verification: z.string().nullable(),
  champs_interop: column.jsonAs<Partial<Record<SchemaField, string>>>(),
  porteurs: z.array(z.object({ nom: z.string(), siren: z.string().nullable() })),
  modeles: z.array(z.string()),
  finalites: z.array(z.string()),
  modeles_economiques: z.array(z.string()),
  formes_juridiques: z.array(z.string()),
  esus_requis: z.boolean().nullable(),
  montant_min: z.number().nullable(),
  montant_max: z.number().nullable(),
  montant_texte: z.string().nullable(),
  duree_texte: z.string().nullable(),
  source: z.string().nullable(),
  statut: z.enum(['actif', 'clos']),
});

/** Schemes matching `where` (on alias t), by name; a porteur's SIREN is the source's, else its organisation's. */
export async function interopSchemes(db: Db, where: SQL): Promise<InteropScheme[]> {
  const found = await checkedRows(
    db,
    interopRow,
    sql`select t.key, t.id_aide, t.name, t.description, t.types_accompagnement,
      t.types_financement, t.stades, t.calendrier, t.couverture_niveau, t.couverture_codes, t.conditions, t.contact, t.url,
      t.date_verification::text as date_verification, t.champs_interop, t.modeles, t.finalites, t.modeles_economiques,
      t.formes_juridiques, t.esus_requis, t.montant_min::float8 as montant_min, t.montant_max::float8 as montant_max, t.montant_texte,
      t.duree_texte, t.source, t.statut,
      coalesce((select json_agg(json_build_object('nom', p.name, 'siren', coalesce(p.siren, o.siren)) order by p.position)
        from dispositif_porteur p left join organisation o on o.id = p.organisation_id where p.dispositif_id = t.id), '[]'::json) as porteurs
    from dispositif t ${where} order by t.name, t.id`,
  );
  return found.map((row) => ({
    key: row.key,
    idAide: row.id_aide,
    nom: row.name,
    description: row.description,
    porteurs: row.porteurs,
    typesAccompagnement: row.types_accompagnement,
    typesFinancement: row.types_financement,
    stades: row.stades,
    calendrier: row.calendrier,
    couverture: row.couverture_niveau ? { niveau: row.couverture_niveau, codes: row.couverture_codes } : null,
    conditions: row.conditions,
    contact: row.contact,
    url: row.url,
    dateVerification: row.date_verification,
    champs: row.champs_interop,
    modeles: row.modeles,
    finalites: row.finalites,
    modelesEconomiques: row.modeles_economiques,
    formesJuridiques: row.formes_juridiques,
    esusRequis: row.esus_requis,
    montantMin: row.montant_min,
    montantMax: row.montant_max,
    montantTexte: row.montant_texte,
    dureeTexte: row.duree_texte,
    source: row.source,
    statut: row.statut,
  }));
}
