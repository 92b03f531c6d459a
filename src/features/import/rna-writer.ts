/**
 * Writes a batch of associations of the RNA: COPY into a staging table, then one set-based merge, as the
 * organisations writer does, with RNA's own rules:
 * - an association is found by its RNA id, else by its SIRET: an organisation SIRENE (or anyone) already holds
 *   for that SIRET gets the RNA id — one organisation, not two;
 * - on an organisation the RNA import created (its source is RNA's), every field follows the file; on one that
 *   came from elsewhere (SIRENE, a contribution), SIRENE's fields stay and the file only fills those left empty;
 * - the digest of the imported fields (organisation.rna_digest, apart from SIRENE's import_digest) leaves the
 *   unchanged associations untouched, so a second run rewrites nothing;
 * - a SIRET held by another organisation, or given to two associations, is refused with its reason.
 */
import type pg from 'pg';
import { z } from 'zod';
import type { BatchWriter } from './pipeline.ts';
import { copyIn, copyText } from './writer.ts';

export interface AssociationRow {
  rna: string;
  siret: string | null;
  siren: string | null;
  name: string;
  legal_form: string;
  statut_ess: string;
  commune_code: string;
  address: string | null;
  website: string | null;
  description: string | null;
  source: string;
}

const COLUMNS = ['rna', 'siret', 'siren', 'name', 'legal_form', 'statut_ess', 'commune_code', 'address', 'website', 'description', 'source'] as const;
const STAGING = 'rna_staging';
const stagingTable = `create temporary table if not exists ${STAGING} (${COLUMNS.map((column) => `${column} text`).join(', ')}) on commit delete rows`;
/** Clients of the pool that already hold the staging table (a temporary table lives as long as its session). */
const staged = new WeakSet<pg.ClientBase>();

/** On an organisation the RNA import owns, the file's value; elsewhere the value already there, or the file's when empty. */
const followed = (column: string) => `${column} = case when o.source = k.source then k.${column} else coalesce(o.${column}, k.${column}) end`;
/** Where the association's commune decides the place: on an organisation it owns, or one without a commune. */
const PLACED = '(o.source = k.source or o.commune_code is null)';
const territory = (column: string) => `${column} = case when ${PLACED} then c.${column} else o.${column} end`;
/** The commune's centre when the commune changes; a position already there stays otherwise. */
const coordinate = (column: string) =>
  `${column} = case when ${PLACED} and k.commune_code is distinct from o.commune_code then c.${column}
     when o.commune_code = k.commune_code then coalesce(o.${column}, c.${column}) else o.${column} end`;

const MERGE = `with incoming as (
    select s.*, md5(row(${COLUMNS.map((column) => `s.${column}`).join(', ')})::text)::uuid as digest,
      -- Two associations of one batch with one SIRET: the first (by RNA id) keeps it.
      case when s.siret is null then 1 else row_number() over (partition by s.siret order by s.rna) end as siret_rank
    from ${STAGING} s
  ), matched as (
    select r.*, a.id as by_rna, a.rna_digest, b.id as by_siret, b.rna as siret_rna, coalesce(a.id, b.id) as target
    from incoming r left join organisation a on a.rna = r.rna left join organisation b on b.siret = r.siret
  ), judged as (
    select m.*, case
      when m.siret_rank > 1 then 'SIRET ' || m.siret || ' donné aussi à une autre association du même lot'
      when m.by_rna is not null and m.by_siret is not null and m.by_rna <> m.by_siret
        then 'SIRET ' || m.siret || ' déjà porté par une autre organisation (n° ' || m.by_siret || ') : doublon à fusionner par la modération'
      when m.by_rna is null and m.siret_rna is not null then 'SIRET ' || m.siret || ' déjà porté par l''association ' || m.siret_rna
    end as refusal
    from matched m
  ), kept as (
    select * from judged where refusal is null and rna_digest is distinct from digest
  ), updated as (
    update organisation o set rna = k.rna, rna_digest = k.digest, updated_at = now(),
      siret = case when o.source = k.source then coalesce(k.siret, o.siret) else o.siret end,
      siren = case when o.source = k.source then coalesce(k.siren, o.siren) else o.siren end,
      name = case when o.source = k.source then k.name else o.name end,
      ${['legal_form', 'statut_ess', 'address', 'website', 'description'].map(followed).join(', ')},
      commune_code = case when ${PLACED} then k.commune_code else o.commune_code end,
      ${['departement_code', 'region_code', 'epci_code'].map(territory).join(', ')},
      ${['latitude', 'longitude'].map(coordinate).join(', ')}
    from kept k left join commune c on c.code = k.commune_code
    where o.id = k.target
    returning o.id
  ), inserted as (
    insert into organisation (${COLUMNS.join(', ')}, rna_digest, departement_code, region_code, epci_code, latitude, longitude)
    select ${COLUMNS.map((column) => `k.${column}`).join(', ')}, k.digest, c.departement_code, c.region_code, c.epci_code, c.latitude, c.longitude
    from kept k left join commune c on c.code = k.commune_code
    where k.target is null
    returning id
  )
  select (select count(*)::int from inserted) as inserted,
    (select count(*)::int from updated) as updated,
    (select coalesce(array_agg(rna), '{}') from judged where refusal is not null) as refused_rna,
    (select coalesce(array_agg(refusal), '{}') from judged where refusal is not null) as refusals`;

const mergeRow = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  refused_rna: z.array(z.string()),
  refusals: z.array(z.string()),
});

async function mergeAssociations(client: pg.PoolClient, records: AssociationRow[]) {
  if (!staged.has(client)) {
    await client.query(stagingTable);
    staged.add(client);
  }
  await copyIn(client, `${STAGING} (${COLUMNS.join(', ')})`, copyText(records, COLUMNS));
  // Named, so that each session plans the merge once rather than at every batch (tens of milliseconds each).
  const row = mergeRow.parse((await client.query({ name: 'rna-merge', text: MERGE })).rows[0]);
  const refused = new Map(row.refused_rna.map((rna, index) => [rna, row.refusals[index]!]));
  return {
    inserted: row.inserted,
    updated: row.updated,
    unchanged: records.length - refused.size - row.inserted - row.updated,
    refused,
  };
}

export const associationWriter: BatchWriter<AssociationRow> = {
  identifier: 'rna',
  key: (row) => row.rna,
  prepare: (rows) => (client) => mergeAssociations(client, rows),
};
