/**
 * Demo organisations: structures the source documents name and say something specific of (mostly members of
 * the demo cooperations), with only what the document says. `legal_form` / `statut_ess` follow from a status
 * the document states: an association is 92 and ESS de droit, a cooperative (Scop, CUMA, CAE, SCIC) is ESS de
 * droit (law of 31 July 2014, quoted in 002), a CUMA is a société coopérative agricole (63), a « SAS ESUS » is
 * 57 with the ESUS agreement. Coordinates are commune centres, approximate (about 3 decimals).
 */
import type { EnumCode } from '../../domain/enum.ts';
import type { formeJuridique, statutEss } from '../../domain/organisation.ts';
import type { Secteur } from '../../domain/sector.ts';

const S000 = '000_68dfcb3a868904b3.txt';
const S002 = '002_8b069b548333f77d.txt';
const S003 = '003_b2746d46d32e7dc5.txt';
const S004 = '004_37a44aab6c3ef982.txt';

export interface DemoOrganisation {
  /** Unique among demo organisations: members refer to it by name. */
  name: string;
  legal_form: EnumCode<typeof formeJuridique> | null;
  statut_ess: EnumCode<typeof statutEss> | null;
  secteur: Secteur | null;
  commune: string | null;
  departement?: string;
  region?: string;
  latitude: number | null;
  longitude: number | null;
  description: string;
  source: string;
}

const brestStudy = (name: string): DemoOrganisation => ({
  name,
  legal_form: '92',
  statut_ess: 'ess_de_droit',
  secteur: null,
  commune: null,
  latitude: null,
  longitude: null,
  description:
    "Association de sensibilisation et de promotion de l'ESS, citée parmi les pôles de développement de l'ESS recensés " +
    "par une étude de Brest Métropole Océane (2009) ; le document n'en dit pas davantage.",
  source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des fonctions différentes`,
});

export const demoOrganisations: readonly DemoOrganisation[] = [
  {
    name: 'Groupe Archer',
    legal_form: null,
    statut_ess: null,
    secteur: null,
    commune: '26281',
    latitude: 45.043,
    longitude: 5.052,
    description:
      "Acteur de l'ESS de la Drôme, membre du Pôle Sud à Romans. Son PDG figure parmi les intervenants du lancement de la " +
      'stratégie nationale de relance des PTCE (12 mai 2021).',
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE » (Pôle Sud Rhône-Alpes) ; ${S004} — intervenants`,
  },
  {
    name: 'Halage',
    legal_form: null,
    statut_ess: null,
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description: "Entreprise d'insertion dans l'environnement, à l'initiative du lieu Le Phares à L'Île-Saint-Denis.",
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », Le Phares`,
  },
  {
    name: 'Action Emploi',
    legal_form: '92',
    statut_ess: 'ess_de_droit',
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description:
      'Association intermédiaire qui propose des activités de ménage, de jardinage et de petit entretien ; membre du ' +
      "Collectif PES (Pôle d'économie solidaire Sud-Essonne).",
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », Pôle Economie Solidaire Sud-Essonne`,
  },
  {
    name: 'Les Potagers du Télégraphe',
    legal_form: null,
    statut_ess: null,
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description:
      "Chantier d'insertion qui développe des activités de maraîchage biologique et d'entretien des espaces naturels ; " +
      "membre du Collectif PES (Pôle d'économie solidaire Sud-Essonne).",
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », Pôle Economie Solidaire Sud-Essonne`,
  },
  {
    name: 'Scop Val Emploi',
    legal_form: null,
    statut_ess: 'ess_de_droit',
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description:
      "Entreprise d'insertion (Scop) qui propose des activités de blanchisserie, de ménage et de second œuvre du bâtiment ; " +
      "membre du Collectif PES (Pôle d'économie solidaire Sud-Essonne).",
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », Pôle Economie Solidaire Sud-Essonne`,
  },
  {
    name: 'Cuma Ecovaloris',
    legal_form: '63',
    statut_ess: 'ess_de_droit',
    secteur: 'agriculture_alimentation',
    commune: null,
    departement: '50',
    region: '28',
    latitude: null,
    longitude: null,
    description:
      "Coopérative d'utilisation de matériel agricole de la Manche : elle permet à l'association Haiecobois de s'appuyer sur " +
      'le réseau d’agriculteurs existant, et la déchiqueteuse qui broie le bois des haies bocagères est mutualisée en son sein.',
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », agriculture`,
  },
  {
    name: 'Association Haiecobois',
    legal_form: '92',
    statut_ess: 'ess_de_droit',
    secteur: null,
    commune: null,
    departement: '50',
    region: '28',
    latitude: null,
    longitude: null,
    description:
      "Association de la Manche créée en 2006, qui commercialise le bois déchiqueté issu de l'entretien durable des haies " +
      'bocagères de ses agriculteurs adhérents.',
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », agriculture`,
  },
  {
    name: 'CAE Crescendo',
    legal_form: null,
    statut_ess: 'ess_de_droit',
    secteur: null,
    commune: '61169',
    latitude: 48.748,
    longitude: -0.57,
    description: "Coopérative d'activité et d'emploi basée à Flers ; elle a accompagné l'association Passerelles-Théâtre.",
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », activités culturelles`,
  },
  {
    name: 'Montauban Services',
    legal_form: '92',
    statut_ess: 'ess_de_droit',
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description:
      'Association partenaire de la Conciergerie de mobilité rurale du PETR Midi-Quercy : ateliers et services de mobilité ' +
      '(location de deux-roues et quatre-roues à tarif adapté, réparation à moindre coût, préapprentissage du code de la route).',
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », mobilité/transports`,
  },
  {
    name: 'Cinéma Le France',
    legal_form: null,
    statut_ess: 'ess_de_droit',
    secteur: 'culture_sport_loisirs',
    commune: '42218',
    latitude: 45.434,
    longitude: 4.39,
    description: "Cinéma de Saint-Étienne repris en société coopérative d'intérêt collectif (SCIC) à l'initiative de Culture et Coopération.",
    source: `${S003} — « Coopérer dans les territoires », exemples de PTCE (Culture et Coopération)`,
  },
  {
    name: 'La Koncepterie',
    legal_form: '57',
    statut_ess: 'agrement_esus',
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    description: "Entreprise d'événementiel engagé ayant le statut de SAS ESUS ; participante à l'atelier ESS organisé par Paris Collectif.",
    source: `${S000} — atelier ESS de Paris Collectif, participants`,
  },
  {
    name: "Maison de l'Économie Solidaire",
    legal_form: null,
    statut_ess: null,
    secteur: null,
    commune: '60333',
    latitude: 49.452,
    longitude: 1.924,
    description:
      'Structure de Lachapelle-aux-Pots (Hauts-de-France) dont le président-fondateur figure parmi les intervenants, ' +
      "personnalités de l'écosystème des PTCE et de l'ESS, du lancement de la stratégie nationale de relance des PTCE (12 mai 2021).",
    source: `${S004} — intervenants du lancement de la stratégie de relance des PTCE`,
  },
  brestStudy('APEAS'),
  brestStudy('ARDES'),
  brestStudy('CRESOL'),
  brestStudy('IRESA'),
];
