/**
 * Saved treasury plans of a structure, and the tranches its funding agreements (Maillage's calls) still owe
 * it. Every write is one transaction with its audit entry.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../db/database.ts';
import type { GrantTranche } from '../../domain/treasury.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { notFound } from '../../web/errors.ts';
import { simulationInputSchema, type SimulationInput } from './schemas.ts';

export interface Structure {
  id: number;
  siret: string | null;
  nom: string;
}

export async function structureOf(db: Db, id: number): Promise<Structure> {
  const [row] = await checkedRows(
    db,
    z.object({ id: z.number(), siret: z.string().nullable(), nom: z.string() }),
    sql`select id::int as id, siret, name as nom from organisation where id = ${id}`,
  );
  if (!row) throw notFound('Aucune structure ne porte cet identifiant.');
  return row;
}

const summarySchema = z.object({ id: z.number(), nom: z.string(), avec_conventions: z.boolean(), mis_a_jour: column.instant });

export async function plansOf(db: Db, organisationId: number) {
  return checkedRows(
    db,
    summarySchema,
    sql`select id::int as id, nom, avec_conventions, updated_at::text as mis_a_jour
    from plan_tresorerie where organisation_id = ${organisationId} order by updated_at desc, id desc`,
  );
}

export interface SavedPlan {
  id: number;
  nom: string;
  avec_conventions: boolean;
  plan: SimulationInput;
}

export async function savedPlan(db: Db, organisationId: number, planId: number): Promise<SavedPlan> {
  const [row] = await checkedRows(
    db,
    z.object({ id: z.number(), nom: z.string(), avec_conventions: z.boolean(), plan: simulationInputSchema }),
    sql`select id::int as id, nom, avec_conventions, plan from plan_tresorerie where id = ${planId} and organisation_id = ${organisationId}`,
  );
  if (!row) throw notFound('Ce plan de trésorerie n’existe pas, ou plus.');
  return row;
}

export interface PlanWrite {
  nom: string;
  avec_conventions: boolean;
  plan: SimulationInput;
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

export async function insertPlan(db: Db, account: CurrentAccount, organisationId: number, write: PlanWrite): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await checkedRows(
      tx,
      z.object({ id: z.number() }),
      sql`insert into plan_tresorerie (organisation_id, nom, plan, avec_conventions, created_by)
      values (${organisationId}, ${write.nom}, ${JSON.stringify(write.plan)}::jsonb, ${write.avec_conventions}, ${account.id}) returning id::int as id`,
    );
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'tresorerie.create',
      object: { kind: 'plan_tresorerie', id: row!.id },
      details: { organisation_id: organisationId, nom: write.nom },
    });
    return row!.id;
  });
}

export async function updatePlan(db: Db, account: CurrentAccount, organisationId: number, planId: number, write: PlanWrite): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await checkedRows(
      tx,
      z.object({ id: z.number() }),
      sql`update plan_tresorerie set nom = ${write.nom}, plan = ${JSON.stringify(write.plan)}::jsonb, avec_conventions = ${write.avec_conventions},
        updated_at = now() where id = ${planId} and organisation_id = ${organisationId} returning id::int as id`,
    );
    if (updated.length === 0) throw notFound('Ce plan de trésorerie n’existe pas, ou plus.');
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'tresorerie.update',
      object: { kind: 'plan_tresorerie', id: planId },
      details: { organisation_id: organisationId, nom: write.nom },
    });
  });
}

export async function deletePlan(db: Db, account: CurrentAccount, organisationId: number, planId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await checkedRows(
      tx,
      z.object({ nom: z.string() }),
      sql`delete from plan_tresorerie where id = ${planId} and organisation_id = ${organisationId} returning nom`,
    );
    if (deleted.length === 0) throw notFound('Ce plan de trésorerie n’existe pas, ou plus.');
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'tresorerie.delete',
      object: { kind: 'plan_tresorerie', id: planId },
      details: { organisation_id: organisationId, nom: deleted[0]!.nom },
    });
  });
}

/**
 * What the funding agreements of the structure's applications (lead or co-applicant) have still to pay, tranche
 * by tranche: the amount not yet paid, agreed at the tranche's due date. A conditional tranche whose condition
 * is not recorded as met, or whose amount is not set, is left out: nothing says it will come. A tranche due
 * before the plan and still unpaid is expected at the plan's first day at the earliest (a payment delay).
 */
export async function agreementTranches(db: Db, siret: string | null, debut: string): Promise<GrantTranche[]> {
  if (siret === null) return [];
  const owed = await checkedRows(
    db,
    z.object({ libelle: z.string(), reste_centimes: z.number(), echeance: z.string() }),
    sql`
    select a.title || ' — ' || t.label as libelle,
      (round(t.montant * 100) - coalesce((select round(sum(v.montant) * 100) from versement v where v.tranche_id = t.id), 0))::bigint::float8 as reste_centimes,
      t.echeance::text as echeance
    from convention_tranche t
    join convention c on c.id = t.convention_id
    join candidature ca on ca.id = c.candidature_id
    join appel a on a.id = ca.appel_id
    where t.montant is not null and (not t.conditionnelle or t.condition_levee_at is not null)
      and exists (select 1 from candidature_membre m where m.candidature_id = ca.id and m.siret = ${siret})
    order by t.echeance, t.id`,
  );
  const firstDay = `${debut}-01`;
  return owed
    .filter((t) => t.reste_centimes > 0)
    .map((t) => ({
      libelle: t.libelle.slice(0, 200),
      montant: t.reste_centimes,
      date_convenue: t.echeance,
      date_prevue: t.echeance < firstDay ? firstDay : undefined,
    }));
}
