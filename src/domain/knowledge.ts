/**
 * The vocabulary of the knowledge base (capitalisation et transfert de savoir-faire, document 001): what kind
 * of resource, and its themes. Stages and models are those of cooperations (domain/cooperation.ts).
 */
import { defineEnum } from './enum.ts';

export const typeRessource = defineEnum({
  experience: 'Retour d’expérience',
  methode: 'Méthode',
  outil: 'Outil',
  fiche_technique: 'Fiche technique',
});

export const themeRessource = defineEnum({
  circuit_court: 'Circuit court',
  achat_public: 'Achat public et commande publique',
  cooperation_territoriale: 'Coopération territoriale',
  mutualisation: 'Mutualisation',
  financement: 'Financement et trésorerie',
  accompagnement: 'Accompagnement et ingénierie',
  mobilisation_citoyenne: 'Mobilisation des habitants',
  foncier_locaux: 'Foncier et locaux',
});

export type TypeRessource = keyof typeof typeRessource.labels;
export type ThemeRessource = keyof typeof themeRessource.labels;
