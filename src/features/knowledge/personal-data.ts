/**
 * What the knowledge base keeps about a person, for the RGPD export, and what their account's deletion erases.
 * Proposals that were published stay (the resource's history needs them; their author shows as « Compte
 * supprimé »); those never published — waiting or refused — are only the person's own words, and are erased.
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
];

export const knowledgeErasure: ErasureStep[] = [
  {
    name: 'propositions de ressources non publiées',
    run: async (tx, id) => void (await tx.execute(sql`delete from ressource_proposal where author_id = ${id} and status <> 'acceptee'`)),
  },
];
