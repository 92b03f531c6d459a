/**
 * The contract of calls and applications: public API in the Atlas's conventions (q, territory codes,
 * pagination, French field names), and the applicant's calls. One Zod schema validates, types and documents.
 */
import { z } from 'zod';
import { statutCandidature } from '../../../domain/application.ts';
import { calendrierAppel, eligibiliteSchema, statutAppel } from '../../../domain/call.ts';
import { finalite, modele, modeleEconomique, stade } from '../../../domain/cooperation.ts';
import { defineEnum } from '../../../domain/enum.ts';
import { normaliseIdentifier, siretError } from '../../../domain/siret.ts';
import { cogCode, idParams, optionalParam, paginationSchema, textQueryParam } from '../../../platform/params.ts';

export const appelFilterSchema = z.object({
  q: textQueryParam.describe('Texte libre : titre et description, sans accents requis, tolère les fautes de frappe sur les titres'),
  region: optionalParam(cogCode.region).describe('Appels ouverts sur cette région (code COG) ; les appels nationaux sont inclus'),
  departement: optionalParam(cogCode.departement).describe('Appels ouverts sur ce département ; les appels nationaux sont inclus'),
  statut: optionalParam(calendrierAppel.schema).describe('ouvert (dépôt possible maintenant), a_venir, passe — selon l’horloge du serveur'),
});
export type AppelFilters = z.infer<typeof appelFilterSchema>;

export const appelSearchSchema = appelFilterSchema.extend(paginationSchema.shape);
export type AppelSearch = z.infer<typeof appelSearchSchema>;

const instant = z.string().describe('Instant ISO 8601 avec millisecondes et décalage de Paris (ex. 2021-06-23T23:59:59.999+02:00, dernier instant accepté)');

export const phaseSchema = z.object({
  vague: z.string().nullable(),
  libelle: z.string(),
  description: z.string().nullable(),
  ouverture: instant,
  cloture: instant.describe('Dernier instant accepté : « le 23 juin à minuit, délai de rigueur » = 23:59:59.999 heure de Paris'),
  depot: z.boolean().describe('Les candidatures se déposent pendant cette phase'),
  resultats: z.object({ date: z.string().nullable().describe('Date (AAAA-MM-JJ)'), texte: z.string().nullable() }),
});

export const appelSummarySchema = z.object({
  id: z.number().int(),
  titre: z.string(),
  organisateurs: z.array(z.string()),
  statut: calendrierAppel.schema.describe('ouvert, a_venir ou passe, calculé avec l’horloge du serveur'),
  etat_publication: statutAppel.schema,
  prochaine_cloture: instant.nullable(),
  exemple: z.boolean().describe('Appel de démonstration tiré des documents sources'),
});

/** The part of a call a comment of its concertation is about. */
export const sectionCommentaire = defineEnum({
  general: 'L’appel dans son ensemble',
  eligibilite: 'Éligibilité',
  phases: 'Calendrier et phases',
  formulaire: 'Formulaire de candidature',
  grille: 'Grille d’évaluation',
});

/** A comment of a call's concertation as the public sees it (page and API). */
export const commentaireSchema = z.object({
  id: z.number().int(),
  auteur: z.string().describe('Nom affiché de la personne (« Compte supprimé » après la suppression de son compte)'),
  section: sectionCommentaire.schema.describe('Partie de l’appel commentée : general, eligibilite, phases, formulaire ou grille'),
  texte: z.string(),
  date: instant,
  reponse: z.object({ texte: z.string(), date: instant }).nullable().describe('Réponse de l’organisateur, s’il en a publié une'),
});
export type Commentaire = z.infer<typeof commentaireSchema>;

export const appelDetailSchema = appelSummarySchema.extend({
  key: z.string(),
  description: z.string().nullable(),
  dispositif: z.object({ id: z.number().int(), nom: z.string() }).nullable(),
  phases: z.array(phaseSchema),
  laureats: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable() }),
  budget: z.number().nullable(),
  budget_texte: z.string().nullable(),
  eligibilite: eligibiliteSchema.describe('Qui peut candidater, dans les termes du profil d’orientation ; liste absente ou vide : pas de restriction'),
  couverture: z.object({ niveau: z.string(), codes: z.array(z.string()) }).nullable(),
  formulaire_version: z.number().int().nullable(),
  source: z.string().nullable(),
  commentaires: z
    .array(commentaireSchema)
    .describe('Commentaires publics de la concertation (co-construction), masqués exceptés ; liste vide hors concertation s’il n’y en a pas eu'),
});

export const appelListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  par_page: z.number().int(),
  resultats: z.array(appelSummarySchema),
});

const siret = z
  .string()
  .trim()
  .transform(normaliseIdentifier)
  .superRefine((value, ctx) => {
    const problem = siretError(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const organisationRef = z.object({
  siret,
  nom: z.string().trim().min(1, 'indiquez le nom de la structure').max(300, '300 caractères au plus'),
});

/** The applicant's profile, in the words (and with the codes) of the orientation form. */
export const profilSchema = z.strictObject({
  stade: z.enum(stade.codes, { error: 'choisissez le stade de la coopération' }).describe('emergence, creation, consolidation ou changement_echelle'),
  modele: z.enum(modele.codes, { error: 'choisissez le modèle de coopération' }).describe('Modèle de coopération ; « aucun » = coopération non modélisée'),
  finalite: z.enum(finalite.codes, { error: 'choisissez la finalité' }).describe('ciblee ou systemique'),
  modele_economique: z.enum(modeleEconomique.codes, { error: 'choisissez le modèle économique' }).describe('non_marchande, marchande ou hybride'),
});
export type Profil = z.infer<typeof profilSchema>;

/** Starting an application: who applies. A groupement has a lead and at least one co-applicant (000). */
export const startApplicationSchema = z
  .object({
    titre: z.string().trim().min(1, 'indiquez un titre').max(300, '300 caractères au plus'),
    porteur: z.enum(['cooperation', 'groupement'], { error: 'choisissez « coopération » ou « groupement »' }),
    cooperation_id: z.number().int().min(1).optional().describe('Coopération de l’Atlas qui candidate (facultatif)'),
    chef_de_file: organisationRef,
    co_candidats: z.array(organisationRef).max(30, '30 co-candidats au plus').default([]),
    profil: profilSchema
      .optional()
      .describe(
        'Profil de la coopération ou du groupement, pour vérifier l’éligibilité de l’appel. ' +
          'Demandé quand l’appel restreint le stade, le modèle, la finalité ou le modèle économique, sauf pour une coopération de ' +
          'l’Atlas (cooperation_id) qui les renseigne : ses valeurs priment, le profil ne complète que ce qu’elle ne dit pas. ' +
          'Formes juridiques et agrément ESUS : ceux des structures candidates connues de l’Atlas (par SIRET) ou des membres de la coopération.',
      ),
  })
  .superRefine(
    (value, ctx) => {
      if (value.porteur === 'groupement' && value.co_candidats.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['co_candidats'], message: 'un groupement compte au moins un co-candidat en plus du chef de file' });
      }
      const sirets = [value.chef_de_file.siret, ...value.co_candidats.map((c) => c.siret)];
      if (new Set(sirets).size !== sirets.length)
        ctx.addIssue({ code: 'custom', path: ['co_candidats'], message: 'une même structure (SIRET) figure deux fois' });
    },
    {
      // Also when only the profile is wrong, so that the page lists every error at once (by default an invalid
      // choice in the profile would hide these).
      when: ({ issues }) => issues.every((issue) => issue.path?.[0] === 'profil' || issue.continue === true),
    },
  )
  .meta({
    example: {
      titre: 'Pôle alimentaire de la vallée',
      porteur: 'groupement',
      chef_de_file: { siret: '12345678000014', nom: 'Association du pôle alimentaire' },
      co_candidats: [{ siret: '44000000000016', nom: 'SCIC des producteurs de la vallée' }],
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
    },
  });
export type StartApplication = z.infer<typeof startApplicationSchema>;

export const saveDraftSchema = z
  .object({
    version: z.number().int().min(1).describe('Version lue (concurrence optimiste) : refusée si la candidature a changé depuis'),
    donnees: z.record(z.string(), z.unknown()).describe('Réponses au formulaire, clés de la version du formulaire de la candidature'),
  })
  .meta({ example: { version: 1, donnees: { presentation: 'Douze structures de la vallée mutualisent une légumerie.' } } });

export const submitSchema = z
  .object({
    version: z.number().int().min(1).optional().describe('Version lue ; si elle est donnée, le dépôt est refusé quand la candidature a changé depuis'),
  })
  .meta({ example: { version: 2 } });

export const membreSchema = z.object({ role: z.enum(['chef_de_file', 'co_candidat']), siret: z.string(), nom: z.string() });

export const transitionSchema = z.object({
  de: statutCandidature.schema.nullable(),
  vers: statutCandidature.schema,
  par: z.string(),
  le: instant,
  motif: z.string().nullable(),
});

export const candidatureSchema = z.object({
  id: z.number().int(),
  appel: z.object({ id: z.number().int(), titre: z.string() }),
  titre: z.string(),
  porteur: z.enum(['cooperation', 'groupement']),
  cooperation_id: z.number().int().nullable(),
  profil: profilSchema.nullable().describe('Profil déclaré au début de la candidature'),
  membres: z.array(membreSchema),
  statut: statutCandidature.schema,
  formulaire_version: z.number().int(),
  donnees: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  numero_depot: z.string().nullable(),
  depose_le: instant.nullable(),
  historique: z.array(transitionSchema),
});

export { idParams };
