/**
 * The rows of each public dataset, read in batches (keyset on id, so a national table never sits whole in
 * memory) and checked against the dataset's own Table Schema fields (table-schemas.ts). Lists are written with
 * « | » between values, so that a cell stays a text for every CSV reader.
 */
import { sql, type SQL } from 'drizzle-orm';
import { checkedRows, type Db } from '../../db/database.ts';
import { scdlExport } from '../calls/instruction/scdl.ts';
import { rowSchema, type DatasetName } from './table-schemas.ts';

export type DatasetRow = Record<string, string | number | boolean | null>;

const BATCH_SIZE = 5000;
const utc = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const joined = (column: SQL) => sql`nullif(array_to_string(${column}, '|'), '')`;

const place = sql`t.commune_code, co.name as commune_nom, t.epci_code, t.departement_code, t.region_code, t.latitude, t.longitude`;

/** One batch of a table's rows after `lastId`: the SELECT of each dataset, its public rows only. */
const BATCH_QUERIES: Record<Exclude<DatasetName, 'subventions'>, (lastId: number) => SQL> = {
  cooperations: (lastId) => sql`
    select t.id::int as id, t.name as nom, t.modele, t.finalite, t.modele_economique, t.stade, t.secteur, t.legal_form as forme_juridique,
      ${place}, t.territory_label as territoire, t.description, t.governance as gouvernance, t.activities as activites,
      t.shared_resources as ressources_partagees, t.founded_year as annee_creation, t.website as site_web,
      (select count(*) from cooperation_member m where m.cooperation_id = t.id)::int as nombre_membres,
      t.is_example as exemple, t.source, ${utc(sql`t.updated_at`)} as mise_a_jour
    from cooperation t left join commune co on co.code = t.commune_code
    where t.id > ${lastId} order by t.id limit ${BATCH_SIZE}`,
  organisations: (lastId) => sql`
    select t.id::int as id, t.name as nom, t.siret, t.siren, t.legal_form as forme_juridique, t.statut_ess, t.naf_code as code_naf, t.secteur,
      ${place}, t.website as site_web, t.is_example as exemple, t.source, ${utc(sql`t.updated_at`)} as mise_a_jour,
      (select string_agg(ml.slug, '|' order by ml.slug) from organisation_monnaie_locale a join monnaie_locale ml on ml.id = a.monnaie_locale_id where a.organisation_id = t.id) as monnaies_locales
    from organisation t left join commune co on co.code = t.commune_code
    where t.id > ${lastId} order by t.id limit ${BATCH_SIZE}`,
  dispositifs: (lastId) => sql`
    select id::int as id, key as cle, name as nom, description, ${joined(sql`types_accompagnement`)} as types_accompagnement,
      ${joined(sql`types_financement`)} as types_financement, ${joined(sql`stades`)} as stades, ${joined(sql`modeles`)} as modeles,
      couverture_niveau, ${joined(sql`couverture_codes`)} as couverture_codes, montant_min::float8 as montant_min, montant_max::float8 as montant_max,
      montant_texte, url, source, to_char(date_verification, 'YYYY-MM-DD') as date_verification, statut
    from dispositif where id > ${lastId} order by id limit ${BATCH_SIZE}`,
  appels: (lastId) => sql`
    select a.id::int as id, a.key as cle, a.title as titre, a.description, a.statut,
      (select nullif(string_agg(o.name, '|' order by o.position), '') from appel_organisateur o where o.appel_id = a.id) as organisateurs,
      a.dispositif_id::int as dispositif_id, a.budget::float8 as budget, a.budget_texte, a.couverture_niveau,
      ${joined(sql`a.couverture_codes`)} as couverture_codes, ${utc(sql`a.public_since`)} as public_depuis, a.is_example as exemple, a.source
    from appel a where a.statut <> 'brouillon' and a.id > ${lastId} order by a.id limit ${BATCH_SIZE}`,
};

/** Every row of a dataset, batch after batch. */
export async function* datasetBatches(db: Db, name: DatasetName): AsyncGenerator<DatasetRow[]> {
  if (name === 'subventions') {
    // The awarded grants are the SCDL export itself (its rows are few: one per funding agreement).
    yield (await scdlExport(db, null)).subventions.map((row) => ({ ...row }));
    return;
  }
  const schema = rowSchema(name);
  let lastId = 0;
  for (;;) {
    const batch = (await checkedRows(db, schema, BATCH_QUERIES[name](lastId))) as DatasetRow[];
    if (batch.length === 0) return;
    yield batch;
    lastId = batch[batch.length - 1]!.id as number;
  }
}
