/** The vocabulary of organisations (structures): ESS status, legal form, thematic sector, size. */
import { defineEnum } from './enum.ts';

/**
 * ESS status. The law of 31 July 2014 (quoted in document 002) makes associations, cooperatives, mutuals and
 * foundations ESS « de droit »; commercial companies join the ESS by their statutes; the ESUS agreement is
 * granted by the State on top of that.
 */
export const statutEss = defineEnum({
  ess_de_droit: 'ESS de droit (association, coopérative, mutuelle, fondation)',
  ess_commerciale: "Société commerciale de l'ESS",
  agrement_esus: 'Agrément ESUS',
  hors_ess: 'Hors ESS',
});

/**
 * INSEE « catégories juridiques », level II (the two first digits of the four-digit code SIRENE gives).
 * Source: INSEE, nomenclature des catégories juridiques.
 */
export const formeJuridique = defineEnum({
  '10': 'Entrepreneur individuel',
  '21': 'Indivision',
  '22': 'Société créée de fait',
  '23': 'Société en participation',
  '24': 'Fiducie',
  '27': 'Paroisse hors zone concordataire',
  '28': 'Assujetti unique à la TVA',
  '29': 'Autre groupement de droit privé non doté de la personnalité morale',
  '31': 'Personne morale de droit étranger, immatriculée au RCS',
  '32': 'Personne morale de droit étranger, non immatriculée au RCS',
  '41': 'Établissement public ou régie à caractère industriel ou commercial',
  '51': 'Société coopérative commerciale particulière',
  '52': 'Société en nom collectif',
  '53': 'Société en commandite',
  '54': 'Société à responsabilité limitée (SARL)',
  '55': 'Société anonyme à conseil d’administration',
  '56': 'Société anonyme à directoire',
  '57': 'Société par actions simplifiée',
  '58': 'Société européenne',
  '61': 'Caisse d’épargne et de prévoyance',
  '62': 'Groupement d’intérêt économique',
  '63': 'Société coopérative agricole',
  '64': 'Société d’assurance mutuelle',
  '65': 'Société civile',
  '69': 'Autre personne morale de droit privé inscrite au RCS',
  '71': 'Administration de l’État',
  '72': 'Collectivité territoriale',
  '73': 'Établissement public administratif',
  '74': 'Autre personne morale de droit public administratif',
  '81': 'Organisme gérant un régime de protection sociale à adhésion obligatoire',
  '82': 'Organisme mutualiste',
  '83': 'Comité social et économique',
  '84': 'Organisme professionnel',
  '85': 'Organisme de retraite à adhésion non obligatoire',
  '91': 'Syndicat de propriétaires',
  '92': 'Association loi 1901 ou assimilé',
  '93': 'Fondation',
  '99': 'Autre personne morale de droit privé',
});

/** Level II of a legal-form code: SIRENE gives four digits, the facets group by the first two. */
export function formeJuridiqueNiveau2(code: string): string {
  return code.slice(0, 2);
}

/** Legal forms whose organisations are ESS « de droit » (law of 31 July 2014, art. 1). */
const ESS_DE_DROIT_NIVEAU_2 = new Set(['51', '63', '64', '82', '92', '93']);

/**
 * The ESS status SIRENE lets us infer: its flag `economieSocialeSolidaireUniteLegale` says whether the unit
 * belongs to the ESS; the legal form tells an association/cooperative/mutual/foundation from a company.
 * Cooperative SA and SAS (SCOP, SCIC: 54–57) are ESS de droit too, but level II cannot tell them apart.
 */
export function statutEssFromSirene(essFlag: string | undefined, legalForm: string | undefined): keyof typeof statutEss.labels | null {
  if (essFlag === 'N') return 'hors_ess';
  if (essFlag !== 'O') return null;
  return legalForm && ESS_DE_DROIT_NIVEAU_2.has(formeJuridiqueNiveau2(legalForm)) ? 'ess_de_droit' : 'ess_commerciale';
}

/** INSEE « tranches d'effectif salarié ». Source: INSEE, SIRENE, trancheEffectifsEtablissement. */
export const trancheEffectif = defineEnum({
  NN: 'Non employeur',
  '00': '0 salarié',
  '01': '1 ou 2 salariés',
  '02': '3 à 5 salariés',
  '03': '6 à 9 salariés',
  '11': '10 à 19 salariés',
  '12': '20 à 49 salariés',
  '21': '50 à 99 salariés',
  '22': '100 à 199 salariés',
  '31': '200 à 249 salariés',
  '32': '250 à 499 salariés',
  '41': '500 à 999 salariés',
  '42': '1 000 à 1 999 salariés',
  '51': '2 000 à 4 999 salariés',
  '52': '5 000 à 9 999 salariés',
  '53': '10 000 salariés et plus',
});
