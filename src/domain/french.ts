/** Alphabetical order the French way (accents after their letter, case ignored), with one shared collator:
 * `localeCompare(…, 'fr')` would build a new one at every comparison. */
export const compareFrench = new Intl.Collator('fr', { sensitivity: 'base' }).compare;
