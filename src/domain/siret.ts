/**
 * SIREN (9 digits) and SIRET (14 digits) checks. Both carry a Luhn checksum; La Poste's establishments
 * (SIREN 356 000 000) are numbered past what Luhn allows, so INSEE checks them by a sum of digits divisible by 5.
 */
const LA_POSTE_SIREN = '356000000';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Removes the spaces, dots and dashes people type in identifiers. */
export function normaliseIdentifier(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

export function isValidSiren(input: string): boolean {
  return /^\d{9}$/.test(input) && luhnValid(input);
}

export function isValidSiret(input: string): boolean {
  if (!/^\d{14}$/.test(input)) return false;
  if (input.startsWith(LA_POSTE_SIREN)) {
    const digitSum = [...input].reduce((sum, c) => sum + Number(c), 0);
    return digitSum % 5 === 0;
  }
  return luhnValid(input);
}

/** Why an identifier is refused, in French, or null when it is valid. */
export function siretError(input: string): string | null {
  if (!/^\d{14}$/.test(input)) return 'Le SIRET doit compter exactement 14 chiffres.';
  return isValidSiret(input) ? null : 'Ce SIRET est invalide : sa clé de contrôle ne correspond pas.';
}

export function sirenError(input: string): string | null {
  if (!/^\d{9}$/.test(input)) return 'Le SIREN doit compter exactement 9 chiffres.';
  return isValidSiren(input) ? null : 'Ce SIREN est invalide : sa clé de contrôle ne correspond pas.';
}
