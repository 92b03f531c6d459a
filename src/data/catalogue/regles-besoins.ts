/**
 * Needs rules, version 1: the two needs matrices of document 001 (Labo de l'ESS, « Vers une
 * société de la coopération »), one rule per need of each row, worded as the matrix words it.
 * `couvert_par` (which scheme kinds answer a need) is Maillage's reading, not the document's: it is what an
 * administrator revises when the rules are edited.
 */
import type { NeedRule } from '../../domain/needs.ts';

export const NEEDS_RULES_VERSION = 1;
export const NEEDS_RULES_SOURCE = '001_9ff37d146fd43ca5.txt — « Diversité des besoins en accompagnement et en financement des coopérations territoriales »';

const EMERGENCE = ['emergence'] as const;
const AFTER_EMERGENCE = ['creation', 'consolidation', 'changement_echelle'] as const;

const emergence = (ligne: string, condition: Omit<NeedRule['condition'], 'stades'>, needs: Omit<NeedRule, 'matrice' | 'ligne' | 'condition'>[]): NeedRule[] =>
  needs.map((need) => ({ ...need, matrice: 'emergence', ligne, condition: { stades: [...EMERGENCE], ...condition } }));

const afterEmergence = (
  ligne: string,
  condition: Omit<NeedRule['condition'], 'stades'>,
  needs: Omit<NeedRule, 'matrice' | 'ligne' | 'condition'>[],
): NeedRule[] =>
  needs.map((need) => ({ ...need, matrice: 'creation_consolidation_changement_echelle', ligne, condition: { stades: [...AFTER_EMERGENCE], ...condition } }));

export const needsRules: NeedRule[] = [
  ...emergence('Tout type de coopération territoriale', {}, [
    {
      code: 'animation_interne',
      type: 'accompagnement',
      libelle: 'Animation interne en continuité par des bénévoles ou des salarié-e-s',
      couvert_par: { accompagnement: ['animation'], financement: [] },
    },
    {
      code: 'structuration_expertise',
      type: 'accompagnement',
      libelle: 'Accompagnement à la structuration et à l’expertise métier',
      couvert_par: { accompagnement: ['developpement', 'expertise_metier', 'fonctions_support'], financement: [] },
    },
    {
      code: 'financement_animation_interne',
      type: 'financement',
      libelle: 'Financement de l’animation interne (besoin permanent)',
      couvert_par: { accompagnement: [], financement: ['subvention_fonctionnement', 'convention_pluriannuelle'] },
    },
    {
      code: 'financement_structuration',
      type: 'financement',
      libelle: 'Financement ponctuel de l’accompagnement à la structuration et à l’expertise métier',
      couvert_par: { accompagnement: [], financement: ['subvention_projet', 'appel_a_projets'] },
    },
    {
      code: 'financement_experimentations',
      type: 'financement',
      libelle: 'Financement éventuel des expérimentations',
      couvert_par: { accompagnement: [], financement: ['subvention_projet', 'appel_a_projets', 'don_mecenat', 'financement_participatif'] },
    },
  ]),
  ...emergence('Coopération territoriale modélisée', { modelisee: true }, [
    {
      code: 'accompagnement_pairs',
      type: 'accompagnement',
      libelle: 'Accompagnement par des pairs, visites apprenantes, etc.',
      couvert_par: { accompagnement: ['accompagnement_pairs', 'transfert_savoir_faire'], financement: [] },
    },
    {
      code: 'partage_ressources',
      type: 'accompagnement',
      libelle: 'Partage de ressources',
      couvert_par: { accompagnement: ['transfert_savoir_faire'], financement: ['ressources_non_monetaires'] },
    },
    {
      code: 'soutien_reseaux',
      type: 'accompagnement',
      libelle: 'Soutien éventuel des réseaux',
      couvert_par: { accompagnement: ['accompagnement_pairs', 'animation'], financement: [] },
    },
    {
      code: 'financement_accompagnement_pairs',
      type: 'financement',
      libelle: 'Financement de l’accompagnement par des pairs',
      couvert_par: { accompagnement: [], financement: ['subvention_projet', 'subvention_fonctionnement'] },
    },
    {
      code: 'financement_reseaux_appui',
      type: 'financement',
      libelle: 'Financement des réseaux d’appui à l’accompagnement',
      couvert_par: { accompagnement: [], financement: ['subvention_fonctionnement', 'convention_pluriannuelle'] },
    },
  ]),
  ...emergence('Coopération territoriale non modélisée', { modelisee: false }, [
    {
      code: 'tiers_de_confiance',
      type: 'accompagnement',
      libelle: 'Tiers de confiance',
      couvert_par: { accompagnement: ['tiers_de_confiance'], financement: [] },
    },
    {
      code: 'definition_projet',
      type: 'accompagnement',
      libelle: 'Aide à la définition du projet',
      couvert_par: { accompagnement: ['developpement', 'appui_strategique'], financement: [] },
    },
    {
      code: 'financement_tiers_de_confiance',
      type: 'financement',
      libelle: 'Financement du tiers de confiance',
      couvert_par: { accompagnement: [], financement: ['subvention_projet', 'subvention_fonctionnement'] },
    },
  ]),
  ...emergence('Coopération territoriale systémique', { finalite: 'systemique' }, [
    {
      code: 'appui_strategique',
      type: 'accompagnement',
      libelle: 'Appui stratégique',
      couvert_par: { accompagnement: ['appui_strategique'], financement: [] },
    },
    {
      code: 'animation_territoriale',
      type: 'accompagnement',
      libelle: 'Animation territoriale en charge de la coopération',
      couvert_par: { accompagnement: ['animation'], financement: [] },
    },
    {
      code: 'financement_dispositif_accompagnement',
      type: 'financement',
      libelle: 'Financement important du dispositif d’accompagnement',
      couvert_par: { accompagnement: [], financement: ['convention_pluriannuelle', 'subvention_fonctionnement'] },
    },
    {
      code: 'financement_experiences_pilotes',
      type: 'financement',
      libelle: 'Financement d’expériences pilotes',
      couvert_par: { accompagnement: [], financement: ['subvention_projet', 'appel_a_projets'] },
    },
  ]),
  // « Coopération territoriale ciblée » : « Pas de spécificité » in both columns, hence no rule.
  ...afterEmergence('Coopération territoriale non marchande', { modele_economique: 'non_marchande' }, [
    {
      code: 'financement_complet_fonctionnement',
      type: 'financement',
      libelle: 'Financement complet du fonctionnement de la structure et de ses investissements par des subventions publiques ou du financement privé',
      couvert_par: { accompagnement: [], financement: ['subvention_fonctionnement', 'convention_pluriannuelle', 'subvention_projet', 'don_mecenat'] },
    },
  ]),
  ...afterEmergence('Coopération territoriale marchande', { modele_economique: 'marchande' }, [
    {
      code: 'financement_classique_creation',
      type: 'financement',
      libelle: 'Besoins de financement classiques en phase de création, ne nécessitant pas le recours aux subventions et aux dons',
      couvert_par: { accompagnement: [], financement: ['pret', 'pret_honneur', 'pret_participatif', 'garantie', 'fonds_propres'] },
    },
  ]),
  ...afterEmergence('Coopération territoriale hybride', { modele_economique: 'hybride' }, [
    {
      code: 'outils_financiers_classiques',
      type: 'financement',
      libelle: 'Besoin de recourir aux outils financiers classiques',
      couvert_par: { accompagnement: [], financement: ['pret', 'pret_honneur', 'pret_participatif', 'garantie', 'fonds_propres'] },
    },
    {
      code: 'subventions_dons',
      type: 'financement',
      libelle: 'Besoin de recourir aux subventions et aux dons',
      couvert_par: { accompagnement: [], financement: ['subvention_fonctionnement', 'subvention_projet', 'don_mecenat'] },
    },
  ]),
  ...afterEmergence('Toute coopération territoriale', {}, [
    {
      code: 'animation_gouvernance',
      type: 'accompagnement',
      libelle: 'Animation de coopération territoriale ayant pour objet de garantir le dynamisme de la gouvernance participative',
      couvert_par: { accompagnement: ['animation'], financement: [] },
    },
  ]),
  ...afterEmergence('Coopération territoriale engageant de nouveaux chantiers', { nouveaux_chantiers: true }, [
    {
      code: 'animation_strategique',
      type: 'accompagnement',
      libelle: 'Animation stratégique',
      couvert_par: { accompagnement: ['appui_strategique', 'animation'], financement: [] },
    },
    {
      code: 'developpement_nouveaux_chantiers',
      type: 'accompagnement',
      libelle: 'Développement de nouveaux chantiers coopératifs',
      couvert_par: { accompagnement: ['developpement', 'expertise_metier'], financement: [] },
    },
  ]),
];
