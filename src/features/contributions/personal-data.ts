/**
 * What contributions keep about a person, for the RGPD export, and what their account's deletion erases.
 * Contributions, proposed territoires de projet and versions stay (the public record needs them; their author
 * shows as « Compte supprimé »);
 * a claim's justification and a report's address are the person's own words and are erased.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../platform/personal-data.ts';

export const contributionsPersonalData: PersonalDataSection[] = [
  {
    name: 'contributions',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select id::int as id, kind as type, action, status as statut, data as proposition,
        reason as motif, created_at as proposee_le, decided_at as decidee_le
      from contribution where author_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    name: 'revendications',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select organisation_id::int as structure, siret, role, justification,
        status as statut, reason as motif, created_at as demandee_le, decided_at as decidee_le
      from organisation_claim where account_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    name: 'territoires_de_projet_proposes',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select id::int as id, name as nom, kind as type, communes, epcis, description, source, status as statut,
        reason as motif, created_at as propose_le, decided_at as decide_le
      from territoire_projet_proposal where author_id = ${accountId} order by created_at, id`,
      ),
  },
  {
    name: 'signalements',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select kind as type, object_id::int as objet, message, email as adresse_email,
        status as statut, created_at as signale_le
      from error_report where account_id = ${accountId} order by created_at, id`,
      ),
  },
];

export const contributionsErasure: ErasureStep[] = [
  { name: 'revendications', run: async (tx, id) => void (await tx.execute(sql`delete from organisation_claim where account_id = ${id}`)) },
  { name: 'adresses des signalements', run: async (tx, id) => void (await tx.execute(sql`update error_report set email = null where account_id = ${id}`)) },
];
