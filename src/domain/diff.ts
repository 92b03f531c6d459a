/**
 * What changed between two versions of a record: the fields whose values differ, with both values. Empty
 * values (absent, null, blank text, empty list) are alike, so that a form that sends "" for an untouched
 * field shows no change; lists and objects compare by content.
 */

export interface FieldChange {
  field: string;
  /** null when the field was empty. */
  before: unknown;
  after: unknown;
}

export type RecordValues = Readonly<Record<string, unknown>>;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** A comparable form of a value: objects with their keys sorted, so that key order does not count. */
function canonical(value: unknown): string {
  if (isEmpty(value)) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => !isEmpty(v))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The changed fields, in the order of `fields` when given (the form's order), else in the order they first
 * appear in `after`, then in `before`.
 */
export function diffRecords(before: RecordValues | null, after: RecordValues | null, fields?: readonly string[]): FieldChange[] {
  const old = before ?? {};
  const next = after ?? {};
  const order = fields ?? [...new Set([...Object.keys(next), ...Object.keys(old)])];
  const changes: FieldChange[] = [];
  for (const field of order) {
    if (canonical(old[field]) === canonical(next[field])) continue;
    changes.push({ field, before: isEmpty(old[field]) ? null : old[field], after: isEmpty(next[field]) ? null : next[field] });
  }
  return changes;
}

/**
 * Three-way merge of an edit: the fields `proposal` changed from `base` (the record as its author saw it),
 * applied onto `current` (the record now). An edit accepted after another one keeps the other's changes
 * instead of writing back the values its author saw.
 */
export function rebaseEdit<T extends RecordValues>(current: T, base: RecordValues, proposal: RecordValues): T {
  const merged: Record<string, unknown> = { ...current };
  for (const change of diffRecords(base, proposal)) merged[change.field] = proposal[change.field] ?? null;
  return merged as T;
}
