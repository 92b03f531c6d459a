/**
 * The vocabulary of cooperations, from the Labo de l'ESS typology (document 001, « Vers une société de la
 * coopération », see docs/SOURCES.md). Codes are the public API values; labels are what pages show.
 */
import { defineEnum } from './enum.ts';

/** Models of cooperation; `aucun` is a cooperation that follows no model (« non modélisée », 001). */
export const modele = defineEnum({
  PTCE: 'Pôle territorial de coopération économique (PTCE)',
  TZCLD: 'Territoire zéro chômeur de longue durée',
  tiers_lieu: 'Tiers-lieu',
  SCIC: "Société coopérative d'intérêt collectif (SCIC)",
  CUMA: "Coopérative d'utilisation de matériel agricole (CUMA)",
  AMAP: "Association pour le maintien d'une agriculture paysanne (AMAP)",
  PAT: 'Projet alimentaire territorial (PAT)',
  pole_ess: 'Pôle ESS',
  CAE: "Coopérative d'activité et d'emploi (CAE)",
  cluster: 'Cluster',
  aucun: 'Sans modèle (coopération non modélisée)',
});

/** 001: a cooperation is « ciblée » (one sector or one problem) or « systémique » (a territory's whole economy). */
export const finalite = defineEnum({
  ciblee: 'Ciblée',
  systemique: 'Systémique',
});

/** 001: the economic model of the cooperation. */
export const modeleEconomique = defineEnum({
  non_marchande: 'Non marchande',
  marchande: 'Marchande',
  hybride: 'Hybride',
});

/** 001: the stages of a cooperation's life, each with its own needs. */
export const stade = defineEnum({
  emergence: 'Émergence',
  creation: 'Création',
  consolidation: 'Consolidation',
  changement_echelle: "Changement d'échelle",
});

/** Roles a member holds in a cooperation. */
export const roleMembre = defineEnum({
  porteur: 'Porteur',
  entreprise_ess: "Entreprise de l'ESS",
  autre_entreprise: 'Autre entreprise',
  collectivite: 'Collectivité',
  recherche: 'Recherche',
  formation: 'Formation',
  citoyens: 'Citoyens',
});

/** 001: a cooperation that follows a model (PTCE, SCIC…) is « modélisée ». */
export function isModelisee(model: keyof typeof modele.labels): boolean {
  return model !== 'aucun';
}
