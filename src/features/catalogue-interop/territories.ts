/** Territory names for the exchange, from the COG in memory. */
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { TerritoryNames } from './mapping.ts';

const normalise = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s'’-]+/g, ' ')
    .trim();

const cache = new WeakMap<TerritoryIndex, TerritoryNames>();

export function territoryNames(index: TerritoryIndex): TerritoryNames {
  let names = cache.get(index);
  if (names) return names;
  // Région names come second so that a département bearing a région's name (none today) would not hide it.
  const byName = new Map<string, { level: 'region' | 'departement'; code: string }>();
  for (const d of index.departements.values()) byName.set(normalise(d.name), { level: 'departement', code: d.code });
  for (const r of index.regions.values()) byName.set(normalise(r.name), { level: 'region', code: r.code });
  names = {
    name: (level, code) => index.name(level, code),
    find: (name) => byName.get(normalise(name)),
    has: (level, code) => index.has(level, code),
  };
  cache.set(index, names);
  return names;
}
