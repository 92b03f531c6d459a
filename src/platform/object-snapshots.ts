/**
 * A public object (organisation, cooperation, scheme, knowledge resource) as its versions keep it: the fields of its proposal
 * form, under their French names, read from its row in SQL. Contributions read one object this way; the
 * demo loading writes the first version of many at once, in the transaction that creates them.
 */
import { sql, type SQL } from 'drizzle-orm';
import { checkedFirstRow, column, type Db } from '../db/database.ts';

export type VersionedKind = 'organisation' | 'cooperation' | 'dispositif' | 'ressource';

/** The fields of each kind, as a select list over the object's row `t`. */
const SNAPSHOT_COLUMNS: Record<VersionedKind, SQL> = {
  organisation: sql`t.siret, t.name as nom, t.legal_form as forme_juridique, t.statut_ess, t.naf_code as code_naf, t.secteur,
    t.commune_code as commune, t.address as adresse, t.website as site_web, t.description`,
  // Members in the order they were written; a member linked to a structure shows that structure's SIRET.
  cooperation: sql`t.name as nom, t.modele, t.finalite, t.modele_economique, t.stade, t.secteur, t.legal_form as forme_juridique,
    t.commune_code as commune, t.territory_label as territoire, t.founded_year as annee_creation, t.website as site_web, t.description,
    t.activities as activites, t.governance as gouvernance, t.shared_resources as ressources_partagees, t.history as historique,
    coalesce((select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('organisation', m.organisation_id, 'siret', coalesce(o.siret, m.siret),
        'nom', m.name, 'role', m.role)) order by m.id)
      from cooperation_member m left join organisation o on o.id = m.organisation_id where m.cooperation_id = t.id), '[]'::jsonb) as membres`,
  dispositif: sql`t.name as nom, t.description, t.types_accompagnement, t.types_financement,
    array(select p.name from dispositif_porteur p where p.dispositif_id = t.id order by p.position) as porteurs,
    t.stades, t.modeles, t.couverture_niveau, t.couverture_codes, t.montant_texte, t.duree_texte, t.conditions, t.contact, t.url`,
  // A resource of the knowledge base (features/knowledge): its text, tags, territory and links, ids in order.
  ressource: sql`t.titre, t.type, t.resume, t.corps, t.themes, t.stades, t.modeles, t.region_code as region, t.departement_code as departement,
    t.source, array(select rc.cooperation_id::int from ressource_cooperation rc where rc.ressource_id = t.id order by 1) as cooperations,
    array(select rd.dispositif_id::int from ressource_dispositif rd where rd.ressource_id = t.id order by 1) as dispositifs`,
};

/**
 * The object's fields, or undefined when it does not exist. The row is checked as one record: its fields are
 * those of the kind's proposal form, whose own schema checks them when they are written.
 */
export async function readObjectSnapshot<T>(db: Db, kind: VersionedKind, id: number): Promise<T | undefined> {
  return checkedFirstRow(db, column.jsonAs<T>(), sql`select ${SNAPSHOT_COLUMNS[kind]} from ${sql.raw(kind)} t where t.id = ${id}`);
}

/**
 * Writes version 1 of each object just created from a curated source (the demo, the knowledge base's seed; one
 * statement for the whole batch), dated now and signed by the source. An object that already has a version is
 * left alone. Imports write none (import/pipeline.ts).
 */
export async function recordFirstVersions(tx: Db, kind: VersionedKind, ids: readonly number[], sourceLabel: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`insert into object_version (kind, object_id, version, snapshot, source_label)
    select ${kind}, t.id, 1, to_jsonb(s), ${sourceLabel}
    from ${sql.raw(kind)} t cross join lateral (select ${SNAPSHOT_COLUMNS[kind]}) s
    where t.id = any(${`{${ids.join(',')}}`}::bigint[])
    on conflict (kind, object_id, version) do nothing`);
}
