/**
 * The PTCE self-diagnostic: the criteria of document 003 (annex « Premiers éléments caractérisant les PTCE »,
 * section 6 « Comment caractériser les pôles territoriaux de coopération économique ? »: 8 critères
 * incontournables, 6 critères à tester, 5 situations qui « ne peuvent être considérées a priori comme PTCE »),
 * read beside the legal definition of the law of 31 July 2014 quoted by document 002. Each criterion is
 * computed from the cooperation's data where the data can tell; otherwise the cooperation's admins declare it
 * with evidence, and it stays « à confirmer » until they do.
 *
 * A criterion met by the data stays met whatever is declared; a declaration completes what the data cannot
 * show (a partner that is not a recorded member, members not yet recorded), so it also lifts a « non rempli »
 * computed from incomplete data, and the reason then says both.
 */
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

export const familleCritere = defineEnum({
  incontournable: 'Critère incontournable',
  a_tester: 'Critère à tester',
  exclusion: 'Ne peut être considéré a priori comme PTCE',
});
export type FamilleCritere = EnumCode<typeof familleCritere>;

export const statutCritere = defineEnum({
  rempli: 'Rempli',
  non_rempli: 'Non rempli',
  a_confirmer: 'À confirmer',
});
export type StatutCritere = EnumCode<typeof statutCritere>;

/** A member as the diagnostic needs it: its role in the cooperation and, when a recorded structure holds it, what is known of it. */
export interface DiagnosticMember {
  role: string;
  statutEss: string | null;
  /** INSEE catégorie juridique (2 or 4 digits). */
  legalForm: string | null;
  departementCode: string | null;
  regionCode: string | null;
}

/** What the admins declared for one criterion: whether it holds for the cooperation, and the evidence. */
export interface Declaration {
  rempli: boolean;
  texte: string;
  lien: string | null;
  fichier: string | null;
  /** Date of the declaration, YYYY-MM-DD. */
  date: string;
}

export interface DiagnosticInput {
  departementCode: string | null;
  regionCode: string | null;
  foundedYear: number | null;
  sharedResources: string | null;
  governance: string | null;
  members: readonly DiagnosticMember[];
  declarations: Readonly<Record<string, Declaration>>;
  /** The current year (Paris), for the age of the cooperation. */
  year: number;
}

/** What the data says of a criterion: it holds, it does not, or the data cannot tell (`null`). */
interface Computed {
  holds: boolean | null;
  raison: string;
}

interface Critere {
  code: string;
  famille: FamilleCritere;
  libelle: string;
  source: string;
  /** Absent: the data cannot tell, only a declaration can. */
  compute?: (input: DiagnosticInput) => Computed;
}

const ANNEXE_003 =
  'Document 003 (Labo de l’ESS, « Propositions »), annexe, section 6 « Comment caractériser les pôles territoriaux de coopération économique ? »';
const INCONTOURNABLES = `${ANNEXE_003}, critères incontournables`;
const A_TESTER = `${ANNEXE_003}, critères à tester lors de la phase d’expérimentation`;
const EXCLUSIONS = `${ANNEXE_003}, « Ne peuvent être considérés a priori comme PTCE »`;
const LOI_2014 =
  'Loi du 31 juillet 2014 relative à l’ESS, citée par le document 002 : « regroupement sur un même territoire d’entreprises de l’économie sociale et solidaire […] qui s’associent à des entreprises, en lien avec des collectivités territoriales et leurs groupements, des centres de recherche, des établissements d’enseignement supérieur et de recherche, des organismes de formation ou toute autre personne physique ou morale »';

const quoted = (family: string, passage: string) => `${family} : « ${passage} »`;

/** The minimum of the annex (« minimum 5/10 organisations »): the lower bound, as the issue reads it. */
export const MIN_MEMBRES = 5;
/** Maillage's reading of « un engagement sur la longue durée »: a cooperation formed at least this many years ago. */
export const MIN_ANNEES = 3;

const ESS_ROLES = new Set(['entreprise_ess']);
const OTHER_STAKEHOLDER_ROLES = new Set(['autre_entreprise', 'collectivite', 'recherche', 'formation']);
/** Legal forms of local authorities (INSEE level II 72: collectivité territoriale). */
const COLLECTIVITE_FORM = '72';

const isEss = (m: DiagnosticMember) => ESS_ROLES.has(m.role) || (m.statutEss !== null && m.statutEss !== 'hors_ess');
const isOtherStakeholder = (m: DiagnosticMember) => OTHER_STAKEHOLDER_ROLES.has(m.role) || m.statutEss === 'hors_ess';
const isCollectivite = (m: DiagnosticMember) => m.role === 'collectivite' || m.legalForm?.slice(0, 2) === COLLECTIVITE_FORM;

const membres = (n: number) => (n > 1 ? `${n} membres recensés` : n === 1 ? 'un seul membre recensé' : 'aucun membre recensé');
/** With no member recorded, the data cannot tell anything about the members. */
const noMembers = (what: string): Computed => ({ holds: null, raison: `Aucun membre n’est recensé dans Maillage : ${what}` });

const CRITERES: readonly Critere[] = [
  {
    code: 'ess_et_parties_prenantes',
    famille: 'incontournable',
    libelle: 'Associer des acteurs de l’ESS à d’autres parties prenantes',
    source: `${quoted(INCONTOURNABLES, 'Une initiative qui associe des acteurs et entrepreneurs de l’ESS avec d’autres parties prenantes (collectivités locales, PME, partenaires sociaux, centres de recherche)')} ; ${LOI_2014}`,
    compute: ({ members }) => {
      if (!members.length) return noMembers('ajoutez les membres de la coopération ou déclarez ce critère avec une preuve.');
      const ess = members.filter(isEss).length;
      const others = members.filter(isOtherStakeholder).length;
      if (ess && others)
        return { holds: true, raison: `Parmi les ${membres(members.length)}, ${ess} relèvent de l’ESS et ${others} sont d’autres parties prenantes.` };
      return {
        holds: false,
        raison: ess
          ? `Les ${membres(members.length)} relèvent tous de l’ESS : aucune autre partie prenante (collectivité, entreprise, recherche, formation) n’est recensée.`
          : `Aucun des ${membres(members.length)} n’est recensé comme acteur de l’ESS.`,
      };
    },
  },
  {
    code: 'regroupement_significatif',
    famille: 'incontournable',
    libelle: `Regrouper au moins ${MIN_MEMBRES} organisations de types différents`,
    source: quoted(
      INCONTOURNABLES,
      'Un regroupement volontaire d’un nombre significatif (minimum 5/10 organisations) d’initiatives, de réseaux, d’entreprises ou d’institutions de types différents',
    ),
    compute: ({ members }) => {
      if (!members.length) return noMembers('ajoutez les membres de la coopération ou déclarez ce critère avec une preuve.');
      const types = new Set(members.map((m) => m.role)).size;
      if (members.length < MIN_MEMBRES) return { holds: false, raison: `${capitalize(membres(members.length))} : il en faut au moins ${MIN_MEMBRES}.` };
      if (types < 2)
        return { holds: false, raison: `${capitalize(membres(members.length))}, mais tous du même type : il faut des organisations de types différents.` };
      return { holds: true, raison: `${capitalize(membres(members.length))}, de ${types} types différents.` };
    },
  },
  {
    code: 'projet_partage_formalise',
    famille: 'incontournable',
    libelle: 'Un projet partagé et formalisé, ancré durablement dans le territoire',
    source: quoted(INCONTOURNABLES, 'Un projet partagé et formalisé autour d’une stratégie commune de développement ancré durablement dans le territoire'),
  },
  {
    code: 'integration_locale',
    famille: 'incontournable',
    libelle: 'Une intégration locale significative des parties prenantes',
    source: quoted(INCONTOURNABLES, 'Une intégration locale significative des parties prenantes (réseaux, partenariats)'),
    compute: ({ members, departementCode, regionCode }) => {
      const located = members.filter((m) => m.departementCode || m.regionCode);
      if (!departementCode && !regionCode) return { holds: null, raison: 'La coopération n’est pas située : son territoire n’est pas connu de Maillage.' };
      if (!located.length)
        return { holds: null, raison: 'Aucun membre recensé n’est rattaché à une structure située : le territoire de ses membres n’est pas connu.' };
      const local = located.filter((m) => (departementCode ? m.departementCode === departementCode : m.regionCode === regionCode)).length;
      const where = departementCode ? 'le département' : 'la région';
      const raison = `${local} des ${located.length} membres situés le sont dans ${where} de la coopération.`;
      return { holds: local * 2 > located.length, raison: local * 2 > located.length ? raison : `${raison} Il en faut plus de la moitié.` };
    },
  },
  {
    code: 'utilite_sociale',
    famille: 'incontournable',
    libelle: 'Une utilité sociale reconnue de la majorité des activités',
    source: quoted(INCONTOURNABLES, 'Une utilité sociale reconnue d’une majorité des activités du PTCE'),
  },
  {
    code: 'engagement_longue_duree',
    famille: 'incontournable',
    libelle: 'Un engagement formalisé sur la longue durée',
    source: quoted(
      INCONTOURNABLES,
      'Un engagement sur la longue durée. Il s’agit bien d’une coopération formalisée entre plusieurs parties prenantes au-delà de la réalisation d’un projet ponctuel',
    ),
    compute: ({ foundedYear, year }) => {
      if (foundedYear === null) return { holds: null, raison: 'L’année de création de la coopération n’est pas connue.' };
      const age = year - foundedYear;
      if (age >= MIN_ANNEES)
        return { holds: true, raison: `Coopération créée en ${foundedYear}, il y a ${age} ans (Maillage retient au moins ${MIN_ANNEES} ans).` };
      return { holds: null, raison: `Coopération créée en ${foundedYear} : moins de ${MIN_ANNEES} ans, l’engagement dans la durée reste à montrer.` };
    },
  },
  {
    code: 'engagement_economique',
    famille: 'incontournable',
    libelle: 'Mutualiser des ressources ou investir dans des activités économiques communes',
    source: quoted(
      INCONTOURNABLES,
      'Un engagement économique minimal entre structures sur la mutualisation de ressources ou de fonctionnalités (espace hébergement) et/ou dans l’investissement sur des activités économiques communes (pépinière d’entreprises, réseau de distribution, recherche en partenariat...)',
    ),
    compute: ({ sharedResources }) =>
      sharedResources?.trim()
        ? { holds: true, raison: `Ressources partagées recensées : ${sharedResources.trim()}` }
        : { holds: null, raison: 'Aucune ressource partagée n’est recensée pour la coopération.' },
  },
  {
    code: 'partenariat_collectivite',
    famille: 'incontournable',
    libelle: 'Un partenariat avec au moins une collectivité locale',
    source: `${quoted(INCONTOURNABLES, 'Un partenariat avec au moins une collectivité locale')} ; ${LOI_2014}`,
    compute: ({ members }) => {
      const count = members.filter(isCollectivite).length;
      if (count) return { holds: true, raison: `${count > 1 ? `${count} collectivités sont membres` : 'Une collectivité est membre'} de la coopération.` };
      // A partnership need not be a membership: without a collectivité among the members, it is to be declared.
      return {
        holds: null,
        raison: `Aucune collectivité parmi les ${membres(members.length)} : déclarez le partenariat avec sa preuve (convention, délibération).`,
      };
    },
  },
  {
    code: 'lieu_identifiable',
    famille: 'a_tester',
    libelle: 'Un lieu ou une zone géographique identifiable et visible',
    source: quoted(
      A_TESTER,
      'Un lieu ou une zone géographique identifiable et visible : locaux ou hébergement commun, zone d’activités et/ou un réseau formel et territorialisé d’entreprises',
    ),
  },
  {
    code: 'recherche_developpement',
    famille: 'a_tester',
    libelle: 'Une démarche de recherche-développement',
    source: quoted(
      A_TESTER,
      'Une démarche de recherche-développement autour par exemple d’un programme d’expérimentation ou d’une fonction d’incubateur et selon des modalités diverses (partenariat ou non avec des centres de recherche et formations universitaires)',
    ),
    compute: ({ members }) => {
      const partners = members.filter((m) => m.role === 'recherche' || m.role === 'formation').length;
      return partners
        ? { holds: true, raison: `${partners > 1 ? `${partners} membres sont` : 'Un membre est'} de la recherche ou de la formation.` }
        : { holds: null, raison: 'Aucun partenaire de recherche ou de formation parmi les membres recensés.' };
    },
  },
  {
    code: 'gouvernance_democratique',
    famille: 'a_tester',
    libelle: 'Des statuts et un fonctionnement reposant sur une gouvernance démocratique',
    source: quoted(A_TESTER, 'Des statuts et un fonctionnement reposant sur une gouvernance démocratique'),
    // The governance text says how the cooperation is run, not that it is democratic: shown, but declared.
    compute: ({ governance }) => ({
      holds: null,
      raison: governance?.trim()
        ? `Gouvernance recensée : ${governance.trim()} Son caractère démocratique reste à déclarer.`
        : 'La gouvernance de la coopération n’est pas décrite.',
    }),
  },
  {
    code: 'politiques_ess_territoire',
    famille: 'a_tester',
    libelle: 'Une inscription dans les politiques de l’ESS du territoire et ses réseaux locaux',
    source: quoted(A_TESTER, 'L’inscription du PTCE dans le cadre des politiques de l’ESS de son territoire et un rattachement aux réseaux locaux de l’ESS'),
  },
  {
    code: 'demarche_evaluation',
    famille: 'a_tester',
    libelle: 'Une démarche d’évaluation du processus et des résultats',
    source: quoted(A_TESTER, 'Une démarche d’évaluation du processus et des résultats du PTCE'),
  },
  {
    code: 'emplois_significatifs',
    famille: 'a_tester',
    libelle: 'Un nombre significatif d’emplois',
    source: quoted(A_TESTER, 'Un nombre significatif d’emplois'),
  },
  {
    code: 'projet_ponctuel',
    famille: 'exclusion',
    libelle: 'Une dynamique autour de la création d’une entreprise ou d’un projet ponctuel',
    source: quoted(EXCLUSIONS, 'Une dynamique multi-partie prenantes autour de la création d’une entreprise ou d’un projet ponctuel'),
  },
  {
    code: 'reseau_politique_ess',
    famille: 'exclusion',
    libelle: 'Un réseau politique d’animation, de sensibilisation et de représentation de l’ESS',
    source: quoted(EXCLUSIONS, 'Un réseau politique d’animation, sensibilisation et représentation de l’ESS'),
  },
  {
    code: 'agence_developpement_cci',
    famille: 'exclusion',
    libelle: 'Une agence de développement ou une CCI',
    source: quoted(EXCLUSIONS, 'Une agence de développement ou une CCI'),
  },
  {
    code: 'reseau_accompagnement_creation',
    famille: 'exclusion',
    libelle: 'Un réseau d’accompagnement à la création d’activité',
    source: quoted(EXCLUSIONS, 'Une réseau d’accompagnement à la création d’activité'),
  },
  {
    code: 'observatoire_centre_ressources',
    famille: 'exclusion',
    libelle: 'Un observatoire ou un centre de ressources',
    source: quoted(EXCLUSIONS, 'Un observatoire ou centre ressources'),
  },
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const CRITERE_CODES = CRITERES.map((c) => c.code);
/** The criteria the data can settle: a declaration may only complete them. */
const COMPUTED = new Set(CRITERES.filter((c) => c.compute).map((c) => c.code));

export function isCritereCode(code: string): boolean {
  return CRITERE_CODES.includes(code);
}

/** The criterion of a code, or a French 404 refusal. */
export function critereOf(code: string) {
  const critere = CRITERES.find((c) => c.code === code);
  if (!critere) throw new RuleError('critere_inconnu', `Aucun critère du diagnostic PTCE ne porte le code « ${code} ».`, { kind: 'not_found' });
  return { code: critere.code, famille: critere.famille, libelle: critere.libelle, source: critere.source, calcule: COMPUTED.has(critere.code) };
}

export interface CritereResult {
  code: string;
  famille: FamilleCritere;
  libelle: string;
  statut: StatutCritere;
  raison: string;
  source: string;
  /** The declaration that settled or completed the criterion, if any. */
  declaration: Declaration | null;
}

export interface Diagnostic {
  criteres: CritereResult[];
  synthese: { incontournables_remplis: number; incontournables_total: number; exclusions_constatees: number; conclusion: string };
}

const evidence = (d: Declaration) =>
  `Déclaré par l’administration de la coopération le ${frenchDate(d.date)} : ${d.texte}${d.lien ? ` (preuve : ${d.lien})` : ''}${d.fichier ? ` (pièce jointe : ${d.fichier})` : ''}`;

function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function evaluate(critere: Critere, input: DiagnosticInput): CritereResult {
  const computed = critere.compute?.(input) ?? null;
  const declared = input.declarations[critere.code] ?? null;
  const base = { code: critere.code, famille: critere.famille, libelle: critere.libelle, source: critere.source, declaration: declared };
  if (computed?.holds === true) return { ...base, statut: 'rempli', raison: computed.raison, declaration: null };
  if (declared?.rempli) {
    // The data could not show it: the declaration completes it, and the reason keeps what the data says.
    return { ...base, statut: 'rempli', raison: computed ? `${evidence(declared)}. Données de Maillage : ${computed.raison}` : evidence(declared) };
  }
  if (computed?.holds === false) return { ...base, statut: 'non_rempli', raison: computed.raison, declaration: null };
  // For an exclusion, « rempli » means the situation applies: the exclusion is found.
  if (declared) return { ...base, statut: 'non_rempli', raison: evidence(declared) };
  const ask =
    critere.famille === 'exclusion'
      ? 'À confirmer : l’administration de la coopération déclare, preuve à l’appui, si cette situation la décrit.'
      : 'À confirmer : l’administration de la coopération le déclare avec une preuve (texte, lien ou fichier).';
  return { ...base, statut: 'a_confirmer', raison: computed ? `${computed.raison} ${ask}` : ask };
}

function conclusion(criteres: readonly CritereResult[]): string {
  const of = (famille: FamilleCritere, statut: StatutCritere) => criteres.filter((c) => c.famille === famille && c.statut === statut).length;
  const total = criteres.filter((c) => c.famille === 'incontournable').length;
  const remplis = of('incontournable', 'rempli');
  const exclusions = of('exclusion', 'rempli');
  if (exclusions)
    return `${exclusions > 1 ? `${exclusions} situations constatées relèvent` : 'Une situation constatée relève'} de ce qui ne peut être considéré a priori comme PTCE : la coopération ne se caractérise pas comme PTCE en l’état.`;
  const manquants = of('incontournable', 'non_rempli');
  const aConfirmer = of('incontournable', 'a_confirmer') + of('exclusion', 'a_confirmer');
  if (remplis === total && !aConfirmer)
    return `Les ${total} critères incontournables sont remplis et aucune exclusion n’est constatée : la coopération se caractérise comme PTCE.`;
  const parts = [`${remplis} critère${remplis > 1 ? 's' : ''} incontournable${remplis > 1 ? 's' : ''} sur ${total} rempli${remplis > 1 ? 's' : ''}`];
  if (manquants) parts.push(`${manquants} non rempli${manquants > 1 ? 's' : ''}`);
  if (aConfirmer) parts.push(`${aConfirmer} point${aConfirmer > 1 ? 's' : ''} à confirmer (critères incontournables et exclusions)`);
  return `${parts.join(', ')} : la caractérisation comme PTCE reste à établir.`;
}

/** The whole diagnostic of a cooperation. */
export function diagnosePtce(input: DiagnosticInput): Diagnostic {
  const criteres = CRITERES.map((critere) => evaluate(critere, input));
  return {
    criteres,
    synthese: {
      incontournables_remplis: criteres.filter((c) => c.famille === 'incontournable' && c.statut === 'rempli').length,
      incontournables_total: criteres.filter((c) => c.famille === 'incontournable').length,
      exclusions_constatees: criteres.filter((c) => c.famille === 'exclusion' && c.statut === 'rempli').length,
      conclusion: conclusion(criteres),
    },
  };
}

export const MAX_TEXTE = 2000;

/** Checks a declaration's evidence: a text is required (what the evidence shows), a link must be http(s). */
export function checkEvidence(input: { texte: string; lien: string | null }): void {
  if (!input.texte.trim()) throw new RuleError('preuve_manquante', 'Décrivez la preuve : ce qui montre que le critère est rempli ou non.', { field: 'texte' });
  if (input.texte.length > MAX_TEXTE)
    throw new RuleError('preuve_trop_longue', `La description de la preuve ne peut dépasser ${MAX_TEXTE} caractères.`, { field: 'texte' });
  if (input.lien !== null && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(input.lien))
    throw new RuleError('lien_invalide', 'Le lien doit être une adresse web complète, commençant par https:// ou http://.', { field: 'lien' });
}
