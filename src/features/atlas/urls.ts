import type { AtlasKind } from './entities.ts';
import { FILTER_KEYS, type AtlasFilters } from './schemas.ts';

/** The query string of a search: the whole state of a search page lives in its URL, so it can be shared. */
export function filterQuery(filters: Partial<AtlasFilters>, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

export function searchPageUrl(kind: AtlasKind, filters: Partial<AtlasFilters>, page?: number): string {
  const query = filterQuery(filters, { page: page && page > 1 ? page : undefined });
  return `/recherche?type=${kind}${query ? `&${query}` : ''}`;
}

export function exportUrl(kind: AtlasKind, filters: Partial<AtlasFilters>, format: 'csv' | 'json' | 'geojson', extra: Record<string, string> = {}): string {
  const query = filterQuery(filters, extra);
  return `/api/v1/${kind}.${format}${query ? `?${query}` : ''}`;
}
