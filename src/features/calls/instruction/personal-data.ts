/**
 * What instruction keeps about a person, for the RGPD export, and what their account's deletion erases. Messages,
 * annotations and score sheets are also the call's record: they stay, under « Compte supprimé »; the person's
 * assignments as a reviewer end. (To be listed in accounts/personal-data.ts and accounts/deletion.ts.)
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../../platform/personal-data.ts';

const DELETED = 'Compte supprimé';

export const instructionPersonalData: PersonalDataSection[] = [
  {
    name: 'messages_candidatures',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select candidature_id::int as candidature, cote, body as texte, created_at as le
      from candidature_message where author_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    name: 'annotations_instruction',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select candidature_id::int as candidature, body as texte, created_at as le
      from candidature_annotation where author_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    name: 'fiches_de_notation',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select e.candidature_id::int as candidature, e.commentaire, e.updated_at as le,
        coalesce((select json_object_agg(g.label, n.note) from evaluation_note n join grille_critere g on g.id = n.critere_id
          where n.evaluation_id = e.id), '{}') as notes
      from evaluation e where e.account_id = ${accountId} order by e.updated_at, e.id`,
      ),
  },
  {
    name: 'evaluation_appels',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select e.appel_id::int as appel, a.title as titre, e.assigned_at as depuis,
        (select json_agg(json_build_object('candidature', k.candidature_id, 'motif', k.motif, 'le', k.declared_at))
          from conflit_interet k join candidature c on c.id = k.candidature_id where k.account_id = ${accountId} and c.appel_id = e.appel_id) as conflits
      from appel_evaluateur e join appel a on a.id = e.appel_id where e.account_id = ${accountId} order by e.assigned_at`,
      ),
  },
];

export const instructionErasure: ErasureStep[] = [
  {
    name: 'nom dans les échanges, annotations et fiches de notation',
    run: async (tx, id) => {
      await tx.execute(sql`update candidature_message set author_label = ${DELETED} where author_id = ${id}`);
      await tx.execute(sql`update candidature_annotation set author_label = ${DELETED} where author_id = ${id}`);
      await tx.execute(sql`update evaluation set evaluator_label = ${DELETED} where account_id = ${id}`);
    },
  },
  {
    name: 'désignations comme évaluateur',
    run: async (tx, id) => void (await tx.execute(sql`delete from appel_evaluateur where account_id = ${id}`)),
  },
];
