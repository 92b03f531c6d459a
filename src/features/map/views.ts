import { html, type SafeHtml } from '../../web/html.ts';
import type { AtlasKind } from '../atlas/entities.ts';

/** The map of a search: MapLibre draws server-side clusters from /api/v1/carte/clusters (see map.ts client). */
export function mapPanel(kind: AtlasKind, query: string): SafeHtml {
  return html`<div class="map" id="carte" data-kind="${kind}" data-query="${query}" role="region"
  aria-label="Carte des résultats (la liste des résultats en est l’alternative accessible)"></div>`;
}
