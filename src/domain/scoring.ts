/**
 * The evaluation grid of a call: criteria with a weight and a scale (min–max). A score sheet gives one whole
 * note per criterion, inside its scale. Totals are weighted and brought to 100, so that criteria on different
 * scales (0–5 beside 0–20) weigh by their weight only: total = Σ poids × (note − min) / (max − min) / Σ poids × 100.
 * Applications are compared on the average of their sheets, criterion by criterion, then totalled.
 */

export interface Critere {
  id: number;
  libelle: string;
  poids: number;
  min: number;
  max: number;
}

/** Notes of one sheet, by criterion id. */
export type Notes = Readonly<Record<number, number>>;

export interface NoteError {
  critere: number;
  message: string;
}

/** Checks a sheet: every criterion noted, with a whole number inside its scale; errors in French. */
export function checkNotes(grille: readonly Critere[], notes: Readonly<Record<number, number | undefined>>): NoteError[] {
  const errors: NoteError[] = [];
  for (const c of grille) {
    const note = notes[c.id];
    if (note === undefined) {
      errors.push({ critere: c.id, message: `Notez « ${c.libelle} » (de ${c.min} à ${c.max}).` });
    } else if (!Number.isInteger(note) || note < c.min || note > c.max) {
      errors.push({ critere: c.id, message: `La note de « ${c.libelle} » doit être un nombre entier de ${c.min} à ${c.max}.` });
    }
  }
  return errors;
}

/** The weighted total over 100 of notes (a criterion without note counts for nothing and weighs nothing). */
export function weightedTotal(grille: readonly Critere[], notes: Readonly<Record<number, number | undefined>>): number | null {
  let weights = 0;
  let sum = 0;
  for (const c of grille) {
    const note = notes[c.id];
    if (note === undefined) continue;
    weights += c.poids;
    sum += c.poids * (c.max === c.min ? 1 : (note - c.min) / (c.max - c.min));
  }
  return weights > 0 ? round2((sum / weights) * 100) : null;
}

/** The average note of each criterion over several sheets (criteria nobody noted are left out). */
export function averageNotes(grille: readonly Critere[], sheets: readonly Notes[]): Record<number, number> {
  const averages: Record<number, number> = {};
  for (const c of grille) {
    const given = sheets.map((s) => s[c.id]).filter((n): n is number => n !== undefined);
    if (given.length) averages[c.id] = round2(given.reduce((a, b) => a + b, 0) / given.length);
  }
  return averages;
}

export interface Ranked<T> {
  item: T;
  total: number | null;
  rang: number | null;
}

/**
 * Ranks by total, best first; equal totals share a rank (1, 1, 3); items without any note come last, unranked.
 * Ties keep the given order (e.g. by submission).
 */
export function rank<T>(items: readonly T[], totalOf: (item: T) => number | null): Ranked<T>[] {
  const scored = items.map((item, i) => ({ item, total: totalOf(item), i }));
  scored.sort((a, b) => (a.total === null ? 1 : 0) - (b.total === null ? 1 : 0) || (b.total ?? 0) - (a.total ?? 0) || a.i - b.i);
  return scored.map((s) => ({
    item: s.item,
    total: s.total,
    rang: s.total === null ? null : scored.findIndex((o) => o.total === s.total) + 1,
  }));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
