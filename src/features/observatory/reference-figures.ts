/**
 * The key figures of document 001 (Labo de l'ESS, « Vers une société de la coopération », synthèse, « Chiffres
 * clés »), each with the source the document gives for it, word for word; `modele` ties a figure to the
 * cooperations of that model in the Atlas, so that the page can set what Maillage lists beside it.
 */
import type { modele } from '../../domain/cooperation.ts';

export interface ReferenceFigure {
  code: string;
  libelle: string;
  valeur: number;
  annee: number;
  source: string;
  modele?: keyof typeof modele.labels;
}

export const REFERENCE_DOCUMENT = 'Labo de l’ESS, « Vers une société de la coopération », synthèse du rapport d’étude (document 001), « Chiffres clés »';

export const REFERENCE_FIGURES: readonly ReferenceFigure[] = [
  {
    code: 'ptce',
    libelle: 'Pôles territoriaux de coopération économique (PTCE) en France',
    valeur: 203,
    annee: 2023,
    source: 'Coorace, 2023',
    modele: 'PTCE',
  },
  {
    code: 'ptce_hausse_pct',
    libelle: 'Hausse du nombre de PTCE en deux ans (%), en grande partie sous l’effet du dispositif national de soutien',
    valeur: 365,
    annee: 2023,
    source: 'Coorace, 2023',
  },
  { code: 'tzcld', libelle: 'Territoires zéro chômeur de longue durée (TZCLD) habilités', valeur: 60, annee: 2024, source: 'TZCLD, 2024', modele: 'TZCLD' },
  {
    code: 'tzcld_emplois',
    libelle: 'Personnes au préalable durablement privées d’emploi employées par les TZCLD (début 2024)',
    valeur: 2677,
    annee: 2024,
    source: 'TZCLD, 2024',
  },
  { code: 'tiers_lieux', libelle: 'Tiers-lieux en France', valeur: 3500, annee: 2023, source: 'Observatoire des tiers-lieux, 2023', modele: 'tiers_lieu' },
];
