/** Valid SIRET numbers for tests, as many as needed. */
import { luhnValid } from '../../src/domain/siret.ts';

/** The valid SIRET (Luhn key) that begins with these 13 digits. */
export function validSiret(first13: string): string {
  const key = [...'0123456789'].find((d) => luhnValid(first13 + d));
  if (key === undefined) throw new Error(`Aucune clé de Luhn pour ${first13}`);
  return first13 + key;
}

/** The valid SIRET made from a number: its 13 first digits are `n`, padded with zeros. */
export function siretFrom(n: number): string {
  return validSiret(String(n).padStart(13, '0'));
}
