/**
 * Treasury forecast (plan de trésorerie) of a structure, month by month: an opening balance, receipts and
 * expenses (once or every month up to a month), the tranches of its grants with the date agreed and the date
 * really expected (the payment delays of public funders, 000), and the delays of its clients and suppliers.
 * A month is in tension when its closing balance is negative or under the threshold the structure sets; each
 * such month says why. Money is in integer cents, months are « YYYY-MM », dates are Paris calendar dates
 * (« YYYY-MM-DD », no time of day). Pure: the caller validates the shapes, this module the order of things.
 */
import { stade } from './cooperation.ts';
import { euros } from './funding.ts';
import type { NeedRule } from './needs.ts';
import { RuleError } from './rule-error.ts';

export const MIN_MONTHS = 12;
export const MAX_MONTHS = 36;

export interface Flow {
  libelle: string;
  montant: number;
  /** The month it is invoiced (receipt) or incurred (expense). */
  mois: string;
  /** Repeated every month up to this one (inclusive). */
  jusqu_a?: string;
  /** Days until paid; overrides the plan's client (receipt) or supplier (expense) delay. */
  delai_jours?: number;
}

export interface GrantTranche {
  libelle: string;
  montant: number;
  /** When the agreement says it is paid. */
  date_convenue: string;
  /** When it is really expected; the agreed date when not said. */
  date_prevue?: string;
  /** The scheme of the catalogue that pays it, if any. */
  dispositif_id?: number;
}

export interface TreasuryPlan {
  debut: string;
  duree_mois: number;
  solde_initial: number;
  /** A closing balance under it puts the month in tension (0: only a negative balance does). */
  seuil: number;
  delai_clients_jours: number;
  delai_fournisseurs_jours: number;
  encaissements: Flow[];
  decaissements: Flow[];
  tranches: GrantTranche[];
}

export type CauseCode = 'solde_negatif' | 'sous_seuil' | 'tranche_en_retard' | 'delai_clients' | 'decaissements_superieurs';

export interface TensionCause {
  code: CauseCode;
  libelle: string;
}

export interface ForecastMonth {
  mois: string;
  solde_debut: number;
  encaissements: number;
  decaissements: number;
  solde_fin: number;
  tension: boolean;
  causes: TensionCause[];
}

export interface Forecast {
  mois: ForecastMonth[];
  mois_en_tension: string[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Months since year 0: months compare and add as integers. */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthOf(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addMonthsTo(month: string, count: number): string {
  return monthOf(monthIndex(month) + count);
}

export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

/**
 * The month an invoice of `month` is paid after `days`: invoices are taken as issued mid-month (the 15th), so
 * 30 days pay the next month, 60 days the one after, whatever the length of the months.
 */
export function paidMonth(month: string, days: number): string {
  const index = monthIndex(month);
  const paid = new Date(Date.UTC(Math.floor(index / 12), index % 12, 15 + days));
  return monthOf(paid.getUTCFullYear() * 12 + paid.getUTCMonth());
}

/** « 15/03/2027 » from « 2027-03-15 ». */
function frenchDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** The plan's last month. */
export function lastMonth(plan: Pick<TreasuryPlan, 'debut' | 'duree_mois'>): string {
  return addMonthsTo(plan.debut, plan.duree_mois - 1);
}

/**
 * What the shapes cannot say: every dated thing inside the plan and in order. Throws the first problem,
 * naming its field as the API receives it (« encaissements.2.jusqu_a »).
 */
export function checkPlan(plan: TreasuryPlan): void {
  const end = lastMonth(plan);
  const inside = (field: string, month: string) => {
    if (month < plan.debut) throw new RuleError('plan_hors_periode', `${month} est avant le début du plan (${plan.debut}).`, { field });
    if (month > end)
      throw new RuleError('plan_hors_periode', `${month} est après la fin du plan (${end}) : allongez le plan ou retirez cette ligne.`, { field });
  };
  for (const kind of ['encaissements', 'decaissements'] as const) {
    plan[kind].forEach((flow, i) => {
      inside(`${kind}.${i}.mois`, flow.mois);
      if (flow.jusqu_a !== undefined) {
        if (flow.jusqu_a < flow.mois) {
          throw new RuleError('plan_mois_desordre', `Le mois de fin (${flow.jusqu_a}) précède le mois de début (${flow.mois}) : inversez-les.`, {
            field: `${kind}.${i}.jusqu_a`,
          });
        }
        inside(`${kind}.${i}.jusqu_a`, flow.jusqu_a);
      }
    });
  }
  plan.tranches.forEach((tranche, i) => {
    const expected = tranche.date_prevue ?? tranche.date_convenue;
    if (expected < tranche.date_convenue) {
      throw new RuleError(
        'plan_mois_desordre',
        `La date attendue (${frenchDate(expected)}) précède la date convenue (${frenchDate(tranche.date_convenue)}) : une tranche versée en avance se saisit à sa date convenue.`,
        { field: `tranches.${i}.date_prevue` },
      );
    }
    if (expected.slice(0, 7) < plan.debut) {
      throw new RuleError('plan_hors_periode', `Cette tranche est attendue avant le début du plan (${plan.debut}) : comptez-la dans le solde initial.`, {
        field: `tranches.${i}.${tranche.date_prevue === undefined ? 'date_convenue' : 'date_prevue'}`,
      });
    }
  });
}

interface Movement {
  /** When it is really paid. */
  paid: number;
  /** When it was due (invoice month, agreed date). */
  due: number;
  montant: number;
}

function flowMovements(flows: readonly Flow[], defaultDelay: number): Movement[] {
  const movements: Movement[] = [];
  for (const flow of flows) {
    const delay = flow.delai_jours ?? defaultDelay;
    for (let m = monthIndex(flow.mois); m <= monthIndex(flow.jusqu_a ?? flow.mois); m++) {
      movements.push({ due: m, paid: monthIndex(paidMonth(monthOf(m), delay)), montant: flow.montant });
    }
  }
  return movements;
}

/** The month-by-month forecast of a checked plan (see checkPlan). */
export function forecast(plan: TreasuryPlan): Forecast {
  const start = monthIndex(plan.debut);
  const n = plan.duree_mois;
  const receipts = new Array<number>(n).fill(0);
  const expenses = new Array<number>(n).fill(0);
  /** Invoiced to clients, not yet received at the end of each month. */
  const awaitedFromClients = new Array<number>(n).fill(0);
  const clientMovements = flowMovements(plan.encaissements, plan.delai_clients_jours);
  for (const { paid, due, montant } of clientMovements) {
    if (paid - start < n) receipts[paid - start]! += montant;
    for (let m = due; m < Math.min(paid, start + n); m++) awaitedFromClients[m - start]! += montant;
  }
  for (const { paid, montant } of flowMovements(plan.decaissements, plan.delai_fournisseurs_jours)) {
    if (paid - start < n) expenses[paid - start]! += montant;
  }
  const tranches = plan.tranches.map((t) => {
    const expected = t.date_prevue ?? t.date_convenue;
    return { ...t, expected, agreedIndex: monthIndex(t.date_convenue.slice(0, 7)), expectedIndex: monthIndex(expected.slice(0, 7)) };
  });
  for (const t of tranches) if (t.expectedIndex - start < n) receipts[t.expectedIndex - start]! += t.montant;

  const months: ForecastMonth[] = [];
  let balance = plan.solde_initial;
  for (let i = 0; i < n; i++) {
    const m = start + i;
    const solde_fin = balance + receipts[i]! - expenses[i]!;
    const tension = solde_fin < 0 || solde_fin < plan.seuil;
    const causes: TensionCause[] = [];
    if (tension) {
      if (solde_fin < 0) causes.push({ code: 'solde_negatif', libelle: `Solde de fin de mois négatif : ${euros(solde_fin)}.` });
      else
        causes.push({ code: 'sous_seuil', libelle: `Solde de fin de mois (${euros(solde_fin)}) sous le seuil de ${euros(plan.seuil)} fixé par la structure.` });
      for (const t of tranches) {
        if (t.agreedIndex <= m && m < t.expectedIndex) {
          const late = t.expectedIndex - t.agreedIndex;
          causes.push({
            code: 'tranche_en_retard',
            libelle: `Tranche « ${t.libelle} » (${euros(t.montant)}) convenue le ${frenchDate(t.date_convenue)}, attendue le ${frenchDate(t.expected)} : ${late} mois de retard.`,
          });
        }
      }
      if (awaitedFromClients[i]! > 0) {
        causes.push({ code: 'delai_clients', libelle: `Délais de paiement des clients : ${euros(awaitedFromClients[i]!)} facturés et pas encore encaissés.` });
      }
      if (expenses[i]! > receipts[i]!) {
        causes.push({
          code: 'decaissements_superieurs',
          libelle: `Décaissements du mois (${euros(expenses[i]!)}) supérieurs aux encaissements (${euros(receipts[i]!)}).`,
        });
      }
    }
    months.push({ mois: monthOf(m), solde_debut: balance, encaissements: receipts[i]!, decaissements: expenses[i]!, solde_fin, tension, causes });
    balance = solde_fin;
  }
  return { mois: months, mois_en_tension: months.filter((month) => month.tension).map((month) => month.mois) };
}

/**
 * The needs a tension raises, in the form the orientation engine reads (src/domain/orientation.ts): any tension
 * calls for loans, guarantees and quasi-equity; a grant paid late, for an advance (a bridge loan or a
 * guaranteed one) until it comes. These are Maillage's reading, not a matrix of 001.
 */
const TREASURY_NEEDS: Record<'tension' | 'avance', NeedRule> = {
  tension: {
    code: 'tresorerie_tension',
    type: 'financement',
    libelle: 'Passer les mois de tension de trésorerie',
    matrice: 'creation_consolidation_changement_echelle',
    ligne: 'Trésorerie (Maillage, d’après 000)',
    condition: { stades: [...stade.codes] },
    couvert_par: { accompagnement: [], financement: ['pret', 'pret_participatif', 'garantie', 'fonds_propres'] },
  },
  avance: {
    code: 'tresorerie_avance_subvention',
    type: 'financement',
    libelle: 'Avancer une subvention versée en retard',
    matrice: 'creation_consolidation_changement_echelle',
    ligne: 'Trésorerie (Maillage, d’après 000)',
    condition: { stades: [...stade.codes] },
    couvert_par: { accompagnement: [], financement: ['pret', 'garantie'] },
  },
};

/** The needs of a forecast's tension months; none when no month is in tension. */
export function treasuryNeeds(result: Forecast): NeedRule[] {
  const causes = new Set(result.mois.flatMap((month) => month.causes.map((cause) => cause.code)));
  if (result.mois_en_tension.length === 0) return [];
  return causes.has('tranche_en_retard') ? [TREASURY_NEEDS.tension, TREASURY_NEEDS.avance] : [TREASURY_NEEDS.tension];
}

/** « 2027-03 », « 2027-03 à 2027-05 », « 2027-03, 2027-07 à 2027-08 »: consecutive months as ranges. */
export function monthRanges(months: readonly string[]): string {
  const ranges: [string, string][] = [];
  for (const month of months) {
    const last = ranges[ranges.length - 1];
    if (last && addMonthsTo(last[1], 1) === month) last[1] = month;
    else ranges.push([month, month]);
  }
  return ranges.map(([from, to]) => (from === to ? from : `${from} à ${to}`)).join(', ');
}
