/**
 * A call's form: a definition (sections of fields, stored as JSON, versioned with the call) and the Zod
 * validator built from one version. The same validator checks a draft (mode 'brouillon': every field may be
 * missing, but what is there must be well formed) and a submission (mode 'depot': required fields of what is
 * displayed must be filled). A field hidden by its condition is never required and its value is dropped, so
 * an answer given before changing one's mind does not linger in the application.
 *
 * Values are accepted as typed JSON (the API) or as the strings an HTML form posts: « 12 345,50 » for an
 * amount, « oui »/« non » for yes/no, one string for a single ticked box of a multiple choice.
 */
import { z } from 'zod';
import { MAX_FILES_PER_APPLICATION, typeFichier, type TypeFichier } from './files.ts';
import type { FieldError } from './rule-error.ts';
import { siretError, normaliseIdentifier } from './siret.ts';

export const FIELD_KINDS = [
  'texte',
  'texte_long',
  'nombre',
  'montant',
  'date',
  'choix_unique',
  'choix_multiple',
  'oui_non',
  'fichier',
  'siret',
  'territoire',
  'adresse',
  'email',
  'telephone',
  'groupe',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** Shown only when another field of the same level (the same section list, or the same group row) has this value. */
export type Condition = { champ: string; egal: string | boolean } | { champ: string; parmi: string[] };

export interface Option {
  valeur: string;
  libelle: string;
}

export interface FieldDefinition {
  cle: string;
  type: FieldKind;
  libelle: string;
  aide?: string;
  obligatoire?: boolean;
  afficher_si?: Condition;
  /** choix_unique, choix_multiple */
  options?: Option[];
  /** nombre, montant; texte lengths */
  min?: number;
  max?: number;
  /** groupe: the fields of one row, and how many rows */
  champs?: FieldDefinition[];
  lignes_min?: number;
  lignes_max?: number;
  /** fichier: the kinds accepted, recognised from the content (default: PDF, PNG, JPEG, ODT, DOCX, ODS, XLSX) */
  types?: TypeFichier[];
  /** fichier: largest size in Mo (default and ceiling: the platform's MAX_UPLOAD_MB) */
  taille_max_mo?: number;
  /** Where the question comes from (a source document), shown to applicants; absent: the call's author wrote it. */
  source?: string;
}

export interface SectionDefinition {
  titre: string;
  description?: string;
  afficher_si?: Condition;
  champs: FieldDefinition[];
}

export interface FormDefinition {
  sections: SectionDefinition[];
}

export type FormMode = 'brouillon' | 'depot';

const KEY = /^[a-z][a-z0-9_]{0,59}$/;

const conditionSchema = z.union([
  z.object({ champ: z.string().regex(KEY), egal: z.union([z.string(), z.boolean()]) }),
  z.object({ champ: z.string().regex(KEY), parmi: z.array(z.string()).min(1) }),
]);

const fieldSchema: z.ZodType<FieldDefinition> = z.lazy(() =>
  z.object({
    cle: z.string().regex(KEY, 'une clé de champ commence par une lettre minuscule (lettres, chiffres, _)'),
    type: z.enum(FIELD_KINDS),
    libelle: z.string().min(1).max(500),
    aide: z.string().max(2000).optional(),
    obligatoire: z.boolean().optional(),
    afficher_si: conditionSchema.optional(),
    options: z.array(z.object({ valeur: z.string().min(1).max(100), libelle: z.string().min(1).max(300) })).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    champs: z.array(fieldSchema).optional(),
    lignes_min: z.number().int().min(0).optional(),
    lignes_max: z.number().int().min(1).max(200).optional(),
    types: z.array(typeFichier.schema).min(1).optional(),
    taille_max_mo: z.number().positive().max(1000).optional(),
    source: z.string().max(500).optional(),
  }),
);

/** The definition as a funder's form builder will send it; `checkDefinition` adds the rules across fields. */
export const formDefinitionSchema = z.object({
  sections: z
    .array(
      z.object({
        titre: z.string().min(1).max(300),
        description: z.string().max(4000).optional(),
        afficher_si: conditionSchema.optional(),
        champs: z.array(fieldSchema),
      }),
    )
    .min(1),
});

/** What is wrong with a definition beyond its shape (French messages); empty when it is usable. */
export function checkDefinition(definition: FormDefinition): string[] {
  const problems: string[] = [];
  const checkLevel = (fields: FieldDefinition[], where: string, outer: Map<string, FieldDefinition>) => {
    const seen = new Map(outer);
    for (const field of fields) {
      if (seen.has(field.cle)) problems.push(`${where} : la clé « ${field.cle} » est en double.`);
      if (field.afficher_si && !seen.has(field.afficher_si.champ)) {
        problems.push(`${where} : « ${field.cle} » dépend de « ${field.afficher_si.champ} », qui doit le précéder.`);
      }
      if ((field.type === 'choix_unique' || field.type === 'choix_multiple') && !field.options?.length) {
        problems.push(`${where} : le choix « ${field.cle} » n’a pas d’options.`);
      }
      if (field.type !== 'fichier' && (field.types || field.taille_max_mo !== undefined)) {
        problems.push(`${where} : « ${field.cle} » n’est pas un fichier : types et taille_max_mo ne s’y appliquent pas.`);
      }
      if (field.type === 'groupe') {
        // A file is sent by its own form, named by a top-level key: a group's rows have none.
        if (field.champs?.some((f) => f.type === 'fichier')) problems.push(`${where} : le groupe « ${field.cle} » ne peut pas contenir de fichier.`);
        if (!field.champs?.length) problems.push(`${where} : le groupe « ${field.cle} » n’a pas de champs.`);
        else checkLevel(field.champs, `${where}, groupe « ${field.cle} »`, new Map());
      }
      seen.set(field.cle, field);
    }
    for (const [key, field] of seen) outer.set(key, field);
  };
  const all = new Map<string, FieldDefinition>();
  definition.sections.forEach((section, i) => {
    if (section.afficher_si && !all.has(section.afficher_si.champ)) {
      problems.push(`Section ${i + 1} : elle dépend de « ${section.afficher_si.champ} », qui doit la précéder.`);
    }
    checkLevel(section.champs, `Section ${i + 1}`, all);
  });
  const files = definition.sections.flatMap((s) => s.champs).filter((f) => f.type === 'fichier').length;
  if (files > MAX_FILES_PER_APPLICATION) problems.push(`Le formulaire compte ${files} champs fichier : ${MAX_FILES_PER_APPLICATION} au plus.`);
  return problems;
}

/** Whether a condition holds on the values of its level. */
export function conditionHolds(condition: Condition | undefined, values: Record<string, unknown>): boolean {
  if (!condition) return true;
  const value = values[condition.champ];
  if ('egal' in condition) {
    if (Array.isArray(value)) return value.includes(condition.egal);
    return value === condition.egal;
  }
  const list = Array.isArray(value) ? value : [value];
  return list.some((v) => typeof v === 'string' && condition.parmi.includes(v));
}

// ——— Values as forms send them ———

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function parseFrenchNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const cleaned = value.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : value;
}

function parseYesNo(value: unknown): unknown {
  if (value === 'oui' || value === 'true') return true;
  if (value === 'non' || value === 'false') return false;
  return value;
}

const PHONE = /^(?:\+33|0)[1-9]\d{8}$|^\+(?!33)\d{6,15}$/;
const COG = /^(\d{5}|2[AB]\d{3}|\d{2,3}|2[AB])$/;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** The Zod schema of one field's value (present and well formed; whether it is required is decided above). */
function valueSchema(field: FieldDefinition, mode: FormMode): z.ZodType {
  const { min, max } = field;
  switch (field.type) {
    case 'texte':
    case 'adresse':
      return z
        .string()
        .trim()
        .max(max ?? 500, `${max ?? 500} caractères au plus`)
        .min(min ?? 1, 'ce champ est vide');
    case 'texte_long':
      return z
        .string()
        .trim()
        .max(max ?? 10_000, `${max ?? 10_000} caractères au plus`)
        .min(min ?? 1, 'ce champ est vide');
    case 'nombre':
    case 'montant': {
      let schema = z
        .number({ error: field.type === 'montant' ? 'indiquez un montant en euros (ex. 12 500)' : 'indiquez un nombre' })
        .refine(Number.isFinite, 'indiquez un nombre');
      if (field.type === 'montant') {
        schema = schema
          .refine((n) => n >= 0, 'un montant ne peut être négatif')
          .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'un montant compte au plus 2 décimales (centimes)');
      }
      if (min !== undefined) schema = schema.refine((n) => n >= min, `la valeur minimale est ${min}`);
      if (max !== undefined) schema = schema.refine((n) => n <= max, `la valeur maximale est ${max}`);
      return z.preprocess(parseFrenchNumber, schema);
    }
    case 'date':
      return z.string().refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && isRealDate(text), 'indiquez une date au format AAAA-MM-JJ');
    case 'choix_unique': {
      const values = (field.options ?? []).map((o) => o.valeur);
      return z.string().refine((v) => values.includes(v), 'choisissez une des options proposées');
    }
    case 'choix_multiple': {
      const values = (field.options ?? []).map((o) => o.valeur);
      return z.preprocess(
        (v) => (typeof v === 'string' ? [v] : v),
        z
          .array(z.string())
          .refine((list) => list.every((v) => values.includes(v)), 'choisissez parmi les options proposées')
          .transform((list) => [...new Set(list)])
          .refine((list) => mode === 'brouillon' || !field.obligatoire || list.length > 0, 'cochez au moins une option'),
      );
    }
    case 'oui_non':
      return z.preprocess(parseYesNo, z.boolean({ error: 'répondez par oui ou par non' }));
    case 'fichier':
      // The application's service writes this from its stored files (features/files), never from what a client sends.
      return z.object({ id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), nom: z.string().min(1).max(255) }, { error: 'fichier invalide' });
    case 'siret':
      return z
        .string()
        .transform(normaliseIdentifier)
        .superRefine((siret, ctx) => {
          const problem = siretError(siret);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        });
    case 'territoire':
      return z.string().trim().regex(COG, 'indiquez un code officiel (COG) de commune, de département ou de région');
    case 'email':
      return z.string().trim().toLowerCase().pipe(z.email('adresse e-mail invalide'));
    case 'telephone':
      return z
        .string()
        .transform((v) => v.replace(/[\s.\-()]/g, ''))
        .refine((v) => PHONE.test(v), 'numéro de téléphone invalide (ex. 01 23 45 67 89 ou +33 1 23 45 67 89)');
    case 'groupe': {
      const row = levelSchema(field.champs ?? [], mode);
      // An HTML form leaves blank rows (spare inputs): a row with nothing in it is not a row. The least number
      // of rows is checked by the level, which knows whether the group is shown.
      return z.preprocess(
        nonBlankRows,
        z.array(z.unknown()).transform((rows, ctx) => {
          if (field.lignes_max !== undefined && rows.length > field.lignes_max) ctx.addIssue({ code: 'custom', message: `${field.lignes_max} lignes au plus` });
          return rows.map((value, i) => {
            const parsed = row.safeParse(value);
            if (parsed.success) return parsed.data;
            for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [i, ...issue.path], message: issue.message });
            return undefined;
          });
        }),
      );
    }
  }
}

const nonBlankRows = (value: unknown) => (Array.isArray(value) ? value.filter((r) => !isBlankRow(r)) : value);

/** Too few rows in a shown group (absent: none, malformed ones count), in French; undefined when enough. */
function tooFewRows(field: FieldDefinition, sent: unknown): string | undefined {
  const count = Array.isArray(sent) ? (nonBlankRows(sent) as unknown[]).length : 0;
  const least = Math.max(field.lignes_min ?? 0, field.obligatoire ? 1 : 0);
  if (count >= least) return undefined;
  return least > 1 ? `indiquez au moins ${least} lignes` : 'indiquez au moins une ligne';
}

function isBlankRow(row: unknown): boolean {
  if (!row || typeof row !== 'object') return false;
  return Object.values(row).every((v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && !v.length));
}

interface Scoped {
  field: FieldDefinition;
  condition?: Condition[];
}

/**
 * One level (a section list, or a group's row), checked in one pass so that a submission learns every error at
 * once: each answer against its kind, then, on the answers that are well formed, conditions and requiredness.
 * A hidden field is never required and its answer is dropped.
 */
function levelSchema(fields: Scoped[] | FieldDefinition[], mode: FormMode) {
  const scoped = fields
    .map((f) => ('field' in f ? f : { field: f }))
    .map((s) => ({
      ...s,
      schema: z.preprocess(blankToUndefined, valueSchema(s.field, mode).optional()),
    }));
  return z.unknown().transform((raw, ctx) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      ctx.addIssue({ code: 'custom', message: 'réponses illisibles : un objet de réponses est attendu' });
      return {};
    }
    const input = raw as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    // Each field's errors, reported in the order of the form.
    const problems = new Map<string, { path: PropertyKey[]; message: string }[]>();
    for (const { field, schema } of scoped) {
      const parsed = schema.safeParse(input[field.cle]);
      if (parsed.success) values[field.cle] = parsed.data;
      else
        problems.set(
          field.cle,
          parsed.error.issues.map((issue) => ({ path: [field.cle, ...issue.path], message: issue.message })),
        );
    }
    const kept: Record<string, unknown> = {};
    for (const { field, condition } of scoped) {
      const visible = [...(condition ?? []), field.afficher_si].every((c) => conditionHolds(c, values));
      if (!visible) continue;
      const value = values[field.cle];
      if (value !== undefined) kept[field.cle] = value;
      if (mode !== 'depot') continue;
      const own = problems.get(field.cle) ?? [];
      if (field.type === 'groupe') {
        // Counted on the rows sent, well formed or not, so that it is told with the rows' own errors.
        const few = tooFewRows(field, input[field.cle]);
        if (few) problems.set(field.cle, [{ path: [field.cle], message: few }, ...own]);
      } else if (!own.length && field.obligatoire && (value === undefined || (Array.isArray(value) && !value.length))) {
        problems.set(field.cle, [{ path: [field.cle], message: 'ce champ est obligatoire' }]);
      }
    }
    for (const { field } of scoped) for (const { path, message } of problems.get(field.cle) ?? []) ctx.addIssue({ code: 'custom', path, message });
    return kept;
  });
}

/**
 * The validator of one form version. Sections share one level of keys: a section's condition applies to each
 * of its fields. Errors carry the path of the field (`membres.1.siret`) and a French message.
 */
export function formValidator(definition: FormDefinition, mode: FormMode): z.ZodType<Record<string, unknown>> {
  const fields = definition.sections.flatMap((section) =>
    section.champs.map((field) => ({ field, condition: section.afficher_si ? [section.afficher_si] : [] })),
  );
  return levelSchema(fields, mode);
}

/** Validates and returns either the cleaned data or the errors, each with its dotted field path. */
export function validateForm(
  definition: FormDefinition,
  mode: FormMode,
  data: unknown,
): { ok: true; data: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const result = formValidator(definition, mode).safeParse(data ?? {});
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

/** Every field with its dotted label path, for error summaries: 'membres' → « Membres ». */
export function fieldLabel(definition: FormDefinition, path: string): string {
  const [key, index, sub] = path.split('.');
  const field = definition.sections.flatMap((s) => s.champs).find((f) => f.cle === key);
  if (!field) return path || 'Formulaire';
  if (index === undefined || !sub) return field.libelle;
  const inner = field.champs?.find((f) => f.cle === sub);
  return `${field.libelle}, ligne ${Number(index) + 1} : ${inner?.libelle ?? sub}`;
}
