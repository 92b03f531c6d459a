/**
 * Names of the inputs of a call's form and the structure they stand for: `titre`, `membres.0.nom`… An HTML
 * form posts flat names; `nestFields` turns them into the nested data the validator checks. No dependency:
 * the autosave client script uses it too.
 */

export type FlatFields = Record<string, string | string[] | undefined>;

const SEGMENT = /^[a-z][a-z0-9_]{0,59}$|^\d{1,3}$/;

/** { 'membres.0.nom': 'A' } → { membres: [{ nom: 'A' }] }. Names that do not fit the pattern are ignored. */
export function nestFields(fields: FlatFields, ignore: readonly string[] = []): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || ignore.includes(name)) continue;
    const path = name.split('.');
    if (!path.every((segment) => SEGMENT.test(segment)) || /^\d/.test(path[0]!)) continue;
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const container = /^\d/.test(path[i + 1]!) ? [] : {};
      const current = (node as Record<string, unknown>)[key];
      if (current === undefined || typeof current !== 'object') (node as Record<string, unknown>)[key] = container;
      node = (node as Record<string, unknown>)[key] as Record<string, unknown>;
    }
    (node as Record<string, unknown>)[path.at(-1)!] = value;
  }
  return compactArrays(root) as Record<string, unknown>;
}

/** Sparse arrays (rows left out of a form) become dense, in index order. */
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compactArrays);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]));
  }
  return value;
}
