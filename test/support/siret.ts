/** Valid SIRET numbers for tests, as many as needed. */
import { luhnValid } from '../../src/domain/siret.ts';

/** The valid SIRET (Luhn key) made from a number: 13 digits from `n`, then the one key digit that fits. */
export function siretFrom(n: number): string {
  const body = String(n).padStart(13, '0');
  return body + [...'0123456789'].find((d) => luhnValid(body + d))!;
}
