/**
 * The indicators a reporting due date of a funding agreement expects: the period they are
 * reported for lies within the agreement, each expected indicator is missing, awaiting validation, validated
 * or refused, and the due date's own actions follow them — it is « remis » once every value is in (the
 * database keeps that, migration 0037) and validated only once every value is.
 */
import { defineEnum, type EnumCode } from './enum.ts';
import type { Period, StatutSaisie } from './indicators.ts';
import { RuleError } from './rule-error.ts';

export const etatAttendu = defineEnum({
  manquant: 'Manquant',
  a_valider: 'Saisi, à valider',
  valide: 'Validé',
  refuse: 'Refusé : à saisir de nouveau',
});
export type EtatAttendu = EnumCode<typeof etatAttendu>;

/** The state of an expected indicator from the status of the value reported against the due date (null: none). */
export function expectedState(statut: StatutSaisie | null): EtatAttendu {
  if (statut === null) return 'manquant';
  return statut === 'validee' ? 'valide' : statut === 'refusee' ? 'refuse' : 'a_valider';
}

export interface ReportProgress {
  attendus: number;
  /** Values in and not refused (awaiting validation or validated). */
  saisis: number;
  valides: number;
}

export function reportProgress(states: readonly EtatAttendu[]): ReportProgress {
  return {
    attendus: states.length,
    saisis: states.filter((s) => s === 'a_valider' || s === 'valide').length,
    valides: states.filter((s) => s === 'valide').length,
  };
}

/**
 * The instructors' actions on a due date that expects indicators: « remis » is not marked by hand (it follows
 * the values), and the report is validated only once every value is.
 */
export function checkReportAction(action: 'remis' | 'valide', progress: ReportProgress): void {
  if (progress.attendus === 0) return;
  if (action === 'remis')
    throw new RuleError('remis_par_les_indicateurs', 'Ce rapport attend des indicateurs : il est remis quand le candidat les a tous saisis.');
  if (progress.valides < progress.attendus)
    throw new RuleError(
      'indicateurs_a_valider',
      `Validez d’abord les indicateurs attendus : ${progress.valides} sur ${progress.attendus} le sont (page « Indicateurs à valider »).`,
    );
}

/** The first and last days of a period (YYYY-MM-DD). */
export function periodDays(period: Period): { debut: string; fin: string } {
  if (period.trimestre === null) return { debut: `${period.annee}-01-01`, fin: `${period.annee}-12-31` };
  const first = (period.trimestre - 1) * 3 + 1;
  const last = new Date(Date.UTC(period.annee, first + 2, 0)).getUTCDate();
  const month = (m: number) => String(m).padStart(2, '0');
  return { debut: `${period.annee}-${month(first)}-01`, fin: `${period.annee}-${month(first + 2)}-${last}` };
}

/** A reported period must overlap the agreement, from its start to its last due date (tranche or report). */
export function checkPeriodInAgreement(period: Period, agreement: { debut: string; fin: string }, field = 'periode'): void {
  const days = periodDays(period);
  if (days.fin < agreement.debut || days.debut > agreement.fin)
    throw new RuleError(
      'periode_hors_convention',
      `La période ${period.code} est hors de la convention, qui court du ${frenchDate(agreement.debut)} au ${frenchDate(agreement.fin)} : choisissez une période de cet intervalle.`,
      { field },
    );
}

const frenchDate = (iso: string) => iso.split('-').reverse().join('/');

/** The indicators a due date expects: at least one, each once. */
export function checkExpected(codes: readonly string[], field = 'indicateurs'): string[] {
  const unique = [...new Set(codes)];
  if (unique.length === 0) throw new RuleError('indicateurs_manquants', 'Choisissez au moins un indicateur attendu.', { field });
  return unique;
}
