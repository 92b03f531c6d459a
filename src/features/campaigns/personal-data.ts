/**
 * RGPD: the intentions a person recorded while signed in (their name, address and message) and what they wrote
 * for a structure or a club. Erasure keeps each pledged amount, so that the structure's totals stay true,
 * without who made it.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows } from '../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../platform/personal-data.ts';

export const ERASED_NAME = 'Personne ayant supprimé son compte';

export const campaignsPersonalData: PersonalDataSection[] = [
  {
    name: 'intentions_campagnes',
    query: (db, accountId) =>
      checkedRows(
        db,
        z.object({
          campagne: z.string(),
          campagne_id: z.number().int(),
          montant_centimes: z.number().int(),
          nom: z.string(),
          email: z.string(),
          message: z.string().nullable(),
          le: z.string(),
        }),
        sql`select c.titre as campagne, c.id::int as campagne_id, i.montant::float8 as montant_centimes, i.nom, i.email, i.message, i.created_at::text as le
        from campagne_intention i join campagne c on c.id = i.campagne_id where i.account_id = ${accountId} order by i.created_at`,
      ),
  },
  {
    name: 'campagnes_et_investissements_cigales_enregistres',
    query: async (db, accountId) => ({
      campagnes: await checkedRows(
        db,
        z.object({ id: z.number().int(), titre: z.string() }),
        sql`select id::int as id, titre from campagne where created_by = ${accountId} order by id`,
      ),
      investissements_cigales: await checkedRows(
        db,
        z.object({ id: z.number().int(), club_id: z.number().int(), entreprise_id: z.number().int(), montant_centimes: z.number().int() }),
        sql`select id::int as id, club_id::int as club_id, entreprise_id::int as entreprise_id, montant::float8 as montant_centimes
        from investissement_cigales where created_by = ${accountId} order by id`,
      ),
    }),
  },
];

export const campaignsErasure: ErasureStep[] = [
  {
    name: 'intentions_campagnes',
    run: async (tx, accountId) => {
      await tx.execute(sql`update campagne_intention set nom = ${ERASED_NAME}, email = 'adresse-supprimee@invalid', message = null, account_id = null
        where account_id = ${accountId}`);
    },
  },
  {
    name: 'campagnes_et_investissements_cigales_enregistres',
    run: async (tx, accountId) => {
      await tx.execute(sql`update campagne set created_by = null where created_by = ${accountId}`);
      await tx.execute(sql`update investissement_cigales set created_by = null where created_by = ${accountId}`);
      await tx.execute(sql`update club_cigales set declared_by = null where declared_by = ${accountId}`);
    },
  },
];
