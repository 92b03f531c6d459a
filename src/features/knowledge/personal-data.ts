/**
 * What the knowledge base keeps about a person, for the RGPD export, and what their account's deletion erases.
 * Proposals that were published stay (the resource's history needs them; their author shows as « Compte
 * supprimé »); those never published — waiting or refused — are only the person's own words, and are erased.
 * The files joined to a proposal follow it: those published are the resource's, those still waiting go with
 * their proposal (their bytes leave the disk through the file sweep, queued by the deletion: migration 0044).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../platform/personal-data.ts';

const proposalRow = z.object({
  id: z.number().int(),
  action: z.string(),
  ressource: z.number().int().nullable(),
  statut: z.string(),
  proposition: column.json,
  motif: z.string().nullable(),
  proposee_le: column.instant,
  decidee_le: column.instant.nullable(),
});

const proposalFileRow = z.object({
  proposition: z.number().int(),
  nom: z.string(),
  type: z.string(),
  taille: z.number().int(),
  ressource: z.number().int().nullable(),
  joint_le: column.instant,
});

export const knowledgePersonalData: PersonalDataSection[] = [
  {
    name: 'ressources_proposees',
    query: (db: Db, accountId: number) =>
      checkedRows(
        db,
        proposalRow,
        sql`select id::int as id, action, ressource_id::int as ressource, status as statut, data as proposition, reason as motif,
        created_at as proposee_le, decided_at as decidee_le
      from ressource_proposal where author_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    // The files of the person's proposals (`ressource` once published with it); their bytes at each proposal's page.
    name: 'fichiers_des_propositions_de_ressources',
    query: (db: Db, accountId: number) =>
      checkedRows(
        db,
        proposalFileRow,
        sql`select f.proposal_id::int as proposition, f.original_name as nom, f.content_type as type, f.size_bytes::int as taille,
        f.ressource_id::int as ressource, f.created_at as joint_le
      from ressource_fichier f join ressource_proposal p on p.id = f.proposal_id
      where p.author_id = ${accountId} order by f.created_at, f.id`,
      ),
  },
];

export const knowledgeErasure: ErasureStep[] = [
  {
    name: 'propositions de ressources non publiées',
    run: async (tx, id) => void (await tx.execute(sql`delete from ressource_proposal where author_id = ${id} and status <> 'acceptee'`)),
  },
];
