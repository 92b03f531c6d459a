import type { TerritoryIndex } from './territory-index.ts';
import type { TerritoryMatch } from './views.ts';

/** Lower case without accents, the way people type place names. */
export function normaliseName(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Territories whose name contains the query (accents, case and hyphens ignored) or, for a number, whose
 * postal code or COG code starts with it. Names that start with the query come first, larger places first.
 */
export function findTerritories(index: TerritoryIndex, query: string, limit = 20): TerritoryMatch[] {
  const q = normaliseName(query);
  if (q.length < 2) return [];
  const scored: (TerritoryMatch & { rank: number; weight: number })[] = [];
  const consider = (match: TerritoryMatch, name: string, codes: string[], weight: number) => {
    const n = normaliseName(name);
    const rank = n === q ? 0 : n.startsWith(q) ? 1 : codes.some((c) => c.startsWith(q)) ? 1 : n.includes(q) ? 2 : -1;
    if (rank >= 0) scored.push({ ...match, rank, weight });
  };
  for (const r of index.regions.values()) consider({ type: 'region', code: r.code, nom: r.name, detail: '' }, r.name, [], 1e9);
  for (const d of index.departements.values()) consider({ type: 'departement', code: d.code, nom: d.name, detail: `(${d.code})` }, d.name, [d.code], 1e8);
  for (const e of index.epcis.values()) consider({ type: 'epci', code: e.code, nom: e.name, detail: '' }, e.name, [], e.population ?? 0);
  for (const c of index.communes.values()) {
    const departement = index.departements.get(c.departementCode)?.name ?? c.departementCode;
    consider({ type: 'commune', code: c.code, nom: c.name, detail: `(${departement}, ${c.postalCodes.join(', ') || c.code})` },
      c.name, [c.code, ...c.postalCodes], c.population ?? 0);
  }
  scored.sort((a, b) => a.rank - b.rank || b.weight - a.weight);
  return scored.slice(0, limit).map(({ rank: _rank, weight: _weight, ...match }) => match);
}
