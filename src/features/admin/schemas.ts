/** What the administration pages accept, with French messages. */
import { z } from 'zod';
import { role, scopeKind } from '../../domain/authorization.ts';
import { integerParam, MAX_PAGE, optionalParam, typedText } from '../../platform/params.ts';

export { idParams as accountIdParams } from '../../platform/params.ts';

export const accountSearchQuery = z.object({
  q: optionalParam(typedText(254, 'la recherche ne peut dépasser 254 caractères')),
});

const ROLE_MESSAGE = 'Choisissez un rôle dans la liste.';

/** The grant form: a role and the scope typed as text (its meaning depends on the role). */
export const grantForm = z.object({
  role: z.enum(role.codes, { error: ROLE_MESSAGE }),
  portee: z.string().max(2000, 'La portée est trop longue.').default(''),
});

/** The withdraw button of one grant, as listed on the account page. */
export const revokeForm = z.object({
  role: z.enum(role.codes, { error: ROLE_MESSAGE }),
  type_portee: z.enum(scopeKind.codes, { error: 'Type de portée inconnu.' }),
  portee: z.string().max(300, 'La portée est trop longue.').default(''),
});

export const journalQuery = z.object({
  action: optionalParam(z.string().regex(/^[a-z_.]{3,60}$/, 'action inconnue')),
  objet: optionalParam(z.string().regex(/^[a-z_]{1,40}$/, 'type d’objet inconnu')),
  objet_id: optionalParam(typedText(100, 'identifiant trop long')),
  page: optionalParam(integerParam(1, MAX_PAGE, `le numéro de page est un nombre entier de 1 à ${MAX_PAGE}`)).default(1),
});
export type JournalQuery = z.infer<typeof journalQuery>;
