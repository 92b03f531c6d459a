import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { TerritoryMatch } from './views.ts';

/** Lower case without accents, the way people type place names. */
export function normaliseName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Candidate {
  normalised: string;
  codes: string[];
  weight: number;
  match: () => TerritoryMatch;
}

/** Every territory with its name normalised once per index, not at each search. */
const candidatesByIndex = new WeakMap<TerritoryIndex, Candidate[]>();

function candidates(index: TerritoryIndex): Candidate[] {
  const cached = candidatesByIndex.get(index);
  if (cached) return cached;
  const list: Candidate[] = [
    ...[...index.regions.values()].map((r) => ({
      normalised: normaliseName(r.name),
      codes: [],
      weight: 1e9,
      match: () => ({ type: 'region' as const, code: r.code, nom: r.name, detail: '' }),
    })),
    ...[...index.departements.values()].map((d) => ({
      normalised: normaliseName(d.name),
      codes: [d.code],
      weight: 1e8,
      match: () => ({ type: 'departement' as const, code: d.code, nom: d.name, detail: `(${d.code})` }),
    })),
    ...[...index.epcis.values()].map((e) => ({
      normalised: normaliseName(e.name),
      codes: [],
      weight: e.population ?? 0,
      match: () => ({ type: 'epci' as const, code: e.code, nom: e.name, detail: '' }),
    })),
    ...[...index.communes.values()].map((c) => ({
      normalised: normaliseName(c.name),
      codes: [c.code, ...c.postalCodes],
      weight: c.population ?? 0,
      match: () => ({
        type: 'commune' as const,
        code: c.code,
        nom: c.name,
        detail: `(${index.departements.get(c.departementCode)?.name ?? c.departementCode}, ${c.postalCodes.join(', ') || c.code})`,
      }),
    })),
  ];
  candidatesByIndex.set(index, list);
  return list;
}

/**
 * Territories whose name contains the query (accents, case and hyphens ignored) or, for a number, whose
 * postal code or COG code starts with it. Names that start with the query come first, larger places first.
 */
export function findTerritories(index: TerritoryIndex, query: string, limit = 20): TerritoryMatch[] {
  const q = normaliseName(query);
  if (q.length < 2) return [];
  const scored: { candidate: Candidate; rank: number }[] = [];
  for (const candidate of candidates(index)) {
    const n = candidate.normalised;
    const rank = n === q ? 0 : n.startsWith(q) || candidate.codes.some((c) => c.startsWith(q)) ? 1 : n.includes(q) ? 2 : -1;
    if (rank >= 0) scored.push({ candidate, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || b.candidate.weight - a.candidate.weight);
  return scored.slice(0, limit).map(({ candidate }) => candidate.match());
}
