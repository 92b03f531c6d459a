/**
 * The three kinds of public objects as contributions see them: read one as a proposal (the same fields as
 * its form), write a proposal to it (a new row, or an edit of the row), and the région codes it belongs to.
 * Territory codes and coordinates come from the commune row, as every Atlas writer does; new organisations
 * go through the import's upsert (upsertOrganisations), which already does so.
 */
import { sql } from 'drizzle-orm';
import { jsonRecords, textArray, type Db, checkedRows, checkedFirstRow, idRow } from '../../db/database.ts';
import type { ContributionKind } from '../../domain/contribution.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { upsertOrganisations } from '../import/writer.ts';
import { readObjectSnapshot } from '../../platform/object-snapshots.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import {
  proposalRegions,
  type CooperationMember,
  type CooperationProposal,
  type DispositifProposal,
  type OrganisationProposal,
  type Proposal,
} from './schemas.ts';
import { z } from 'zod';

/** URL segment of each kind (/organisations/12, /cooperations/3, /dispositifs/7). */
export const KIND_PATHS: Record<ContributionKind, string> = {
  organisation: 'organisations',
  cooperation: 'cooperations',
  dispositif: 'dispositifs',
};

export function objectUrl(kind: ContributionKind, id: number): string {
  return `/${KIND_PATHS[kind]}/${id}`;
}

/** The object as a proposal of its kind (what its edit form shows, what a version keeps); undefined when absent. */
export async function readSnapshot(db: Db, kind: ContributionKind, id: number): Promise<Proposal | undefined> {
  return readObjectSnapshot<Proposal>(db, kind, id);
}

const nameRow = z.object({ name: z.string() });

/** The object's name, for titles and mail; undefined when it does not exist. */
export async function objectName(db: Db, kind: ContributionKind, id: number): Promise<string | undefined> {
  const row = await checkedFirstRow(db, nameRow, sql`select name from ${sql.raw(kind)} where id = ${id}`);
  return row?.name;
}

const regionCodeRow = z.object({ region_code: z.string().nullable() });

/** The régions of an existing object: its commune's (copied on the row), or those its coverage touches. */
export async function objectRegions(db: Db, kind: ContributionKind, id: number, territories: TerritoryIndex): Promise<string[] | undefined> {
  if (kind === 'dispositif') {
    const snapshot = await readSnapshot(db, kind, id);
    return snapshot && proposalRegions(kind, snapshot, territories);
  }
  const row = await checkedFirstRow(db, regionCodeRow, sql`select region_code from ${sql.raw(kind)} where id = ${id}`);
  if (!row) return undefined;
  return row.region_code ? [row.region_code] : [];
}

/**
 * Refuses a proposal that cannot be written as it is, beside the field at fault: a SIRET another structure
 * holds; a member given by a SIRET no recensed structure holds, without the name to show it by.
 */
export async function ensureWritable(db: Db, kind: ContributionKind, data: Proposal, targetId: number | null): Promise<void> {
  if (kind === 'cooperation') return ensureMembersNamed(db, (data as CooperationProposal).membres);
  if (kind !== 'organisation') return;
  const siret = (data as OrganisationProposal).siret;
  if (!siret) return;
  const other = await checkedFirstRow(db, idRow, sql`select id::int as id from organisation where siret = ${siret} and id is distinct from ${targetId}`);
  if (other) {
    throw new RuleError('siret_deja_pris', `Une structure porte déjà ce SIRET (fiche n° ${other.id}) : proposez plutôt une modification de sa fiche.`, {
      field: 'siret',
    });
  }
}

const siretRow = z.object({ siret: z.string() });

async function ensureMembersNamed(db: Db, members: CooperationMember[]): Promise<void> {
  const sirets = members.filter((m) => m.siret && !m.nom).map((m) => m.siret!);
  if (sirets.length === 0) return;
  const known = new Set((await checkedRows(db, siretRow, sql`select siret from organisation where siret = any(${textArray(sirets)})`)).map((row) => row.siret));
  const unknown = sirets.filter((siret) => !known.has(siret));
  if (unknown.length) {
    throw new RuleError(
      'membre_sans_nom',
      `Aucune structure recensée ne porte le SIRET ${unknown.join(', ')} : indiquez aussi le nom de ce membre, ou proposez d’abord sa structure.`,
      { field: 'membres' },
    );
  }
}

/**
 * Rewrites the members of a cooperation, in their order: a SIRET links the structure that holds it (or is
 * kept beside the name until one does), else the record the member was linked to; the name defaults to the
 * structure's.
 */
async function writeMembers(tx: Db, cooperationId: number, members: CooperationMember[]): Promise<void> {
  await tx.execute(sql`delete from cooperation_member where cooperation_id = ${cooperationId}`);
  if (members.length === 0) return;
  const lines = members.map((m, position) => ({ position, organisation: m.organisation, siret: m.siret, nom: m.nom, role: m.role }));
  await tx.execute(sql`insert into cooperation_member (cooperation_id, organisation_id, siret, name, role)
    select ${cooperationId}, o.id, case when o.id is null then m.siret end, coalesce(m.nom, o.name), m.role
    from json_to_recordset(${jsonRecords(lines)}) as m(position int, organisation bigint, siret text, nom text, role text)
    left join lateral (select x.id, x.name from organisation x
      where (m.siret is not null and x.siret = m.siret) or (m.siret is null and x.id = m.organisation) limit 1) o on true
    order by m.position`);
}

/** The part of an update that sets the commune and, when it changes, the territory codes and coordinates from it. */
function placeAssignments(table: 'organisation' | 'cooperation', commune: string | null) {
  if (!commune) return sql`commune_code = null`;
  const changed = sql`${sql.raw(table)}.commune_code is distinct from ${commune}`;
  return sql`departement_code = c.departement_code, region_code = c.region_code, epci_code = c.epci_code,
    latitude = case when ${changed} then c.latitude else ${sql.raw(table)}.latitude end,
    longitude = case when ${changed} then c.longitude else ${sql.raw(table)}.longitude end,
    commune_code = c.code`;
}

/** A commune row to join in an update (one row, or none when no commune is given). */
const communeSource = (commune: string | null) => sql`(select code, departement_code, region_code, epci_code, latitude, longitude
  from commune where code = ${commune} union all select null, null, null, null, null, null where ${commune}::text is null) c`;

async function writeOrganisation(tx: Db, data: OrganisationProposal, targetId: number | null, source: string): Promise<number> {
  if (targetId === null) {
    await upsertOrganisations(
      tx,
      [
        {
          siret: data.siret!,
          siren: data.siret!.slice(0, 9),
          name: data.nom,
          legal_form: data.forme_juridique,
          statut_ess: data.statut_ess,
          naf_code: data.code_naf,
          secteur: data.secteur,
          commune_code: data.commune,
          address: data.adresse,
          website: data.site_web,
          description: data.description,
          source,
        },
      ],
      ['siret', 'siren', 'name', 'legal_form', 'statut_ess', 'naf_code', 'secteur', 'commune_code', 'address', 'website', 'description', 'source'],
    );
    const created = await checkedFirstRow(tx, idRow, sql`select id::int as id from organisation where siret = ${data.siret}`);
    return created!.id;
  }
  await tx.execute(sql`update organisation set siret = ${data.siret}, siren = ${data.siret?.slice(0, 9) ?? null}, name = ${data.nom},
      legal_form = ${data.forme_juridique}, statut_ess = ${data.statut_ess}, naf_code = ${data.code_naf}, secteur = ${data.secteur},
      address = ${data.adresse}, website = ${data.site_web}, description = ${data.description}, updated_at = now(),
      ${placeAssignments('organisation', data.commune)}
    from ${communeSource(data.commune)} where organisation.id = ${targetId}`);
  return targetId;
}

async function writeCooperation(tx: Db, data: CooperationProposal, targetId: number | null, source: string): Promise<number> {
  const values = {
    name: data.nom,
    modele: data.modele,
    finalite: data.finalite,
    modele_economique: data.modele_economique,
    stade: data.stade,
    secteur: data.secteur,
    legal_form: data.forme_juridique,
    territory_label: data.territoire,
    founded_year: data.annee_creation,
    website: data.site_web,
    description: data.description,
    activities: data.activites,
    governance: data.gouvernance,
    shared_resources: data.ressources_partagees,
    history: data.historique,
  };
  if (targetId === null) {
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into cooperation (name, modele, finalite, modele_economique, stade,
        secteur, legal_form, territory_label, founded_year, website, description, activities, governance, shared_resources, history,
        commune_code, departement_code, region_code, epci_code, latitude, longitude, source)
      select d.*, c.code, c.departement_code, c.region_code, c.epci_code, c.latitude, c.longitude, ${source}
      from json_to_recordset(${jsonRecords([values])}) as d(name text, modele text, finalite text, modele_economique text, stade text,
        secteur text, legal_form text, territory_label text, founded_year integer, website text, description text, activities text,
        governance text, shared_resources text, history text)
      left join commune c on c.code = ${data.commune}
      returning id::int as id`,
    );
    await writeMembers(tx, created!.id, data.membres);
    return created!.id;
  }
  await writeMembers(tx, targetId, data.membres);
  await tx.execute(sql`update cooperation set name = ${values.name}, modele = ${values.modele}, finalite = ${values.finalite},
      modele_economique = ${values.modele_economique}, stade = ${values.stade}, secteur = ${values.secteur},
      legal_form = ${values.legal_form}, territory_label = ${values.territory_label}, founded_year = ${values.founded_year},
      website = ${values.website}, description = ${values.description}, activities = ${values.activities},
      governance = ${values.governance}, shared_resources = ${values.shared_resources}, history = ${values.history}, updated_at = now(),
      ${placeAssignments('cooperation', data.commune)}
    from ${communeSource(data.commune)} where cooperation.id = ${targetId}`);
  return targetId;
}

/** A stable key for a new scheme: its name in lower-case ASCII, then the contribution's number. */
export function dispositifKey(name: string, contributionId: number): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug || 'dispositif'}-${contributionId}`;
}

const previousRow = z.object({ name: z.string(), organisation_id: z.number().nullable() });

async function writeDispositif(tx: Db, data: DispositifProposal, targetId: number | null, source: string, contributionId: number | null): Promise<number> {
  const arrays = sql`${textArray(data.types_accompagnement)}, ${textArray(data.types_financement)}, ${textArray(data.stades)},
    ${textArray(data.modeles)}, ${textArray(data.couverture_codes)}`;
  let id = targetId;
  if (id === null) {
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into dispositif (key, name, description, types_accompagnement,
        types_financement, stades, modeles, couverture_codes, couverture_niveau, montant_texte, duree_texte, conditions, contact, url, source)
      values (${dispositifKey(data.nom, contributionId ?? 0)}, ${data.nom}, ${data.description}, ${arrays}, ${data.couverture_niveau},
        ${data.montant_texte}, ${data.duree_texte}, ${data.conditions}, ${data.contact}, ${data.url}, ${source})
      returning id::int as id`,
    );
    id = created!.id;
  } else {
    await tx.execute(sql`update dispositif set name = ${data.nom}, description = ${data.description},
        (types_accompagnement, types_financement, stades, modeles, couverture_codes) = (select ${arrays}),
        couverture_niveau = ${data.couverture_niveau}, montant_texte = ${data.montant_texte}, duree_texte = ${data.duree_texte},
        conditions = ${data.conditions}, contact = ${data.contact}, url = ${data.url}, updated_at = now()
      where id = ${id}`);
  }
  // Providers are rewritten in the new order; a provider linked to an organisation keeps its link.
  const previous = await checkedRows(
    tx,
    previousRow,
    sql`delete from dispositif_porteur
    where dispositif_id = ${id} returning name, organisation_id::int as organisation_id`,
  );
  const links = new Map(previous.map((p) => [p.name, p.organisation_id]));
  if (data.porteurs.length) {
    await tx.execute(sql`insert into dispositif_porteur (dispositif_id, position, name, organisation_id)
      select ${id}, p.position, p.name, p.organisation_id
      from json_to_recordset(${jsonRecords(data.porteurs.map((name, position) => ({ position, name, organisation_id: links.get(name) ?? null })))})
        as p(position int, name text, organisation_id bigint)`);
  }
  return id;
}

/**
 * Writes a proposal on the transaction: a new object (targetId null) or an edit of targetId (whose row the
 * caller has locked). Returns the object's id.
 */
export async function writeObject(
  tx: Db,
  kind: ContributionKind,
  data: Proposal,
  target: { id: number | null; source: string; contributionId: number | null },
): Promise<number> {
  if (kind === 'organisation') return writeOrganisation(tx, data as OrganisationProposal, target.id, target.source);
  if (kind === 'cooperation') return writeCooperation(tx, data as CooperationProposal, target.id, target.source);
  return writeDispositif(tx, data as DispositifProposal, target.id, target.source, target.contributionId);
}
