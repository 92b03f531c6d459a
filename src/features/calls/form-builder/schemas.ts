/**
 * What the form builder's pages post, read with Zod into the typed inputs of domain/form-editing.ts. Forms
 * post strings (form-urlencoded): blanks are absent values, numbers may be written the French way (« 1,5 »).
 * Every message is French and names what to fix; the first issue of each input is shown beside it.
 */
import { z } from 'zod';
import { FIELD_KINDS } from '../../../domain/form.ts';
import type { FieldInput } from '../../../domain/form-editing.ts';
import { typeFichier } from '../../../domain/files.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import type { FormBody } from '../../../web/form-body.ts';
import { fieldErrors, InvalidForm, readForm } from '../../../web/forms.ts';

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalText = (max: number, label: string) => z.preprocess(blank, z.string().trim().max(max, `${label} : ${max} caractères au plus.`).optional());

const optionalNumber = (message: string, check: (n: number) => boolean = Number.isFinite) =>
  z.preprocess((value) => {
    const text = blank(value);
    if (typeof text !== 'string') return text;
    const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
    return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : text;
  }, z.number({ error: message }).refine(check, message).optional());

const kind = z.enum(FIELD_KINDS, { error: 'Choisissez un type de champ dans la liste.' });

const stampSchema = z.object({ version: z.coerce.number().int().min(0), revision: z.string().regex(/^[0-9a-f]{16}$/) });

/** The version and revision an edit form carries (see service.ts); a form without them is refused whole. */
export function readStamp(body: unknown): z.infer<typeof stampSchema> {
  const stamp = stampSchema.safeParse(body);
  if (!stamp.success) throw new RuleError('formulaire_incomplet', 'Formulaire incomplet : rechargez la page.', { kind: 'invalid' });
  return stamp.data;
}

const sectionSchema = z.object({
  titre: z
    .string({ error: 'Indiquez le titre de la section.' })
    .trim()
    .min(1, 'Indiquez le titre de la section.')
    .max(300, 'Le titre compte au plus 300 caractères.'),
  description: optionalText(4000, 'Description'),
  condition_champ: optionalText(60, 'Condition'),
  condition_valeurs: optionalText(2000, 'Valeurs de la condition'),
});

const fieldSchema = z.object({
  libelle: z
    .string({ error: 'Indiquez le libellé de la question.' })
    .trim()
    .min(1, 'Indiquez le libellé de la question.')
    .max(500, 'Le libellé compte au plus 500 caractères.'),
  cle: optionalText(60, 'Clé'),
  aide: optionalText(2000, 'Aide'),
  obligatoire: z
    .unknown()
    .optional()
    .transform((v) => v === 'oui'),
  source: optionalText(500, 'Source'),
  options: optionalText(20_000, 'Options'),
  min: optionalNumber('Indiquez un nombre pour le minimum (ex. 0 ou 1,5).'),
  max: optionalNumber('Indiquez un nombre pour le maximum (ex. 100 ou 1,5).'),
  types: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(typeFichier.schema, { error: 'Choisissez les formats dans la liste.' })),
  taille_max_mo: optionalNumber('Indiquez une taille en Mo, supérieure à 0 (ex. 5 ou 2,5).', (n) => Number.isFinite(n) && n > 0),
  lignes_min: optionalNumber('Indiquez un nombre entier de lignes, 0 ou plus.', (n) => Number.isInteger(n) && n >= 0 && n <= 200),
  lignes_max: optionalNumber('Indiquez un nombre entier de lignes, de 1 à 200.', (n) => Number.isInteger(n) && n >= 1 && n <= 200),
  condition_champ: optionalText(60, 'Condition'),
  condition_valeurs: optionalText(2000, 'Valeurs de la condition'),
  premier_libelle: optionalText(500, 'Premier champ du groupe'),
  premier_type: z.preprocess(blank, kind.optional()),
});

/** Where a new field goes, and which one an edit is about. */
export const fieldPlaceSchema = z.object({
  section: z.preprocess(blank, z.coerce.number().int().min(0).max(500).optional()),
  groupe: optionalText(60, 'Groupe'),
  cle_actuelle: optionalText(60, 'Champ'),
  type: z.preprocess(blank, kind.optional()),
});

export const fieldPageQuery = z.object({
  section: z.preprocess(blank, z.coerce.number({ error: 'la section est un nombre entier' }).int().min(0).max(500).optional()),
  groupe: z.string().max(60).optional(),
  cle: z.string().max(60).optional(),
  type: z.preprocess(blank, kind.optional()),
});

export const sectionPageQuery = z.object({
  position: z.preprocess(blank, z.coerce.number({ error: 'la position est un nombre entier' }).int().min(0).max(500).optional()),
});

/** The element a move or a removal is about: « section:2 », « champ:cle » or « champ:groupe/cle ». */
export const targetSchema = z.object({
  cible: z
    .string({ error: 'Élément inconnu : rechargez la page.' })
    .regex(/^(section:\d{1,3}|champ:[a-z][a-z0-9_]{0,59}(\/[a-z][a-z0-9_]{0,59})?)$/, 'Élément inconnu : rechargez la page.'),
});

export const importSchema = z.object({
  definition: z
    .string({ error: 'Collez la définition du formulaire (JSON).' })
    .trim()
    .min(1, 'Collez la définition du formulaire (JSON).')
    .max(500_000, 'La définition dépasse 500 000 caractères.'),
});

export type Target = { kind: 'section'; index: number } | { kind: 'champ'; cle: string; groupe?: string };

export function targetOf(cible: string): Target {
  if (cible.startsWith('section:')) return { kind: 'section', index: Number(cible.slice(8)) };
  const [first, second] = cible.slice(6).split('/');
  return second === undefined ? { kind: 'champ', cle: first! } : { kind: 'champ', cle: second, groupe: first };
}

/** The input of an issue (an input-less one is shown beside the label). */
const inputOf = (path: readonly PropertyKey[]) => String(path[0] ?? 'libelle');

/** The typed value, or InvalidForm with the first problem of each input. */
export const read = <T extends z.ZodType>(schema: T, body: unknown) => readForm(schema, body, inputOf);

export const readSection = (body: FormBody) => read(sectionSchema, body);

/** A field's page post: where the field goes and what it is, with the errors of both at once. */
export function readFieldPost(body: FormBody) {
  const place = fieldPlaceSchema.safeParse(body);
  const input = fieldSchema.safeParse(body);
  if (place.success && input.success) return { place: place.data, input: input.data };
  throw new InvalidForm([...(place.success ? [] : fieldErrors(place.error, inputOf)), ...(input.success ? [] : fieldErrors(input.error, inputOf))]);
}

/** The field's input for the domain, its kind given by the page (new) or the existing field (edit). */
export function fieldInputOf(value: z.infer<typeof fieldSchema>, type: FieldInput['type']): FieldInput {
  return { ...value, type };
}
