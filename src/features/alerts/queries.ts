/** The alerts of one person: create, list, change, delete; and what they hold for the RGPD export. */
import { sql } from 'drizzle-orm';
import { rows, type Db, checkedFirstRow, checkedRows, column, idRow, countRow } from '../../db/database.ts';
import { MAX_ALERTS_PER_ACCOUNT, alertFrequency, type AlertFrequency, alertKind, type AlertKind } from '../../domain/alert.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { ErasureStep, PersonalDataSection } from '../../platform/personal-data.ts';
import { z } from 'zod';

const alertRow = z.object({
  id: z.number(),
  name: z.string(),
  kind: alertKind.schema,
  query: column.json,
  frequency: alertFrequency.schema,
  created_at: z.string(),
  last_sent_at: z.string().nullable(),
});
export type AlertRow = z.infer<typeof alertRow>;

const columns = sql`a.id::int as id, a.name, a.kind, a.query, a.frequency, to_json(a.created_at) #>> '{}' as created_at, to_json(a.last_sent_at) #>> '{}' as last_sent_at`;

/** Saves an alert; what is new is counted from now on. Refused beyond the per-person limit, nothing written. */
export async function createAlert(
  db: Db,
  accountId: number,
  alert: { name: string; kind: AlertKind; query: object; frequency: AlertFrequency },
): Promise<number> {
  return db.transaction(async (tx) => {
    // Serialises one person's concurrent creations, so that the limit holds.
    await tx.execute(sql`select id from account where id = ${accountId} for update`);
    const count = await checkedFirstRow(tx, countRow, sql`select count(*)::int as n from alert where account_id = ${accountId}`);
    if (count!.n >= MAX_ALERTS_PER_ACCOUNT) {
      throw new RuleError('trop_d_alertes', `Vous avez déjà ${MAX_ALERTS_PER_ACCOUNT} alertes : supprimez-en une avant d’en créer une autre.`);
    }
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into alert (account_id, name, kind, query, frequency)
      values (${accountId}, ${alert.name}, ${alert.kind}, ${JSON.stringify(alert.query)}::jsonb, ${alert.frequency})
      returning id::int as id`,
    );
    return created!.id;
  });
}

export function listAlerts(db: Db, accountId: number): Promise<AlertRow[]> {
  return checkedRows(db, alertRow, sql`select ${columns} from alert a where a.account_id = ${accountId} order by a.created_at desc, a.id desc`);
}

/** Deletes one of the person's alerts; false when they have none with this id (someone else's included). */
export async function deleteAlert(db: Db, accountId: number, id: number): Promise<boolean> {
  const deleted = await rows(db, sql`delete from alert where id = ${id} and account_id = ${accountId} returning id`);
  return deleted.length > 0;
}

export async function setAlertFrequency(db: Db, accountId: number, id: number, frequency: AlertFrequency): Promise<boolean> {
  const updated = await rows(db, sql`update alert set frequency = ${frequency} where id = ${id} and account_id = ${accountId} returning id`);
  return updated.length > 0;
}

/** The person's alerts as the RGPD export gives them (French field names, as the rest of the export). */
async function alertsOf(db: Db, accountId: number) {
  const alerts = await listAlerts(db, accountId);
  return alerts.map((a) => ({
    nom: a.name,
    type: a.kind,
    parametres: a.query,
    frequence: a.frequency,
    creee_le: a.created_at,
    dernier_envoi: a.last_sent_at,
  }));
}

/** RGPD erasure step of an account deletion (in its transaction): the person's alerts go with them. */
export async function deleteAlertsOf(db: Db, accountId: number): Promise<void> {
  await db.execute(sql`delete from alert where account_id = ${accountId}`);
}

/** The person's alerts, for the RGPD document and the deletion of their account. */
export const alertsPersonalData: PersonalDataSection[] = [{ name: 'alertes', query: alertsOf }];
export const alertsErasure: ErasureStep[] = [{ name: 'alertes', run: deleteAlertsOf }];
