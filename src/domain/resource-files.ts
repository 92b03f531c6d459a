/**
 * Rules of the files of a knowledge-base resource: how many one holds, and when the files a contributor joins
 * to a proposal may still change (only while it waits: afterwards they are the resource's, or gone with it).
 */
import type { ContributionStatus } from './contribution.ts';
import { RuleError } from './rule-error.ts';

/** At most this many files on one resource. */
export const MAX_FILES_PER_RESOURCE = 20;

/** Refuses a resource that would hold `total` files, past the cap (beside the upload field when `field` names it). */
export function ensureRoomForFiles(total: number, field?: string): void {
  if (total > MAX_FILES_PER_RESOURCE)
    throw new RuleError(
      'trop_de_fichiers',
      `Une ressource compte ${MAX_FILES_PER_RESOURCE} fichiers au plus (elle en aurait ${total}) : retirez-en d’abord.`,
      field === undefined ? {} : { field },
    );
}

/** Refuses to add or remove a file of a proposal already decided. */
export function ensureProposalFilesMayChange(status: ContributionStatus): void {
  if (status !== 'en_attente')
    throw new RuleError(
      'proposition_decidee',
      'Cette proposition est déjà décidée : ses fichiers ne changent plus. Proposez une modification de la ressource pour en joindre d’autres.',
    );
}
