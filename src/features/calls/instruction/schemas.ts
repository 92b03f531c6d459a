/**
 * The forms of instruction, as Zod schemas over the strings an HTML form posts (French messages, one per field).
 * Score sheets are read apart (scoreInput): their fields are named after the grid's criteria.
 */
import { z } from 'zod';
import { parseEuros } from '../../../domain/funding.ts';
import { formValue } from '../../../web/form-body.ts';

const text = (label: string, max: number) =>
  z
    .string({ error: `Écrivez ${label}.` })
    .trim()
    .min(1, `Écrivez ${label}.`)
    .max(max, `${max} caractères au plus.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${max} caractères au plus.`)
    .optional()
    .transform((v) => v || null);

const isoDate = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Indiquez ${label} au format AAAA-MM-JJ.`)
    .refine(
      (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      `${label[0]!.toUpperCase()}${label.slice(1)} n’existe pas.`,
    );

/** An amount typed the French way (« 100 000 », « 12 500,50 »), in cents. */
const amount = (required: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        if (required) ctx.addIssue({ code: 'custom', message: 'Indiquez un montant en euros.' });
        return null;
      }
      const cents = parseEuros(v);
      if (cents === null || cents <= 0) ctx.addIssue({ code: 'custom', message: 'Indiquez un montant positif en euros, par exemple 12 500 ou 12 500,50.' });
      return cents;
    });

export const reviewerForm = z.object({
  email: z
    .string({ error: 'Indiquez l’adresse e-mail du compte.' })
    .trim()
    .toLowerCase()
    .email('Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.')
    .max(254),
});

export const reviewerRemoval = z.object({ compte: z.coerce.number({ error: 'Compte inconnu.' }).int().positive('Compte inconnu.') });

const integer = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .regex(/^-?\d{1,6}$/, `Indiquez ${label} (nombre entier).`)
    .transform(Number);

export const criterionForm = z
  .object({
    libelle: text('le libellé du critère', 300),
    description: optionalText(2000),
    poids: z
      .string({ error: 'Indiquez le poids.' })
      .trim()
      .transform((v) => Number(v.replace(',', '.')))
      .refine((v) => Number.isFinite(v) && v > 0 && v < 10_000, 'Le poids est un nombre positif, par exemple 1 ou 2,5.'),
    min: integer('le bas de l’échelle'),
    max: integer('le haut de l’échelle'),
  })
  .refine((c) => c.max > c.min, { path: ['max'], message: 'Le haut de l’échelle doit dépasser le bas.' });

export const annotationForm = z.object({ texte: text('la note', 5000) });
export const messageForm = z.object({ texte: text('votre message', 5000) });
export const conflictForm = z.object({ motif: optionalText(2000) });

/** The moves instruction makes (the applicant's own moves are not offered here). */
export const INSTRUCTION_TARGETS = ['en_instruction', 'complement_demande', 'retenue', 'non_retenue', 'laureate', 'refusee', 'sans_suite'] as const;

export const statusForm = z.object({
  statut: z.enum(INSTRUCTION_TARGETS, { error: 'Choisissez la nouvelle étape.' }),
  motif: optionalText(5000),
});

/** A score sheet: `note_<critère>` fields and a comment; a blank note is missing (undefined), not zero. */
export function scoreInput(body: unknown, criteria: readonly { id: number }[]) {
  const notes: Record<number, number | undefined> = {};
  const raw: Record<string, string> = {};
  for (const c of criteria) {
    const value = formValue(body, `note_${c.id}`)?.trim() ?? '';
    raw[`note_${c.id}`] = value;
    notes[c.id] = value === '' ? undefined : /^-?\d+([.,]\d+)?$/.test(value) ? Number(value.replace(',', '.')) : NaN;
  }
  const commentaire = formValue(body, 'commentaire')?.trim() ?? '';
  return { notes, raw, commentaire: commentaire || null };
}

export const conventionForm = z.object({ debut: isoDate('la date de début') });

export const trancheForm = z
  .object({
    libelle: text('le libellé de la tranche', 300),
    montant: amount(false),
    echeance: isoDate('l’échéance'),
    conditionnelle: z
      .string()
      .optional()
      .transform((v) => v === 'oui'),
    condition: optionalText(2000),
  })
  .refine((t) => !t.conditionnelle || t.condition, { path: ['condition'], message: 'Écrivez la condition d’une tranche conditionnelle.' });

export const trancheUpdateForm = z.object({
  montant: amount(false),
  condition_levee: z
    .string()
    .optional()
    .transform((v) => v === 'oui'),
});

export const paymentForm = z.object({
  tranche: z.coerce.number({ error: 'Choisissez la tranche.' }).int().positive('Choisissez la tranche.'),
  montant: amount(true),
  verse_le: isoDate('la date du versement'),
});

export const reportForm = z.object({ libelle: text('le libellé du rapport', 300), echeance: isoDate('l’échéance') });

export const reportUpdateForm = z.object({
  action: z.enum(['remis', 'valide'], { error: 'Choisissez « remis » ou « validé ».' }),
  remis_le: isoDate('la date de remise')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
