/**
 * The life of an application (candidature) to a call, as one transition guard: every change of state goes
 * through `transition()`, which says yes or throws a named error. The states:
 * brouillon → déposée → en instruction → (complément demandé ↔ déposée) → retenue / non retenue →
 * lauréate / refusée / sans suite.
 *
 * Reading of the last step (the issue lists it without arrows): instruction gives an opinion (retenue, non
 * retenue), then the committee decides (lauréate, refusée, sans suite) whatever the opinion was, since a
 * committee may depart from it with a motivation.
 */
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

export const statutCandidature = defineEnum({
  brouillon: 'Brouillon',
  deposee: 'Déposée',
  en_instruction: 'En instruction',
  complement_demande: 'Complément demandé',
  retenue: 'Retenue',
  non_retenue: 'Non retenue',
  laureate: 'Lauréate',
  refusee: 'Refusée',
  sans_suite: 'Sans suite',
});
export type StatutCandidature = EnumCode<typeof statutCandidature>;

/** Who moves an application: the applicant, or the call's instruction (instructors, committee). */
export type ActeurCandidature = 'candidat' | 'instruction';

interface Rule {
  by: ActeurCandidature;
  motifRequis: boolean;
}

const decision: Rule = { by: 'instruction', motifRequis: true };

/** Allowed moves: from → to → who may, and whether they must say why. */
const TRANSITIONS: Partial<Record<StatutCandidature, Partial<Record<StatutCandidature, Rule>>>> = {
  brouillon: { deposee: { by: 'candidat', motifRequis: false } },
  deposee: { en_instruction: { by: 'instruction', motifRequis: false } },
  en_instruction: {
    complement_demande: decision, // the applicant must know what to add
    retenue: { by: 'instruction', motifRequis: false },
    non_retenue: decision,
  },
  complement_demande: { deposee: { by: 'candidat', motifRequis: false } },
  retenue: { laureate: { by: 'instruction', motifRequis: false }, refusee: decision, sans_suite: decision },
  non_retenue: { laureate: decision, refusee: decision, sans_suite: decision },
};

/** States in which the applicant may still edit the data (a draft, or completing on request). */
export const EDITABLE: readonly StatutCandidature[] = ['brouillon', 'complement_demande'];

export class CandidatureRuleError extends RuleError {}

export class TransitionInterdite extends CandidatureRuleError {
  constructor(
    readonly from: StatutCandidature,
    readonly to: StatutCandidature,
  ) {
    super(
      'transition_interdite',
      `Une candidature « ${statutCandidature.label(from).toLowerCase()} » ne peut pas passer à « ${statutCandidature.label(to).toLowerCase()} ».`,
    );
  }
}

export class ActeurNonAutorise extends CandidatureRuleError {
  constructor(to: StatutCandidature, by: ActeurCandidature) {
    super(
      'acteur_non_autorise',
      by === 'candidat'
        ? `Seule l’instruction de l’appel peut passer une candidature à « ${statutCandidature.label(to).toLowerCase()} ».`
        : `Seule la personne qui candidate peut passer sa candidature à « ${statutCandidature.label(to).toLowerCase()} ».`,
    );
  }
}

export class MotifRequis extends CandidatureRuleError {
  constructor(to: StatutCandidature) {
    super('motif_requis', `Indiquez le motif du passage à « ${statutCandidature.label(to).toLowerCase()} ».`, { field: 'motif' });
  }
}

export interface Transition {
  from: StatutCandidature;
  to: StatutCandidature;
  by: ActeurCandidature;
  motif: string | null;
}

/** Checks one move; returns it (motif trimmed, empty → null) or throws one of the named errors above. */
export function transition(from: StatutCandidature, to: StatutCandidature, by: ActeurCandidature, motif?: string | null): Transition {
  const rule = TRANSITIONS[from]?.[to];
  if (!rule) throw new TransitionInterdite(from, to);
  if (rule.by !== by) throw new ActeurNonAutorise(to, by);
  const reason = motif?.trim() || null;
  if (rule.motifRequis && !reason) throw new MotifRequis(to);
  return { from, to, by, motif: reason };
}

/** The states reachable from `from` (for the screens of instruction, later). */
export function nextStates(from: StatutCandidature): StatutCandidature[] {
  return Object.keys(TRANSITIONS[from] ?? {}) as StatutCandidature[];
}
