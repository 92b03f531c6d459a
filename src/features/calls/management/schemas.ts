/**
 * The forms of call management, read from what an HTML form posts (strings; a list for ticked boxes). Each
 * section has its own reader returning the clean values, or throwing InvalidForm with the error of each field
 * (French), so that a bad input writes nothing and the page shows every error linked to its field. Repeated
 * rows (organisers, phases) are named `<list>.<row>.<field>`; a row left blank is not a row.
 */
import { z } from 'zod';
import { eligibiliteSchema, parisInstant, statutAppel, type Eligibilite, type StatutAppel } from '../../../domain/call.ts';
import { finalite, modele, modeleEconomique, stade } from '../../../domain/cooperation.ts';
import { niveauCouverture } from '../../../domain/dispositif.ts';
import { validateForm, type FormDefinition } from '../../../domain/form.ts';
import { formeJuridique } from '../../../domain/organisation.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { normaliseIdentifier, siretError } from '../../../domain/siret.ts';
import type { FormBody } from '../../../web/form-body.ts';
import { fieldErrors, InvalidForm, readForm, type FieldError } from '../../../web/forms.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';

/** Every value of a field (ticked boxes come as a list, one box as a string). */
export function formValues(body: FormBody, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter(Boolean);
}

export const formText = (body: FormBody, name: string): string => formValues(body, name)[0] ?? '';

const requiredText = (message: string, max: number) => z.string().trim().min(1, message).max(max, `${max} caractères au plus.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${max} caractères au plus.`)
    .transform((v) => v || null);
const optionalInteger = (label: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (!text) return null;
      if (!/^\d{1,6}$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${label} : un nombre entier positif ou nul (ex. 15).` });
        return z.NEVER;
      }
      return Number(text);
    });

// ——— Creating a call ———

export const newCallSchema = z.object({
  titre: requiredText('Indiquez le titre de l’appel.', 300),
  description: optionalText(10_000),
  organisateur: requiredText('Indiquez l’organisateur de l’appel.', 300),
});
export type NewCall = z.output<typeof newCallSchema>;

export const readNewCall = (body: FormBody) =>
  readForm(newCallSchema, { titre: formText(body, 'titre'), description: formText(body, 'description'), organisateur: formText(body, 'organisateur') });

// ——— Informations ———

/** An amount read exactly as the applicants' « montant » fields read it (« 100 000 », « 100 000,50 »). */
const BUDGET_FORM: FormDefinition = { sections: [{ titre: 'Budget', champs: [{ cle: 'budget', type: 'montant', libelle: 'Budget', max: 999_999_999_999 }] }] };
const amount = z.string().transform((text, ctx) => {
  const checked = validateForm(BUDGET_FORM, 'brouillon', { budget: text });
  if (!checked.ok) {
    ctx.addIssue({ code: 'custom', message: `Budget : ${checked.errors[0]!.message}.` });
    return z.NEVER;
  }
  return (checked.data.budget as number | undefined) ?? null;
});

const COVERAGE_WORD = { region: 'région', departement: 'département', epci: 'intercommunalité', commune: 'commune' } as const;

const informationFields = z.object({
  titre: requiredText('Indiquez le titre de l’appel.', 300),
  description: optionalText(10_000),
  cle: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,80}$/, 'La clé compte de 1 à 80 minuscules sans accents, chiffres ou tirets (ex. ami-ptce-2027).'),
  dispositif_id: z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (!text) return null;
      if (!/^[1-9]\d{0,15}$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'Choisissez un dispositif de la liste.' });
        return z.NEVER;
      }
      return Number(text);
    }),
  laureats_min: optionalInteger('Lauréats, au moins'),
  laureats_max: optionalInteger('Lauréats, au plus'),
  budget: amount,
  budget_texte: optionalText(2000),
  couverture_niveau: z
    .union([z.literal(''), niveauCouverture.schema], { error: 'Choisissez un niveau de couverture de la liste.' })
    .transform((v) => v || null),
  couverture_codes: z.string().transform((text) => [...new Set(text.split(/[\s,;]+/).filter(Boolean))]),
});
export type Informations = z.output<typeof informationFields>;

/** The checks across fields, on what the fields read (run even when another field is wrong, so every error shows at once). */
function informationProblems(raw: Record<string, string>, territories: TerritoryIndex): FieldError[] {
  const problems: FieldError[] = [];
  const [min, max] = [raw.laureats_min, raw.laureats_max].map((v) => (v && /^\d{1,6}$/.test(v) ? Number(v) : null));
  if (min != null && max != null && max < min) {
    problems.push({ field: 'laureats_max', message: 'Le nombre maximal de lauréats ne peut être inférieur au nombre minimal.' });
  }
  const level = niveauCouverture.schema.safeParse(raw.couverture_niveau).data;
  const codes = [...new Set((raw.couverture_codes ?? '').split(/[\s,;]+/).filter(Boolean))];
  const codesIssue = (message: string) => problems.push({ field: 'couverture_codes', message });
  if (!level || level === 'national') {
    if (codes.length)
      codesIssue(level ? 'Une couverture nationale ne prend pas de codes de territoire.' : 'Choisissez le niveau des codes de territoire indiqués.');
  } else if (!codes.length) codesIssue(`Indiquez le code COG de chaque ${COVERAGE_WORD[level]} couverte ou couvert.`);
  else if (codes.length > 200) codesIssue('200 territoires au plus.');
  else {
    const unknown = codes.filter((code) => !territories.has(level, code));
    if (unknown.length)
      codesIssue(
        `Code${unknown.length > 1 ? 's' : ''} inconnu${unknown.length > 1 ? 's' : ''} du Code officiel géographique pour le niveau ${COVERAGE_WORD[level]} : ${unknown.join(', ')}.`,
      );
  }
  return problems;
}

const INFORMATION_FIELDS = [
  'titre',
  'description',
  'cle',
  'dispositif_id',
  'laureats_min',
  'laureats_max',
  'budget',
  'budget_texte',
  'couverture_niveau',
  'couverture_codes',
] as const;

export function readInformations(body: FormBody, territories: TerritoryIndex): Informations {
  const raw = Object.fromEntries(INFORMATION_FIELDS.map((name) => [name, formText(body, name)]));
  const fields = informationFields.safeParse(raw);
  const problems = informationProblems(raw, territories);
  if (fields.success && !problems.length) return fields.data;
  const errors = [...(fields.success ? [] : fieldErrors(fields.error)), ...problems];
  throw new InvalidForm(errors.filter((e, i) => errors.findIndex((o) => o.field === e.field) === i));
}

// ——— Rows: organisers, phases ———

/** How many blank rows a form offers to add (without JavaScript, the form needs them up front). */
export const SPARE_ROWS = 2;

/** The row indexes a form posted for a list (`organisateurs.3.nom` → 3), in order. */
function rowIndexes(body: FormBody, list: string): number[] {
  const found = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = new RegExp(`^${list}\\.(\\d{1,3})\\.`).exec(key);
    if (match) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Reads each kept row with its reader; the errors of every row at once, named `<list>.<row>.<field>`. */
function readRows<T>(body: FormBody, list: string, fields: readonly string[], read: (row: Record<string, string>) => T): T[] {
  const values: T[] = [];
  const errors: FieldError[] = [];
  for (const index of rowIndexes(body, list)) {
    const row = Object.fromEntries(fields.map((f) => [f, formText(body, `${list}.${index}.${f}`)]));
    if (row.retirer === 'oui' || fields.every((f) => f === 'id' || f === 'depot' || !row[f])) continue;
    try {
      values.push(read(row));
    } catch (error) {
      if (!(error instanceof InvalidForm)) throw error;
      errors.push(...error.errors.map((e) => ({ field: `${list}.${index}.${e.field}`, message: e.message })));
    }
  }
  if (errors.length) throw new InvalidForm(errors);
  return values;
}

const organiserSchema = z.object({
  nom: requiredText('Indiquez le nom de l’organisateur.', 300),
  siret: z
    .string()
    .transform(normaliseIdentifier)
    .transform((siret, ctx) => {
      if (!siret) return null;
      const problem = siretError(siret);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return siret;
    }),
});
export type Organiser = z.output<typeof organiserSchema>;

export function readOrganisers(body: FormBody): Organiser[] {
  const organisers = readRows(body, 'organisateurs', ['nom', 'siret', 'retirer'], (row) => readForm(organiserSchema, row));
  if (!organisers.length) throw new InvalidForm([{ field: 'organisateurs.0.nom', message: 'Un appel compte au moins un organisateur.' }]);
  return organisers;
}

export interface PhaseInput {
  id?: number;
  vague: string | null;
  label: string;
  description: string | null;
  ouverture: Date;
  cloture: Date;
  depot: boolean;
  resultats_date: string | null;
  resultats_texte: string | null;
}

const PHASE_FIELDS = [
  'id',
  'vague',
  'label',
  'description',
  'ouverture_date',
  'ouverture_heure',
  'cloture_date',
  'cloture_heure',
  'depot',
  'resultats_date',
  'resultats_texte',
  'retirer',
] as const;

function readPhase(row: Record<string, string>): PhaseInput {
  const errors: FieldError[] = [];
  const text = (name: string, max: number) => {
    const value = row[name] ?? '';
    if (value.length > max) errors.push({ field: name, message: `${max} caractères au plus.` });
    return value || null;
  };
  const label = text('label', 300);
  if (!label) errors.push({ field: 'label', message: 'Indiquez le nom de la phase (ex. « Phase 1 : identification »).' });
  const instant = (edge: 'ouverture' | 'cloture') => {
    const date = row[`${edge}_date`] ?? '';
    const time = row[`${edge}_heure`] ?? '';
    if (!date) {
      errors.push({ field: `${edge}_date`, message: `Indiquez la date ${edge === 'ouverture' ? 'd’ouverture' : 'de clôture'} (AAAA-MM-JJ).` });
      return undefined;
    }
    const found = parisInstant(date, time, edge);
    if (!found)
      errors.push({
        field: time && parisInstant(date, '', edge) ? `${edge}_heure` : `${edge}_date`,
        message: time && parisInstant(date, '', edge) ? 'Indiquez une heure HH:MM (ex. 12:00), ou rien.' : 'Indiquez une date réelle au format AAAA-MM-JJ.',
      });
    return found;
  };
  const ouverture = instant('ouverture');
  const cloture = instant('cloture');
  if (ouverture && cloture && cloture.getTime() <= ouverture.getTime()) {
    errors.push({ field: 'cloture_date', message: 'La clôture doit venir après l’ouverture.' });
  }
  const resultats = row.resultats_date ?? '';
  if (resultats && !parisInstant(resultats, '', 'ouverture'))
    errors.push({ field: 'resultats_date', message: 'Indiquez une date réelle au format AAAA-MM-JJ.' });
  const vague = text('vague', 200);
  const description = text('description', 4000);
  const resultatsTexte = text('resultats_texte', 2000);
  if (errors.length) throw new InvalidForm(errors);
  return {
    id: row.id && /^\d{1,16}$/.test(row.id) ? Number(row.id) : undefined,
    vague,
    label: label!,
    description,
    ouverture: ouverture!,
    cloture: cloture!,
    depot: row.depot !== 'non',
    resultats_date: resultats || null,
    resultats_texte: resultatsTexte,
  };
}

export const readPhases = (body: FormBody): PhaseInput[] => readRows(body, 'phases', PHASE_FIELDS, readPhase);

// ——— Eligibility ———

/** The ticked boxes of each restriction, checked by the call's own eligibility schema. */
export const ELIGIBILITY_LISTS = {
  stades: stade,
  modeles: modele,
  finalites: finalite,
  modeles_economiques: modeleEconomique,
  formes_juridiques: formeJuridique,
} as const;

export function readEligibility(body: FormBody): Eligibilite {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(ELIGIBILITY_LISTS)) {
    const ticked = [...new Set(formValues(body, name))];
    if (ticked.length) input[name] = ticked;
  }
  if (formText(body, 'esus_requis') === 'oui') input.esus_requis = true;
  const result = eligibiliteSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidForm(
    fieldErrors(result.error, (path) => String(path[0] ?? 'stades')).map((e) => ({ ...e, message: 'Choisissez parmi les cases proposées.' })),
  );
}

// ——— State ———

export function readStatut(body: FormBody): { statut: StatutAppel } {
  const statut = statutAppel.schema.safeParse(formText(body, 'statut'));
  // Not a field of the form (each target state has its form): said above the page.
  if (!statut.success) throw new RuleError('etat_inconnu', 'Choisissez un état proposé.', { kind: 'invalid' });
  if (formText(body, 'confirmation') !== 'oui') {
    throw new InvalidForm([{ field: 'confirmation', message: 'Cochez la case de confirmation pour changer l’état de l’appel.' }]);
  }
  return { statut: statut.data };
}
