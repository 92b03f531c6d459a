/**
 * NAF rév. 2 (INSEE nomenclature of activities): code → French label.
 * Source: INSEE, published as @socialgouv/codes-naf (Apache-2.0).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const entries = require('@socialgouv/codes-naf/index.json') as { id: string; label: string }[];

/** Labels of the sub-classes ("88.99B") and of every upper level ("88.99", "88.9", "88"). */
const labels = new Map(entries.map((entry) => [entry.id, entry.label]));

export function nafLabel(code: string | null | undefined): string | null {
  return code ? (labels.get(code) ?? null) : null;
}

export function isKnownNaf(code: string): boolean {
  return /^\d{2}\.\d{2}[A-Z]$/.test(code) && labels.has(code);
}
