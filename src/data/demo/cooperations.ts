/**
 * Demo cooperations: the real initiatives the source documents (docs/SOURCES.md) describe, each holding
 * only what its document says of it. Fields the document does not support are null or absent.
 *
 * Conventions:
 * - `modele`: 'PTCE' when document 003 presents the initiative as an example of PTCE (its chapter « Coopérer dans
 *   les territoires » and its annex « Premiers éléments caractérisant les PTCE », whose section 7 counts the
 *   hosting spaces and multi-function centres of the Brest study as PTCE); a more specific model when the
 *   document names one for the initiative itself; otherwise 'aucun' (the text gives no model).
 * - `commune`: COG code of the commune the document places the initiative in; `departement` / `region` only
 *   when no commune is given and the document names the département or region (old regions are mapped to
 *   today's region code; `territory_label` keeps the document's wording).
 * - `latitude` / `longitude`: centre of that commune, approximate (about 3 decimals), never an address.
 * - Member roles: an ESS organisation (association, cooperative, ESS network or financer) is `entreprise_ess`;
 *   communes, EPCI, Pays, PETR, départements and régions are `collectivite`; `porteur` only when the document
 *   says the member carries, initiated or pilots the initiative. `organisation` names a demo organisation.
 * - Personal names are left out (minimal personal data).
 */
import type { EnumCode } from '../../domain/enum.ts';
import type { finalite, modele, modeleEconomique, roleMembre, stade } from '../../domain/cooperation.ts';
import type { formeJuridique } from '../../domain/organisation.ts';
import type { Secteur } from '../../domain/sector.ts';

export const SEED_FILES = [
  '000_68dfcb3a868904b3.txt',
  '001_9ff37d146fd43ca5.txt',
  '002_8b069b548333f77d.txt',
  '003_b2746d46d32e7dc5.txt',
  '004_37a44aab6c3ef982.txt',
] as const;

const S002 = '002_8b069b548333f77d.txt';
const S003 = '003_b2746d46d32e7dc5.txt';
const S004 = '004_37a44aab6c3ef982.txt';

export interface DemoMember {
  name: string;
  role: EnumCode<typeof roleMembre>;
  /** Name of the demo organisation (organisations.ts) this member is. */
  organisation?: string;
}

export interface DemoCooperation {
  name: string;
  modele: EnumCode<typeof modele>;
  finalite: EnumCode<typeof finalite> | null;
  modele_economique: EnumCode<typeof modeleEconomique> | null;
  stade: EnumCode<typeof stade> | null;
  secteur: Secteur | null;
  legal_form?: EnumCode<typeof formeJuridique>;
  commune: string | null;
  departement?: string;
  region?: string;
  latitude: number | null;
  longitude: number | null;
  territory_label: string | null;
  description: string;
  activities?: string;
  governance?: string;
  shared_resources?: string;
  history?: string;
  founded_year?: number;
  members: DemoMember[];
  source: string;
}

export const demoCooperations: readonly DemoCooperation[] = [
  // 003 names the same pole « Pôle Sud Archer » (Romans), « Pôle Sud Rhône-Alpes » (Drôme, groupe Archer) and
  // « Pôle Sud, Romans »; 004 places the groupe Archer in Romans. One record.
  {
    name: 'Pôle Sud Archer',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '26281',
    latitude: 45.043,
    longitude: 5.052,
    territory_label: 'Romans (Drôme)',
    description:
      'Pôle territorial de coopération économique cité comme PTCE « à dominante entrepreneuriale » (exemple Archer) et ' +
      "comme centre multi-fonctions. Il a relancé à Romans un atelier de production d'une gamme de chaussures éthiques, " +
      'en valorisant les matières premières et savoir-faire locaux et en créant de nouveau des emplois dans une filière ' +
      'industrielle historique du territoire. Sous le nom de « Pôle Sud Rhône-Alpes », il regroupe depuis 2007 dans un même ' +
      "lieu un ensemble d'acteurs de l'ESS de la Drôme.",
    activities:
      "Atelier de production d'une gamme de chaussures éthiques ; développement de nouvelles activités avec des partenaires " +
      'extérieurs ; services ouverts au public dans le lieu : logement (CLSH), insertion, microcrédits sociaux, ' +
      "alphabétisation… ; portail d'achat éthique et solidaire en ligne.",
    shared_resources: "Un même lieu pour ses membres ; dynamique collective d'échange, d'information et de mutualisation de services.",
    history: 'Depuis 2007, le « Pôle Sud Rhône-Alpes » regroupe ses membres au sein d’un même lieu.',
    founded_year: 2007,
    members: [
      { name: 'Groupe Archer', role: 'entreprise_ess', organisation: 'Groupe Archer' },
      { name: "Délégation départementale de l'Urscop", role: 'entreprise_ess' },
      { name: 'Coorace régional', role: 'entreprise_ess' },
      { name: 'CRESS Rhône-Alpes (décentralisée)', role: 'entreprise_ess' },
      { name: 'Adie', role: 'entreprise_ess' },
      { name: 'Fonds territorial France Active', role: 'entreprise_ess' },
      { name: 'La Nef', role: 'entreprise_ess' },
    ],
    source:
      `${S003} — « Coopérer dans les territoires » (exemples de PTCE) et annexe « Premiers éléments caractérisant les PTCE » ` +
      `(Pôle Sud Rhône-Alpes ; centres multi-fonctions) ; ${S004} — intervenants (groupe Archer, Romans)`,
  },
  {
    name: 'Éoliennes en Pays de Vilaine',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: 'energie_environnement',
    commune: '56011',
    latitude: 47.597,
    longitude: -2.242,
    territory_label: 'Pays de Vilaine',
    description:
      "Cité comme exemple de PTCE : développe à Béganne le premier parc éolien citoyen, en mobilisant l'épargne locale " + 'de plus de 800 habitants.',
    activities: 'Développement du premier parc éolien citoyen, à Béganne.',
    members: [{ name: 'Habitants épargnants (plus de 800)', role: 'citoyens' }],
    source: `${S003} — « Coopérer dans les territoires », exemples de PTCE`,
  },
  {
    name: 'Culture et Coopération',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: 'culture_sport_loisirs',
    commune: '42218',
    latitude: 45.434,
    longitude: 4.39,
    territory_label: 'Saint-Étienne',
    description:
      "Cité comme exemple de PTCE : « cluster » d'une vingtaine de structures des arts et de la culture qui, depuis 2005, " +
      'multiplie les initiatives pour animer la vie culturelle de Saint-Étienne.',
    activities:
      'Animation et gestion du principal équipement dédié aux musiques actuelles ; reprise du cinéma Le France en société ' +
      "coopérative d'intérêt collectif (SCIC).",
    founded_year: 2005,
    members: [],
    source: `${S003} — « Coopérer dans les territoires », exemples de PTCE`,
  },
  {
    name: "Pôles de développement de l'ESS en Bretagne",
    modele: 'pole_ess',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    region: '53',
    latitude: null,
    longitude: null,
    territory_label: 'Bretagne (échelon du Pays)',
    description:
      "Pôles de développement de l'ESS des CRES en Bretagne, cités comme exemple de PTCE d'origine citoyenne. Implantés à " +
      "l'échelon du Pays, jugé pertinent pour garder la proximité tout en concernant un nombre significatif d'acteurs de " +
      "l'ESS, ils animent des réseaux pour coordonner et impulser des projets et représentent la multiplicité des acteurs " +
      'et de leurs projets auprès des interlocuteurs publics.',
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des origines diverses`,
  },
  {
    name: 'Maison des solidarités (Caen)',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '14118',
    latitude: 49.183,
    longitude: -0.37,
    territory_label: 'Caen',
    description: "Citée comme exemple de PTCE d'origine citoyenne ; le document n'en dit pas davantage.",
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des origines diverses`,
  },
  {
    name: 'Ecosolies',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    latitude: null,
    longitude: null,
    territory_label: null,
    description: "Cité comme exemple de PTCE impulsé par des collectivités locales ; le document ne le situe pas et n'en dit pas davantage.",
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des origines diverses`,
  },
  {
    name: "Pôle de coopération de l'ESS du Parc du Canal",
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '31446',
    latitude: 43.545,
    longitude: 1.476,
    territory_label: 'Sicoval – Ramonville-Saint-Agne (sud-est toulousain)',
    description:
      'Cité comme exemple de PTCE impulsé par des collectivités locales (Sicoval-Ramonville). Dans le prolongement de leur ' +
      "politique en faveur de l'ESS, la commune de Ramonville-Saint-Agne et la communauté d'agglomération du Sicoval ont " +
      "réservé près de 4 hectares, dans l'extension du Parc du Canal, pour une nouvelle zone économique entièrement dédiée " +
      "à l'économie sociale et solidaire.",
    activities:
      "Objectifs annoncés : faciliter l'installation d'entreprises d'économie solidaire, favoriser les démarches de coopération " +
      'des acteurs, valoriser auprès du grand public leurs productions et leurs services. Un bâtiment réservé à la création ' +
      "d'activités et d'entreprises accueillera un incubateur, une couveuse et une pépinière.",
    shared_resources: "Zone économique de près de 4 hectares ; bâtiment réservé à la création d'activités et d'entreprises.",
    members: [
      { name: 'Commune de Ramonville-Saint-Agne', role: 'collectivite' },
      { name: "Communauté d'agglomération du Sicoval", role: 'collectivite' },
    ],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des origines diverses`,
  },
  // « le Nord » may be the département or the former region Nord-Pas-de-Calais: both are in Hauts-de-France (32).
  {
    name: 'Initiatives et Cité',
    modele: 'PTCE',
    // « PTCE sectoriels (exemples Initiatives et Cité le Nord, le pôle services à la personne en PACA) ».
    finalite: 'ciblee',
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    region: '32',
    latitude: null,
    longitude: null,
    territory_label: 'le Nord',
    description:
      "Présenté comme le premier cluster d'entreprises solidaires structurant la filière d'accompagnement pour un " +
      'développement local durable, et cité comme exemple de PTCE sectoriel. Ses 10 entreprises membres proposent une gamme ' +
      "complète de services aux acteurs locaux (associations, collectivités, élus, habitants, chefs d'entreprise…).",
    governance: 'Cluster de 10 entreprises membres.',
    shared_resources:
      'Mutualisation des outils commerciaux, de la qualification des ressources humaines et de moyens techniques (locaux, ' + 'matériel, logiciels).',
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », structuration par secteurs ou filières`,
  },
  {
    name: 'Pôle Services à la Personne PACA',
    modele: 'PTCE',
    // Same sentence as Initiatives et Cité: a « PTCE sectoriel ».
    finalite: 'ciblee',
    modele_economique: null,
    stade: null,
    secteur: 'vie_associative_services',
    commune: null,
    region: '93',
    latitude: null,
    longitude: null,
    territory_label: "Provence-Alpes-Côte d'Azur",
    description:
      "Cité comme exemple de PTCE sectoriel. Labellisé PRIDES (Pôle régional d'innovation et de développement économique " +
      'solidaire) par le Conseil régional PACA, il initie, contribue à et met en œuvre des projets collectifs relatifs à la ' +
      'formation des salariés, à l’amélioration des conditions de travail et à la gestion des emplois et des compétences ' +
      'dans les services à la personne.',
    activities:
      'Accompagnement collectif à la gestion prévisionnelle des emplois et des compétences auprès de 18 structures agréées ' +
      "services à la personne ; campagne d'information et de sensibilisation sur l'emploi, la qualification et les " +
      'compétences dans les services à la personne.',
    history: 'Labellisé PRIDES par le Conseil régional PACA en mars 2007.',
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », structuration par secteurs ou filières`,
  },
  {
    name: 'Le Phares',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '93039',
    latitude: 48.934,
    longitude: 2.336,
    territory_label: 'Plaine Commune (L’Île-Saint-Denis)',
    description:
      "Hôtel d'activités solidaires qui regroupe depuis 2001, sur L'Île-Saint-Denis en région parisienne, une dizaine de " +
      "structures de l'ESS du territoire de Plaine Commune, représentant au total 150 salariés et autant de bénévoles. Cité " +
      "comme exemple d'espace d'hébergement.",
    activities: "Collaborations entre les structures, par exemple pour répondre ensemble à des appels d'offres.",
    shared_resources: 'Outils et services mutualisés : salles, cantine d’insertion, communication, formations…',
    history: "Lieu initié par Halage, entreprise d'insertion dans l'environnement ; il regroupe ses structures depuis 2001.",
    founded_year: 2001,
    // « Ce lieu, initié par Halage ».
    members: [{ name: 'Halage', role: 'porteur', organisation: 'Halage' }],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des fonctions différentes (exemples)`,
  },
  {
    name: 'ARTIS',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '38185',
    latitude: 45.188,
    longitude: 5.724,
    territory_label: 'Agglomération grenobloise',
    description:
      "Hôtel d'activités artisanales et solidaires de 4 000 m² sur l'agglomération grenobloise, soutenu par Grenoble Alpes " +
      "Métropole. Il regroupe des structures d'insertion par l'activité économique, des entreprises d'économie solidaire " +
      'coopératives ou associatives et des entreprises artisanales : plus de vingt entreprises, représentant près de 130 ' +
      "emplois dont une trentaine d'emplois d'insertion. Cité comme exemple d'espace d'hébergement.",
    activities:
      'Au-delà de la mutualisation de moyens, favoriser les synergies économiques et les projets communs, par exemple la mise ' +
      "en œuvre de clauses d'insertion dans les marchés publics.",
    governance: 'Plus de vingt entreprises sont associées à la gestion collective du site.',
    shared_resources: "Hôtel d'activités de 4 000 m² ; mutualisation de moyens.",
    members: [{ name: 'Grenoble Alpes Métropole', role: 'collectivite' }],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des fonctions différentes (exemples)`,
  },
  {
    name: 'La Ruche',
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: '75056',
    latitude: 48.857,
    longitude: 2.352,
    territory_label: 'Paris',
    description:
      "Citée comme exemple d'espace d'hébergement parmi les pôles de l'ESS recensés par une étude de Brest Métropole Océane " +
      "(2009) ; le document n'en dit pas davantage.",
    members: [],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des fonctions différentes`,
  },
  {
    name: "Pôle d'économie solidaire Sud-Essonne",
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    legal_form: '92',
    commune: '91223',
    latitude: 48.435,
    longitude: 2.161,
    territory_label: 'Sud-Essonne',
    description:
      'Pôle porté par le Collectif PES, association loi 1901 créée en 2008 à Étampes et composée de trois entreprises. ' +
      'Cité comme exemple de centre multi-fonctions. Les collectivités (Région et Département) comptent sur lui pour ' +
      "l'accompagnement des personnes en difficulté d'accès à l'emploi et, plus largement, pour le développement de " +
      "projets d'économie solidaire.",
    activities:
      'Trois missions : appui au fonctionnement et au développement des structures adhérentes ; ingénierie de nouveaux ' +
      "projets d'ESS sur le territoire du Sud-Essonne ; promotion de l'ESS sur le territoire. Accompagnement " +
      'socioprofessionnel au sein de chaque structure, formations intégrées aux parcours, aides à la mobilité (Plateforme ' +
      "mobilité) ; ces prestations peuvent s'adresser à d'autres structures que les adhérentes. Métiers supports de " +
      "l'insertion : ménage, jardinage, manutention, maraîchage, blanchisserie, vente et second œuvre du bâtiment.",
    history:
      'Collectif créé en 2008 à Étampes. En 2008, 930 personnes ont été accueillies dans les différents dispositifs, pour un ' +
      "chiffre d'affaires total de 3 000 000 €.",
    founded_year: 2008,
    members: [
      { name: 'Action Emploi', role: 'entreprise_ess', organisation: 'Action Emploi' },
      { name: 'Les Potagers du Télégraphe', role: 'entreprise_ess', organisation: 'Les Potagers du Télégraphe' },
      { name: 'Scop Val Emploi', role: 'entreprise_ess', organisation: 'Scop Val Emploi' },
    ],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », des fonctions différentes (exemples)`,
  },
  {
    name: "Chaîne de l'innovation sociale en Languedoc-Roussillon",
    modele: 'PTCE',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    region: '76',
    latitude: null,
    longitude: null,
    territory_label: 'Languedoc-Roussillon',
    description:
      "Depuis 2006, l'URScop, en partenariat avec la Région Languedoc-Roussillon, pilote une démarche de structuration " +
      "d'une chaîne de l'innovation sociale dédiée aux projets issus de l'économie sociale et solidaire. Citée comme exemple " +
      'de PTCE aux objectifs multiples.',
    activities:
      "Un incubateur d'entreprises sociales (Alter'Incub) pour soutenir l'émergence de projets de création d'entreprises ; " +
      "une école de l'entrepreneuriat en ESS pour former les dirigeants des structures de l'ESS ; un pôle régional de " +
      "l'innovation sociale qui veut associer les compétences des laboratoires de sciences humaines et sociales à celles des " +
      "développeurs de l'ESS ; une pépinière régionale, ESSOR, pour héberger les entreprises nouvellement créées.",
    founded_year: 2006,
    members: [
      // « l'URScop [...] pilote une démarche ».
      { name: 'URScop', role: 'porteur' },
      { name: 'Région Languedoc-Roussillon', role: 'collectivite' },
    ],
    source: `${S003} — annexe « Premiers éléments caractérisant les PTCE », de multiples objectifs (exemples)`,
  },
  {
    name: 'Projet alimentaire territorial du Pays Dunois',
    modele: 'PAT',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: 'agriculture_alimentation',
    commune: null,
    latitude: null,
    longitude: null,
    territory_label: 'Pays Dunois',
    description:
      "Le Pays Dunois a valorisé l'ESS au sein du projet alimentaire territorial (PAT) de son territoire, cité comme exemple " +
      "d'action d'un territoire de projet en faveur de l'ESS.",
    members: [{ name: 'Pays Dunois', role: 'collectivite' }],
    source: `${S002} — « La prise en main de l'ESS par les Territoires de projet »`,
  },
  {
    name: 'Candidature TZCLD du PETR Midi-Quercy',
    modele: 'TZCLD',
    finalite: null,
    modele_economique: null,
    // A candidacy in preparation: « Le PETR a ainsi embauché un ETP en charge de candidater au projet. »
    stade: 'emergence',
    // The document files it under « Action sociale ».
    secteur: 'sante_action_sociale',
    commune: null,
    departement: '82',
    region: '76',
    latitude: null,
    longitude: null,
    territory_label: 'PETR Midi-Quercy (82)',
    description:
      "Le PETR Midi-Quercy, engagé depuis sa création dans un objectif d'inclusion sociale et professionnelle, est candidat " +
      "à l'expérimentation Territoires zéro chômeur de longue durée, en continuité avec cet objectif. Il a embauché un ETP " +
      'chargé de la candidature.',
    history:
      "Selon le document, le projet en est au stade de l'expérimentation : 50 territoires seront sélectionnés au terme de la " +
      'deuxième session de candidature (2021-2024) ; les territoires lauréats (moins de 10 000 habitants) peuvent utiliser ' +
      "une partie des indemnités chômage pour créer une entreprise à but d'emploi.",
    members: [{ name: 'PETR Midi-Quercy', role: 'porteur' }],
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », action sociale`,
  },
  {
    name: 'Plaquettes bocagères : Cuma Ecovaloris et Haiecobois',
    modele: 'aucun',
    finalite: null,
    // « l'association s'occupe de la commercialisation du bois déchiqueté » : the activity generates revenue.
    modele_economique: 'marchande',
    stade: null,
    // The document files it under « Agriculture ».
    secteur: 'agriculture_alimentation',
    commune: null,
    departement: '50',
    region: '28',
    latitude: null,
    longitude: null,
    territory_label: 'Manche',
    description:
      "Partenariat entre la Cuma Ecovaloris et l'association Haiecobois pour la commercialisation de plaquettes bocagères, " +
      'afin de redonner une valeur économique à la haie et de favoriser le maintien du bocage dans le département de la ' +
      'Manche. Il contribue au maintien du patrimoine paysager du département et à la préservation de l’écosystème du ' +
      'bocage, à la transition énergétique par le réemploi du bois comme énergie, et procure un revenu supplémentaire aux ' +
      'agriculteurs.',
    activities:
      "Les agriculteurs adhérents à l'association Haiecobois signent un contrat d'engagement pour la commercialisation du bois " +
      'issu de l’entretien durable des haies bocagères ; le bois est collecté puis broyé par une déchiqueteuse ; ' +
      "l'association commercialise le bois déchiqueté.",
    governance:
      "La CUMA permet à l'association de s'appuyer sur le réseau d'agriculteurs existant ; l'association s'occupe de la " +
      'commercialisation du bois déchiqueté.',
    shared_resources: 'Déchiqueteuse, matériel agricole mutualisé au sein de la CUMA ; réseau d’agriculteurs de la CUMA.',
    history: "Partenariat initié peu après la création de l'association Haiecobois, en 2006.",
    members: [
      { name: 'Cuma Ecovaloris', role: 'entreprise_ess', organisation: 'Cuma Ecovaloris' },
      { name: 'Association Haiecobois', role: 'entreprise_ess', organisation: 'Association Haiecobois' },
    ],
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », agriculture`,
  },
  {
    name: 'Passerelles-Théâtre',
    modele: 'aucun',
    finalite: null,
    modele_economique: null,
    stade: null,
    // The document files it under « Activités culturelles ».
    secteur: 'culture_sport_loisirs',
    legal_form: '92',
    commune: null,
    departement: '61',
    region: '28',
    latitude: null,
    longitude: null,
    territory_label: 'Orne (61)',
    description:
      "Association créée à l'initiative d'une metteuse en scène, accompagnée par la coopérative d'activité et d'emploi (CAE) " +
      'Crescendo, basée à Flers. Elle veut rendre le théâtre accessible à tous, pour y participer comme pour assister aux ' +
      'spectacles, et dynamiser la vie culturelle du département. Elle bénéficie d’un soutien financier de la CRESS de ' +
      'Normandie.',
    activities:
      'Ateliers de théâtre ouverts à tous ; création de spectacles diffusés dans tout le territoire ; organisation ' +
      "d'événements culturels, notamment des festivals ; accompagnement de demandeurs d'emploi en partenariat avec le PLIE " +
      'de Caen.',
    members: [],
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », activités culturelles`,
  },
  {
    name: 'Conciergerie de mobilité rurale',
    modele: 'aucun',
    finalite: null,
    modele_economique: null,
    stade: null,
    // The document files it under « Mobilité/transports ».
    secteur: 'transport_mobilite',
    commune: null,
    departement: '82',
    region: '76',
    latitude: null,
    longitude: null,
    territory_label: 'PETR Midi-Quercy (82)',
    description:
      "Initiative portée par le PETR Midi-Quercy, en partenariat avec l'association Montauban Services et dans le cadre de " +
      "l'AMI France Mobilité. Le projet poursuit avant tout un objectif d'insertion sociale et professionnelle et propose un " +
      'accompagnement spécifique sur la mobilité aux personnes qui le souhaitent.',
    activities:
      'Permanences une fois par mois dans plusieurs Espaces France Services du territoire, où les habitants font connaître ' +
      'leurs difficultés ; location de deux-roues et de quatre-roues à tarif adapté pour les personnes reprenant un emploi ' +
      'ou une formation ; réparation de voitures à moindre coût via un réseau de garages partenaires ; atelier de ' +
      'préapprentissage du code de la route pour les personnes ayant des difficultés avec la langue française ; découverte ' +
      'des offres de mobilité présentes sur le territoire.',
    members: [
      // « initiative portée par le PETR Midi-Quercy ».
      { name: 'PETR Midi-Quercy', role: 'porteur' },
      { name: 'Montauban Services', role: 'entreprise_ess', organisation: 'Montauban Services' },
    ],
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », mobilité/transports`,
  },
  {
    name: 'Épicerie participative de Thoré-la-Rochette',
    modele: 'aucun',
    finalite: null,
    modele_economique: null,
    stade: null,
    // The document files it under « Commerce ».
    secteur: 'commerce',
    commune: '41259',
    latitude: 47.786,
    longitude: 0.966,
    territory_label: 'Thoré-la-Rochette (41)',
    description:
      'Épicerie participative qui associe une diversité d’usages : vente de produits locaux, services aux habitants, ' +
      "approvisionnement de la cantine de l'école municipale. Trois employés à temps partiel la font fonctionner avec " +
      "l'aide d'une trentaine de bénévoles.",
    activities:
      'Vente de produits locaux ; services aux habitants (dépôt de pain, animations culturelles) ; approvisionnement en ' +
      "produits locaux de la cantine de l'école municipale.",
    history: 'Le local occupé a été rénové lors de chantiers participatifs.',
    members: [],
    source: `${S002} — « Quelques exemples d'actions par domaine d'activité », commerce`,
  },
  {
    name: 'Incubateur départemental de la Haute-Vienne',
    modele: 'aucun',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    departement: '87',
    region: '75',
    latitude: null,
    longitude: null,
    territory_label: 'Haute-Vienne (87)',
    description:
      'Incubateur départemental né d’une coopération entre les différents échelons territoriaux (Pays, conseil ' +
      'départemental et CRESS) : il regroupe toutes les initiatives de la Haute-Vienne et facilite l’émergence de nouveaux ' +
      'projets ; le Pays Monts et Barrages accompagne les porteurs de projet.',
    members: [
      { name: 'Pays Monts et Barrages', role: 'collectivite' },
      { name: 'Conseil départemental de la Haute-Vienne', role: 'collectivite' },
      { name: 'CRESS', role: 'entreprise_ess' },
    ],
    source: `${S002} — « Des partenariats locaux et régionaux »`,
  },
  {
    name: 'POLLENS',
    modele: 'pole_ess',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    legal_form: '92',
    commune: '42187',
    latitude: 46.036,
    longitude: 4.068,
    territory_label: 'Roannais',
    description:
      'Association POLLENS (POLe Local pour une Economie Nouvelle Sociale et Solidaire), basée à Roanne : elle a pour rôle ' +
      "de fédérer et coordonner un réseau d'acteurs de l'ESS sur le territoire et d'accompagner l'émergence de nouveaux " +
      'projets. Le syndicat mixte Roannais a conclu un partenariat avec elle.',
    activities: "Fédération et coordination d'un réseau d'acteurs de l'ESS ; accompagnement de l'émergence de nouveaux projets.",
    members: [{ name: 'Syndicat mixte Roannais', role: 'collectivite' }],
    source: `${S002} — « Des partenariats locaux et régionaux »`,
  },
  {
    name: 'Terres de Lorraine',
    modele: 'aucun',
    // « les valeurs du secteur [...] sont intégrées de manière transversale au projet de territoire » (aide aux
    // entreprises locales, économie circulaire, transition énergétique, principes démocratiques et civiques).
    finalite: 'systemique',
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    departement: '54',
    region: '44',
    latitude: null,
    longitude: null,
    territory_label: 'Pays Terres de Lorraine (Meurthe-et-Moselle)',
    description:
      "Le Pays Terres de Lorraine a construit son projet de territoire selon les lignes directrices de l'ESS : prioriser " +
      "l'aide aux entreprises locales, soutenir l'économie circulaire, contribuer à la transition énergétique et agir selon " +
      "des principes démocratiques et civiques. Sans actions explicitement dédiées aux structures de l'ESS, il en intègre " +
      "les valeurs de manière transversale, en s'appuyant sur un tissu dense et ancien d'associations et de coopératives.",
    activities:
      'PLIE instauré par le territoire, par l’intermédiaire de sa Maison de l’emploi, pour l’axe 3 du projet de ' +
      "territoire (« lutter contre la pauvreté et promouvoir l'inclusion ») ; " +
      'travail commun avec le département de Meurthe-et-Moselle pour intégrer sous le terme ' +
      "« économie solidaire » toute structure ancrée localement poursuivant des objectifs d'utilité sociale, sans critère de " +
      "statut juridique ; sensibilisation d'acteurs économiques classiques en les associant aux acteurs de l'ESS, notamment " +
      'par la Maison de l’emploi.',
    governance:
      "Coopération des organismes du Pays : l'agence de développement économique, Terres de Lorraine urbanisme, la Maison " +
      "de l'emploi, la Mission locale et la Maison du tourisme. Convention entre le Territoire et la CRESS. Dans les " +
      "communautés de communes, des structures participatives composées d'acteurs de l'ESS élaborent et évaluent des " +
      'projets de développement local selon un mode de gestion démocratique.',
    shared_resources:
      'Les organismes du Pays partagent une même charte graphique et mettent en commun leur mode de fonctionnement et leurs ' +
      'connaissances pour soutenir les porteurs de projet.',
    history: 'PLIE instauré depuis 2010.',
    members: [
      { name: 'Pays Terres de Lorraine', role: 'porteur' },
      { name: 'Département de Meurthe-et-Moselle', role: 'collectivite' },
      { name: 'CRESS', role: 'entreprise_ess' },
    ],
    source: `${S002} — « Zoom sur… Terres de Lorraine : l'ESS comme pierre angulaire du projet de territoire »`,
  },
  {
    name: "Comptoir de l'économie solidaire (Terres de Lorraine)",
    modele: 'aucun',
    finalite: null,
    modele_economique: null,
    stade: null,
    secteur: null,
    commune: null,
    departement: '54',
    region: '44',
    latitude: null,
    longitude: null,
    territory_label: 'Meurthe-et-Moselle',
    description:
      "Créé par l'agence de développement Terres de Lorraine (ADTL) et le chargé territorial de l'économie solidaire (CTES) " +
      'du département de Meurthe-et-Moselle, le comptoir sensibilise les acteurs et les habitants au secteur, forme les ' +
      "personnes intéressées et accompagne les porteurs de projet. Il devient un guichet unique d'information pour les " +
      "acteurs présents et futurs de l'ESS et contribue à l'animation de ce réseau d'acteurs à l'échelle du département.",
    members: [
      // « L'agence de développement Terres de Lorraine (ADTL) et le chargé territorial [...] ont également créé ».
      { name: 'Agence de développement Terres de Lorraine (ADTL)', role: 'porteur' },
      { name: 'Département de Meurthe-et-Moselle', role: 'collectivite' },
    ],
    source: `${S002} — « Zoom sur… Terres de Lorraine »`,
  },
];
