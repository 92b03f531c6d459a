/** The answers of an application in the order of its form version, as labelled lines (receipt page and PDF). */
import type { FieldDefinition, FormDefinition } from '../../../domain/form.ts';

export type AnswerLine = { kind: 'section'; text: string } | { kind: 'answer'; label: string; value: string };

const amount = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

export function displayValue(field: FieldDefinition, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  switch (field.type) {
    case 'oui_non':
      return value ? 'Oui' : 'Non';
    case 'montant':
      return amount.format(Number(value));
    case 'choix_unique':
      return field.options?.find((o) => o.valeur === value)?.libelle ?? String(value);
    case 'choix_multiple':
      return (value as string[]).map((v) => field.options?.find((o) => o.valeur === v)?.libelle ?? v).join(' ; ') || '—';
    case 'date':
      return new Date(`${String(value)}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
    case 'fichier':
      return (value as { nom: string }).nom;
    default:
      return String(value);
  }
}

export function answerLines(definition: FormDefinition, data: Record<string, unknown>): AnswerLine[] {
  const lines: AnswerLine[] = [];
  for (const section of definition.sections) {
    const answered = section.champs.filter((f) => data[f.cle] !== undefined);
    if (!answered.length) continue;
    lines.push({ kind: 'section', text: section.titre });
    for (const field of answered) {
      if (field.type === 'groupe') {
        (data[field.cle] as Record<string, unknown>[]).forEach((row, i) => {
          const parts = (field.champs ?? []).filter((f) => row[f.cle] !== undefined).map((f) => `${f.libelle} : ${displayValue(f, row[f.cle])}`);
          lines.push({ kind: 'answer', label: `${field.libelle} ${i + 1}`, value: parts.join(' ; ') });
        });
      } else {
        lines.push({ kind: 'answer', label: field.libelle, value: displayValue(field, data[field.cle]) });
      }
    }
  }
  return lines;
}
