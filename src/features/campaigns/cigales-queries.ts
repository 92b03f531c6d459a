/**
 * Cigales clubs in the database: the declaration of an organisation as a club, and the investments its members
 * record. Every write is one transaction with its audit entry; the club row is locked while an investment is
 * checked, so that a withdrawal cannot slip between the check and the insert.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { checkInvestment, checkIsClub } from '../../domain/campaign-cigales.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { notFound } from '../../web/errors.ts';
import { type InvestmentInput, type InvestmentRow, investmentRowSchema } from './schemas.ts';

export interface ClubOrganisation {
  id: number;
  nom: string;
  siret: string | null;
  regionCode: string | null;
  club: boolean;
}

export async function clubOrganisation(db: Db, id: number): Promise<ClubOrganisation> {
  const [row] = await checkedRows(
    db,
    z.object({ id: z.number().int(), nom: z.string(), siret: z.string().nullable(), regionCode: z.string().nullable(), club: z.boolean() }),
    sql`select o.id::int as id, o.name as nom, o.siret, o.region_code as "regionCode", exists (select 1 from club_cigales c where c.organisation_id = o.id) as club
    from organisation o where o.id = ${id}`,
  );
  if (!row) throw notFound('Aucune structure ne porte cet identifiant.');
  return row;
}

const INVESTMENT = sql`select i.id::int as id, json_build_object('id', c.id::int, 'nom', c.name) as club, json_build_object('id', e.id::int, 'nom', e.name) as entreprise,
    i.montant::float8 as montant, i.date_investissement::text as date_investissement, i.instrument
  from investissement_cigales i join organisation c on c.id = i.club_id join organisation e on e.id = i.entreprise_id`;

const total = (list: InvestmentRow[]) => list.reduce((sum, i) => sum + i.montant, 0);

/** What the club invested, and what clubs invested in the organisation, each with its total in cents. */
export async function investmentsOf(db: Db, organisation: ClubOrganisation) {
  const made = organisation.club
    ? await checkedRows(db, investmentRowSchema, sql`${INVESTMENT} where i.club_id = ${organisation.id} order by i.date_investissement desc, i.id desc`)
    : [];
  const received = await checkedRows(
    db,
    investmentRowSchema,
    sql`${INVESTMENT} where i.entreprise_id = ${organisation.id} order by i.date_investissement desc, i.id desc`,
  );
  return { club: organisation.club, investissements_du_club: made, total_investi: total(made), investissements_recus: received, total_recu: total(received) };
}
export type Investments = Awaited<ReturnType<typeof investmentsOf>>;

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

/** Declares the organisation a club, or withdraws it; a club whose investments are recorded stays one (they would be lost). */
export async function setClub(db: Db, account: CurrentAccount, organisationId: number, club: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    if (club) {
      const added = await checkedRows(
        tx,
        z.object({ id: z.number().int() }),
        sql`insert into club_cigales (organisation_id, declared_by) values (${organisationId}, ${account.id}) on conflict do nothing returning organisation_id::int as id`,
      );
      if (added.length === 0) return;
    } else {
      const [held] = await checkedRows(
        tx,
        z.object({ n: z.number().int() }),
        sql`select count(*)::int as n from investissement_cigales where club_id = ${organisationId}`,
      );
      if (held!.n > 0) {
        throw new RuleError(
          'cigales.investissements_enregistres',
          `Ce club a ${held!.n} investissement${held!.n > 1 ? 's' : ''} enregistré${held!.n > 1 ? 's' : ''} : il reste un club Cigales, pour que leur trace demeure.`,
        );
      }
      const removed = await checkedRows(
        tx,
        z.object({ id: z.number().int() }),
        sql`delete from club_cigales where organisation_id = ${organisationId} returning organisation_id::int as id`,
      );
      if (removed.length === 0) return;
    }
    await recordAudit(tx, {
      actor: actorOf(account),
      action: club ? 'cigales.declare' : 'cigales.withdraw',
      object: { kind: 'organisation', id: organisationId },
    });
  });
}

/** Records an investment of the club: the club declared (locked), the enterprise known by its SIRET, the rules of the domain. */
export async function insertInvestment(db: Db, account: CurrentAccount, clubId: number, input: InvestmentInput, today: string): Promise<number> {
  return db.transaction(async (tx) => {
    const locked = await checkedRows(
      tx,
      z.object({ id: z.number().int() }),
      sql`select organisation_id::int as id from club_cigales where organisation_id = ${clubId} for share`,
    );
    checkIsClub(locked.length > 0);
    const [entreprise] = await checkedRows(
      tx,
      z.object({ id: z.number().int() }),
      sql`select id::int as id from organisation where siret = ${input.entreprise_siret}`,
    );
    if (!entreprise) {
      throw new RuleError(
        'cigales.entreprise_inconnue',
        `Aucune structure de SIRET ${input.entreprise_siret} dans Maillage : vérifiez le numéro, ou proposez d’abord la structure.`,
        {
          field: 'entreprise_siret',
        },
      );
    }
    checkInvestment({ clubId, entrepriseId: entreprise.id, date: input.date_investissement }, today);
    const [row] = await checkedRows(
      tx,
      z.object({ id: z.number().int() }),
      sql`insert into investissement_cigales (club_id, entreprise_id, montant, date_investissement, instrument, created_by)
      values (${clubId}, ${entreprise.id}, ${input.montant}, ${input.date_investissement}, ${input.instrument}, ${account.id}) returning id::int as id`,
    );
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'cigales.investment',
      object: { kind: 'investissement_cigales', id: row!.id },
      details: { club_id: clubId, entreprise_id: entreprise.id, montant: input.montant, date: input.date_investissement, instrument: input.instrument },
    });
    return row!.id;
  });
}
