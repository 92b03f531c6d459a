/**
 * Needs rules: from a cooperation's profile to its needs in accompaniment and financing, after the two
 * matrices of document 001 (« Synthèse des besoins … en phase d'émergence » and « … en phase de création-
 * consolidation-changement d'échelle »). Rules are data (src/data/catalogue/regles-besoins.ts, versioned in
 * the database); this module only evaluates them, without I/O.
 */
import type { EnumCode } from './enum.ts';
import { isModelisee, type finalite, type modele, type modeleEconomique, type stade } from './cooperation.ts';
import type { typeAccompagnement, typeFinancement } from './dispositif.ts';

export type Stade = EnumCode<typeof stade>;
export type Modele = EnumCode<typeof modele>;
export type Finalite = EnumCode<typeof finalite>;
export type ModeleEconomique = EnumCode<typeof modeleEconomique>;
export type TypeAccompagnement = EnumCode<typeof typeAccompagnement>;
export type TypeFinancement = EnumCode<typeof typeFinancement>;

/** What orientation knows of a cooperation. */
export interface CooperationProfile {
  modele: Modele;
  finalite: Finalite;
  modele_economique: ModeleEconomique;
  stade: Stade;
  nouveaux_chantiers: boolean;
}

/** When a rule applies; an absent field matches any profile. */
export interface NeedCondition {
  stades: Stade[];
  modelisee?: boolean;
  finalite?: Finalite;
  modele_economique?: ModeleEconomique;
  nouveaux_chantiers?: boolean;
}

export interface NeedRule {
  code: string;
  type: 'accompagnement' | 'financement';
  /** The wording of the matrix cell. */
  libelle: string;
  /** The matrix and row the rule comes from, as shown to people (« pourquoi ce besoin »). */
  matrice: 'emergence' | 'creation_consolidation_changement_echelle';
  ligne: string;
  condition: NeedCondition;
  /** The scheme kinds that answer the need. */
  couvert_par: { accompagnement: TypeAccompagnement[]; financement: TypeFinancement[] };
}

export const MATRIX_TITLES: Record<NeedRule['matrice'], string> = {
  emergence: 'Synthèse des besoins des coopérations territoriales en phase d’émergence',
  creation_consolidation_changement_echelle: 'Synthèse des besoins des coopérations territoriales en phase de création-consolidation-changement d’échelle',
};

export function ruleApplies(condition: NeedCondition, profile: CooperationProfile): boolean {
  return (
    condition.stades.includes(profile.stade) &&
    (condition.modelisee === undefined || condition.modelisee === isModelisee(profile.modele)) &&
    (condition.finalite === undefined || condition.finalite === profile.finalite) &&
    (condition.modele_economique === undefined || condition.modele_economique === profile.modele_economique) &&
    (condition.nouveaux_chantiers === undefined || condition.nouveaux_chantiers === profile.nouveaux_chantiers)
  );
}

/** The rule that produced a need, in plain French: « Matrice … — ligne « … » ». */
export function ruleReference(rule: NeedRule): string {
  return `${MATRIX_TITLES[rule.matrice]} (Labo de l’ESS) — ligne « ${rule.ligne} »`;
}

export function deriveNeeds(profile: CooperationProfile, rules: readonly NeedRule[]): NeedRule[] {
  return rules.filter((rule) => ruleApplies(rule.condition, profile));
}
