/**
 * The contract of campaigns and Cigales investments: one Zod schema validates the API, types the handlers and
 * documents the routes. Amounts are integer cents in the API (euros typed the French way in the page forms,
 * read by parseEuros); dates « AAAA-MM-JJ », Paris calendar days.
 */
import { z } from 'zod';
import { campaignInstrument, campaignState, MAX_CAMPAIGN_CENTS } from '../../domain/campaign.ts';
import { cigalesInstrument } from '../../domain/campaign-cigales.ts';
import { parseEuros } from '../../domain/funding.ts';
import { cogCode, integerParam, optionalParam, paginationSchema, typedText } from '../../platform/params.ts';

export const day = z
  .string({ error: 'une date s’écrit AAAA-MM-JJ (ex. 2027-03-15)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'une date s’écrit AAAA-MM-JJ (ex. 2027-03-15)')
  .refine((text) => {
    const parsed = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
  }, 'cette date n’existe pas au calendrier');

const CENTS_MESSAGE = 'un montant est un nombre entier de centimes (ex. 150000 pour 1 500,00 €)';
export const cents = z
  .number({ error: CENTS_MESSAGE })
  .int(CENTS_MESSAGE)
  .min(1, 'un montant doit être positif')
  .max(MAX_CAMPAIGN_CENTS, 'montant trop élevé : 10 millions d’euros au plus');

/** An amount typed in a page form: « 12 500 », « 12 500,50 € ». */
const typedEuros = z
  .string()
  .trim()
  .min(1, 'indiquez un montant en euros')
  .transform((text, context) => {
    const parsed = parseEuros(text);
    if (parsed === null) {
      context.addIssue({ code: 'custom', message: 'un montant s’écrit en euros, par exemple 1 500 ou 1 500,50' });
      return z.NEVER;
    }
    return parsed;
  })
  .pipe(cents);

/** Dot-atom local part, domain of letters and digits: the check of the account addresses (accounts/schemas.ts). */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;
const INVALID_EMAIL = 'indiquez une adresse e-mail valide, par exemple nom@exemple.fr';
export const emailSchema = z
  .string({ error: 'indiquez votre adresse e-mail' })
  .trim()
  .normalize('NFC')
  .toLowerCase()
  .min(1, 'indiquez votre adresse e-mail')
  .max(254, 'cette adresse e-mail est trop longue (254 caractères au plus)')
  .regex(EMAIL, INVALID_EMAIL)
  .refine((email) => email.indexOf('@') <= 64, INVALID_EMAIL);

const requiredText = (max: number, missing: string) => typedText(max, `${max} caractères au plus`).pipe(z.string().min(1, missing));
const titre = requiredText(200, 'donnez un titre à la campagne').describe('Titre court de la campagne');
const objet = typedText(5000, '5 000 caractères au plus')
  .pipe(z.string().min(1, 'dites à quoi servira l’argent'))
  .describe('Ce que la campagne finance, pour qui, comment');

const campaignFields = {
  titre,
  objet,
  montant_recherche: cents.describe('Montant recherché, en centimes'),
  instrument: campaignInstrument.schema.describe('parts_sociales, pret ou don'),
  debut: day.describe('Premier jour de la campagne (Europe/Paris)'),
  fin: day.describe('Dernier jour de la campagne (Europe/Paris), au plus tôt le jour du début'),
};

export const campaignWriteSchema = z
  .strictObject({
    organisation_id: z.number().int().positive().optional().describe('La structure qui mène la campagne (ou cooperation_id)'),
    cooperation_id: z.number().int().positive().optional().describe('La coopération qui mène la campagne (ou organisation_id)'),
    ...campaignFields,
  })
  .refine((c) => (c.organisation_id === undefined) !== (c.cooperation_id === undefined), {
    message: 'indiquez la structure qui mène la campagne : organisation_id ou cooperation_id, un seul des deux',
    path: ['organisation_id'],
  });
export type CampaignWrite = z.infer<typeof campaignWriteSchema>;
export const campaignEditSchema = z.strictObject(campaignFields);
export type CampaignEdit = z.infer<typeof campaignEditSchema>;

export const campaignExample = {
  organisation_id: 1,
  titre: 'Une nouvelle serre pour la ressourcerie',
  objet: 'Financer la serre et l’outillage du jardin d’insertion ; les parts sociales donnent une voix à l’assemblée générale.',
  montant_recherche: 2_500_000,
  instrument: 'parts_sociales',
  debut: '2027-03-01',
  fin: '2027-05-31',
};

/** The same fields as a page form posts them: amounts in euros; on creation, the structure as « organisation:12 ». */
export const campaignEditFormSchema = z.object({ ...campaignFields, montant_recherche: typedEuros });
export const campaignFormSchema = campaignEditFormSchema
  .extend({ structure: z.string().regex(/^(organisation|cooperation):\d{1,15}$/, 'choisissez la structure qui mène la campagne') })
  .transform(({ structure, ...fields }): CampaignWrite => {
    const [kind, id] = structure.split(':') as ['organisation' | 'cooperation', string];
    return { ...fields, [`${kind}_id`]: Number(id) };
  });

export const transitionSchema = z.strictObject({
  etat: z.enum(['ouverte', 'close'], { error: 'l’état demandé est « ouverte » ou « close »' }).describe('ouverte, puis close'),
});

const intentionFields = {
  nom: requiredText(200, 'indiquez votre nom').describe('Nom de la personne ou de la structure'),
  email: emailSchema.describe('Adresse à laquelle la structure vous répond'),
};
const message = typedText(2000, '2 000 caractères au plus');
// Not optionalParam here: a preprocessed field drops the body's examples from the OpenAPI document.
export const intentionSchema = z.strictObject({
  montant: cents.describe('Montant envisagé, en centimes'),
  ...intentionFields,
  message: message.optional().describe('Un mot pour la structure (facultatif)'),
});
export type IntentionInput = z.infer<typeof intentionSchema>;
export const intentionFormSchema = z.object({ montant: typedEuros, ...intentionFields, message: optionalParam(message) });
export const intentionExample = { montant: 50_000, nom: 'Camille Martin', email: 'camille@exemple.fr', message: 'Je souhaite prendre 5 parts.' };

export const campaignSearchSchema = paginationSchema.extend({
  instrument: optionalParam(campaignInstrument.schema).describe('parts_sociales, pret ou don'),
  etat: optionalParam(z.enum(['ouverte', 'close'], { error: 'l’état est « ouverte » ou « close »' })).describe(
    'ouverte (en cours) ou close ; les deux sans ce paramètre',
  ),
  region: optionalParam(cogCode.region).describe('Code COG de la région de la structure'),
  departement: optionalParam(cogCode.departement).describe('Code COG du département de la structure'),
});
export type CampaignSearch = z.infer<typeof campaignSearchSchema>;

const structureSchema = z.object({ type: z.enum(['organisation', 'cooperation']), id: z.number().int(), nom: z.string() });

export const campaignSummarySchema = z.object({
  id: z.number().int(),
  titre: z.string(),
  instrument: campaignInstrument.schema,
  etat: campaignState.schema,
  debut: z.string(),
  fin: z.string(),
  montant_recherche: z.number().int().describe('Centimes'),
  montant_intentions: z.number().int().describe('Somme des intentions, en centimes'),
  nombre_intentions: z.number().int(),
  progression: z.number().int().describe('Pourcentage du montant recherché couvert par les intentions, borné à 100'),
  structure: structureSchema,
  region: z.string().nullable(),
  departement: z.string().nullable(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const campaignListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  par_page: z.number().int(),
  resultats: z.array(campaignSummarySchema),
});

export const campaignDetailSchema = campaignSummarySchema.extend({
  objet: z.string(),
  depasse: z.boolean().describe('Les intentions dépassent le montant recherché (c’est permis)'),
  progression_texte: z.string(),
  paiement: z.string().describe('Maillage ne reçoit aucun paiement : rappel'),
});

export const intentionRowSchema = z.object({
  id: z.number().int(),
  montant: z.number().int(),
  nom: z.string(),
  email: z.string(),
  message: z.string().nullable(),
  cree_le: z.string(),
});
export type IntentionRow = z.infer<typeof intentionRowSchema>;

export const campaignParams = z.object({
  id: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant de la campagne est un nombre entier positif').describe('Identifiant de la campagne'),
});

// Cigales ------------------------------------------------------------------------------------------------------

export const clubDeclarationSchema = z.strictObject({ club: z.boolean().describe('true : la structure est un club Cigales ; false : elle ne l’est plus') });

const siret = z
  .string()
  .trim()
  .regex(/^\d{14}$/, 'un SIRET compte 14 chiffres');
const investmentFields = {
  date_investissement: day.describe('Date de l’investissement (Europe/Paris)'),
  instrument: cigalesInstrument.schema.describe('parts_sociales, compte_courant ou pret'),
};
export const investmentSchema = z.strictObject({
  entreprise_siret: siret.describe('SIRET de l’entreprise financée, recensée dans Maillage'),
  montant: cents.describe('Montant investi, en centimes'),
  ...investmentFields,
});
export type InvestmentInput = z.infer<typeof investmentSchema>;
export const investmentFormSchema = z.object({ entreprise_siret: siret, montant: typedEuros, ...investmentFields });
export const investmentExample = { entreprise_siret: '10000000900009', montant: 300_000, date_investissement: '2026-11-20', instrument: 'parts_sociales' };

export const investmentRowSchema = z.object({
  id: z.number().int(),
  club: z.object({ id: z.number().int(), nom: z.string() }),
  entreprise: z.object({ id: z.number().int(), nom: z.string() }),
  montant: z.number().int().describe('Centimes'),
  date_investissement: z.string(),
  instrument: cigalesInstrument.schema,
});
export type InvestmentRow = z.infer<typeof investmentRowSchema>;

export const investmentsSchema = z.object({
  club: z.boolean().describe('La structure est un club Cigales'),
  investissements_du_club: z.array(investmentRowSchema).describe('Ce que le club a investi'),
  total_investi: z.number().int().describe('Centimes'),
  investissements_recus: z.array(investmentRowSchema).describe('Ce que des clubs Cigales ont investi dans la structure'),
  total_recu: z.number().int().describe('Centimes'),
});
