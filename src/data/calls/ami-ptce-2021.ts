/**
 * The national AMI PTCE of 2021, as 004_37a44aab6c3ef982.txt describes it, configured as a Maillage call.
 *
 * 004 does not publish the application form (the files were « à déposer en ligne sur le site « Ma démarche
 * simplifiée » »). The form below asks what 004 says the call is about, each question citing its passage;
 * the questions without `source` are Maillage's (contact, members of the groupement…), marked as such on the
 * page. Instants: see domain/call.ts (a deadline « minuit » is the last millisecond of the day, Paris time).
 */
import { parisEndOfDay, parisStartOfDay, toParisIso, type Eligibilite } from '../../domain/call.ts';
import type { FormDefinition } from '../../domain/form.ts';

const S004 = '004_37a44aab6c3ef982.txt';

export interface DemoPhase {
  vague: string;
  label: string;
  description: string;
  ouverture: string;
  cloture: string;
  depot: boolean;
  resultats_date: string | null;
  resultats_texte: string | null;
}

export interface DemoCall {
  key: string;
  title: string;
  description: string;
  /** key of the scheme of the seed catalogue */
  dispositif: string;
  organisateurs: string[];
  laureats_min: number | null;
  laureats_max: number | null;
  budget: number | null;
  budget_texte: string | null;
  eligibilite: Eligibilite;
  couverture_niveau: 'national';
  phases: DemoPhase[];
  formulaire: FormDefinition;
  source: string;
}

const THEMES = [
  'Mobilisation et animation du territoire',
  'Ingénierie de projets territoriaux',
  'Recherche et développement territorial',
  'Modèle économique, financement et gouvernance',
  'Construction de coopérations avec les collectivités territoriales',
];

const form: FormDefinition = {
  sections: [
    {
      titre: 'La dynamique PTCE en émergence',
      description: "L'objet de l'AMI « en première intention est l'identification des dynamiques locale d'émergence de nouveaux PTCE » (004).",
      champs: [
        { cle: 'nom_dynamique', type: 'texte', libelle: 'Nom de la dynamique ou du futur PTCE', obligatoire: true, max: 300 },
        {
          cle: 'territoire',
          type: 'territoire',
          libelle: 'Territoire de la dynamique (code officiel de la commune principale, du département ou de la région)',
          aide: 'Par exemple 26281 pour Romans-sur-Isère.',
          obligatoire: true,
          source: `${S004} — phase 2 : « sélection de 15 à 20 territoires »`,
        },
        {
          cle: 'description',
          type: 'texte_long',
          libelle: 'Décrivez la dynamique locale d’émergence du PTCE',
          obligatoire: true,
          max: 8000,
          source: `${S004} — « identification des dynamiques PTCE en émergence »`,
        },
        {
          cle: 'passerelles',
          type: 'texte_long',
          libelle: 'Quelles passerelles entre l’ESS et l’économie classique la dynamique construit-elle ?',
          max: 4000,
          source: `${S004} — les PTCE, « véritables passerelles entre l'ESS et l'économie classique, et animateurs de bassins de vie »`,
        },
        { cle: 'date_debut', type: 'date', libelle: 'Depuis quand la dynamique existe-t-elle ? (date approximative)' },
      ],
    },
    {
      titre: 'Les membres de la dynamique',
      description: 'Les structures qui coopèrent, au-delà de celles qui candidatent.',
      champs: [
        {
          cle: 'membres',
          type: 'groupe',
          libelle: 'Membres',
          lignes_max: 30,
          champs: [
            { cle: 'nom', type: 'texte', libelle: 'Nom de la structure', obligatoire: true },
            { cle: 'siret', type: 'siret', libelle: 'SIRET (si connu)' },
            {
              cle: 'categorie',
              type: 'choix_unique',
              libelle: 'Catégorie',
              options: [
                { valeur: 'ess', libelle: 'Structure de l’ESS' },
                { valeur: 'entreprise', libelle: 'Entreprise (économie classique)' },
                { valeur: 'collectivite', libelle: 'Collectivité territoriale' },
                { valeur: 'autre', libelle: 'Autre' },
              ],
              source: `${S004} — passerelles « entre l'ESS et l'économie classique » ; « coopérations avec les collectivités territoriales »`,
            },
          ],
        },
      ],
    },
    {
      titre: 'Phase 2 et appui financier',
      champs: [
        {
          cle: 'candidat_phase2',
          type: 'oui_non',
          libelle: 'Souhaitez-vous être retenu pour la phase 2 (appui financier de l’État) ?',
          obligatoire: true,
          source: `${S004} — « Phase 2 de juillet à novembre : sélection de 15 à 20 territoires parmi les lauréats de la phase 1 »`,
        },
        {
          cle: 'appui_decisif',
          type: 'texte_long',
          libelle: 'En quoi un appui financier de l’État serait-il particulièrement décisif pour l’émergence du PTCE ?',
          obligatoire: true,
          max: 4000,
          afficher_si: { champ: 'candidat_phase2', egal: true },
          source: `${S004} — territoires « pour lesquelles un appui financier de l'État pourrait être particulièrement décisif »`,
        },
        {
          cle: 'animation',
          type: 'texte_long',
          libelle: 'Quelle animation territoriale des coopérations ce financement permettrait-il ?',
          obligatoire: true,
          max: 4000,
          afficher_si: { champ: 'candidat_phase2', egal: true },
          source: `${S004} — « Ce financement permettra en particulier de financer l'animation territoriale des coopérations »`,
        },
        {
          cle: 'budget_animation',
          type: 'montant',
          libelle: 'Budget prévisionnel de l’animation sur 2 ans (en euros)',
          min: 0,
          afficher_si: { champ: 'candidat_phase2', egal: true },
          aide: 'Le financement de l’État annoncé est de 100 000 € pour 2 ans.',
          source: `${S004} — « un financement de l'État de 100 000€ pour 2 ans »`,
        },
        {
          cle: 'groupes_travail',
          type: 'choix_multiple',
          libelle: 'Groupes de travail thématiques qui vous intéressent',
          options: THEMES.map((libelle, i) => ({ valeur: `theme_${i + 1}`, libelle })),
          source: `${S004} — « des groupes de travail thématiques seront organisés prochainement sur les sujets suivants »`,
        },
      ],
    },
    {
      titre: 'Contact',
      champs: [
        { cle: 'contact_nom', type: 'texte', libelle: 'Nom de la personne à contacter', obligatoire: true },
        { cle: 'contact_email', type: 'email', libelle: 'Adresse e-mail', obligatoire: true },
        { cle: 'contact_telephone', type: 'telephone', libelle: 'Téléphone' },
        { cle: 'adresse', type: 'adresse', libelle: 'Adresse postale de la structure cheffe de file' },
      ],
    },
    {
      // 004 names no document to join (its files were « à compléter et à renvoyer » on another site): Maillage's own field.
      titre: 'Pièces complémentaires',
      champs: [
        {
          cle: 'pieces_complementaires',
          type: 'fichier',
          libelle: 'Pièces complémentaires',
          aide: 'Facultatif : tout document utile à la compréhension de la dynamique (présentation, lettres de soutien…), réunis en un seul fichier.',
        },
      ],
    },
  ],
};

export const amiPtce2021: DemoCall = {
  key: 'ami-ptce-2021',
  title: 'AMI national PTCE 2021 — émergence de nouveaux pôles territoriaux de coopération économique',
  description:
    "Appel à manifestation d'intérêt « pour les PTCE émergent », « national et permanent », lancé le 12 mai 2021 dans le cadre " +
    "de la stratégie nationale de relance des PTCE. Son objet « en première intention est l'identification des dynamiques " +
    "locale d'émergence de nouveaux PTCE ». Première vague du 12 mai 2021 « jusqu'en novembre de la même année », en deux " +
    'phases. Lauréats de la phase 1 : accès à « un premier bouquet de service « spécifique émergence » ». Lauréats de la ' +
    "phase 2 : ce bouquet et « un financement de l'État de 100 000€ pour 2 ans avec une aide complémentaire en année 3 en " +
    "fonction de l'avancée du dossier les 2 premières années » (004). Démonstration : dans Maillage, les dossiers se déposent " +
    'ici ; en 2021, ils se déposaient sur « Ma démarche simplifiée ».',
  dispositif: 'ami-ptce',
  organisateurs: ["État — Secrétariat d'État chargé de l'Économie sociale, solidaire et responsable", 'DG Trésor'],
  laureats_min: 15,
  laureats_max: 20,
  // No total envelope is stated; 100 000 € per phase-2 laureate, year 3 amount not stated.
  budget: null,
  budget_texte:
    "100 000 € pour 2 ans par lauréat de la phase 2, avec une aide complémentaire en année 3 en fonction de l'avancée du dossier les 2 premières années",
  eligibilite: { stades: ['emergence'], modeles: ['PTCE'] },
  couverture_niveau: 'national',
  phases: [
    {
      vague: 'Vague 1',
      label: 'Phase 1 : identification des dynamiques PTCE en émergence',
      description: 'Lauréats : accès à un premier bouquet de service « spécifique émergence ».',
      // Launched on 12 May 2021 (a videoconference; no time given: the start of that day).
      ouverture: toParisIso(parisStartOfDay('2021-05-12')), // 2021-05-12T00:00:00.000+02:00
      // « pour le mercredi 23 juin minuit délai de rigueur »: the midnight ending Wednesday 23 June (see calendar.ts).
      cloture: toParisIso(parisEndOfDay('2021-06-23')), // 2021-06-23T23:59:59.999+02:00
      depot: true,
      // « la semaine du 19 juillet »: 19 July 2021 is a Monday.
      resultats_date: '2021-07-19',
      resultats_texte: 'Lauréats annoncés la semaine du 19 juillet 2021',
    },
    {
      vague: 'Vague 1',
      label: 'Phase 2 : sélection de 15 à 20 territoires parmi les lauréats de la phase 1',
      description:
        "Territoires « pour lesquelles un appui financier de l'État pourrait être particulièrement décisif afin de s'assurer de " +
        "l'émergence du PTCE ». Lauréats : bouquet de service « spécifique émergence » et financement de l'État de 100 000 € pour " +
        "2 ans, avec une aide complémentaire en année 3 selon l'avancée du dossier.",
      // « de juillet à novembre »: no day given; read at month granularity (1 July → end of November, winter time).
      ouverture: toParisIso(parisStartOfDay('2021-07-01')), // 2021-07-01T00:00:00.000+02:00
      cloture: toParisIso(parisEndOfDay('2021-11-30')), // 2021-11-30T23:59:59.999+01:00 (winter time)
      depot: false,
      resultats_date: null,
      resultats_texte: null,
    },
  ],
  formulaire: form,
  source: `${S004} — « Un AMI national et permanent » et « Informations pratiques »`,
};
