/**
 * What the contribution pages show of duplicates, in one call each: a proposed new organisation or cooperation
 * is never blocked by a likely duplicate, but its moderator sees the records it resembles, and its author is
 * warned on the confirmation page. Edits and schemes show nothing.
 */
import type { Db } from '../../../db/database.ts';
import type { SafeHtml } from '../../../web/html.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { isDuplicateKind, proposalDuplicates, type ProposalLike } from './queries.ts';
import { authorDuplicatesWarning, proposalDuplicatesSection } from './views.ts';

const communeNameIn = (territories: TerritoryIndex) => (code: string | null) => (code ? (territories.name('commune', code) ?? code) : 'commune inconnue');

/** For the moderator's decision page of a waiting proposal. */
export async function decisionDuplicates(db: Db, c: ProposalLike & { status: string }, territories: TerritoryIndex): Promise<SafeHtml | ''> {
  if (c.status !== 'en_attente' || c.action !== 'creation' || !isDuplicateKind(c.kind)) return '';
  return proposalDuplicatesSection(c.kind, await proposalDuplicates(db, c), communeNameIn(territories));
}

/** For the author's confirmation page, once the proposal is sent. */
export async function authorDuplicates(db: Db, c: ProposalLike & { status: string }, territories: TerritoryIndex): Promise<SafeHtml | ''> {
  if (c.status !== 'en_attente' || !isDuplicateKind(c.kind)) return '';
  return authorDuplicatesWarning(c.kind, await proposalDuplicates(db, c), communeNameIn(territories));
}
