/**
 * How organisations and cooperations leave the database: the columns read (on alias t) and the French
 * field names of the public API. Lists, exports and detail pages use these, so a field is named once.
 */
import { sql } from 'drizzle-orm';
import { checkedFirstRow, checkedRows, column, type Db } from '../../db/database.ts';
import { nafLabel } from '../../data/naf.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { z } from 'zod';

const locatedRow = z.object({
  id: z.number(),
  name: z.string(),
  commune_code: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  is_example: z.boolean(),
});
type LocatedRow = z.infer<typeof locatedRow>;

export const organisationRow = locatedRow.extend({
  siret: z.string().nullable(),
  siren: z.string().nullable(),
  legal_form: z.string().nullable(),
  statut_ess: z.string().nullable(),
  naf_code: z.string().nullable(),
  secteur: z.string().nullable(),
});
export type OrganisationRow = z.infer<typeof organisationRow>;

export const cooperationRow = locatedRow.extend({
  modele: z.string(),
  finalite: z.string().nullable(),
  modele_economique: z.string().nullable(),
  stade: z.string().nullable(),
  secteur: z.string().nullable(),
  territory_label: z.string().nullable(),
});
export type CooperationRow = z.infer<typeof cooperationRow>;

const located = sql`t.id::int as id, t.name, t.commune_code, t.latitude, t.longitude, t.is_example`;
export const organisationColumns = sql`${located}, t.siret, t.siren, t.legal_form, t.statut_ess, t.naf_code, t.secteur`;
export const cooperationColumns = sql`${located}, t.modele, t.finalite, t.modele_economique, t.stade, t.secteur, t.territory_label`;

export function communeRef(territories: TerritoryIndex, code: string | null) {
  if (!code) return null;
  return { code, nom: territories.name('commune', code) ?? code };
}

const place = (row: LocatedRow, territories: TerritoryIndex) => ({
  commune: communeRef(territories, row.commune_code),
  latitude: row.latitude,
  longitude: row.longitude,
  exemple: row.is_example,
});

export function organisationSummary(row: OrganisationRow, territories: TerritoryIndex) {
  return {
    id: row.id,
    nom: row.name,
    siret: row.siret,
    forme_juridique: row.legal_form,
    statut_ess: row.statut_ess as never,
    code_naf: row.naf_code,
    secteur: row.secteur as never,
    ...place(row, territories),
  };
}

export function cooperationSummary(row: CooperationRow, territories: TerritoryIndex) {
  return {
    id: row.id,
    nom: row.name,
    modele: row.modele as never,
    finalite: row.finalite as never,
    modele_economique: row.modele_economique as never,
    stade: row.stade as never,
    secteur: row.secteur as never,
    territoire: row.territory_label,
    ...place(row, territories),
  };
}

/** The territory chain of a place, for detail pages and the API. */
export function territoryChain(
  territories: TerritoryIndex,
  row: { commune_code: string | null; departement_code: string | null; region_code: string | null; epci_code: string | null },
) {
  const ref = (level: 'region' | 'departement' | 'epci', code: string | null) => (code ? { code, nom: territories.name(level, code) ?? code } : null);
  return {
    commune: communeRef(territories, row.commune_code),
    epci: ref('epci', row.epci_code),
    departement: ref('departement', row.departement_code),
    region: ref('region', row.region_code),
  };
}

/** The columns a detail adds to a list's (on alias t). */
const detailExtra = {
  departement_code: z.string().nullable(),
  region_code: z.string().nullable(),
  epci_code: z.string().nullable(),
  source: z.string().nullable(),
  description: z.string().nullable(),
  website: z.string().nullable(),
  updated_at: column.instant,
};

const organisationDetailRow = organisationRow.extend({
  ...detailExtra,
  tranche_effectif: z.string().nullable(),
  address: z.string().nullable(),
  rna: z.string().nullable(),
});

const cooperationDetailRow = cooperationRow.extend({
  ...detailExtra,
  legal_form: z.string().nullable(),
  governance: z.string().nullable(),
  activities: z.string().nullable(),
  shared_resources: z.string().nullable(),
  history: z.string().nullable(),
  founded_year: z.number().nullable(),
});

const cooperationsRow = z.object({ id: z.number(), name: z.string(), modele: z.string(), role: z.string() });

export async function findOrganisation(db: Db, territories: TerritoryIndex, id: number) {
  const row = await checkedFirstRow(
    db,
    organisationDetailRow,
    sql`
    select ${organisationColumns}, t.departement_code, t.region_code, t.epci_code, t.source, t.description, t.website,
      t.updated_at, t.tranche_effectif, t.address, t.rna
    from organisation t where t.id = ${id}`,
  );
  if (!row) return null;
  const cooperations = await checkedRows(
    db,
    cooperationsRow,
    sql`
    select c.id::int as id, c.name, c.modele, m.role from cooperation_member m join cooperation c on c.id = m.cooperation_id
    where m.organisation_id = ${id} order by c.name`,
  );
  return {
    ...organisationSummary(row, territories),
    siren: row.siren,
    rna: row.rna,
    libelle_naf: nafLabel(row.naf_code),
    tranche_effectif: row.tranche_effectif,
    adresse: row.address,
    site_web: row.website,
    description: row.description,
    territoires: territoryChain(territories, row),
    cooperations: cooperations.map((c) => ({ id: c.id, nom: c.name, modele: c.modele, role: c.role })),
    source: row.source,
    mis_a_jour: new Date(row.updated_at).toISOString(),
  };
}

const membersRow = z.object({ name: z.string(), role: z.string(), organisation_id: z.number().nullable() });

export async function findCooperation(db: Db, territories: TerritoryIndex, id: number) {
  const row = await checkedFirstRow(
    db,
    cooperationDetailRow,
    sql`
    select ${cooperationColumns}, t.departement_code, t.region_code, t.epci_code, t.source, t.description, t.website,
      t.updated_at, t.legal_form, t.governance, t.activities, t.shared_resources, t.history, t.founded_year
    from cooperation t where t.id = ${id}`,
  );
  if (!row) return null;
  const members = await checkedRows(
    db,
    membersRow,
    sql`
    select name, role, organisation_id::int as organisation_id from cooperation_member where cooperation_id = ${id} order by role, name`,
  );
  return {
    ...cooperationSummary(row, territories),
    forme_juridique: row.legal_form,
    description: row.description,
    gouvernance: row.governance,
    activites: row.activities,
    ressources_partagees: row.shared_resources,
    historique: row.history,
    annee_creation: row.founded_year,
    site_web: row.website,
    territoires: territoryChain(territories, row),
    membres: members.map((m) => ({ nom: m.name, role: m.role as never, organisation_id: m.organisation_id })),
    source: row.source,
    mis_a_jour: new Date(row.updated_at).toISOString(),
  };
}

export type OrganisationDetail = NonNullable<Awaited<ReturnType<typeof findOrganisation>>>;
export type CooperationDetail = NonNullable<Awaited<ReturnType<typeof findCooperation>>>;
