/**
 * Funding follow-up of a laureate: an agreement (convention) in tranches, some conditional (the AMI PTCE's
 * year 3 « en fonction de l'avancée du dossier les 2 premières années », 004), payments recorded against a
 * tranche, and reporting due dates. Amounts are in cents to add without rounding errors; a tranche whose amount
 * the call does not state (the AMI's year 3) has none until the instructors set it, and takes no payment.
 */
import { RuleError } from './rule-error.ts';

export interface Tranche {
  montantCentimes: number | null;
  conditionnelle: boolean;
  /** For a conditional tranche: whether the instructors recorded that its condition is met. */
  conditionLevee: boolean;
}

/** A payment the tranche cannot take; the form shows it beside the amount. */
export class PaiementRefuse extends RuleError {
  constructor(message: string) {
    super('paiement_refuse', message, { field: 'montant' });
  }
}

/** Checks one payment on a tranche that has already received `dejaVerseCentimes`; throws with the French reason. */
export function checkPayment(tranche: Tranche, dejaVerseCentimes: number, montantCentimes: number): void {
  if (!Number.isInteger(montantCentimes) || montantCentimes <= 0) throw new PaiementRefuse('Le montant versé doit être positif.');
  if (tranche.montantCentimes === null) {
    throw new PaiementRefuse('Le montant de cette tranche n’est pas encore fixé : fixez-le avant d’enregistrer un versement.');
  }
  if (tranche.conditionnelle && !tranche.conditionLevee) {
    throw new PaiementRefuse('Cette tranche est conditionnelle : constatez d’abord que sa condition est remplie.');
  }
  const reste = tranche.montantCentimes - dejaVerseCentimes;
  if (montantCentimes > reste) {
    throw new PaiementRefuse(`Ce versement dépasserait la tranche : il reste ${euros(reste)} à verser sur ${euros(tranche.montantCentimes)}.`);
  }
}

export interface AgreementTotals {
  fermeCentimes: number;
  conditionnelCentimes: number;
  verseCentimes: number;
  montantsAFixer: number;
}

/** What is committed firmly, what depends on a condition, what is paid, and how many amounts are still to set. */
export function agreementTotals(tranches: readonly (Tranche & { verseCentimes: number })[]): AgreementTotals {
  const totals: AgreementTotals = { fermeCentimes: 0, conditionnelCentimes: 0, verseCentimes: 0, montantsAFixer: 0 };
  for (const t of tranches) {
    totals.verseCentimes += t.verseCentimes;
    if (t.montantCentimes === null) totals.montantsAFixer++;
    else if (t.conditionnelle && !t.conditionLevee) totals.conditionnelCentimes += t.montantCentimes;
    else totals.fermeCentimes += t.montantCentimes;
  }
  return totals;
}

export type EtatRapport = 'a_venir' | 'en_retard' | 'remis' | 'valide';

export const ETAT_RAPPORT_LIBELLES: Record<EtatRapport, string> = {
  a_venir: 'À venir',
  en_retard: 'En retard',
  remis: 'Remis',
  valide: 'Validé',
};

/** A report's state on `today` (YYYY-MM-DD, Paris): late once its due date has passed without it. */
export function reportState(report: { echeance: string; remisLe: string | null; valide: boolean }, today: string): EtatRapport {
  if (report.valide) return 'valide';
  if (report.remisLe) return 'remis';
  return today > report.echeance ? 'en_retard' : 'a_venir';
}

/** Adds whole months to a date (YYYY-MM-DD), the day kept or brought back to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Built once: a formatter costs far more to build than to use, and a forecast words hundreds of amounts. */
const eurosFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** « 1 234,56 € » from cents. */
export function euros(centimes: number): string {
  return eurosFormat.format(centimes / 100);
}

/** Reads an amount typed the French way (« 12 500 », « 12 500,50 € ») into cents, or null. */
export function parseEuros(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}
