/**
 * Spelling correction of search words against the dictionary of the words of names (table search_word, kept
 * current by triggers: see migration 0012). The dictionary lives in memory as a trigram index: finding the
 * nearest of 60 000 words takes well under a millisecond here, where a trigram search in SQL took 15 to
 * 100 ms. Each process reads the words added since its last look (by increasing id), and reads everything
 * again every few minutes, which also catches ids committed out of order by concurrent writers.
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedRows } from '../../db/database.ts';
import { z } from 'zod';

/** pg_trgm's default similarity threshold: below it, a word is not taken as a misspelling of another. */
const SIMILARITY_THRESHOLD = 0.3;
const FULL_RELOAD_MS = 10 * 60_000;
/** Each misspelt word costs a scan of trigram lists: a long query corrects its first few. */
const MAX_CORRECTED_WORDS = 3;
/** Words shorter than this are not in the dictionary (articles, « de », « la »…) and never corrected. */
const MIN_WORD_LENGTH = 3;
/** From this length, a word one typing slip away from a known word is corrected even below the similarity threshold. */
const MIN_SLIP_LENGTH = 4;
/**
 * One slip changes at most this many of a word's trigrams (two swapped letters: the four trigrams that hold
 * either), so a known word sharing fewer is not one slip away and is not compared letter by letter.
 */
const TRIGRAMS_CHANGED_BY_ONE_SLIP = 4;

/** Lower case, without accents, as the database's immutable_unaccent(lower(…)) gives them. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** The trigrams of a word as pg_trgm pads it: two spaces before, one after. */
export function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

/**
 * Whether two different words are one typing slip apart (Damerau's edits): a letter replaced, left out or
 * added, or two neighbouring letters swapped (« phraes » for « phares », which share too few trigrams).
 */
export function oneSlipApart(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length < long.length) return short.slice(i) === long.slice(i + 1);
  const rest = short.slice(i + 1) === long.slice(i + 1);
  const swapped = short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  return rest || swapped;
}

export class SpellingIndex {
  private readonly words: string[] = [];
  private readonly sizes: number[] = [];
  private readonly known = new Set<string>();
  private readonly postings = new Map<string, number[]>();
  /** Scratch counts of nearest, by word id, left at zero between calls. */
  private shared = new Uint16Array(0);

  add(words: Iterable<string>): void {
    for (const word of words) {
      if (this.known.has(word)) continue;
      const id = this.words.length;
      const grams = trigrams(word);
      this.words.push(word);
      this.sizes.push(grams.size);
      this.known.add(word);
      for (const gram of grams) {
        const list = this.postings.get(gram);
        if (list) list.push(id);
        else this.postings.set(gram, [id]);
      }
    }
  }

  has(word: string): boolean {
    return this.known.has(word);
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * The known word nearest to `word`: of those one typing slip away, the most similar by trigrams (pg_trgm
   * similarity); when none is, the most similar at or above the threshold. Ties: alphabetical.
   */
  nearest(word: string): string | undefined {
    const grams = trigrams(word);
    // Shared trigrams counted in a typed array: a common trigram (« sp ») lists thousands of words.
    if (this.shared.length < this.words.length) this.shared = new Uint16Array(this.words.length * 2);
    const shared = this.shared;
    const candidates: number[] = [];
    for (const gram of grams) {
      for (const id of this.postings.get(gram) ?? []) {
        const count = shared[id]!;
        if (count === 0) candidates.push(id);
        shared[id] = count + 1;
      }
    }
    const best = { word: undefined as string | undefined, similarity: SIMILARITY_THRESHOLD };
    const slip = { word: undefined as string | undefined, similarity: 0 };
    const slipsCounted = word.length >= MIN_SLIP_LENGTH;
    for (const id of candidates) {
      const count = shared[id]!;
      shared[id] = 0;
      const similarity = count / (grams.size + this.sizes[id]! - count);
      const candidate = this.words[id]!;
      keepIfBetter(best, candidate, similarity);
      if (slipsCounted && count + TRIGRAMS_CHANGED_BY_ONE_SLIP >= grams.size && oneSlipApart(word, candidate)) keepIfBetter(slip, candidate, similarity);
    }
    return slip.word ?? best.word;
  }

  /** The query with its first misspelt words replaced by their nearest known word; undefined when nothing changes. */
  correct(q: string): string | undefined {
    let corrections = 0;
    const words = normalizeWords(q).map((word) => {
      if (word.length < MIN_WORD_LENGTH || this.has(word) || corrections >= MAX_CORRECTED_WORDS) return word;
      const nearest = this.nearest(word);
      if (nearest === undefined) return word;
      corrections++;
      return nearest;
    });
    return corrections > 0 ? words.join(' ') : undefined;
  }
}

/** Keeps `candidate` in `kept` when it is more similar, or as similar and first in alphabetical order. */
function keepIfBetter(kept: { word: string | undefined; similarity: number }, candidate: string, similarity: number): void {
  if (similarity > kept.similarity || (similarity === kept.similarity && (kept.word === undefined || candidate < kept.word))) {
    kept.word = candidate;
    kept.similarity = similarity;
  }
}

interface Dictionary {
  index: SpellingIndex;
  lastId: number;
  loadedAt: number;
}
/** One dictionary per database (tests run several databases in one process). */
const dictionaries = new WeakMap<Db, Dictionary>();

const addedRow = z.object({ id: z.number(), word: z.string() });

/** The dictionary of this database, with the words added since it was last read. */
export async function spellingIndex(db: Db, now = Date.now()): Promise<SpellingIndex> {
  let dictionary = dictionaries.get(db);
  if (!dictionary || now - dictionary.loadedAt > FULL_RELOAD_MS) {
    dictionary = { index: new SpellingIndex(), lastId: 0, loadedAt: now };
    dictionaries.set(db, dictionary);
  }
  const added = await checkedRows(
    db,
    addedRow,
    sql`select id::float8 as id, word from search_word
    where id > ${dictionary.lastId} order by id`,
  );
  if (added.length > 0) {
    dictionary.index.add(added.map((row) => row.word));
    dictionary.lastId = Math.max(dictionary.lastId, added[added.length - 1]!.id);
  }
  return dictionary.index;
}
