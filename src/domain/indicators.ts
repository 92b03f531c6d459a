/**
 * Indicators of cooperations, as pure rules: the kinds of value an indicator takes, the periods values are
 * entered for (a year « 2025 » or a quarter « 2025-T2 »), the reading of an entered value (a French decimal
 * comma accepted, the wrong kind refused with its field named), and the life of an entry: entered by the
 * cooperation's admins (« soumise »), then validated or refused by a moderator of its région or the
 * instructors of the call it reports to. Only validated values are published and aggregated.
 */
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

export const typeValeur = defineEnum({
  entier: 'Nombre entier',
  decimal: 'Nombre décimal',
  euros: 'Montant en euros',
  pourcentage: 'Pourcentage (0 à 100)',
});
export type TypeValeur = EnumCode<typeof typeValeur>;

export const statutSaisie = defineEnum({
  soumise: 'À valider',
  validee: 'Validée',
  refusee: 'Refusée',
});
export type StatutSaisie = EnumCode<typeof statutSaisie>;

/** Who defines an indicator: Maillage's reference set, a call (its instructors) or a network (a cooperation's admins). */
export const porteurIndicateur = defineEnum({
  reference: 'Jeu de référence de Maillage',
  appel: 'Appel à projets',
  reseau: 'Réseau',
});
export type PorteurIndicateur = EnumCode<typeof porteurIndicateur>;

export interface IndicatorDefinition {
  code: string;
  libelle: string;
  type: TypeValeur;
  unite: string;
}

export const INDICATOR_CODE = /^[a-z][a-z0-9_]{1,59}$/;
const PERIOD = /^(\d{4})(?:-T([1-4]))?$/;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** A period as entered: « 2025 » (the year) or « 2025-T2 » (its second quarter). */
export interface Period {
  code: string;
  annee: number;
  trimestre: number | null;
}

/** Reads a period code, or refuses it in French naming `field`. */
export function parsePeriod(code: string, field = 'periode'): Period {
  const match = PERIOD.exec(code.trim());
  const annee = match ? Number(match[1]) : Number.NaN;
  if (!match || annee < MIN_YEAR || annee > MAX_YEAR)
    throw new RuleError(
      'periode_invalide',
      `Période « ${code} » inconnue : indiquez une année (« 2025 ») ou un trimestre (« 2025-T2 »), entre ${MIN_YEAR} et ${MAX_YEAR}.`,
      { field },
    );
  return { code: match[0], annee, trimestre: match[2] ? Number(match[2]) : null };
}

/** A period can be reported only once it has begun. */
export function checkPeriodStarted(period: Period, today: { annee: number; trimestre: number }, field = 'periode'): void {
  const started = period.annee < today.annee || (period.annee === today.annee && (period.trimestre ?? 1) <= today.trimestre);
  if (!started) throw new RuleError('periode_future', `La période ${period.code} n’a pas commencé : on ne déclare que des valeurs constatées.`, { field });
}

/**
 * Reads an entered value for its indicator: a number of the indicator's kind (« 12,5 » or « 12.5 », spaces
 * between thousands allowed), never negative; a refusal names `field` and says what is expected.
 */
export function parseValue(indicator: IndicatorDefinition, raw: string, field = 'valeur'): number {
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const refuse = (expected: string) =>
    new RuleError('valeur_invalide', `« ${indicator.libelle} » attend ${expected} : « ${raw.trim()} » ne convient pas.`, { field });
  if (text === '') throw new RuleError('valeur_manquante', `Indiquez la valeur de « ${indicator.libelle} ».`, { field });
  const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  switch (indicator.type) {
    case 'entier':
      if (!Number.isSafeInteger(value) || value < 0) throw refuse('un nombre entier positif ou nul');
      return value;
    case 'pourcentage':
      if (!Number.isFinite(value) || value < 0 || value > 100) throw refuse('un pourcentage entre 0 et 100');
      return roundTo(value, 2);
    default:
      if (!Number.isFinite(value) || value < 0 || value >= 1e12)
        throw refuse(indicator.type === 'euros' ? 'un montant en euros positif ou nul' : 'un nombre positif ou nul');
      if (!/^\d+(\.\d{1,2})?$/.test(text)) throw refuse('au plus deux décimales');
      return value;
  }
}

function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A validation decision on an entry; only an entry awaiting validation is decided, and a refusal says why. */
export function decideEntry(statut: StatutSaisie, decision: { valider: boolean; motif: string }): { statut: StatutSaisie; motif: string | null } {
  if (statut !== 'soumise')
    throw new RuleError(
      'saisie_deja_decidee',
      `Cette valeur est déjà ${statut === 'validee' ? 'validée' : 'refusée'} : une nouvelle saisie la remettra à valider.`,
    );
  if (decision.valider) return { statut: 'validee', motif: null };
  const motif = decision.motif.trim();
  if (!motif) throw new RuleError('motif_manquant', 'Indiquez le motif du refus : il est transmis à la coopération.', { field: 'motif' });
  if (motif.length > 1000) throw new RuleError('motif_trop_long', 'Le motif ne peut dépasser 1 000 caractères.', { field: 'motif' });
  return { statut: 'refusee', motif };
}

/** Checks a custom indicator's definition (a call's or a network's); its code must not be taken. */
export function checkDefinition(definition: IndicatorDefinition, taken: ReadonlySet<string>): void {
  if (!INDICATOR_CODE.test(definition.code))
    throw new RuleError('code_invalide', 'Le code s’écrit en minuscules sans accent, chiffres et « _ » (2 à 60 caractères), en commençant par une lettre.', {
      field: 'code',
    });
  if (taken.has(definition.code)) throw new RuleError('code_pris', `Le code « ${definition.code} » est déjà celui d’un autre indicateur.`, { field: 'code' });
  if (!definition.libelle.trim() || definition.libelle.length > 200)
    throw new RuleError('libelle_invalide', 'Le libellé est obligatoire (200 caractères au plus).', { field: 'libelle' });
  if (!definition.unite.trim() || definition.unite.length > 40)
    throw new RuleError('unite_invalide', 'L’unité est obligatoire (40 caractères au plus) : « personnes », « € », « ETP »…', { field: 'unite' });
}
