/**
 * Funding follow-up of a laureate application: its agreement, pre-filled from the call's tranche model (the AMI
 * PTCE: 100 000 € for years 1–2, a conditional year 3 of unstated amount), payments checked by the domain
 * against what the tranche has left (the tranche row locked, so two payments at once cannot both pass), and
 * reporting due dates, each naming the indicators it expects for a period of the agreement (reference ones or
 * the call's own) with what the applicant reported against them. Amounts travel in cents and are stored in
 * euros (numeric).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { referenceIndicators } from '../../../data/indicators.ts';
import { checkedRows, textArray, type Db } from '../../../db/database.ts';
import { addMonths, agreementTotals, checkPayment, reportState, type EtatRapport } from '../../../domain/funding.ts';
import { parsePeriod, statutSaisie } from '../../../domain/indicators.ts';
import { checkExpected, checkPeriodInAgreement, checkReportAction, expectedState, reportProgress } from '../../../domain/report-indicators.ts';
import { fundingOpen } from '../../../domain/instruction-rules.ts';
import type { StatutCandidature } from '../../../domain/application.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { RuleError } from '../../../domain/rule-error.ts';

const toCents = (euros: string | null) => (euros === null ? null : Math.round(Number(euros) * 100));
const toEuros = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));
const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

/** Today's date in Paris (YYYY-MM-DD), for « en retard ». */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}

const expectedRow = z.object({ rapport_id: z.number(), code: z.string(), libelle: z.string().nullable(), statut: statutSaisie.schema.nullable() });
const referenceLabels = new Map(referenceIndicators.map((r) => [r.code, r.libelle]));

/** The indicators each due date of an agreement expects, labelled, with the state of what was reported against it. */
async function expectedIndicators(db: Db, conventionId: number) {
  const found = await checkedRows(
    db,
    expectedRow,
    sql`select ri.rapport_id::int as rapport_id, ri.indicateur_code as code, i.libelle, s.statut
    from rapport_indicateur ri join rapport_echeance r on r.id = ri.rapport_id
      left join indicateur i on i.code = ri.indicateur_code
      left join indicateur_saisie s on s.rapport_id = ri.rapport_id and s.indicateur_code = ri.indicateur_code
    where r.convention_id = ${conventionId} order by ri.rapport_id, ri.indicateur_code`,
  );
  return found.map((row) => ({
    rapportId: row.rapport_id,
    code: row.code,
    libelle: row.libelle ?? referenceLabels.get(row.code) ?? row.code,
    etat: expectedState(row.statut),
  }));
}

export async function fundingOf(db: Db, candidatureId: number, today = parisToday()) {
  const [convention] = await checkedRows(
    db,
    z.object({ id: z.number(), debut: z.string() }),
    sql`select id::int as id, debut::text as debut
    from convention where candidature_id = ${candidatureId}`,
  );
  if (!convention) return null;
  const [tranches, versements, rapports, attendus] = await Promise.all([
    checkedRows(
      db,
      z.object({
        id: z.number(),
        libelle: z.string(),
        montant: z.string().nullable(),
        echeance: z.string(),
        conditionnelle: z.boolean(),
        condition: z.string().nullable(),
        levee: z.boolean(),
      }),
      sql`
      select id::int as id, label as libelle, montant::text as montant, echeance::text as echeance, conditionnelle, condition,
        condition_levee_at is not null as levee
      from convention_tranche where convention_id = ${convention.id} order by position`,
    ),
    checkedRows(
      db,
      z.object({ id: z.number(), tranche_id: z.number(), montant: z.string(), verse_le: z.string() }),
      sql`
      select v.id::int as id, v.tranche_id::int as tranche_id, v.montant::text as montant, v.verse_le::text as verse_le
      from versement v join convention_tranche t on t.id = v.tranche_id where t.convention_id = ${convention.id} order by v.verse_le, v.id`,
    ),
    checkedRows(
      db,
      z.object({
        id: z.number(),
        libelle: z.string(),
        echeance: z.string(),
        remis_le: z.string().nullable(),
        valide: z.boolean(),
        periode: z.string().nullable(),
      }),
      sql`
      select id::int as id, label as libelle, echeance::text as echeance, remis_le::text as remis_le, valide, periode
      from rapport_echeance where convention_id = ${convention.id} order by echeance, id`,
    ),
    expectedIndicators(db, convention.id),
  ]);
  const lines = tranches.map((t) => {
    const paid = versements.filter((v) => v.tranche_id === t.id);
    return {
      ...t,
      montantCentimes: toCents(t.montant),
      conditionLevee: t.levee,
      verseCentimes: paid.reduce((sum, v) => sum + toCents(v.montant)!, 0),
      versements: paid.map((v) => ({ ...v, montantCentimes: toCents(v.montant)! })),
    };
  });
  return {
    ...convention,
    tranches: lines,
    totaux: agreementTotals(lines),
    rapports: rapports.map((r) => {
      const indicateurs = attendus.filter((a) => a.rapportId === r.id);
      return {
        ...r,
        etat: reportState({ echeance: r.echeance, remisLe: r.remis_le, valide: r.valide }, today) as EtatRapport,
        indicateurs,
        progression: reportProgress(indicateurs.map((a) => a.etat)),
      };
    }),
  };
}

export type Funding = NonNullable<Awaited<ReturnType<typeof fundingOf>>>;

function ensureLaureate(statut: StatutCandidature): void {
  if (!fundingOpen(statut)) throw new RuleError('pas_laureate', 'Une convention de financement se prépare pour une candidature lauréate seulement.');
}

const idRow = z.object({ id: z.number() });

async function conventionId(db: Db, candidatureId: number): Promise<number> {
  const [row] = await checkedRows(db, idRow, sql`select id::int as id from convention where candidature_id = ${candidatureId}`);
  if (!row) throw new RuleError('sans_convention', 'Cette candidature n’a pas encore de convention : créez-la d’abord.');
  return row.id;
}

const modelRow = z.object({
  label: z.string(),
  montant: z.string().nullable(),
  mois: z.number(),
  conditionnelle: z.boolean(),
  condition: z.string().nullable(),
});

/** Creates the agreement starting on `debut`, with the call's model tranches (due dates counted from `debut`). */
export async function createAgreement(
  db: Db,
  account: CurrentAccount,
  c: { id: number; appelId: number; statut: StatutCandidature },
  debut: string,
): Promise<void> {
  ensureLaureate(c.statut);
  const model = await checkedRows(
    db,
    modelRow,
    sql`
    select label, montant::text as montant, mois, conditionnelle, condition from appel_tranche_modele where appel_id = ${c.appelId} order by position`,
  );
  await db.transaction(async (tx) => {
    const [created] = await checkedRows(
      tx,
      idRow,
      sql`insert into convention (candidature_id, debut, created_by)
      values (${c.id}, ${debut}::date, ${account.id}) on conflict (candidature_id) do nothing returning id::int as id`,
    );
    if (!created) throw new RuleError('convention_existante', 'Cette candidature a déjà sa convention.');
    for (const [position, t] of model.entries()) {
      await tx.execute(sql`insert into convention_tranche (convention_id, position, label, montant, echeance, conditionnelle, condition)
        values (${created.id}, ${position}, ${t.label}, ${t.montant}, ${addMonths(debut, t.mois)}::date, ${t.conditionnelle}, ${t.condition})`);
    }
    await recordAudit(tx, { actor: actorOf(account), action: 'convention.create', object: { kind: 'candidature', id: c.id }, details: { debut } });
  });
}
export async function addTranche(
  db: Db,
  account: CurrentAccount,
  candidatureId: number,
  t: { libelle: string; montant: number | null; echeance: string; conditionnelle: boolean; condition: string | null },
): Promise<void> {
  const id = await conventionId(db, candidatureId);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into convention_tranche (convention_id, position, label, montant, echeance, conditionnelle, condition)
      values (${id}, (select coalesce(max(position) + 1, 0) from convention_tranche where convention_id = ${id}), ${t.libelle},
        ${toEuros(t.montant)}, ${t.echeance}::date, ${t.conditionnelle}, ${t.conditionnelle ? t.condition : null})`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.update',
      object: { kind: 'candidature', id: candidatureId },
      details: { tranche: t.libelle },
    });
  });
}

/** Sets a tranche's amount (never below what it has received) and/or records that its condition is met. */
export async function updateTranche(
  db: Db,
  account: CurrentAccount,
  candidatureId: number,
  trancheId: number,
  change: { montant: number | null; condition_levee: boolean },
): Promise<void> {
  const id = await conventionId(db, candidatureId);
  await db.transaction(async (tx) => {
    const [tranche] = await checkedRows(
      tx,
      z.object({ conditionnelle: z.boolean(), verse: z.string() }),
      sql`select conditionnelle,
        (select coalesce(sum(v.montant), 0)::text from versement v where v.tranche_id = t.id) as verse
      from convention_tranche t where t.id = ${trancheId} and t.convention_id = ${id} for update`,
    );
    if (!tranche) throw new RuleError('tranche_etrangere', 'Cette tranche n’appartient pas à cette convention.');
    if (change.montant !== null && change.montant < toCents(tranche.verse)!) {
      throw new RuleError('montant_sous_le_verse', 'Le montant ne peut pas être inférieur à ce qui a déjà été versé sur la tranche.', { field: 'montant' });
    }
    if (change.montant === null && !change.condition_levee) {
      throw new RuleError('tranche_inchangee', 'Indiquez un montant ou cochez « condition remplie ».', { field: 'montant' });
    }
    await tx.execute(sql`update convention_tranche set
        montant = coalesce(${toEuros(change.montant)}::numeric, montant),
        condition_levee_at = case when ${change.condition_levee} and conditionnelle then coalesce(condition_levee_at, now()) else condition_levee_at end
      where id = ${trancheId}`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.update',
      object: { kind: 'candidature', id: candidatureId },
      details: { tranche: trancheId, montant: toEuros(change.montant), condition_levee: change.condition_levee },
    });
  });
}

/** Records a payment, refused when it would exceed what the tranche has left (the tranche row locked meanwhile). */
export async function recordPayment(
  db: Db,
  account: CurrentAccount,
  candidatureId: number,
  p: { tranche: number; montant: number; verse_le: string },
): Promise<void> {
  const id = await conventionId(db, candidatureId);
  await db.transaction(async (tx) => {
    const [tranche] = await checkedRows(
      tx,
      z.object({ montant: z.string().nullable(), conditionnelle: z.boolean(), levee: z.boolean() }),
      sql`
      select montant::text as montant, conditionnelle, condition_levee_at is not null as levee
      from convention_tranche where id = ${p.tranche} and convention_id = ${id} for update`,
    );
    if (!tranche) throw new RuleError('tranche_inconnue', 'Choisissez une tranche de cette convention.', { field: 'tranche' });
    const [paid] = await checkedRows(
      tx,
      z.object({ verse: z.string() }),
      sql`select coalesce(sum(montant), 0)::text as verse from versement where tranche_id = ${p.tranche}`,
    );
    checkPayment(
      { montantCentimes: toCents(tranche.montant), conditionnelle: tranche.conditionnelle, conditionLevee: tranche.levee },
      toCents(paid!.verse)!,
      p.montant,
    );
    await tx.execute(sql`insert into versement (tranche_id, montant, verse_le, recorded_by)
      values (${p.tranche}, ${toEuros(p.montant)}, ${p.verse_le}::date, ${account.id})`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.payment',
      object: { kind: 'candidature', id: candidatureId },
      details: { tranche: p.tranche, montant: toEuros(p.montant), verse_le: p.verse_le },
    });
  });
}

export async function addReport(db: Db, account: CurrentAccount, candidatureId: number, r: { libelle: string; echeance: string }): Promise<void> {
  const id = await conventionId(db, candidatureId);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into rapport_echeance (convention_id, label, echeance) values (${id}, ${r.libelle}, ${r.echeance}::date)`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.update',
      object: { kind: 'candidature', id: candidatureId },
      details: { rapport: r.libelle },
    });
  });
}

/**
 * A report received (on `remisLe`, default today) or validated (received today if it was not yet); a due date
 * that expects indicators is received when they are all reported, and validated once they are all validated.
 */
export async function updateReport(
  db: Db,
  account: CurrentAccount,
  candidatureId: number,
  reportId: number,
  change: { action: 'remis' | 'valide'; remis_le?: string },
): Promise<void> {
  const id = await conventionId(db, candidatureId);
  const remisLe = change.remis_le ?? parisToday();
  await db.transaction(async (tx) => {
    const [report] = await checkedRows(tx, idRow, sql`select id::int as id from rapport_echeance where id = ${reportId} and convention_id = ${id} for update`);
    if (!report) throw new RuleError('rapport_etranger', 'Ce rapport n’appartient pas à cette convention.');
    const expected = (await expectedIndicators(tx, id)).filter((e) => e.rapportId === reportId);
    checkReportAction(change.action, reportProgress(expected.map((e) => e.etat)));
    await tx.execute(sql`update rapport_echeance set
        remis_le = coalesce(${change.action === 'remis' ? remisLe : null}::date, remis_le, ${remisLe}::date),
        valide = valide or ${change.action === 'valide'}
      where id = ${reportId}`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.update',
      object: { kind: 'candidature', id: candidatureId },
      details: { rapport: reportId, action: change.action },
    });
  });
}

const choiceRow = z.object({ code: z.string(), libelle: z.string(), unite: z.string() });

/** What a due date of this call may expect: the reference indicators, then the call's own. */
export async function reportableIndicators(db: Db, appelId: number): Promise<z.infer<typeof choiceRow>[]> {
  const own = await checkedRows(db, choiceRow, sql`select code, libelle, unite from indicateur where appel_id = ${appelId} order by libelle`);
  return [...referenceIndicators.map(({ code, libelle, unite }) => ({ code, libelle, unite })), ...own];
}

/**
 * Names the indicators a due date expects and the period they are reported for (within the agreement). Refused:
 * an indicator that is neither a reference one nor the call's, a validated report, a new period once values
 * were reported for the old one. Expectations dropped leave their values in the cooperation's entries.
 */
export async function nameReportIndicators(
  db: Db,
  account: CurrentAccount,
  c: { id: number; appelId: number },
  reportId: number,
  choice: { periode: string; indicateurs: readonly string[] },
): Promise<void> {
  const id = await conventionId(db, c.id);
  const period = parsePeriod(choice.periode);
  const codes = checkExpected(choice.indicateurs);
  const allowed = new Set((await reportableIndicators(db, c.appelId)).map((i) => i.code));
  const unknown = codes.filter((code) => !allowed.has(code));
  if (unknown.length)
    throw new RuleError(
      'indicateur_inconnu',
      `${unknown.map((code) => `« ${code} »`).join(', ')} : ni un indicateur de référence ni un indicateur de cet appel (la liste est donnée par /api/v1/indicateurs).`,
      { field: 'indicateurs' },
    );
  await db.transaction(async (tx) => {
    const [report] = await checkedRows(
      tx,
      z.object({ periode: z.string().nullable(), valide: z.boolean(), saisies: z.number(), debut: z.string(), fin: z.string() }),
      sql`select r.periode, r.valide,
        (select count(*)::int from indicateur_saisie s where s.rapport_id = r.id) as saisies,
        c.debut::text as debut,
        greatest(c.debut, (select max(echeance) from convention_tranche where convention_id = c.id),
          (select max(echeance) from rapport_echeance where convention_id = c.id))::text as fin
      from rapport_echeance r join convention c on c.id = r.convention_id
      where r.id = ${reportId} and r.convention_id = ${id} for update of r`,
    );
    if (!report) throw new RuleError('rapport_etranger', 'Ce rapport n’appartient pas à cette convention.');
    if (report.valide) throw new RuleError('rapport_valide', 'Ce rapport est validé : ses indicateurs attendus ne changent plus.');
    checkPeriodInAgreement(period, report);
    if (report.periode !== null && report.periode !== period.code && report.saisies > 0)
      throw new RuleError(
        'periode_deja_saisie',
        `Des valeurs sont déjà saisies pour la période ${report.periode} : ajoutez une autre échéance pour la période ${period.code}.`,
        { field: 'periode' },
      );
    await tx.execute(sql`update rapport_echeance set periode = ${period.code} where id = ${reportId}`);
    await tx.execute(sql`delete from rapport_indicateur where rapport_id = ${reportId} and indicateur_code <> all(${textArray(codes)})`);
    await tx.execute(sql`insert into rapport_indicateur (rapport_id, indicateur_code)
      select ${reportId}, code from unnest(${textArray(codes)}) as code on conflict do nothing`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'convention.update',
      object: { kind: 'candidature', id: c.id },
      details: { rapport: reportId, periode: period.code, indicateurs: codes },
    });
  });
}
