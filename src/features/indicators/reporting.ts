/**
 * Reporting against the due dates of a funding agreement: each due date names the
 * indicators it expects for a period (chosen by the call's instructors, calls/instruction/funding.ts); the
 * funded cooperation's admins enter those values here, as entries of their cooperation linked to the due date,
 * all in one transaction or none; the call's instructors validate them (entries.ts), and the due date's
 * « remis » follows them (kept by the database, migration 0037).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { reportState, type EtatRapport } from '../../domain/funding.ts';
import { checkPeriodStarted, parsePeriod, parseValue, statutSaisie } from '../../domain/indicators.ts';
import { expectedState, reportProgress, type EtatAttendu } from '../../domain/report-indicators.ts';
import { RuleError, type FieldError } from '../../domain/rule-error.ts';
import { notFound } from '../../web/errors.ts';
import { InvalidForm } from '../../web/forms.ts';
import { allIndicators, type Indicator } from './catalogue.ts';
import { writeEntry } from './entries.ts';

const agreementRow = z.object({
  id: z.number(),
  titre: z.string(),
  appel_id: z.number(),
  appel_titre: z.string(),
  cooperation_id: z.number().nullable(),
  cooperation: z.string().nullable(),
  convention_id: z.number().nullable(),
  today: z.string(),
});
export type FundedApplication = z.infer<typeof agreementRow>;

/** The application, its call, its cooperation and its agreement; a French 404 when it has no agreement. */
export async function fundedApplication(db: Db, candidatureId: number): Promise<FundedApplication & { convention_id: number }> {
  const [found] = await checkedRows(
    db,
    agreementRow,
    sql`select ca.id::int as id, ca.title as titre, a.id::int as appel_id, a.title as appel_titre, ca.cooperation_id::int as cooperation_id,
      co.name as cooperation, cv.id::int as convention_id, (now() at time zone 'Europe/Paris')::date::text as today
    from candidature ca join appel a on a.id = ca.appel_id left join cooperation co on co.id = ca.cooperation_id
      left join convention cv on cv.candidature_id = ca.id
    where ca.id = ${candidatureId}`,
  );
  if (!found?.convention_id) throw notFound(`La candidature ${candidatureId} n’a pas de convention de financement.`);
  return { ...found, convention_id: found.convention_id };
}

const dueRow = z.object({
  id: z.number(),
  libelle: z.string(),
  echeance: z.string(),
  periode: z.string().nullable(),
  remis_le: z.string().nullable(),
  valide: z.boolean(),
});
const expectedRow = z.object({
  rapport_id: z.number(),
  code: z.string(),
  saisie_id: z.number().nullable(),
  valeur: z.coerce.number().nullable(),
  statut: statutSaisie.schema.nullable(),
  motif: z.string().nullable(),
});

export interface ExpectedValue {
  indicateur: Indicator;
  etat: EtatAttendu;
  saisie: { id: number; valeur: number; motif: string | null } | null;
}
export interface DueDate extends z.infer<typeof dueRow> {
  etat: EtatRapport;
  attendus: ExpectedValue[];
}

/** The due dates of the application's agreement, each with its expected indicators and what was reported. */
export async function dueDates(db: Db, c: FundedApplication & { convention_id: number }): Promise<DueDate[]> {
  // One after the other: inside a transaction, they share its connection.
  const dates = await checkedRows(
    db,
    dueRow,
    sql`select id::int as id, label as libelle, echeance::text as echeance, periode, remis_le::text as remis_le, valide
    from rapport_echeance where convention_id = ${c.convention_id} order by echeance, id`,
  );
  const expected = await checkedRows(
    db,
    expectedRow,
    sql`select ri.rapport_id::int as rapport_id, ri.indicateur_code as code, s.id::int as saisie_id, s.valeur, s.statut, s.motif
    from rapport_indicateur ri join rapport_echeance r on r.id = ri.rapport_id
      left join indicateur_saisie s on s.rapport_id = ri.rapport_id and s.indicateur_code = ri.indicateur_code
    where r.convention_id = ${c.convention_id} order by ri.rapport_id, ri.indicateur_code`,
  );
  const indicators = await allIndicators(db);
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  return dates.map((d) => ({
    ...d,
    etat: reportState({ echeance: d.echeance, remisLe: d.remis_le, valide: d.valide }, c.today),
    attendus: expected
      .filter((e) => e.rapport_id === d.id && byCode.has(e.code))
      .map((e) => ({
        indicateur: byCode.get(e.code)!,
        etat: expectedState(e.statut),
        saisie: e.saisie_id === null ? null : { id: e.saisie_id, valeur: e.valeur!, motif: e.motif },
      })),
  }));
}

/** A due date as the API shows it. */
export function dueDateOut(d: DueDate) {
  return {
    id: d.id,
    libelle: d.libelle,
    echeance: d.echeance,
    periode: d.periode,
    etat: d.etat,
    remis_le: d.remis_le,
    progression: reportProgress(d.attendus.map((a) => a.etat)),
    indicateurs: d.attendus.map((a) => ({
      code: a.indicateur.code,
      libelle: a.indicateur.libelle,
      unite: a.indicateur.unite,
      etat: a.etat,
      valeur: a.saisie?.valeur ?? null,
      motif: a.saisie?.motif ?? null,
    })),
  };
}

export interface ReportedValue {
  indicateur: string;
  valeur: string | number;
  commentaire?: string;
}

/** The current year and quarter in Paris, from the database's today. */
function quarterOf(today: string) {
  const [annee, mois] = today.split('-').map(Number) as [number, number];
  return { annee, trimestre: Math.ceil(mois / 3) };
}

/**
 * Enters the values of a due date's expected indicators for its period, all or none: every value of the wrong
 * kind, every code unknown or not expected is refused at once, naming its field (`fieldOf`, by default the
 * API's `valeurs.<i>.valeur`). Returns the due date as it now stands.
 */
export async function reportAgainst(
  db: Db,
  actor: { id: number; displayName: string },
  c: FundedApplication & { convention_id: number },
  rapportId: number,
  values: readonly ReportedValue[],
  fieldOf: (index: number, name: 'indicateur' | 'valeur' | 'commentaire') => string = (i, name) => `valeurs.${i}.${name}`,
): Promise<DueDate> {
  await db.transaction(async (tx) => {
    // The due date locked first: a choice of indicators by the instructors waits for this report, or this for it.
    await tx.execute(sql`select 1 from rapport_echeance where id = ${rapportId} and convention_id = ${c.convention_id} for update`);
    const due = (await dueDates(tx, c)).find((d) => d.id === rapportId);
    if (!due) throw notFound(`Aucune échéance de rapport ${rapportId} dans la convention de cette candidature.`);
    if (due.valide) throw new RuleError('rapport_valide', 'Ce rapport est validé : ses valeurs ne changent plus.');
    if (!due.attendus.length || due.periode === null)
      throw new RuleError('rien_attendu', 'Cette échéance n’attend aucun indicateur : l’équipe d’instruction ne les a pas encore choisis.');
    const period = parsePeriod(due.periode);
    checkPeriodStarted(period, quarterOf(c.today));
    if (!values.length) throw new InvalidForm([{ field: 'valeurs', message: 'Indiquez au moins une valeur.' }]);
    const expected = new Map(due.attendus.map((a) => [a.indicateur.code, a.indicateur]));
    const known = new Set((await allIndicators(tx)).map((i) => i.code));
    const errors: FieldError[] = [];
    const entries = values.flatMap((v, i) => {
      const indicator = expected.get(v.indicateur);
      if (!indicator) {
        const message = known.has(v.indicateur)
          ? `L’indicateur « ${v.indicateur} » n’est pas attendu par cette échéance : elle attend ${[...expected.keys()].join(', ')}.`
          : `Aucun indicateur ne porte le code « ${v.indicateur} » : la liste est donnée par /api/v1/indicateurs.`;
        errors.push({ field: fieldOf(i, 'indicateur'), message });
        return [];
      }
      if (values.findIndex((w) => w.indicateur === v.indicateur) !== i) {
        errors.push({ field: fieldOf(i, 'indicateur'), message: `L’indicateur « ${v.indicateur} » est donné deux fois.` });
        return [];
      }
      const commentaire = v.commentaire?.trim() || null;
      if (commentaire && commentaire.length > 1000)
        errors.push({ field: fieldOf(i, 'commentaire'), message: 'Le commentaire ne peut dépasser 1 000 caractères.' });
      try {
        return [
          {
            indicateur: indicator.code,
            periode: period.code,
            valeur: parseValue(indicator, String(v.valeur), fieldOf(i, 'valeur')),
            commentaire,
            rapport: rapportId,
          },
        ];
      } catch (error) {
        if (!(error instanceof RuleError) || error.field === undefined) throw error;
        errors.push({ field: error.field, message: error.message });
        return [];
      }
    });
    if (errors.length) throw new InvalidForm(errors);
    for (const entry of entries) await writeEntry(tx, actor, c.cooperation_id!, entry);
  });
  return (await dueDates(db, c)).find((d) => d.id === rapportId)!;
}

/** The funded applications of a cooperation whose agreement has due dates, for its indicator page. */
export function fundedApplicationsOf(db: Db, cooperationId: number) {
  return checkedRows(
    db,
    z.object({ id: z.number(), titre: z.string(), appel_titre: z.string(), rapports: z.number() }),
    sql`select ca.id::int as id, ca.title as titre, a.title as appel_titre, count(r.id)::int as rapports
    from candidature ca join appel a on a.id = ca.appel_id join convention cv on cv.candidature_id = ca.id
      join rapport_echeance r on r.convention_id = cv.id
    where ca.cooperation_id = ${cooperationId} group by ca.id, a.title order by ca.id`,
  );
}

/** The indicators of a due date still open to entry: those not validated. */
export const openToEntry = (d: DueDate) => d.attendus.filter((a) => a.etat !== 'valide');

/** The codes of a due date still open to entry (not validated), in the order the page shows them. */
export async function openToEntryCodes(db: Db, c: FundedApplication & { convention_id: number }, rapportId: number): Promise<string[]> {
  const due = (await dueDates(db, c)).find((d) => d.id === rapportId);
  return due ? openToEntry(due).map((a) => a.indicateur.code) : [];
}
