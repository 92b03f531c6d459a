/**
 * The life of a contribution (a proposed organisation, cooperation or scheme, or an edit of one): it waits in
 * the moderation queue of its régions, then a moderator accepts it as it is, accepts it amended, or refuses
 * it with a reason. A decision is final: one transition guard says which moves are allowed, each refusal
 * being a named error with a French message (the pattern of MTES-MCT/potentiel).
 */
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

export const contributionStatus = defineEnum({
  en_attente: 'En attente de modération',
  acceptee: 'Acceptée',
  modifiee_acceptee: 'Acceptée avec modifications',
  refusee: 'Refusée',
});
export type ContributionStatus = EnumCode<typeof contributionStatus>;

/** What a contribution is about: the three kinds of public objects. */
export const contributionKind = defineEnum({
  organisation: 'Structure',
  cooperation: 'Coopération',
  dispositif: 'Dispositif',
});
export type ContributionKind = EnumCode<typeof contributionKind>;

export const contributionAction = defineEnum({
  creation: 'Création',
  modification: 'Modification',
});
export type ContributionAction = EnumCode<typeof contributionAction>;

/** What a moderator decides. */
export type Decision = { type: 'accepter' } | { type: 'modifier' } | { type: 'refuser'; motif: string };

/** Base of the guard's refusals: a French message that may be shown as it is. */
export class ContributionError extends RuleError {}

export class ContributionDejaTraitee extends ContributionError {
  constructor(readonly status: ContributionStatus) {
    super(
      'contribution_deja_traitee',
      `Cette contribution a déjà été traitée (${contributionStatus.label(status).toLowerCase()}) : sa décision ne peut plus changer.`,
    );
  }
}

/** The refusal form's input: both reason errors are shown beside it. */
const REASON_FIELD = 'motif';

export class MotifDeRefusManquant extends ContributionError {
  constructor() {
    super('motif_de_refus_manquant', 'Indiquez le motif du refus : il est transmis à l’auteur ou l’autrice de la contribution.', { field: REASON_FIELD });
  }
}

export const REFUSAL_REASON_MAX = 2000;

export class MotifDeRefusTropLong extends ContributionError {
  constructor() {
    super('motif_de_refus_trop_long', `Le motif du refus ne peut dépasser ${REFUSAL_REASON_MAX} caractères.`, { field: REASON_FIELD });
  }
}

/**
 * The status a decision leads to from the current one, or the named error that forbids it. Only a waiting
 * contribution may be decided; a refusal needs a reason (trimmed, not empty, bounded).
 */
export function decide(current: ContributionStatus, decision: Decision): ContributionStatus {
  if (current !== 'en_attente') throw new ContributionDejaTraitee(current);
  switch (decision.type) {
    case 'accepter':
      return 'acceptee';
    case 'modifier':
      return 'modifiee_acceptee';
    case 'refuser': {
      const motif = decision.motif.trim();
      if (!motif) throw new MotifDeRefusManquant();
      if ([...motif].length > REFUSAL_REASON_MAX) throw new MotifDeRefusTropLong();
      return 'refusee';
    }
  }
}
