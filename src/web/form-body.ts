/** A posted HTML form (urlencoded), as the pages of every feature read it. */
import { z } from 'zod';

/** Each field a string, or several strings when a name is repeated (checkboxes); an empty post is {}. */
export const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});

export type FormBody = Record<string, string | string[] | undefined>;

/** The first value of a posted field, '' when absent: a field that should be single counts once. */
export function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
