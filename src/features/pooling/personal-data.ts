/**
 * What the mutualisation board keeps about a person, for the RGPD export, and what their account's deletion
 * erases. Their bookings still to end are withdrawn (the slot is freed; nobody will come), past ones stay in the
 * owner's calendar without them. What they published for a structure stays the structure's; what they published
 * alone goes with them.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../platform/personal-data.ts';

export const poolingPersonalData: PersonalDataSection[] = [
  {
    name: 'reservations_mutualisation',
    query: (db: Db, accountId: number) =>
      checkedRows(
        db,
        z.object({ mutualisation: z.number().int(), titre: z.string(), debut: z.string(), fin: z.string(), statut: z.string(), demandee_le: z.string() }),
        sql`select m.id::int as mutualisation, m.titre, to_char(lower(r.periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as debut,
          to_char(upper(r.periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as fin, r.statut,
          to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as demandee_le
        from reservation r join mutualisation m on m.id = r.mutualisation_id where r.account_id = ${accountId} order by r.created_at, r.id`,
      ),
  },
  {
    name: 'publications_mutualisation',
    query: (db: Db, accountId: number) =>
      checkedRows(
        db,
        z.object({
          id: z.number().int(),
          sens: z.string(),
          categorie: z.string(),
          titre: z.string(),
          description: z.string(),
          commune: z.string(),
          publiee_le: z.string(),
        }),
        sql`select id::int as id, sens, categorie, titre, description, commune_code as commune,
          to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as publiee_le
        from mutualisation where account_id = ${accountId} order by created_at, id`,
      ),
  },
];

export const poolingErasure: ErasureStep[] = [
  {
    name: 'réservations de mutualisation',
    run: async (tx, id) => {
      await tx.execute(sql`delete from reservation where account_id = ${id} and upper(periode) > now()`);
      await tx.execute(sql`update reservation set account_id = null where account_id = ${id}`);
    },
  },
  {
    name: 'offres et demandes de mutualisation',
    run: async (tx, id) => {
      await tx.execute(sql`delete from mutualisation where account_id = ${id} and organisation_id is null`);
      await tx.execute(sql`update mutualisation set account_id = null where account_id = ${id}`);
    },
  },
];
