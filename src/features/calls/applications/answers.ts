/** The answers of an application in the order of its form version, as labelled lines (receipt page and PDF, instruction). */
import type { FieldDefinition, FormDefinition } from '../../../domain/form.ts';
import type { TerritoryIndex, TerritoryLevel } from '../../../platform/territory-index.ts';

export type AnswerLine = { kind: 'section'; text: string } | { kind: 'answer'; label: string; value: string };

const amount = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

const LEVEL_WORDS: Partial<Record<TerritoryLevel, string>> = { commune: 'commune', departement: 'département', region: 'région' };

/**
 * A territory answer (a COG code) as a person reads it: « Romans-sur-Isère (commune 26281) ». Two digits may
 * name a département and a région alike (« 84 »): both are given. A code the index does not know stays as sent.
 */
export function territoryText(code: string, territories: TerritoryIndex): string {
  const levels: TerritoryLevel[] = code.length === 5 ? ['commune'] : ['departement', 'region'];
  const named = levels.flatMap((level) => {
    const name = territories.name(level, code);
    return name ? [`${name} (${LEVEL_WORDS[level]} ${code})`] : [];
  });
  return named.join(' ou ') || code;
}

/** An answer as a sentence reads it; `territories` names the territory answers. */
export function displayValue(field: FieldDefinition, value: unknown, territories: TerritoryIndex): string {
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
    case 'territoire':
      return territoryText(String(value), territories);
    default:
      return String(value);
  }
}

export function answerLines(definition: FormDefinition, data: Record<string, unknown>, territories: TerritoryIndex): AnswerLine[] {
  const lines: AnswerLine[] = [];
  for (const section of definition.sections) {
    const answered = section.champs.filter((f) => data[f.cle] !== undefined);
    if (!answered.length) continue;
    lines.push({ kind: 'section', text: section.titre });
    for (const field of answered) {
      if (field.type === 'groupe') {
        (data[field.cle] as Record<string, unknown>[]).forEach((row, i) => {
          const parts = (field.champs ?? []).filter((f) => row[f.cle] !== undefined).map((f) => `${f.libelle} : ${displayValue(f, row[f.cle], territories)}`);
          lines.push({ kind: 'answer', label: `${field.libelle} ${i + 1}`, value: parts.join(' ; ') });
        });
      } else {
        lines.push({ kind: 'answer', label: field.libelle, value: displayValue(field, data[field.cle], territories) });
      }
    }
  }
  return lines;
}
