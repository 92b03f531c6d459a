import { z } from 'zod';

/** A closed list of codes with their French labels: one definition gives the Zod schema, the type and the labels. */
export function defineEnum<const L extends Record<string, string>>(labels: L) {
  const codes = Object.keys(labels) as [keyof L & string, ...(keyof L & string)[]];
  return {
    labels,
    codes,
    schema: z.enum(codes),
    label: (code: string): string => (labels as Record<string, string>)[code] ?? code,
  };
}

export type EnumCode<E extends { codes: readonly string[] }> = E['codes'][number];
