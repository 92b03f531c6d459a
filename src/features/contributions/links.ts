/** The links an object's page offers to contribute to it (kept apart so that the Atlas and catalogue views import little). */
import type { ContributionKind } from '../../domain/contribution.ts';
import { html, type SafeHtml } from '../../web/html.ts';

const PATHS: Record<ContributionKind, string> = { organisation: 'organisations', cooperation: 'cooperations', dispositif: 'dispositifs' };

/** The links an object's page offers: propose an edit, report an error, history (and claim, for an organisation). */
export function objectActions(kind: ContributionKind, id: number): SafeHtml {
  const base = `/${PATHS[kind]}/${id}`;
  return html`<nav class="object-actions" aria-label="Contribuer à cette fiche"><ul>
  <li><a href="${base}/modifier">Proposer une modification</a></li>
  <li><a href="${base}/signaler">Signaler une erreur</a></li>
  <li><a href="${base}/historique">Historique</a></li>
  ${kind === 'organisation' ? html`<li><a href="${base}/revendiquer">Revendiquer cette structure</a></li>` : ''}
</ul></nav>`;
}
