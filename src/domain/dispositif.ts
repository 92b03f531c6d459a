/**
 * The vocabulary of support and funding schemes (dispositifs), from the accompaniment
 * and financing kinds of document 001 (« Vers une société de la coopération »).
 */
import { defineEnum } from './enum.ts';

export const typeAccompagnement = defineEnum({
  animation: 'Animation',
  developpement: 'Développement',
  fonctions_support: 'Fonctions support',
  expertise_metier: 'Expertise métier',
  transfert_savoir_faire: 'Transfert de savoir-faire',
  tiers_de_confiance: 'Tiers de confiance',
  appui_strategique: 'Appui stratégique',
  accompagnement_pairs: 'Accompagnement par les pairs',
  formation: 'Formation',
});

export const typeFinancement = defineEnum({
  subvention_fonctionnement: 'Subvention de fonctionnement',
  subvention_projet: 'Subvention de projet',
  convention_pluriannuelle: "Convention pluriannuelle d'objectifs",
  pret: 'Prêt',
  pret_honneur: "Prêt d'honneur",
  pret_participatif: 'Prêt participatif',
  garantie: 'Garantie',
  fonds_propres: 'Fonds propres ou quasi-fonds propres',
  don_mecenat: 'Don, mécénat',
  financement_participatif: 'Financement participatif',
  epargne_solidaire: 'Épargne solidaire',
  ressources_non_monetaires: 'Ressources non monétaires',
  appel_a_projets: 'Appel à projets ou à manifestation d’intérêt',
});

/** How a scheme is open in time: all year, between two dates, or by successive waves. */
export const calendrier = defineEnum({
  permanent: 'Permanent',
  date: 'Daté',
  vagues: 'Par vagues',
});

/** Geographic coverage: national, or a list of COG territories of one level. */
export const niveauCouverture = defineEnum({
  national: 'National',
  region: 'Région',
  departement: 'Département',
  epci: 'Intercommunalité',
  commune: 'Commune',
});
