/**
 * Maillage's reference set of indicators (product specification, section 5), each with its
 * source. The set is fixed in code; calls and networks add their own indicators in the database (table
 * indicateur). Values are entered per period and summed when aggregated: every reference indicator is a count
 * or an amount of a period.
 */
import type { IndicatorDefinition } from '../domain/indicators.ts';

export interface ReferenceIndicator extends IndicatorDefinition {
  description: string;
  source: string;
}

const SPEC = 'Jeu de référence de Maillage (spécification produit, section 5 « Indicateurs »)';
const HYBRIDATION =
  `${SPEC} : hybridation des ressources publiques, privées, marchandes et non monétaires ; document 003 (Labo de l’ESS, ` +
  '« Coopérer dans les territoires ») : « valorisation et d’hybridation de diverses ressources dans la réussite des projets locaux »';

export const referenceIndicators: readonly ReferenceIndicator[] = [
  {
    code: 'etp',
    libelle: 'Emplois en équivalent temps plein',
    type: 'decimal',
    unite: 'ETP',
    description: 'Salariés de la coopération et de ses membres pour la coopération, en équivalent temps plein sur la période.',
    source: SPEC,
  },
  {
    code: 'emplois_insertion',
    libelle: 'Emplois en insertion',
    type: 'entier',
    unite: 'personnes',
    description: 'Personnes salariées en parcours d’insertion sur la période.',
    source: `${SPEC} ; document 003, chapitre sur l’insertion par l’activité économique`,
  },
  {
    code: 'personnes_accompagnees',
    libelle: 'Personnes accompagnées',
    type: 'entier',
    unite: 'personnes',
    description: 'Personnes accompagnées par la coopération sur la période.',
    source: SPEC,
  },
  { code: 'benevoles', libelle: 'Bénévoles', type: 'entier', unite: 'personnes', description: 'Bénévoles actifs sur la période.', source: SPEC },
  {
    code: 'membres',
    libelle: 'Membres',
    type: 'entier',
    unite: 'membres',
    description: 'Organisations et personnes membres de la coopération à la fin de la période.',
    source: SPEC,
  },
  {
    code: 'chiffre_affaires',
    libelle: 'Chiffre d’affaires',
    type: 'euros',
    unite: '€',
    description: 'Chiffre d’affaires de la coopération sur la période.',
    source: SPEC,
  },
  {
    code: 'ressources_publiques',
    libelle: 'Ressources publiques',
    type: 'euros',
    unite: '€',
    description: 'Subventions et financements publics reçus sur la période.',
    source: HYBRIDATION,
  },
  {
    code: 'ressources_privees',
    libelle: 'Ressources privées non marchandes',
    type: 'euros',
    unite: '€',
    description: 'Dons, mécénat et cotisations reçus sur la période.',
    source: HYBRIDATION,
  },
  {
    code: 'ressources_marchandes',
    libelle: 'Ressources marchandes',
    type: 'euros',
    unite: '€',
    description: 'Ventes de biens et de services sur la période.',
    source: HYBRIDATION,
  },
  {
    code: 'ressources_non_monetaires',
    libelle: 'Ressources non monétaires (valorisées)',
    type: 'euros',
    unite: '€',
    description: 'Bénévolat, mises à disposition et dons en nature, valorisés en euros sur la période.',
    source: HYBRIDATION,
  },
  {
    code: 'achats_locaux',
    libelle: 'Achats locaux',
    type: 'euros',
    unite: '€',
    description: 'Achats auprès de fournisseurs du territoire sur la période.',
    source: SPEC,
  },
  {
    code: 'epargne_citoyenne',
    libelle: 'Épargne citoyenne mobilisée',
    type: 'euros',
    unite: '€',
    description: 'Épargne apportée par des habitants (parts sociales, prêts, souscriptions) sur la période.',
    source: `${SPEC} ; document 003, « Coopérer dans les territoires » : Éoliennes en Pays de Vilaine mobilise « l'épargne locale de plus de 800 habitants »`,
  },
];
