/** A posted HTML form (urlencoded), as the pages of every feature read it. */
import { z } from 'zod';

/** Each field a string, or several strings when a name is repeated (checkboxes); an empty post is {}. */
export const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});

export type FormBody = Record<string, string | string[] | undefined>;

/** The first value of a posted field, '' when absent: a field that should be single counts once. */
export function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** One input of a posted body whose shape was not checked: its first value, undefined when absent. */
export function formValue(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as FormBody)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The first value of each named input, for a form that reads only those. */
export function formValues(body: unknown, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, formValue(body, name)]));
}
