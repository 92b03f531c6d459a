/**
 * Needs rules: from a cooperation's profile to its needs in accompaniment and financing, after the two
 * matrices of document 001 (« Synthèse des besoins … en phase d'émergence » and « … en phase de création-
 * consolidation-changement d'échelle »). Rules are data (src/data/catalogue/regles-besoins.ts, versioned in
 * the database); this module only evaluates them, without I/O.
 */
import type { EnumCode } from './enum.ts';
import { isModelisee, type finalite, type modele, type modeleEconomique, type stade } from './cooperation.ts';
import type { typeAccompagnement, typeFinancement } from './dispositif.ts';
import { RuleError } from './rule-error.ts';

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

/** What an administrator may revise of a rule: its wording and which scheme kinds answer it (Maillage's reading). */
export interface RuleRevision {
  libelle: string;
  couvert_par: NeedRule['couvert_par'];
}

export const MAX_RULE_LABEL = 300;

/**
 * The next version of a rule set: each rule with its revision (a rule without one stays as it is). Conditions,
 * matrices and rows stay those of document 001. Refuses an empty wording, a need no kind answers (it could never
 * be covered), and a revision that changes nothing, each beside the input at fault.
 */
export function reviseRules(rules: readonly NeedRule[], revisions: Readonly<Record<string, RuleRevision>>): NeedRule[] {
  const unknown = Object.keys(revisions).filter((code) => !rules.some((rule) => rule.code === code));
  if (unknown.length) throw new RuleError('regle_inconnue', `Règle inconnue : ${unknown.join(', ')}.`, { kind: 'invalid' });
  const revised = rules.map((rule): NeedRule => {
    const revision = revisions[rule.code];
    if (!revision) return rule;
    const libelle = revision.libelle.trim();
    if (!libelle) throw new RuleError('libelle_requis', 'Indiquez le libellé du besoin.', { field: `${rule.code}.libelle` });
    if (libelle.length > MAX_RULE_LABEL) {
      throw new RuleError('libelle_trop_long', `Le libellé ne peut dépasser ${MAX_RULE_LABEL} caractères.`, { field: `${rule.code}.libelle` });
    }
    const { accompagnement, financement } = revision.couvert_par;
    if (accompagnement.length + financement.length === 0) {
      throw new RuleError('besoin_sans_dispositif', `Cochez au moins une sorte de dispositif qui répond au besoin « ${libelle} ».`, {
        field: `${rule.code}.accompagnement`,
      });
    }
    return { ...rule, libelle, couvert_par: { accompagnement: [...new Set(accompagnement)], financement: [...new Set(financement)] } };
  });
  if (changedRules(rules, revised).length === 0) {
    throw new RuleError('regles_inchangees', 'Aucune règle n’a changé : modifiez un libellé ou une sorte de dispositif avant d’enregistrer.', {
      kind: 'invalid',
    });
  }
  return revised;
}

/** The codes of the rules whose wording or answering kinds differ between two versions (kinds compared as sets). */
export function changedRules(before: readonly NeedRule[], after: readonly NeedRule[]): string[] {
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  return after
    .filter((rule) => {
      const old = before.find((r) => r.code === rule.code);
      return (
        !old ||
        old.libelle !== rule.libelle ||
        !sameSet(old.couvert_par.accompagnement, rule.couvert_par.accompagnement) ||
        !sameSet(old.couvert_par.financement, rule.couvert_par.financement)
      );
    })
    .map((rule) => rule.code);
}
