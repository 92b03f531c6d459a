/**
 * Thematic sectors, the grouping people search by, derived from the NAF rév. 2 division (first two digits of
 * the activity code) so that every imported structure gets one without manual work.
 */
import { defineEnum } from './enum.ts';

export const secteur = defineEnum({
  agriculture_alimentation: 'Agriculture et alimentation',
  industrie_artisanat: 'Industrie et artisanat',
  energie_environnement: 'Énergie, eau, déchets et environnement',
  construction_habitat: 'Construction, habitat et immobilier',
  commerce: 'Commerce',
  transport_mobilite: 'Transport et mobilité',
  tourisme_restauration: 'Hébergement, restauration et tourisme',
  information_communication: 'Information et communication',
  finance_assurance: 'Finance et assurance',
  services_entreprises: 'Services aux entreprises',
  administration: 'Administration publique',
  education_formation: 'Éducation et formation',
  sante_action_sociale: 'Santé et action sociale',
  culture_sport_loisirs: 'Culture, sport et loisirs',
  vie_associative_services: 'Vie associative et services aux personnes',
});

export type Secteur = keyof typeof secteur.labels;

/** NAF divisions (two digits, inclusive ranges) of each sector; the first matching range wins. */
const DIVISION_RANGES: [from: number, to: number, sector: Secteur][] = [
  [1, 3, 'agriculture_alimentation'],
  [10, 11, 'agriculture_alimentation'],
  [5, 33, 'industrie_artisanat'],
  [35, 39, 'energie_environnement'],
  [41, 43, 'construction_habitat'],
  [68, 68, 'construction_habitat'],
  [45, 47, 'commerce'],
  [49, 53, 'transport_mobilite'],
  [55, 56, 'tourisme_restauration'],
  [79, 79, 'tourisme_restauration'],
  [58, 63, 'information_communication'],
  [64, 66, 'finance_assurance'],
  [69, 82, 'services_entreprises'],
  [84, 84, 'administration'],
  [85, 85, 'education_formation'],
  [86, 88, 'sante_action_sociale'],
  [90, 93, 'culture_sport_loisirs'],
  [94, 99, 'vie_associative_services'],
];

/** The sector of a NAF code such as "88.99B" or "8899B"; null when the code has no known division. */
export function secteurFromNaf(naf: string | null | undefined): Secteur | null {
  const division = Number(naf?.slice(0, 2));
  if (!Number.isInteger(division)) return null;
  const range = DIVISION_RANGES.find(([from, to]) => division >= from && division <= to);
  return range ? range[2] : null;
}

/** NAF codes are written "88.99B"; SIRENE and users sometimes drop the dot. */
export function normaliseNaf(code: string): string | null {
  const match = /^(\d{2})\.?(\d{2})([A-Z])$/.exec(code.trim().toUpperCase());
  return match ? `${match[1]}.${match[2]}${match[3]}` : null;
}
