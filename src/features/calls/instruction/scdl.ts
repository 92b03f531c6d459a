/**
 * The awarded grants read for the SCDL « subventions » export (mapping in domain/scdl.ts): the agreements of
 * laureate applications only (a draft, a declined or withdrawn application never appears), of calls that are
 * not in preparation. The attribuant is the first organiser, by position, that has a SIRET: the Atlas
 * organisation's when it is linked to one, else the SIRET typed on the call.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedRows } from '../../../db/database.ts';
import { SCDL_FIELDS, scdlCells, toScdl, type SubventionScdl } from '../../../domain/scdl.ts';
import { csvLine } from '../../../web/csv.ts';
import { z } from 'zod';

const agreementRow = z.object({
  appel_id: z.number(),
  appel_titre: z.string(),
  dispositif_aide: z.string().nullable(),
  attribuant: z.object({ nom: z.string(), siret: z.string() }).nullable(),
  titre: z.string(),
  chef_nom: z.string().nullable(),
  chef_siret: z.string().nullable(),
  debut: z.string(),
  tranches: z.array(z.object({ montant: z.string().nullable(), echeance: z.string(), conditionnelle: z.boolean(), levee: z.boolean() })),
});
type AgreementRow = z.infer<typeof agreementRow>;

/** A grant left out of the file, and why (nothing is invented to fill a required column). */
export interface Ecartee {
  appel_id: number;
  appel: string;
  candidature: string;
  motif: string;
}

export interface ScdlExport {
  subventions: SubventionScdl[];
  ecartees: Ecartee[];
}

const toCents = (euros: string | null) => (euros === null ? null : Math.round(Number(euros) * 100));

async function agreements(db: Db, appelId: number | null): Promise<AgreementRow[]> {
  return checkedRows(
    db,
    agreementRow,
    sql`
    select a.id::int as appel_id, a.title as appel_titre, coalesce(d.id_aide, d.key) as dispositif_aide,
      (select json_build_object('nom', case when org.siret is not null then org.name else o.name end, 'siret', coalesce(org.siret, o.siret))
        from appel_organisateur o left join organisation org on org.id = o.organisation_id
        where o.appel_id = a.id and coalesce(org.siret, o.siret) is not null order by o.position limit 1) as attribuant,
      c.title as titre, m.name as chef_nom, m.siret as chef_siret, conv.debut::text as debut,
      coalesce((select json_agg(json_build_object('montant', t.montant::text, 'echeance', t.echeance::text,
          'conditionnelle', t.conditionnelle, 'levee', t.condition_levee_at is not null) order by t.position)
        from convention_tranche t where t.convention_id = conv.id), '[]'::json) as tranches
    from convention conv
    join candidature c on c.id = conv.candidature_id and c.statut = 'laureate'
    join appel a on a.id = c.appel_id and a.statut <> 'brouillon'
    left join dispositif d on d.id = a.dispositif_id
    left join candidature_membre m on m.candidature_id = c.id and m.role = 'chef_de_file'
    where ${appelId === null ? sql`true` : sql`a.id = ${appelId}`}
    order by a.id, conv.debut, c.id`,
  );
}

/** Whether a call is public (exists and is not in preparation): its grants may be exported. */
export async function publicCallExists(db: Db, appelId: number): Promise<boolean> {
  return Boolean(await firstRow(db, sql`select 1 from appel where id = ${appelId} and statut <> 'brouillon'`));
}

/** The grants of one call (or of every public call when `appelId` is null), with those left out and why. */
export async function scdlExport(db: Db, appelId: number | null): Promise<ScdlExport> {
  const result: ScdlExport = { subventions: [], ecartees: [] };
  for (const row of await agreements(db, appelId)) {
    const mapped = toScdl({
      appel: { titre: row.appel_titre, dispositifAide: row.dispositif_aide },
      attribuant: row.attribuant,
      candidature: { titre: row.titre },
      beneficiaire: row.chef_nom && row.chef_siret ? { nom: row.chef_nom, siret: row.chef_siret } : null,
      debut: row.debut,
      tranches: row.tranches.map((t) => ({
        montantCentimes: toCents(t.montant),
        echeance: t.echeance,
        conditionnelle: t.conditionnelle,
        conditionLevee: t.levee,
      })),
    });
    if ('subvention' in mapped) result.subventions.push(mapped.subvention);
    else result.ecartees.push({ appel_id: row.appel_id, appel: row.appel_titre, candidature: row.titre, motif: mapped.motif });
  }
  return result;
}

/**
 * The CSV the SCDL documentation asks for: UTF-8 without BOM, comma separator, CRLF line ends, a header line of
 * the schema's column names (OpenDataFrance, « Produire un fichier CSV de qualité », which the SCDL schemas
 * follow; the schema's valid example file is comma-separated). Not the French-Excel dialect of other exports.
 */
export function scdlCsv(subventions: readonly SubventionScdl[]): string {
  return csvLine(SCDL_FIELDS, 'rfc4180') + subventions.map((s) => csvLine(scdlCells(s), 'rfc4180')).join('');
}
