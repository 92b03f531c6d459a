/**
 * What the account forms accept, with French messages. The same schemas validate the HTML forms (and a JSON
 * API later): e-mail addresses are normalised (trimmed, NFC, lower case), names trimmed, passwords taken as typed.
 */
import { z } from 'zod';

/** Dot-atom local part (RFC 5322, ASCII), domain of letters and digits (internationalised names allowed). */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;
/** Control characters and the bidirectional overrides that can disguise a name. */
const FORBIDDEN_IN_NAME = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F]/u;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
export const NAME_MAX = 100;

const INVALID_EMAIL = 'Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.';

export const emailSchema = z
  .string({ error: 'Indiquez votre adresse e-mail.' })
  .trim()
  .normalize('NFC')
  .toLowerCase()
  .min(1, 'Indiquez votre adresse e-mail.')
  .max(254, 'Cette adresse e-mail est trop longue (254 caractères au plus).')
  .regex(EMAIL, INVALID_EMAIL)
  .refine((email) => email.indexOf('@') <= 64, INVALID_EMAIL);

const characters = (text: string) => [...text].length;

/** A new password: 12 characters at least (any characters: spaces, accents, emoji), 256 at most. */
export const newPasswordSchema = z
  .string({ error: 'Choisissez un mot de passe.' })
  .refine((p) => p.length > 0, 'Choisissez un mot de passe.')
  .refine(
    (p) => p.length === 0 || characters(p) >= PASSWORD_MIN,
    `Le mot de passe doit contenir au moins ${PASSWORD_MIN} caractères. Une phrase de plusieurs mots est plus facile à retenir.`,
  )
  .refine((p) => characters(p) <= PASSWORD_MAX, `Le mot de passe doit contenir au plus ${PASSWORD_MAX} caractères.`);

export const displayNameSchema = z
  .string({ error: 'Indiquez votre nom.' })
  .trim()
  .normalize('NFC')
  .min(1, 'Indiquez votre nom ou un pseudonyme.')
  .refine((name) => characters(name) <= NAME_MAX, `Le nom doit contenir au plus ${NAME_MAX} caractères.`)
  .refine((name) => !FORBIDDEN_IN_NAME.test(name), 'Le nom contient des caractères non autorisés (caractères de contrôle).');

export const signUpSchema = z
  .object({
    email: emailSchema,
    nom: displayNameSchema,
    mot_de_passe: newPasswordSchema,
  })
  .superRefine((input, context) => {
    if (input.mot_de_passe.trim().toLowerCase() === input.email) {
      context.addIssue({ code: 'custom', path: ['mot_de_passe'], message: 'Le mot de passe ne doit pas être votre adresse e-mail.' });
    }
  });
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  // Whatever rule held when the password was chosen: only its presence is checked here.
  mot_de_passe: z.string({ error: 'Indiquez votre mot de passe.' }).min(1, 'Indiquez votre mot de passe.').max(1024, 'Identifiants incorrects.'),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const tokenSchema = z.string({ error: 'Lien invalide.' }).regex(/^[A-Za-z0-9_-]{43}$/, 'Lien invalide.');

export const resetPasswordSchema = z.object({
  jeton: tokenSchema,
  mot_de_passe: newPasswordSchema,
});
