/**
 * Loads the demo dataset (the real initiatives of the source documents, marked is_example) once, in one
 * transaction. Territory codes of a record with a commune are copied from the commune row (the COG must be
 * loaded first); a record without commune keeps the département / région its data gives.
 * Each record gets its first version, signed « Données de démonstration », in the same transaction.
 * No territoire de projet is loaded: no document gives the communes of one.
 */
import { sql } from 'drizzle-orm';
import { jsonRecords, type Db, checkedRows, checkedFirstRow } from '../../db/database.ts';
import { recordFirstVersions } from '../../platform/object-snapshots.ts';
import { demoCooperations } from './cooperations.ts';
import { demoOrganisations } from './organisations.ts';
import { z } from 'zod';

/** Who the first version of a demo record says wrote it. */
export const DEMO_SOURCE_LABEL = 'Données de démonstration';

/** Arbitrary key of the advisory lock that keeps two instances starting together from loading twice. */
const DEMO_LOCK_KEY = 7_263_002;

const organisationsRow = z.object({ id: z.number(), name: z.string() });

export async function loadDemoIfEmpty(db: Db): Promise<{ cooperations: number; organisations: number }> {
  const none = { cooperations: 0, organisations: 0 };
  if (await hasDemo(db)) return none;
  assertUnique(
    demoOrganisations.map((o) => o.name),
    'organisation',
  );
  assertUnique(
    demoCooperations.map((c) => c.name),
    'coopération',
  );

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
    if (await hasDemo(tx)) return none;

    const organisations = await checkedRows(
      tx,
      organisationsRow,
      sql`
      insert into organisation (name, legal_form, statut_ess, secteur, commune_code, departement_code, region_code,
        epci_code, latitude, longitude, description, is_example, source)
      select d.name, d.legal_form, d.statut_ess, d.secteur, d.commune,
        coalesce(c.departement_code, d.departement), coalesce(c.region_code, d.region, dep.region_code), c.epci_code,
        d.latitude, d.longitude, d.description, true, d.source
      from json_to_recordset(${jsonRecords(demoOrganisations)}) as d(name text, legal_form text, statut_ess text,
        secteur text, commune text, departement text, region text, latitude double precision,
        longitude double precision, description text, source text)
      left join commune c on c.code = d.commune
      left join departement dep on dep.code = d.departement
      returning id::int as id, name`,
    );
    const organisationId = new Map(organisations.map((o) => [o.name, o.id]));

    const cooperations = await checkedRows(
      tx,
      organisationsRow,
      sql`
      insert into cooperation (name, modele, finalite, modele_economique, stade, secteur, legal_form, commune_code,
        departement_code, region_code, epci_code, territory_label, latitude, longitude, description, governance,
        activities, shared_resources, history, founded_year, is_example, source)
      select d.name, d.modele, d.finalite, d.modele_economique, d.stade, d.secteur, d.legal_form, d.commune,
        coalesce(c.departement_code, d.departement), coalesce(c.region_code, d.region, dep.region_code), c.epci_code,
        d.territory_label, d.latitude, d.longitude, d.description, d.governance, d.activities, d.shared_resources,
        d.history, d.founded_year, true, d.source
      from json_to_recordset(${jsonRecords(demoCooperations.map(({ members: _members, ...record }) => record))}) as d(
        name text, modele text, finalite text, modele_economique text, stade text, secteur text, legal_form text,
        commune text, departement text, region text, latitude double precision, longitude double precision,
        territory_label text, description text, governance text, activities text, shared_resources text,
        history text, founded_year integer, source text)
      left join commune c on c.code = d.commune
      left join departement dep on dep.code = d.departement
      returning id::int as id, name`,
    );
    const cooperationId = new Map(cooperations.map((c) => [c.name, c.id]));

    const members = demoCooperations.flatMap((cooperation) =>
      cooperation.members.map((member) => {
        const organisation = member.organisation === undefined ? null : organisationId.get(member.organisation);
        if (organisation === undefined) throw new Error(`Organisation de démonstration inconnue : ${member.organisation}`);
        return { cooperation_id: cooperationId.get(cooperation.name), organisation_id: organisation, name: member.name, role: member.role };
      }),
    );
    if (members.length > 0) {
      await tx.execute(sql`
        insert into cooperation_member (cooperation_id, organisation_id, name, role)
        select cooperation_id, organisation_id, name, role
        from json_to_recordset(${jsonRecords(members)}) as m(cooperation_id bigint, organisation_id bigint, name text, role text)`);
    }
    await recordFirstVersions(
      tx,
      'organisation',
      organisations.map((o) => o.id),
      DEMO_SOURCE_LABEL,
    );
    await recordFirstVersions(
      tx,
      'cooperation',
      cooperations.map((c) => c.id),
      DEMO_SOURCE_LABEL,
    );
    return { cooperations: cooperations.length, organisations: organisations.length };
  });
}

const presentRow = z.object({ present: z.boolean() });

async function hasDemo(db: Db): Promise<boolean> {
  const row = await checkedFirstRow(db, presentRow, sql`select exists (select 1 from cooperation where is_example) as present`);
  return row?.present === true;
}

function assertUnique(names: readonly string[], kind: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Nom de ${kind} de démonstration en double : ${name}`);
    seen.add(name);
  }
}
