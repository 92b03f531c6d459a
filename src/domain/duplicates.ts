/**
 * Likely duplicates and the plan of their merge, as pure rules. Two records are likely the
 * same when they carry the same SIRET, or when their names are close in the same commune. « Close » is
 * pg_trgm's similarity on the names lowered and without accents, so that the database (which indexes
 * name_search with trigrams) and this module agree on which pairs are listed.
 */

/** Similarity from which two names in the same commune are flagged (« Ressourcerie de Romans » / « La ressourcerie de Romans »: 0.88). */
export const DUPLICATE_SIMILARITY = 0.6;

/** The words of a name as the database's immutable_unaccent(lower(name)) then pg_trgm split it. */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** The trigrams of a name as pg_trgm counts them: each word padded with two spaces before and one after, as a set. */
export function nameTrigrams(name: string): Set<string> {
  const grams = new Set<string>();
  for (const word of nameWords(name)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** pg_trgm's similarity(a, b): shared trigrams over all the trigrams of both (0 when neither has any). */
export function nameSimilarity(a: string, b: string): number {
  return jaccard(nameTrigrams(a), nameTrigrams(b));
}

function jaccard(left: Set<string>, right: Set<string>): number {
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  const all = left.size + right.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** What a record shows of itself to the rule. */
export interface DuplicateProbe {
  siret?: string | null;
  name: string;
  commune: string | null;
}

export type DuplicateReason = { type: 'siret' } | { type: 'nom'; similarity: number };

/** Why two records are likely duplicates, or null when they are not. */
export function duplicateReason(a: DuplicateProbe, b: DuplicateProbe): DuplicateReason | null {
  if (a.siret && a.siret === b.siret) return { type: 'siret' };
  if (!a.commune || a.commune !== b.commune) return null;
  const similarity = nameSimilarity(a.name, b.name);
  return similarity >= DUPLICATE_SIMILARITY ? { type: 'nom', similarity } : null;
}

export interface NamedRecord {
  id: number;
  name: string;
  commune: string | null;
}
export interface LikelyPair {
  a: number;
  b: number;
  similarity: number;
}

/**
 * Every pair of records with close names in the same commune (a before b by id), by the AllPairs method: each
 * name's trigrams ordered rarest first, a pair whose similarity reaches the threshold must share one of the
 * first |t| − ⌈threshold·|t|⌉ + 1 of them, so only those are indexed and looked up, and only names of a close
 * size are compared. Comparing every pair of a commune would cost its square: thousands of records in one
 * arrondissement took a minute inside the database.
 */
export function likelyPairs(records: readonly NamedRecord[], threshold = DUPLICATE_SIMILARITY): LikelyPair[] {
  const communes = new Map<string, NamedRecord[]>();
  for (const record of records) {
    if (!record.commune) continue;
    const group = communes.get(record.commune);
    if (group) group.push(record);
    else communes.set(record.commune, [record]);
  }
  const pairs: LikelyPair[] = [];
  for (const group of communes.values()) if (group.length > 1) pairs.push(...pairsInCommune(group, threshold));
  return pairs;
}

function pairsInCommune(group: readonly NamedRecord[], threshold: number): LikelyPair[] {
  const named = group.map((record) => ({ id: record.id, grams: [...nameTrigrams(record.name)] })).filter((e) => e.grams.length > 0);
  const frequency = new Map<string, number>();
  for (const entry of named) for (const gram of entry.grams) frequency.set(gram, (frequency.get(gram) ?? 0) + 1);
  // Each trigram as its rank, rarest first: a name's sorted ranks are its prefix order and allow a merge count.
  const rank = new Map([...frequency.keys()].sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : 1)).map((gram, i) => [gram, i]));
  const entries = named.map((e) => ({ id: e.id, ranks: Int32Array.from(e.grams, (gram) => rank.get(gram)!).sort() }));
  // By increasing size: a name only meets the smaller ones indexed before it.
  entries.sort((a, b) => a.ranks.length - b.ranks.length || a.id - b.id);
  const index = new Map<number, number[]>();
  const pairs: LikelyPair[] = [];
  entries.forEach((entry, position) => {
    const size = entry.ranks.length;
    // A little tolerance on the product keeps the prefix long enough whatever the rounding.
    const prefix = entry.ranks.subarray(0, size - Math.ceil(threshold * size - 1e-9) + 1);
    const candidates = new Set<number>();
    for (const gram of prefix) {
      for (const other of index.get(gram) ?? []) if (entries[other]!.ranks.length >= threshold * size - 1e-9) candidates.add(other);
    }
    for (const other of candidates) {
      const similarity = sortedJaccard(entry.ranks, entries[other]!.ranks);
      if (similarity >= threshold) {
        const [a, b] = pairKey(entry.id, entries[other]!.id);
        pairs.push({ a, b, similarity });
      }
    }
    for (const gram of prefix) {
      const list = index.get(gram);
      if (list) list.push(position);
      else index.set(gram, [position]);
    }
  });
  return pairs;
}

/** The similarity of two sets given as sorted arrays. */
function sortedJaccard(left: Int32Array, right: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < left.length && j < right.length; ) {
    if (left[i] === right[j]) {
      shared++;
      i++;
      j++;
    } else if (left[i]! < right[j]!) i++;
    else j++;
  }
  return shared / (left.length + right.length - shared);
}

/** The reason as a moderator reads it. */
export function reasonLabel(reason: DuplicateReason): string {
  if (reason.type === 'siret') return 'même SIRET';
  return `noms proches dans la même commune (similarité ${Math.round(reason.similarity * 100)} %)`;
}

/** A pair is stored and dismissed once, whatever the order it is seen in. */
export function pairKey(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

export type RecordValues = Readonly<Record<string, unknown>>;

/** Which record's value the kept record takes, for one field. */
export type FieldSource = 'conservee' | 'autre';

export interface PlannedField {
  field: string;
  kept: unknown;
  other: unknown;
  /** The default: the kept record's value, unless it is empty and the other's is not. */
  source: FieldSource;
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** The merge plan, field by field in the order given: both values and the default source of each. */
export function mergePlan(fields: readonly string[], kept: RecordValues, other: RecordValues): PlannedField[] {
  return fields.map((field) => ({
    field,
    kept: kept[field] ?? null,
    other: other[field] ?? null,
    source: isEmpty(kept[field]) && !isEmpty(other[field]) ? 'autre' : 'conservee',
  }));
}

/** The kept record's values once merged: the plan's defaults, overridden by the moderator's choices. */
export function applyMergePlan(plan: readonly PlannedField[], choices: Readonly<Record<string, FieldSource>> = {}): Record<string, unknown> {
  return Object.fromEntries(plan.map((p) => [p.field, (choices[p.field] ?? p.source) === 'autre' ? p.other : p.kept]));
}

/** The record kept by default: the one that has a SIRET when only one has, else the older (smaller id). */
export function defaultKept(a: { id: number; siret?: string | null }, b: { id: number; siret?: string | null }): number {
  if (!!a.siret !== !!b.siret) return a.siret ? a.id : b.id;
  return Math.min(a.id, b.id);
}
