/**
 * Loads the demo calls (the AMI PTCE 2021 of 004) once, in one transaction, after the seed catalogue (a call
 * names its scheme by key). Nothing is loaded when a demo call is already there.
 */
import { sql } from 'drizzle-orm';
import { jsonRecords, type Db, checkedFirstRow, idRow, countRow } from '../../db/database.ts';
import { checkDefinition } from '../../domain/form.ts';
import { amiPtce2021, type DemoCall } from './ami-ptce-2021.ts';

export const demoCalls: DemoCall[] = [amiPtce2021];

export async function loadDemoCallsIfEmpty(db: Db): Promise<number> {
  const existing = await checkedFirstRow(db, countRow, sql`select count(*)::int as n from appel where is_example`);
  if (existing!.n > 0) return 0;
  for (const call of demoCalls) {
    const problems = checkDefinition(call.formulaire);
    if (problems.length) throw new Error(`Formulaire de démonstration invalide (${call.key}) : ${problems.join(' ')}`);
  }
  await db.transaction(async (tx) => {
    for (const call of demoCalls) {
      const created = await checkedFirstRow(
        tx,
        idRow,
        sql`insert into appel (key, title, description, dispositif_id, statut,
          laureats_min, laureats_max, budget, budget_texte, eligibilite, couverture_niveau, source, is_example)
        values (${call.key}, ${call.title}, ${call.description}, (select id from dispositif where key = ${call.dispositif}), 'publie',
          ${call.laureats_min}, ${call.laureats_max}, ${call.budget}, ${call.budget_texte}, ${JSON.stringify(call.eligibilite)}::jsonb,
          ${call.couverture_niveau}, ${call.source}, true)
        returning id::int as id`,
      );
      const id = created!.id;
      await tx.execute(sql`insert into appel_organisateur (appel_id, position, name)
        select ${id}, (o.ordinality - 1)::int, o.value from json_array_elements_text(${JSON.stringify(call.organisateurs)}::json) with ordinality as o`);
      await tx.execute(sql`insert into appel_phase (appel_id, position, vague, label, description, ouverture, cloture, depot, resultats_date, resultats_texte)
        select ${id}, p.position, p.vague, p.label, p.description, p.ouverture::timestamptz, p.cloture::timestamptz, p.depot,
          p.resultats_date::date, p.resultats_texte
        from json_to_recordset(${jsonRecords(call.phases.map((p, position) => ({ ...p, position })))}) as p(position int, vague text,
          label text, description text, ouverture text, cloture text, depot boolean, resultats_date text, resultats_texte text)`);
      await tx.execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${id}, 1, ${JSON.stringify(call.formulaire)}::jsonb)`);
    }
  });
  return demoCalls.length;
}
