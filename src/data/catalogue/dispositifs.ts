/**
 * Seed catalogue of schemes (dispositifs): every scheme the source documents (docs/SOURCES.md) name,
 * holding only what the documents say of it. What they do not say stays empty — `null` or `[]` — and is shown
 * as « à compléter » (see `champsACompleter`); nothing here was verified beyond the documents
 * (`date_verification` is always null).
 *
 * What counts as a scheme: something that accompanies or funds cooperations or ESS structures and that the
 * documents present as existing — a programme, a call, a fund, a financial instrument, an agreement that opens
 * financing, or an organisation whose accompaniment or financing offer the documents describe. Left out
 * (on purpose, see the list at the end of this file): proposals that do not exist yet, networks and platforms
 * that only list or represent, labels, one-off help received by an example, public-policy tools, and the
 * accompaniment that cooperations of the demo data give (it stays with them in the Atlas).
 *
 * Classification conventions (the orientation engine matches needs to schemes through these codes, so they
 * stay conservative; every interpretation has a one-line comment on its entry):
 * - « Accompagnement » with no more detail, given by a funder or support network to a project (France Active,
 *   Adie, Nef, incubation…) → `developpement`: 001 defines the development of a cooperation as « définition
 *   stratégique, structuration des acteurs, montage de projet ».
 * - Facilitation, coordination, putting actors in network → `animation` (001: animation « englobe trois rôles :
 *   la coordination, la facilitation et le pilotage »).
 * - Legal support → `fonctions_support`; a thematic expertise (économie de la fonctionnalité) → `expertise_metier`.
 * - Research (CIFRE, crédit d'impôt recherche) → `expertise_metier`: 001 cites them as the means to recognise
 *   research « en tant qu'appui aux coopérations territoriales »; neither is a financing kind of our vocabulary.
 * - « Crédits » → `pret`; a guarantee, equity or a particular loan kind only when the document or the scheme's
 *   own name says so (prêts garantis par l'État, prêts participatifs).
 * - Calls (AAP, AMI, sessions de candidature) → `appel_a_projets`, plus what the call itself funds when said.
 * - Stages: only when the document ties the scheme to a stage (the table « dispositifs d'accompagnement
 *   spécifiques à l'émergence », « l'émergence de nouveaux projets »…). Empty means « not said », not « all ».
 * - Coverage: `national` when the document says national, State (column « Financements et aides de l'Etat »
 *   of 002's table, « lancé par le gouvernement »), « partout en France » or « dans chaque région et chaque
 *   département »; département codes for a named département or a former region; null otherwise.
 * - Instants: Europe/Paris with its offset of that date (+01:00 in winter, +02:00 in summer). A day with no
 *   time opens at 00:00; a deadline « le … minuit » is the end of that day (see the AMI PTCE).
 */
import type { EnumCode } from '../../domain/enum.ts';
import type { calendrier, niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import type { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import type { formeJuridique } from '../../domain/organisation.ts';

const S000 = '000_68dfcb3a868904b3.txt';
const S001 = '001_9ff37d146fd43ca5.txt';
const S002 = '002_8b069b548333f77d.txt';
const S003 = '003_b2746d46d32e7dc5.txt';
const S004 = '004_37a44aab6c3ef982.txt';

/** An ISO 8601 instant with an explicit offset, e.g. "2021-06-23T23:59:59.999+02:00". */
export type Instant = string;

export interface SeedVague {
  nom: string;
  ouverture?: Instant;
  cloture?: Instant;
}

export interface SeedCalendrier {
  type: EnumCode<typeof calendrier>;
  ouverture?: Instant;
  cloture?: Instant;
  vagues?: SeedVague[];
}

export interface SeedDispositif {
  /** Stable kebab-case id. */
  key: string;
  nom: string;
  /** Short French summary of only what the documents say; may quote them. */
  description: string;
  types_accompagnement: EnumCode<typeof typeAccompagnement>[];
  types_financement: EnumCode<typeof typeFinancement>[];
  /** Providers as the documents name them; empty when not said. */
  porteurs: { nom: string }[];
  /** Eligible stages; empty = not said. */
  stades: EnumCode<typeof stade>[];
  finalites: EnumCode<typeof finalite>[];
  modeles_economiques: EnumCode<typeof modeleEconomique>[];
  /** Eligible cooperation models (the AMI PTCE is for PTCE); empty = not said. */
  modeles: EnumCode<typeof modele>[];
  /** INSEE legal-form codes, level II; empty = not restricted or not said. */
  formes_juridiques: EnumCode<typeof formeJuridique>[];
  /** null = not said. */
  esus_requis: boolean | null;
  /** national → { niveau: 'national', codes: [] }; otherwise COG codes of one level; null = not said. */
  couverture: { niveau: EnumCode<typeof niveauCouverture>; codes: string[] } | null;
  /** Euros, only when stated. */
  montant_min: number | null;
  montant_max: number | null;
  /** The amount as the document words it. */
  montant_texte: string | null;
  duree_texte: string | null;
  calendrier: SeedCalendrier | null;
  conditions: string | null;
  contact: string | null;
  /** Only when the documents give it. */
  url: string | null;
  /** « <seed file> — <locator> »; several joined by « ; », the main one first. */
  source: string;
  /** null: nothing was verified beyond the documents. */
  date_verification: string | null;
}

/** What pages show in place of a field the documents leave empty. */
export const A_COMPLETER = 'à compléter';

type Given = Pick<SeedDispositif, 'key' | 'nom' | 'description' | 'source'> & Partial<SeedDispositif>;

/** An entry states only what its document says; everything else is empty. */
function d(given: Given): SeedDispositif {
  return {
    types_accompagnement: [],
    types_financement: [],
    porteurs: [],
    stades: [],
    finalites: [],
    modeles_economiques: [],
    modeles: [],
    formes_juridiques: [],
    esus_requis: null,
    couverture: null,
    montant_min: null,
    montant_max: null,
    montant_texte: null,
    duree_texte: null,
    calendrier: null,
    conditions: null,
    contact: null,
    url: null,
    date_verification: null,
    ...given,
  };
}

/** The fields of a seed scheme that its documents leave empty, to show as « à compléter ». */
export function champsACompleter(dispositif: SeedDispositif): (keyof SeedDispositif)[] {
  const empty: (keyof SeedDispositif)[] = [];
  if (dispositif.types_accompagnement.length === 0 && dispositif.types_financement.length === 0) {
    empty.push('types_accompagnement', 'types_financement');
  }
  if (dispositif.porteurs.length === 0) empty.push('porteurs');
  if (dispositif.stades.length === 0) empty.push('stades');
  for (const key of ['couverture', 'montant_texte', 'duree_texte', 'calendrier', 'conditions', 'contact', 'url', 'date_verification'] as const) {
    if (dispositif[key] === null) empty.push(key);
  }
  return empty;
}

const ZOOM_001 = `${S001} — tableau « Zoom sur les dispositifs d'accompagnement spécifiques à l'émergence des coopérations territoriales »`;
const EMERGENCE_001 = "Dispositif d'accompagnement spécifique à l'émergence des coopérations territoriales (001).";
const GENERALISTES_001 =
  `${S001} — « L'accompagnement des coopérations territoriales : principes et outils » (dispositifs généralistes : ` +
  "« programme d'idéations, de pré-incubation et d'incubation, dispositif local d'accompagnement (DLA), accompagnement juridique, accompagnement ponctuel territorial »)";
const GENERALISTE =
  "Dispositif généraliste s'adressant aux structures de l'ESS, sur lequel les projets de coopération territoriale « peuvent également s'appuyer » (001).";
const TABLEAU_002 = `${S002} — tableau « Les dispositifs pour soutenir l'ESS »`;
const EUROPE = "Cité dans la colonne « Financements et dispositifs européens » du tableau des dispositifs pour soutenir l'ESS (002).";
const ETAT = "Cité dans la colonne « Financements et aides de l'Etat » du tableau des dispositifs pour soutenir l'ESS (002).";
const PRIVE = "Cité dans la colonne « Financements à l'initiative des acteurs privés » du tableau des dispositifs pour soutenir l'ESS (002).";
const AAP = "Cité dans la colonne « Appels à projet » du tableau des dispositifs pour soutenir l'ESS (002).";
const BANQUES_003 = `${S003} — « Changer le comportement des banques sur les territoires »`;
const CHAINE_LR_003 = `${S003} — annexe « Premiers éléments caractérisant les PTCE », § 5 (« Une chaîne de l'innovation sociale au service des projets issus de l'économie sociale et solidaire »)`;
const CHAINE_LR_URL = 'http://www.essenregion.org/site/IMG/pdf/Fiche_1_-_Innovation_Languedoc_definitive.pdf';
/** The former region Languedoc-Roussillon named by 003: its five départements (today in Occitanie, 76). */
const LANGUEDOC_ROUSSILLON = ['11', '30', '34', '48', '66'];
const RECHERCHE_001 = `${S001} — « L'accompagnement des coopérations territoriales : principes et outils » (« reconnaissance de la recherche … via les contrats CIFRE et le crédit impôt recherche »)`;
const NATIONAL = { niveau: 'national' as const, codes: [] };
const ETAT_PORTEUR = [{ nom: 'État' }];
const UE_PORTEUR = [{ nom: 'Union européenne' }];
const STRATEGIE_PTCE_PORTEURS = [{ nom: "État — Secrétariat d'État chargé de l'Économie sociale, solidaire et responsable" }, { nom: 'DG Trésor' }];

export const seedDispositifs: SeedDispositif[] = [
  // ——— 001: accompaniment schemes specific to the emergence of territorial cooperations (the « Zoom » table) ———
  d({
    key: 'generateur-de-projets',
    nom: 'Générateur de projets',
    description: `${EMERGENCE_001} Contenu : « De l'idée, du besoin au projet ». Modalités : accompagnement « sur mesure ».`,
    // Interpretation: « de l'idée au projet » is 001's development function (« définition stratégique, … montage de projet »).
    types_accompagnement: ['developpement'],
    stades: ['emergence'],
    duree_texte: 'De 1 à 3 ans',
    source: ZOOM_001,
  }),
  d({
    key: 'programme-accompagnement-specifique-cooperation',
    nom: "Programme d'accompagnement spécifique à la coopération",
    description: `${EMERGENCE_001} Contenu : « Accompagnement collectif de plusieurs projets de coopérations territoriales ».`,
    // Interpretation: a collective programme that accompanies projects → development; the text does not say « pairs ».
    types_accompagnement: ['developpement'],
    stades: ['emergence'],
    duree_texte: 'Programme sur 6 mois à un an',
    source: ZOOM_001,
  }),
  d({
    key: 'accompagnement-cooperatif-thematique',
    nom: 'Accompagnement coopératif thématique',
    description: `${EMERGENCE_001} Contenu : « Facilitation en phase d'émergence des coopérations ».`,
    // Facilitation is one of the three roles of animation in 001.
    types_accompagnement: ['animation'],
    stades: ['emergence'],
    duree_texte: 'Un mois à un an',
    source: ZOOM_001,
  }),
  d({
    key: 'transfert-de-savoir-faire',
    nom: 'Transfert de savoir-faire',
    description:
      `${EMERGENCE_001} Contenu : « Accompagnement sur la base d'un savoir acquis par l'expérience ». 001 le décrit comme un ` +
      "« dispositif de professionnalisation de pair à pair avec partage d'expérience et transfert de compétences » et propose " +
      'de « multiplier les dispositifs de transfert de savoir-faire en soutenant leur outillage ».',
    // « de pair à pair » is in the text: peer accompaniment as well as transfer of know-how.
    types_accompagnement: ['transfert_savoir_faire', 'accompagnement_pairs'],
    stades: ['emergence'],
    duree_texte: 'Initiatives ponctuelles',
    source:
      `${ZOOM_001} ; ${S001} — « L'accompagnement des coopérations territoriales : principes et outils » ; ` +
      `${S001} — « Propositions pour agir ensemble » (Accompagner)`,
  }),
  d({
    key: 'accompagnement-cooperatif-territorial',
    nom: 'Accompagnement coopératif territorial',
    description: `${EMERGENCE_001} Contenu : « Accompagnement des processus coopératif territoriaux ; structures ESS, citoyens, collectivités ».`,
    // Interpretation: accompanying the cooperative process itself (collective, shared vision, decision) is animation in 001.
    types_accompagnement: ['animation'],
    stades: ['emergence'],
    duree_texte: 'Une à plusieurs années',
    source: ZOOM_001,
  }),
  d({
    key: 'accompagnement-economie-fonctionnalite-cooperation',
    nom: "Accompagnement à l'économie de la fonctionnalité et de la coopération",
    description: `${EMERGENCE_001} Contenu : « Accompagnement sur mesure ; économie de la fonctionnalité et de la coopération ».`,
    // Interpretation: an accompaniment on one economic approach → expertise métier.
    types_accompagnement: ['expertise_metier'],
    stades: ['emergence'],
    duree_texte: 'De 1 à 3 ans',
    source: ZOOM_001,
  }),

  // ——— 001: generalist accompaniment schemes for ESS structures ———
  d({
    key: 'programme-ideation',
    nom: "Programme d'idéation",
    description: GENERALISTE,
    // Interpretation: ideation works out a project → development.
    types_accompagnement: ['developpement'],
    source: GENERALISTES_001,
  }),
  d({
    key: 'pre-incubation',
    nom: 'Programme de pré-incubation',
    description: GENERALISTE,
    // Interpretation: (pre-)incubation accompanies the making of a project → development.
    types_accompagnement: ['developpement'],
    source: GENERALISTES_001,
  }),
  d({
    key: 'incubation',
    nom: "Programme d'incubation (incubateurs)",
    description:
      `${GENERALISTE} 002 cite les incubateurs parmi les « structures d'accompagnement locales de l'ESS (DLA, incubateurs...) » ` +
      'et indique que le développement du secteur est « appuyé par des incubateurs spécialisés, publics ou privés ».',
    // Interpretation: incubation accompanies the making of a project → development.
    types_accompagnement: ['developpement'],
    source: `${GENERALISTES_001} ; ${S002} — « Les difficultés rencontrées » et « Des partenariats locaux et régionaux »`,
  }),
  d({
    key: 'accompagnement-juridique',
    nom: 'Accompagnement juridique',
    description: GENERALISTE,
    // Interpretation: legal matters are a support function (001: « fonctions supports et … expertises métiers »).
    types_accompagnement: ['fonctions_support'],
    source: GENERALISTES_001,
  }),
  d({
    key: 'accompagnement-ponctuel-territorial',
    nom: 'Accompagnement ponctuel territorial',
    // No type: the document names it without saying what it accompanies.
    description: GENERALISTE,
    source: GENERALISTES_001,
  }),
  d({
    key: 'dla',
    nom: "Dispositif local d'accompagnement (DLA)",
    description:
      "Dispositif « créé en 2002, qui permet l'accompagnement des entreprises d'utilité sociale dans le développement et la " +
      'consolidation de leur modèle économique ». Les DLA « sont portés par des chargés de mission présents dans chaque région ' +
      "et chaque département » ; les territoires de projet peuvent en être partenaires (002). 003 y voit un moyen d'accompagnement " +
      'des salariés en insertion à consolider et diffuser ; 001 propose de leur donner « la mission et les compétences ' +
      "d'accompagner les coopérations territoriales ».",
    // Interpretation: the economic model is the developer's matter in 001 (développement); the DLA is external
    // accompaniment, which 001 places on « fonctions supports et expertises métiers » (expertise métier).
    types_accompagnement: ['developpement', 'expertise_metier'],
    // Interpretation: « développement et consolidation de leur modèle économique » = 001's phases after emergence
    // (« mise en œuvre et de déploiement du projet et de son modèle économique »).
    stades: ['creation', 'consolidation', 'changement_echelle'],
    // « dans chaque région et chaque département » → national.
    couverture: NATIONAL,
    conditions: "Entreprises d'utilité sociale (002).",
    source:
      `${S002} — « La prise en compte de l'ESS par l'ingénierie des Territoires de projet » ; ${GENERALISTES_001} ; ` +
      `${S001} — « Propositions pour agir ensemble » (Accompagner) ; ${S003} — « L'insertion par l'activité économique », proposition 3`,
  }),

  // ——— Local and regional accompaniment schemes the documents describe ———
  d({
    key: 'incubateur-departemental-haute-vienne',
    nom: 'Incubateur départemental de la Haute-Vienne',
    description:
      'Créé grâce à « une fine coopération entre les différents échelons territoriaux (Pays, conseil départemental et CRESS) », ' +
      "il « regroupe toutes les initiatives de la Haute-Vienne et facilite l'émergence de nouveaux projets » ; les porteurs de " +
      'projet sont accompagnés par le Pays Monts et Barrages (002).',
    // Interpretation: incubation and accompaniment of project holders → development.
    types_accompagnement: ['developpement'],
    porteurs: [{ nom: 'Pays Monts et Barrages' }, { nom: 'Conseil départemental de la Haute-Vienne' }, { nom: 'CRESS' }],
    stades: ['emergence'],
    couverture: { niveau: 'departement', codes: ['87'] },
    source: `${S002} — « Des partenariats locaux et régionaux »`,
  }),
  d({
    key: 'comptoir-economie-solidaire-meurthe-et-moselle',
    nom: "Comptoir de l'économie solidaire (Terres de Lorraine, Meurthe-et-Moselle)",
    description:
      "Créé par l'agence de développement Terres de Lorraine (ADTL) et le chargé territorial de l'économie solidaire (CTES) du " +
      'département, il a pour but « de sensibiliser les acteurs et habitants au secteur, de former les personnes intéressées et ' +
      "d'accompagner les porteurs de projet » ; « guichet unique d'information », il « contribue à l'animation de ce réseau " +
      "d'acteurs à l'échelle du département » (002).",
    // « former » → formation; « animation de ce réseau » → animation; « accompagner les porteurs de projet » → development (interpretation).
    types_accompagnement: ['formation', 'animation', 'developpement'],
    porteurs: [{ nom: 'Agence de développement Terres de Lorraine (ADTL)' }, { nom: 'Département de Meurthe-et-Moselle' }],
    // « à l'échelle du département » (Meurthe-et-Moselle).
    couverture: { niveau: 'departement', codes: ['54'] },
    source: `${S002} — « Zoom sur… Terres de Lorraine »`,
  }),
  d({
    key: 'alter-incub',
    nom: "Alter'Incub — incubateur d'entreprises sociales (Languedoc-Roussillon)",
    description:
      "Élément de la « chaîne de l'innovation sociale » que l'URScop pilote depuis 2006 en partenariat avec la Région " +
      "Languedoc-Roussillon : « un incubateur d'entreprises sociales (Alter'Incub) pour soutenir l'émergence de projets de " +
      "création d'entreprises » (003, 2012).",
    // Interpretation: incubation → development.
    types_accompagnement: ['developpement'],
    porteurs: [{ nom: 'URScop' }, { nom: 'Région Languedoc-Roussillon' }],
    stades: ['emergence'],
    // The former region Languedoc-Roussillon: its five départements.
    couverture: { niveau: 'departement', codes: LANGUEDOC_ROUSSILLON },
    url: CHAINE_LR_URL,
    source: CHAINE_LR_003,
  }),
  d({
    key: 'ecole-entrepreneuriat-ess-languedoc-roussillon',
    nom: "École de l'entrepreneuriat en économie sociale et solidaire (Languedoc-Roussillon)",
    description:
      "Élément de la « chaîne de l'innovation sociale » pilotée par l'URScop avec la Région Languedoc-Roussillon : " +
      "« une école de l'entrepreneuriat en économie sociale et solidaire pour former les dirigeants des structures de l'ESS » (003, 2012).",
    types_accompagnement: ['formation'],
    porteurs: [{ nom: 'URScop' }, { nom: 'Région Languedoc-Roussillon' }],
    // Interpretation: coverage of the regional démarche it belongs to (the former region).
    couverture: { niveau: 'departement', codes: LANGUEDOC_ROUSSILLON },
    url: CHAINE_LR_URL,
    source: CHAINE_LR_003,
  }),
  d({
    key: 'pepiniere-essor-languedoc-roussillon',
    nom: 'Pépinière régionale ESSOR (Languedoc-Roussillon)',
    description:
      "Élément de la « chaîne de l'innovation sociale » pilotée par l'URScop avec la Région Languedoc-Roussillon : " +
      '« une pépinière régionale ESSOR pour héberger les entreprises nouvellement créées » (003, 2012). À ne pas confondre ' +
      'avec la plateforme ESSor de la CRESS des Pays de la Loire (002).',
    // Interpretation: hosting (premises) is a non-monetary resource in 001's terms (« mutualisation de moyens (locaux partagés…) »).
    types_financement: ['ressources_non_monetaires'],
    porteurs: [{ nom: 'URScop' }, { nom: 'Région Languedoc-Roussillon' }],
    stades: ['creation'],
    couverture: { niveau: 'departement', codes: LANGUEDOC_ROUSSILLON },
    url: CHAINE_LR_URL,
    source: CHAINE_LR_003,
  }),

  // ——— Solidarity finance networks and banks ———
  d({
    key: 'france-active',
    nom: 'France Active',
    description:
      '« Associations France Active qui accompagnent et financent des projets ESS partout en France » (002, levier TRESSONS ' +
      '« Contribuer au financement des projets » : rapprocher les territoires de ces associations). 003 la cite parmi les réseaux ' +
      "dont « les crédits et l'accompagnement » ont orienté « des milliards d'euros de financement bancaire vers des petites " +
      'entreprises, des artisans, des associations » ; un « fonds territorial France Active » est membre du Pôle Sud Rhône-Alpes.',
    // « accompagnent » → development (convention); « crédits » → loan. Guarantees or equity are not in the documents.
    types_accompagnement: ['developpement'],
    types_financement: ['pret'],
    porteurs: [{ nom: 'France Active' }],
    // « partout en France ».
    couverture: NATIONAL,
    source:
      `${S002} — tableau « Les dispositifs pour soutenir l'ESS » et tableau des leviers TRESSONS ; ${BANQUES_003} ; ` +
      `${S003} — annexe, exemple « Pôle Sud Rhône-Alpes »`,
  }),
  d({
    key: 'france-initiative',
    nom: 'France Initiative',
    description:
      "Cité parmi les réseaux dont « les crédits et l'accompagnement » ont orienté « des milliards d'euros de financement " +
      'bancaire vers des petites entreprises, des artisans, des associations, dont les projets avaient été rejetés par les ' +
      'banques auparavant » (003).',
    // « accompagnement » → development (convention); « crédits » → loan.
    types_accompagnement: ['developpement'],
    types_financement: ['pret'],
    porteurs: [{ nom: 'France Initiative' }],
    source: BANQUES_003,
  }),
  d({
    key: 'adie',
    nom: 'Adie',
    description:
      "Cité parmi les réseaux dont « les crédits et l'accompagnement » ont orienté « des milliards d'euros de financement " +
      "bancaire vers des petites entreprises, des artisans, des associations » (003) ; l'Adie est membre du Pôle Sud Rhône-Alpes.",
    // « accompagnement » → development (convention); « crédits » → loan.
    types_accompagnement: ['developpement'],
    types_financement: ['pret'],
    porteurs: [{ nom: 'Adie' }],
    source: `${BANQUES_003} ; ${S003} — annexe, exemple « Pôle Sud Rhône-Alpes »`,
  }),
  d({
    key: 'nef',
    nom: 'La Nef (Nouvelle Économie Fraternelle)',
    description:
      "« NEF Banque Ethique » : citée parmi les réseaux dont « les crédits et l'accompagnement » ont orienté « des milliards " +
      "d'euros de financement bancaire vers des petites entreprises, des artisans, des associations » (003) ; la Nef est membre " +
      'du Pôle Sud Rhône-Alpes.',
    // « accompagnement » → development (convention); « crédits » → loan.
    types_accompagnement: ['developpement'],
    types_financement: ['pret'],
    porteurs: [{ nom: 'La Nef' }],
    source: `${BANQUES_003} ; ${S003} — annexe, exemple « Pôle Sud Rhône-Alpes »`,
  }),
  d({
    key: 'credit-cooperatif',
    nom: 'Crédit Coopératif',
    description:
      "« Une banque coopérative spécialisée dans l'ESS », présente à l'atelier ESS de Paris Collectif (000) ; membre des groupes " +
      "de travail du Labo de l'ESS sur les banques, la finance solidaire et le circuit court (003).",
    // Interpretation: a bank; the documents list none of its products, so only « prêt », a bank's own business.
    types_financement: ['pret'],
    porteurs: [{ nom: 'Crédit Coopératif' }],
    source: `${S000} — présentation des participants à l'atelier ; ${S003} — groupes de travail (notes 4, 5 et 11)`,
  }),
  d({
    key: 'cigales',
    nom: 'Cigales',
    description:
      'Cités par 001 parmi les « circuits courts de la finance (Cigales, financements participatifs) », innovation financière ' +
      'face aux contraintes de financement des coopérations territoriales ; membre du groupe de travail circuit court (003).',
    // Interpretation: « circuits courts … de la finance solidaire » (001) → solidarity savings; the documents do not say equity.
    types_financement: ['epargne_solidaire'],
    porteurs: [{ nom: 'Cigales' }],
    source: `${S001} — « Le financement des coopérations territoriales : principes et outils » ; ${S003} — « Le circuit court », note 11`,
  }),

  // ——— Financial instruments the documents name ———
  d({
    key: 'crowdfunding',
    nom: 'Financement participatif (crowdfunding)',
    description:
      `${PRIVE} Financement issu de « sources plus informelles (le crowdfunding notamment) » (002). 001 le range parmi les « circuits ` +
      'courts de la finance » et recommande le développement de « dispositifs de financement participatif » ; 003 cite la ' +
      '« finance participative » parmi les outils financiers solidaires.',
    types_financement: ['financement_participatif'],
    source:
      `${TABLEAU_002} ; ${S001} — « Le financement des coopérations territoriales : principes et outils » et « Un nécessaire ` +
      `changement de méthodes » ; ${S003} — « Des outils financiers solidaires et responsables »`,
  }),
  d({
    key: 'fonds-de-dotation',
    nom: 'Fonds de dotation',
    description:
      'Cité par 001 parmi les « outils juridiques simplifiés (types fonds de dotation) » des innovations financières ; 003 ' +
      "propose de « développer les fonds de dotation aux entreprises de l'ESS par une ingénierie pointue propre à entraîner la " +
      'mobilisation des donateurs ».',
    // « mobilisation des donateurs » → gifts.
    types_financement: ['don_mecenat'],
    source:
      `${S001} — « Le financement des coopérations territoriales : principes et outils » ; ` +
      `${S003} — « Des outils financiers solidaires et responsables », proposition 4`,
  }),
  d({
    key: 'epargne-salariale-solidaire',
    nom: 'Épargne salariale solidaire',
    description:
      "003 propose « de développer l'épargne salariale solidaire, d'en accroître l'attrait auprès des salariés » parmi les " +
      "moyens d'une « collecte de l'épargne large et démocratique » pour les outils financiers solidaires.",
    types_financement: ['epargne_solidaire'],
    source: `${S003} — « Des outils financiers solidaires et responsables », proposition 2`,
  }),

  // ——— 002's table: European financing ———
  d({
    key: 'leader',
    nom: 'Programme LEADER',
    description:
      `${EUROPE} « Mobiliser le programme LEADER dans l'accompagnement des acteurs de l'ESS est également observé » ; le levier ` +
      "TRESSONS « Contribuer au financement des projets » invite à mettre en avant le soutien à l'ESS dans « certains programmes " +
      'de financements (LEADER notamment) ».',
    // Interpretation: a European funding programme → project grants.
    types_financement: ['subvention_projet'],
    porteurs: UE_PORTEUR,
    source: `${TABLEAU_002} ; ${S002} — tableau des leviers TRESSONS`,
  }),
  d({
    key: 'feader',
    nom: 'FEADER',
    description: EUROPE,
    // Interpretation: a European fund, named only → project grants.
    types_financement: ['subvention_projet'],
    porteurs: UE_PORTEUR,
    source: TABLEAU_002,
  }),
  d({
    key: 'fse',
    nom: 'FSE',
    description: EUROPE,
    // Interpretation: a European fund, named only → project grants.
    types_financement: ['subvention_projet'],
    porteurs: UE_PORTEUR,
    source: TABLEAU_002,
  }),

  // ——— 002's table: State financing ———
  d({
    key: 'agrement-esus',
    nom: 'Agrément ESUS (entreprise solidaire d’utilité sociale)',
    description:
      `${ETAT} Créé en 2014 par la loi relative à l'ESS, il « est destiné aux entreprises qui poursuivent des objectifs d'utilité ` +
      "sociale » ; il a pour but « de faciliter l'identification des entreprises qui contribuent à l'économie sociale et solidaire " +
      "et d'encourager leurs actions par un apport financier supplémentaire ».",
    // No type: an agreement that opens financing; 002 does not say which financing.
    porteurs: [{ nom: 'DIRECCTE (Direction Régionale des Entreprises, de la Concurrence, de la Consommation, du Travail et de l’Emploi)' }],
    // A State agreement created by the law.
    couverture: NATIONAL,
    conditions:
      "Appartenir à la catégorie « de plein droit et d'ESS » (II de l'article 11 de la loi relative à l'ESS : entreprises " +
      "d'insertion / de travail temporaire, ateliers et chantiers d'insertion, services de l'aide sociale à l'enfance, centres " +
      "d'hébergement et de réinsertion sociale, régies de quartier, entreprises adaptées / établissements et services d'aide par " +
      "le travail, organismes favorisant le développement et l'amélioration de l'offre de logements (article R365-1 du code de " +
      "l'habitat et de la construction), associations et fondations reconnues d'utilité publique, établissements et services " +
      "accompagnant et accueillant des enfants et des adultes handicapés, structures d'insertion par l'activité économique) ou « justifier du caractère substantiel de l'utilité sociale des actions menées ». " +
      'Demande auprès de la DIRECCTE.',
    source: `${TABLEAU_002} ; ${S002} — « Le financement des structures de l'ESS » (agrément ESUS et encadré « de plein droit »)`,
  }),
  d({
    key: 'fonds-urgence-ess',
    nom: 'Fonds Urgence ESS',
    // Interpretation: 002 does not put the name and the crisis scheme in one sentence; the crisis scheme of 22 January 2021
    // is read as the « Fond Urgence ESS » of its table (the table's only crisis fund).
    description:
      `${ETAT} 002 décrit, « dans le contexte de la crise sanitaire », un « dispositif doté de 30M€ » lancé par le Secrétariat ` +
      "d'État chargé de l'Économie sociale et solidaire le 22 janvier 2021 « pour venir en aide aux structures touchées par la " +
      'crise » ; « les aides sont allouées sur demande des structures concernées ».',
    // Interpretation: emergency help to structures hit by the crisis, not tied to a project → operating grant.
    types_financement: ['subvention_fonctionnement'],
    porteurs: [{ nom: "Secrétariat d'État chargé de l'Économie sociale et solidaire" }],
    couverture: NATIONAL,
    // The total envelope, not an amount per structure: montant_min / montant_max stay empty.
    montant_texte: 'Dispositif doté de 30M€ (enveloppe totale)',
    // « lancé … le 22 janvier 2021 » (no time given: start of that day, winter time); no closing date is given.
    calendrier: { type: 'date', ouverture: '2021-01-22T00:00:00+01:00' },
    conditions: 'Structures touchées par la crise ; aides « allouées sur demande des structures concernées ».',
    source: `${TABLEAU_002} ; ${S002} — « Le financement des structures de l'ESS » (crise sanitaire)`,
  }),
  d({
    key: 'fds',
    nom: 'FDS',
    // The acronym is not expanded in the document; nothing else is said.
    description: `${ETAT} Le sigle n'y est pas développé.`,
    porteurs: ETAT_PORTEUR,
    source: TABLEAU_002,
  }),
  d({
    key: 'prets-garantis-par-l-etat',
    nom: "Prêts garantis par l'État",
    description: ETAT,
    // The scheme's name says both: a loan, guaranteed by the State.
    types_financement: ['pret', 'garantie'],
    porteurs: ETAT_PORTEUR,
    couverture: NATIONAL,
    source: TABLEAU_002,
  }),

  // ——— 002's table: private financing ———
  d({
    key: 'contrats-a-impact',
    nom: 'Contrats à impact',
    // No type: 002 says only that it is private-initiative financing; no code of the vocabulary follows from that.
    description: PRIVE,
    source: TABLEAU_002,
  }),
  d({
    key: 'dons-fiscalement-deductibles',
    nom: 'Dons fiscalement déductibles',
    description: `${PRIVE} 001 compte les dons parmi les leviers de financement des coopérations territoriales.`,
    types_financement: ['don_mecenat'],
    source: `${TABLEAU_002} ; ${S001} — « Le financement des coopérations territoriales : principes et outils »`,
  }),
  d({
    key: 'prets-participatifs',
    nom: 'Prêts participatifs',
    description: PRIVE,
    types_financement: ['pret_participatif'],
    source: TABLEAU_002,
  }),
  d({
    key: 'fondation-rte',
    nom: 'Fondation RTE',
    description: PRIVE,
    // Interpretation: a company foundation's financing is patronage.
    types_financement: ['don_mecenat'],
    porteurs: [{ nom: 'Fondation RTE' }],
    source: TABLEAU_002,
  }),
  d({
    key: 'operation-milliard',
    nom: 'Opération Milliard',
    // No type: 000 does not say how the money collected supports the alternatives.
    description:
      "« Une initiative ambitieuse visant à collecter 1 milliard d'euros pour soutenir les alternatives ESS », représentée à " +
      "l'atelier ESS de Paris Collectif (000).",
    porteurs: [{ nom: 'Opération Milliard' }],
    source: `${S000} — présentation des participants à l'atelier`,
  }),

  // ——— 002's table: calls ———
  d({
    key: 'aap-france-relance',
    nom: 'Appels à projets thématiques de France Relance',
    description: `${AAP} « AAP thématiques dans le cadre de France Relance ».`,
    types_financement: ['appel_a_projets'],
    source: TABLEAU_002,
  }),
  d({
    key: 'aap-communaute-emergence-acceleration',
    nom: 'Appels à projets de la Communauté Émergence & Accélération',
    description: `${AAP} « AAP nationaux et interrégionaux de la Communauté Emergence & Accélération ».`,
    types_financement: ['appel_a_projets'],
    porteurs: [{ nom: 'Communauté Émergence & Accélération' }],
    // « nationaux et interrégionaux »: national; the regions of the interregional calls are not named.
    couverture: NATIONAL,
    source: TABLEAU_002,
  }),
  d({
    key: 'aap-cress-cdas',
    nom: 'Appels à projets des CRESS et des CDAS',
    description: `${AAP} « AAP à l'initiative des CRESS et des CDAS » (le sigle CDAS n'y est pas développé).`,
    types_financement: ['appel_a_projets'],
    porteurs: [{ nom: 'CRESS' }, { nom: 'CDAS' }],
    source: TABLEAU_002,
  }),
  d({
    key: 'financements-cress',
    nom: 'Financements redistribués par les CRESS',
    // No type: the kind of financing is not said.
    description:
      "Les CRESS « redistribuent des financements de l'Etat aux initiatives locales et fédèrent l'ensemble des projets de l'ESS " +
      "de la Région » (002) ; exemple : l'association Passerelles-Théâtre « bénéficie d'un soutien financier de la CRESS de Normandie ».",
    porteurs: [{ nom: 'CRESS' }],
    source: `${S002} — « Des partenariats locaux et régionaux » ; ${S002} — exemple Passerelles-Théâtre (activités culturelles)`,
  }),
  d({
    key: 'plie',
    nom: 'PLIE',
    // The acronym is not expanded in the document.
    description:
      "Dans le Pays Terres de Lorraine, la maison de l'emploi a instauré depuis 2010 un PLIE qui « ouvre l'accès à de nouvelles " +
      "subventions et à la mise en réseau des structures favorisant l'insertion » (002) ; 002 cite aussi le PLIE de Caen, " +
      "partenaire de Passerelles-Théâtre pour l'accompagnement de demandeurs d'emploi.",
    // « mise en réseau des structures » → animation (interpretation); « nouvelles subventions » → project grants (interpretation).
    types_accompagnement: ['animation'],
    types_financement: ['subvention_projet'],
    source: `${S002} — « Zoom sur… Terres de Lorraine » ; ${S002} — exemple Passerelles-Théâtre (activités culturelles)`,
  }),

  // ——— Calls and programmes for cooperation models ———
  d({
    key: 'ami-fabrique-des-territoires',
    nom: 'AMI « Fabrique des Territoires »',
    description:
      '« Le développement de tiers-lieux a par ailleurs été encouragé par l\'AMI "Fabrique des Territoires", lancé en juillet 2019 ' +
      'par le gouvernement » (002). Lancement : juillet 2019 (jour non précisé).',
    types_financement: ['appel_a_projets'],
    porteurs: [{ nom: 'Gouvernement' }],
    // Interpretation: the call encouraged the development of tiers-lieux.
    modeles: ['tiers_lieu'],
    // « lancé … par le gouvernement » → national.
    couverture: NATIONAL,
    source: `${S002} — « Les secteurs d'activités concernés et les formes existantes des structures ESS »`,
  }),
  d({
    key: 'ami-france-mobilite',
    nom: 'AMI France Mobilité',
    description:
      "Cadre dans lequel le PETR Midi-Quercy porte, en partenariat avec l'association Montauban Services, la Conciergerie de " + 'mobilité rurale (82) (002).',
    types_financement: ['appel_a_projets'],
    source: `${S002} — exemple Conciergerie de mobilité rurale (mobilité/transports)`,
  }),
  d({
    key: 'tzcld',
    nom: 'Territoires zéro chômeur de longue durée (expérimentation)',
    description:
      'Expérimentation dont « 50 territoires seront sélectionnés au terme de la deuxième session de candidature (2021 - 2024) » ; ' +
      "les territoires lauréats « ont la possibilité d'utiliser une partie des indemnités chômage pour la création d'entreprise " +
      "à but d'emploi », dont le statut leur permet « d'embaucher pour 5 ans des personnes au chômage pour proposer une activité " +
      'non-concurrentielle sur le territoire » (002). Le rapport « Ruralités : une ambition à partager » cité par 002 propose la ' +
      "« poursuite de l'expérimentation ». 001 compte 60 TZCLD habilités, employant début 2024 2 677 personnes.",
    // A session of candidatures → call. The use of unemployment benefits for the entreprises à but d'emploi has no code.
    types_financement: ['appel_a_projets'],
    modeles: ['TZCLD'],
    calendrier: { type: 'vagues', vagues: [{ nom: 'Deuxième session de candidature (2021 - 2024)' }] },
    conditions: "Candidature d'un territoire ; « Les territoires lauréats (moins de 10.000 habitants) » (002).",
    source:
      `${S002} — exemple PETR Midi-Quercy au projet TZCLD (action sociale) ; ${S002} — rapport « Ruralités : une ambition à ` +
      `partager » ; ${S001} — chiffres clés`,
  }),
  d({
    key: 'ami-ptce',
    nom: "AMI national PTCE — appel à manifestation d'intérêt (PTCE émergents, 2021)",
    description:
      "Premier volet de la stratégie nationale de relance des PTCE annoncée le 12 mai 2021 : « un appel à manifestation d'intérêt " +
      "pour les PTCE émergent », « national et permanent », dont l'objet « en première intention » est « l'identification des " +
      "dynamiques locale d'émergence de nouveaux PTCE ». Phase 1 : identification des dynamiques PTCE en émergence ; les lauréats " +
      'accèdent à « un premier bouquet de service « spécifique émergence » ». Phase 2 : sélection de 15 à 20 territoires parmi ' +
      "les lauréats de la phase 1, avec le bouquet de service et un financement de l'État qui « permettra en particulier de " +
      "financer l'animation territoriale des coopérations » (004).",
    // No accompaniment type: the « bouquet de service « spécifique émergence » » is not described.
    // Interpretation: State money for « l'animation territoriale des coopérations », an operating cost → operating grant.
    types_financement: ['appel_a_projets', 'subvention_fonctionnement'],
    porteurs: STRATEGIE_PTCE_PORTEURS,
    stades: ['emergence'],
    modeles: ['PTCE'],
    couverture: NATIONAL,
    // 100 000 € is what every phase-2 laureate receives; the year-3 amount is not stated, so no maximum.
    montant_min: 100000,
    montant_texte:
      "100 000€ pour 2 ans avec une aide complémentaire en année 3 en fonction de l'avancée du dossier les 2 premières années " + '(lauréats de la phase 2)',
    duree_texte: '2 ans, avec une aide complémentaire en année 3',
    calendrier: {
      // « cet AMI est permanent, avec une première vague démarrant le 12 mai 2021 jusqu'en novembre »: permanent, by waves.
      type: 'vagues',
      // Launched on 12 May 2021 (a videoconference; no time given: start of that day, summer time).
      ouverture: '2021-05-12T00:00:00+02:00',
      vagues: [
        {
          nom: 'Vague 1 — phase 1 : identification des dynamiques PTCE en émergence',
          ouverture: '2021-05-12T00:00:00+02:00',
          // « pour le mercredi 23 juin minuit délai de rigueur »: 23 June 2021 is a Wednesday; « le 23 juin minuit » is the
          // midnight that ends that day (24:00), not the one that starts it — otherwise the deadline would fall in the night
          // from Tuesday to Wednesday. Last accepted instant: 23:59:59.999, summer time (UTC+2) = 2021-06-23T21:59:59.999Z.
          cloture: '2021-06-23T23:59:59.999+02:00',
        },
        // « de juillet à novembre »: no day is given; read at month granularity, from 1 July to the end of November 2021.
        {
          nom: 'Vague 1 — phase 2 : sélection de 15 à 20 territoires parmi les lauréats de la phase 1 (juillet à novembre 2021)',
          ouverture: '2021-07-01T00:00:00+02:00',
          cloture: '2021-11-30T23:59:59.999+01:00',
        },
      ],
    },
    conditions:
      'Dynamiques de PTCE en émergence. Dossiers « à déposer en ligne sur le site « Ma démarche simplifiée » », au plus tard le ' +
      'mercredi 23 juin 2021 à minuit, « délai de rigueur » ; lauréats de la phase 1 annoncés « la semaine du 19 juillet ». ' +
      'La phase 2 est ouverte aux seuls lauréats de la phase 1.',
    source: `${S004} — « Un AMI national et permanent » et « Informations pratiques »`,
  }),
  d({
    key: 'offre-service-ptce-existants',
    nom: 'Offre de service aux PTCE existants (stratégie nationale de relance des PTCE)',
    description:
      'Deuxième volet de la stratégie nationale de relance des PTCE : « une offre complète de service à destination des PTCE ' +
      "existants », « co-construite avec les PTCE compagnons notamment », qui « permettra d'aider les PTCE existant à se " +
      "consolider ou à changer d'échelle ». Elle devait se structurer entre mai et juillet 2021 et être présentée mi-juillet 2021 ; " +
      "004 n'en décrit pas le contenu.",
    // No type: the content of the offer is not described.
    porteurs: STRATEGIE_PTCE_PORTEURS,
    stades: ['consolidation', 'changement_echelle'],
    modeles: ['PTCE'],
    couverture: NATIONAL,
    source: `${S004} — « La stratégie générale de relance des PTCE » et « Un AMI national et permanent »`,
  }),

  // ——— Research ———
  d({
    key: 'cifre',
    nom: 'Contrats CIFRE',
    description:
      "001 appelle à une « reconnaissance de la recherche et de la recherche action en tant qu'appui aux coopérations " +
      'territoriales notamment via les contrats CIFRE et le crédit impôt recherche ».',
    // Research as « appui » → expertise métier (see the header).
    types_accompagnement: ['expertise_metier'],
    source: RECHERCHE_001,
  }),
  d({
    key: 'credit-impot-recherche',
    nom: "Crédit d'impôt recherche",
    description:
      "001 appelle à une « reconnaissance de la recherche et de la recherche action en tant qu'appui aux coopérations " +
      'territoriales notamment via les contrats CIFRE et le crédit impôt recherche ».',
    // Research as « appui » → expertise métier (see the header); a tax credit is none of our financing kinds.
    types_accompagnement: ['expertise_metier'],
    source: RECHERCHE_001,
  }),
];

/*
 * Named in the documents but left out of the catalogue, and why:
 * - Proposals that do not exist (per the documents): livret solidaire, produit d'assurance vie solidaire obligatoire,
 *   Fonds régionaux d'épargne solidaire (FRES), banques régionales d'investissement (BRI), BPI (then being created), the
 *   national PTCE experimentation (20 M€) and the « dispositif national d'expérimentation, de capitalisation et de
 *   labellisation de 50 pôles » (003), 500 postes de développeurs de coopération, « 1% ingénierie », fonds d'expérimentation
 *   locaux, plateformes mutualisées d'investissement citoyen, capitaux patients, revenu de transition écologique (001),
 *   garantie publique de trésorerie and more operating grants (000), antennes départementales des CRESS and exonération de
 *   CFE (the « Ruralités » report quoted by 002), FINORPA (only an example of what a BRI could be).
 * - Networks, platforms, resource centres and events that list, represent or animate without an offer described: the ESSor
 *   platform of the CRESS Pays de la Loire (it « recense les offres »), Avise and its cartographies, RTES, ESS France, Labo
 *   de l'ESS, Finansol and the working-group members only named as such (Spear, Microdon, Garrigue, SIFA…), the PTCE national
 *   animation cell and « animation partenariale » (governance of the strategy), the PTCE working groups of 004, the Mois de
 *   l'ESS, the 2011 call for candidates of the PTCE working group (an inventory), the « journée nationale PTCE ».
 * - Labels: PRIDES (Région PACA), clusters Datar, pôles de compétitivité and the advantages (OSEO, ANR, CDC programmes) 003
 *   proposes for a PTCE label that does not exist.
 * - Cooperation models and public-policy tools, not schemes: PTCE (002 calls it « un nouveau dispositif », but it is a model
 *   of cooperation), PAT, SRDEII, clauses sociales, commande publique, contrats d'aide à l'insertion and FPSP (named only in
 *   proposals to reform them), monnaies locales, foncières solidaires and urbanisme temporaire (means of access to premises
 *   in a recommendation; no code fits), mutualisation, CAE, what collectivités « peuvent » do (loyers différés, aide au dossier).
 * - One-off help to an example, and the accompaniment of cooperations of the demo data (it stays with them in the Atlas):
 *   CAE Crescendo (Passerelles-Théâtre), POLLENS (Roannais), Pôle d'économie solidaire Sud-Essonne, Pôle Sud, Initiatives
 *   et Cité, Pôle Services à la Personne PACA, Pôles de développement de l'ESS en Bretagne, the planned Sicoval incubator,
 *   the pôle régional de l'innovation sociale of Languedoc-Roussillon (only an « ambition »), the fonds de dotation
 *   Que Vol'Terre (it initiated 001's study).
 */
