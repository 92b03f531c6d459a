/** The stable addresses of the embeds and the iframe code partners paste into their site. */
import type { AtlasKind } from '../entities.ts';
import type { AtlasFilters } from '../schemas.ts';
import { filterQuery } from '../urls.ts';
import type { EmbedView } from './schemas.ts';

const DEFAULT_PER_PAGE = 20;

export interface EmbedSettings {
  view: EmbedView;
  kind: AtlasKind;
  filters: Partial<AtlasFilters>;
  titre?: string;
  /** Results per page, when not the Atlas's default. */
  perPage?: number;
}

/** /integration/liste?type=…&<filters>&titre=…: the same parameters as the Atlas, so a search URL carries over. */
export function embedPath({ view, kind, filters, titre, perPage }: EmbedSettings, page?: number): string {
  const query = filterQuery(filters, { titre, par_page: perPage === DEFAULT_PER_PAGE ? undefined : perPage, page: page && page > 1 ? page : undefined });
  return `/integration/${view}?type=${kind}${query ? `&${query}` : ''}`;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
const attribute = (text: string) => text.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c]!);

/** The HTML a partner copies: an iframe with a title (for screen readers), its size, lazily loaded. */
export function iframeCode(src: string, title: string, size: { width?: number; height: number }): string {
  const width = size.width === undefined ? '100%' : String(size.width);
  return (
    `<iframe src="${attribute(src)}" title="${attribute(title)}" width="${width}" height="${size.height}" ` +
    'style="border:0;max-width:100%" loading="lazy"></iframe>'
  );
}
