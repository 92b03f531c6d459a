/**
 * Loads the seed catalogue (schemes named by the source documents) and the needs rules (version 1, the
 * matrices of 001) when the database has none, each in one transaction.
 */
import { sql } from 'drizzle-orm';
import { jsonRecords, type Db, checkedFirstRow, countRow } from '../../db/database.ts';
import { seedDispositifs } from './dispositifs.ts';
import { needsRules, NEEDS_RULES_SOURCE, NEEDS_RULES_VERSION } from './regles-besoins.ts';

export async function loadNeedsRulesIfMissing(db: Db): Promise<boolean> {
  const existing = await checkedFirstRow(db, countRow, sql`select count(*)::int as n from regle_besoin_version`);
  if (existing!.n > 0) return false;
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into regle_besoin_version (version, source, active) values (${NEEDS_RULES_VERSION}, ${NEEDS_RULES_SOURCE}, true)`);
    await tx.execute(sql`insert into regle_besoin (version, code, position, type, libelle, matrice, ligne, condition, couvert_par)
      select ${NEEDS_RULES_VERSION}, code, position, type, libelle, matrice, ligne, condition, couvert_par
      from json_to_recordset(${jsonRecords(needsRules.map((rule, position) => ({ ...rule, position })))})
        as r(code text, position int, type text, libelle text, matrice text, ligne text, condition jsonb, couvert_par jsonb)`);
  });
  return true;
}

export async function loadCatalogueIfEmpty(db: Db): Promise<number> {
  const existing = await checkedFirstRow(db, countRow, sql`select count(*)::int as n from dispositif`);
  if (existing!.n > 0) return 0;
  const records = seedDispositifs.map((d) => ({
    ...d,
    couverture_niveau: d.couverture?.niveau ?? null,
    couverture_codes: d.couverture?.codes ?? [],
    porteurs: d.porteurs.map((p, position) => ({ position, name: p.nom })),
  }));
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into dispositif (key, name, description, types_accompagnement, types_financement, stades, modeles,
        finalites, modeles_economiques, formes_juridiques, esus_requis, couverture_niveau, couverture_codes, montant_min, montant_max,
        montant_texte, duree_texte, calendrier, conditions, contact, url, source, date_verification)
      select key, nom, description, array(select json_array_elements_text(types_accompagnement)), array(select json_array_elements_text(types_financement)),
        array(select json_array_elements_text(stades)), array(select json_array_elements_text(modeles)),
        array(select json_array_elements_text(finalites)), array(select json_array_elements_text(modeles_economiques)),
        array(select json_array_elements_text(formes_juridiques)), esus_requis, couverture_niveau,
        array(select json_array_elements_text(couverture_codes)), montant_min, montant_max, montant_texte, duree_texte,
        calendrier::jsonb, conditions, contact, url, source, date_verification::date
      from json_to_recordset(${jsonRecords(records)}) as d(key text, nom text, description text, types_accompagnement json,
        types_financement json, stades json, modeles json, finalites json, modeles_economiques json, formes_juridiques json,
        esus_requis boolean, couverture_niveau text, couverture_codes json, montant_min numeric, montant_max numeric,
        montant_texte text, duree_texte text, calendrier json, conditions text, contact text, url text, source text,
        date_verification text)`);
    await tx.execute(sql`insert into dispositif_porteur (dispositif_id, position, name)
      select d.id, p.position, p.name
      from json_to_recordset(${jsonRecords(records.map((r) => ({ key: r.key, porteurs: r.porteurs })))}) as r(key text, porteurs json)
      join dispositif d on d.key = r.key
      cross join lateral json_to_recordset(r.porteurs) as p(position int, name text)`);
  });
  return records.length;
}
