/**
 * Lists of ESS enterprises by SIREN (ESS France and the Observatoire national de l'ESS publish the « liste des
 * entreprises de l'ESS » of the law of 31 July 2014, art. 6): which column holds the SIREN, and the SIREN itself.
 */
import { statutEssFromSirene, type statutEss } from './organisation.ts';
import { isValidSiren, normaliseIdentifier } from './siret.ts';

/**
 * Header spellings of the SIREN column, compared without case, accents, spaces nor punctuation: « SIREN » (the
 * published file), « siren », « Numéro SIREN », « N° SIREN », « numero_siren », « code_siren », « siren_ul ».
 */
const SIREN_HEADERS = new Set(['siren', 'numerosiren', 'nsiren', 'nosiren', 'codesiren', 'sirenul', 'sirenentreprise']);

const headerKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Position of the SIREN column in a header, or -1. */
export function sirenColumn(header: readonly string[]): number {
  return header.findIndex((name) => SIREN_HEADERS.has(headerKey(name)));
}

/**
 * The SIREN of a cell: spaces and dots removed, leading zeros that spreadsheets drop put back (« 5480090 » is
 * 005480090). Returns the reason when it is not a valid SIREN.
 */
export function sirenFromCell(cell: string): { siren: string } | { problem: string } {
  const digits = normaliseIdentifier(cell.trim());
  if (!digits) return { problem: 'SIREN absent' };
  const siren = /^\d{7,8}$/.test(digits) ? digits.padStart(9, '0') : digits;
  if (!/^\d{9}$/.test(siren)) return { problem: `SIREN invalide : 9 chiffres attendus (${cell.trim()})` };
  return isValidSiren(siren) ? { siren } : { problem: `SIREN invalide (clé de contrôle) : ${siren}` };
}

/**
 * The ESS status of an organisation the list names: a status within the ESS stays (the list does not say more);
 * otherwise the legal form tells ESS de droit from a commercial company, as for SIRENE's flag; without a legal
 * form, « hors ESS » is no longer true but the kind is unknown.
 */
export function statutEssFromList(current: string | null, legalForm: string | null): keyof typeof statutEss.labels | null {
  if (current && current !== 'hors_ess') return current as keyof typeof statutEss.labels;
  return legalForm ? statutEssFromSirene('O', legalForm) : null;
}
