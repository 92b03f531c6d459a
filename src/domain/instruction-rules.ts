/**
 * Who may do what in the instruction of a call, as pure rules. Instructors hold the role 'instructor' on the
 * call (scope 'appel', code = the call's id), given from /admin; platform admins may do everything. Reviewers
 * (évaluateurs) are named by the instructors of the call. A reviewer who declared a conflict of interest on an
 * application never sees it: for them it does not exist. Drafts are the applicant's own: nobody instructs them.
 */
import { canManageCall, type Actor } from './authorization.ts';
import type { StatutCandidature } from './application.ts';

export type RoleInstruction = 'instructeur' | 'evaluateur';

/** The instructors of a call are those who manage it: one rule. */
export const isInstructorOf = canManageCall;

/** The person's part in a call's instruction, if any (instructor wins over reviewer). */
export function roleOnCall(actor: Actor | null, appelId: number, assignedReviewer: boolean): RoleInstruction | null {
  if (isInstructorOf(actor, appelId)) return 'instructeur';
  return actor && assignedReviewer ? 'evaluateur' : null;
}

/** The person's part on one application: none for a draft, nor for a reviewer who declared a conflict. */
export function roleOnApplication(
  actor: Actor | null,
  application: { appelId: number; statut: StatutCandidature },
  reviewer: { assigned: boolean; conflict: boolean },
): RoleInstruction | null {
  if (application.statut === 'brouillon') return null;
  const role = roleOnCall(actor, application.appelId, reviewer.assigned);
  if (role === 'evaluateur' && reviewer.conflict) return null;
  return role;
}

/** Instructors only: annotations, decisions, messages to the applicant, exports, comparison, funding, reviewers. */
export function canManage(role: RoleInstruction | null): boolean {
  return role === 'instructeur';
}

/** A reviewer declares their conflicts (an instructor with a conflict withdraws from the call through /admin). */
export function canDeclareConflict(role: RoleInstruction | null): boolean {
  return role === 'evaluateur';
}

/** Score sheets are written until the committee's final decision. */
export function scoringOpen(statut: StatutCandidature): boolean {
  return ['deposee', 'en_instruction', 'complement_demande', 'retenue', 'non_retenue'].includes(statut);
}

/** The states whose result the bulk notification tells the applicant (each state once). */
export const DECISIONS: readonly StatutCandidature[] = ['retenue', 'non_retenue', 'laureate', 'refusee', 'sans_suite'];

/** A funding agreement is followed for laureates only. */
export function fundingOpen(statut: StatutCandidature): boolean {
  return statut === 'laureate';
}
