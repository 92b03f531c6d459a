/** What the instruction pages write alike: dates in Paris time, and scores as French text. */
import { formatParis } from '../../../domain/call.ts';

export const paris = (iso: string | null) => (iso ? formatParis(new Date(iso)) : '—');
export const score = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(n);
