/**
 * The Répertoire national des associations (RNA) as its « waldec » open-data files give it: the association's
 * id, whether it is dissolved, its seat's address. Source: ministère de l'Intérieur, data.gouv.fr.
 */

/** W, then the greffe that registered the association (« 751 », « 2A1 », « 9T1 »), then six digits. */
const RNA_ID = /^W[0-9][0-9A-Z][0-9]{7}$/;

export function isValidRna(id: string): boolean {
  return RNA_ID.test(id);
}

/** Why an RNA id is refused, in French, or null when it is valid. */
export function rnaProblem(id: string): string | null {
  if (!id) return 'identifiant RNA absent';
  return isValidRna(id) ? null : `identifiant RNA invalide : W suivi de 9 caractères attendu (${id})`;
}

/** The date waldec writes when an association is not dissolved. */
const NO_DATE = '0001-01-01';

/**
 * An association is dissolved when its position says so (D: dissoute, S: supprimée; A: active) or when a
 * dissolution date is given, whichever the file fills in.
 */
export function isDissolved(position: string, dissolvedOn: string): boolean {
  return position !== 'A' || (dissolvedOn !== '' && dissolvedOn !== NO_DATE);
}

/** Waldec fills empty address parts with « _ » and glues it to some (« _Tsoundzou 2 », « B.P. 1328_ »). */
export function waldecText(value: string | undefined): string {
  return (value ?? '').replace(/^[\s_]+|[\s_]+$/g, '');
}

export interface WaldecAddress {
  complement: string;
  number: string;
  repetition: string;
  streetType: string;
  street: string;
  distribution: string;
  postcode: string;
  town: string;
}

/** « 12 B RUE des Lilas, BP 12, 35000 Rennes »; null when nothing is given. */
export function waldecAddress(parts: WaldecAddress): string | null {
  const clean = Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, waldecText(value)])) as unknown as WaldecAddress;
  const street = [clean.number + (clean.repetition ? ` ${clean.repetition}` : ''), clean.streetType, clean.street].filter(Boolean).join(' ');
  const town = [clean.postcode, clean.town].filter(Boolean).join(' ');
  return [clean.complement, street, clean.distribution, town].filter(Boolean).join(', ') || null;
}

/** A web address as waldec gives it (often without its scheme): an http(s) URL, or null when it is not one. */
export function waldecWebsite(value: string): string | null {
  const text = waldecText(value);
  if (/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(text)) return text;
  return /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(\/\S*)?$/i.test(text) ? `https://${text}` : null;
}
