/**
 * The contract of a treasury plan (plan de trésorerie) and of its forecast, as the stateless simulation and the
 * structures' saved plans receive and answer them. Amounts are integer cents; months « YYYY-MM »; dates
 * « YYYY-MM-DD » (Paris calendar dates). The order of months is checked by the domain (checkPlan).
 */
import { z } from 'zod';
import { MAX_MONTHS, MIN_MONTHS } from '../../domain/treasury.ts';
import { typedText } from '../../platform/params.ts';
import { orientationInputSchema } from '../orientation/schemas.ts';

/** 10 milliards d'euros: far above any structure, far under the integers JavaScript adds exactly. */
const MAX_CENTS = 1_000_000_000_000;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'un mois s’écrit AAAA-MM (ex. 2027-03)');
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'une date s’écrit AAAA-MM-JJ (ex. 2027-03-15)')
  .refine((text) => {
    const parsed = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
  }, 'cette date n’existe pas au calendrier');
const positiveCents = z
  .number({ error: 'un montant est un nombre entier de centimes' })
  .int('un montant est un nombre entier de centimes (ex. 150000 pour 1 500,00 €)')
  .min(1, 'un montant doit être positif : une sortie d’argent se saisit dans les décaissements')
  .max(MAX_CENTS, 'montant trop élevé');
const cents = z
  .number({ error: 'un montant est un nombre entier de centimes' })
  .int('un montant est un nombre entier de centimes (ex. 150000 pour 1 500,00 €)')
  .min(-MAX_CENTS, 'montant trop élevé')
  .max(MAX_CENTS, 'montant trop élevé');
const delay = z
  .number({ error: 'un délai est un nombre entier de jours' })
  .int('un délai est un nombre entier de jours')
  .min(0, 'un délai de paiement ne peut être négatif')
  .max(365, 'un délai de paiement ne dépasse pas 365 jours');
const label = typedText(200, 'un libellé ne dépasse pas 200 caractères').pipe(z.string().min(1, 'donnez un libellé à cette ligne'));

const flowSchema = z.strictObject({
  libelle: label,
  montant: positiveCents.describe('Montant en centimes, positif'),
  mois: month.describe('Mois de facturation (encaissement) ou d’engagement (décaissement)'),
  jusqu_a: month.optional().describe('Répété chaque mois jusqu’à ce mois inclus'),
  delai_jours: delay.optional().describe('Délai de paiement propre à cette ligne, en jours (remplace le délai du plan)'),
});

const trancheSchema = z.strictObject({
  libelle: label,
  montant: positiveCents.describe('Montant de la tranche en centimes'),
  date_convenue: date.describe('Date de versement prévue par la convention'),
  date_prevue: date.optional().describe('Date à laquelle le versement est réellement attendu (retards des financeurs) ; la date convenue par défaut'),
  dispositif_id: z.number().int().positive().optional().describe('Le dispositif du catalogue qui verse cette subvention'),
});

export const planSchema = z.strictObject({
  debut: month.describe('Premier mois du plan'),
  duree_mois: z
    .number({ error: `la durée est un nombre de mois entre ${MIN_MONTHS} et ${MAX_MONTHS}` })
    .int(`la durée est un nombre entier de mois`)
    .min(MIN_MONTHS, `un plan couvre au moins ${MIN_MONTHS} mois`)
    .max(MAX_MONTHS, `un plan couvre au plus ${MAX_MONTHS} mois`),
  solde_initial: cents.describe('Solde de trésorerie au début du premier mois, en centimes (négatif pour un découvert)'),
  seuil: z
    .number({ error: 'le seuil est un nombre entier de centimes' })
    .int('le seuil est un nombre entier de centimes')
    .min(0, 'le seuil ne peut être négatif : 0 signale seulement les soldes négatifs')
    .max(MAX_CENTS, 'montant trop élevé')
    .default(0)
    .describe('Un solde de fin de mois sous ce seuil met le mois en tension'),
  delai_clients_jours: delay.default(0).describe('Délai de paiement des clients, en jours (factures prises au 15 du mois)'),
  delai_fournisseurs_jours: delay.default(0).describe('Délai de paiement des fournisseurs, en jours'),
  encaissements: z.array(flowSchema).max(500, 'au plus 500 lignes d’encaissements').default([]),
  decaissements: z.array(flowSchema).max(500, 'au plus 500 lignes de décaissements').default([]),
  tranches: z.array(trancheSchema).max(200, 'au plus 200 tranches').default([]).describe('Tranches de subventions'),
});

export const simulationInputSchema = planSchema.extend({
  profil: orientationInputSchema.optional().describe('Le profil de la structure (comme pour /api/v1/orientation) : sans lui, aucun dispositif n’est proposé'),
});

export type PlanInput = z.infer<typeof planSchema>;
export type SimulationInput = z.infer<typeof simulationInputSchema>;

/** A saved plan's name, as the API and the page form receive it. */
export const planNameSchema = z.string().trim().min(1, 'donnez un nom au plan').max(200, 'un nom de plan ne dépasse pas 200 caractères');

export const planWriteSchema = z.strictObject({
  nom: planNameSchema,
  avec_conventions: z.boolean().default(true).describe('Ajouter les tranches dues par les conventions de financement des appels de Maillage'),
  plan: simulationInputSchema,
});

export const simulationExample = {
  debut: '2027-01',
  duree_mois: 12,
  solde_initial: 1_000_000,
  seuil: 200_000,
  delai_clients_jours: 30,
  encaissements: [{ libelle: 'Ventes', montant: 600_000, mois: '2027-01', jusqu_a: '2027-12' }],
  decaissements: [{ libelle: 'Salaires et loyer', montant: 800_000, mois: '2027-01', jusqu_a: '2027-12' }],
  tranches: [{ libelle: 'Région, tranche 1', montant: 2_400_000, date_convenue: '2027-03-15', date_prevue: '2027-09-15' }],
  profil: { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'consolidation', departement: '26' },
};

export const planWriteExample = { nom: 'Budget 2027', avec_conventions: true, plan: simulationExample };

const monthSchema = z.object({
  mois: z.string().describe('AAAA-MM'),
  solde_debut: z.number().int().describe('Centimes'),
  encaissements: z.number().int().describe('Centimes'),
  decaissements: z.number().int().describe('Centimes'),
  solde_fin: z.number().int().describe('Centimes'),
  tension: z.boolean(),
  causes: z
    .array(
      z.object({
        code: z.enum(['solde_negatif', 'sous_seuil', 'tranche_en_retard', 'delai_clients', 'decaissements_superieurs']),
        libelle: z.string(),
      }),
    )
    .describe('Pourquoi le mois est en tension ; vide sinon'),
});

export const forecastSchema = z.object({
  mois: z.array(monthSchema),
  mois_en_tension: z.array(z.string()),
});

export const simulationOutputSchema = forecastSchema.extend({
  dispositifs: z
    .array(z.object({ id: z.number().int(), nom: z.string(), pourquoi: z.string() }))
    .describe('Avances, garanties, prêts et quasi-fonds propres du catalogue qui répondent aux tensions, trouvés par le moteur d’orientation'),
});
