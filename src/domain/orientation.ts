/**
 * Orientation: for the needs of a cooperation, the schemes that answer them and that it can use — here,
 * now, with its legal form — ranked and explained; the near misses with their reason; the needs no scheme
 * answers. Pure: the caller gives the schemes, the place and the instant.
 */
import { compareFrench } from './french.ts';
import { formatParisDate, isOpenAt, nextOpening, type Calendar } from './calendar.ts';
import { finalite as finaliteEnum, modele as modeleEnum, modeleEconomique as modeleEconomiqueEnum, stade as stadeEnum } from './cooperation.ts';
import { formeJuridique } from './organisation.ts';
import {
  deriveNeeds,
  type CooperationProfile,
  type Finalite,
  type Modele,
  type ModeleEconomique,
  type NeedRule,
  type Stade,
  type TypeAccompagnement,
  type TypeFinancement,
} from './needs.ts';

export type CoverageLevel = 'national' | 'region' | 'departement' | 'epci' | 'commune';

/** Where the cooperation is: the codes of its territory at each level it is known. */
export interface Place {
  region?: string;
  departement?: string;
  epci?: string;
  commune?: string;
  label: string;
}

export interface SchemeForOrientation {
  id: number;
  nom: string;
  types_accompagnement: TypeAccompagnement[];
  types_financement: TypeFinancement[];
  /** Empty lists mean « not restricted, or not said by the source ». */
  stades: Stade[];
  modeles: Modele[];
  finalites: Finalite[];
  modeles_economiques: ModeleEconomique[];
  formes_juridiques: string[];
  esus_requis: boolean | null;
  couverture: { niveau: CoverageLevel; codes: string[]; libelle: string } | null;
  calendrier: Calendar | null;
  actif: boolean;
}

export interface OrientationRequest {
  profile: CooperationProfile;
  place: Place;
  formesJuridiques: string[];
  agrementEsus: boolean;
  now: Date;
}

export interface Recommendation {
  id: number;
  nom: string;
  besoins: string[];
  score: number;
  pourquoi: string;
}
export interface NearMiss {
  id: number;
  nom: string;
  besoins: string[];
  raison: string;
}

export interface Orientation {
  besoins: NeedRule[];
  dispositifs: Recommendation[];
  quasi_eligibles: NearMiss[];
  besoins_non_couverts: NeedRule[];
}

/** Near misses fail on one or two criteria; a scheme failing more is simply not for this cooperation. */
const MAX_NEAR_MISS_REASONS = 2;
/** The near misses shown: the closest ones (fewest failed criteria, most needs answered). */
export const MAX_NEAR_MISSES = 30;

export function coveredNeeds(scheme: SchemeForOrientation, needs: readonly NeedRule[]): NeedRule[] {
  // Loops rather than filter/some callbacks: this runs for every candidate scheme of every orientation.
  const covered: NeedRule[] = [];
  for (const need of needs) {
    if (sharesAny(need.couvert_par.accompagnement, scheme.types_accompagnement) || sharesAny(need.couvert_par.financement, scheme.types_financement)) {
      covered.push(need);
    }
  }
  return covered;
}

function sharesAny<T>(wanted: readonly T[], offered: readonly T[]): boolean {
  for (const value of wanted) if (offered.includes(value)) return true;
  return false;
}

/** Whether the scheme acts on the place: inside (true), outside (false) or on part of it only ('partiel'). */
export function coversPlace(couverture: SchemeForOrientation['couverture'], place: Place): boolean | 'partiel' {
  if (!couverture || couverture.niveau === 'national') return true;
  const code = place[couverture.niveau];
  if (code !== undefined) return couverture.codes.includes(code);
  return 'partiel';
}

/** A failed eligibility criterion; its French wording is only built for the near misses that are shown. */
type Failure = () => string;

/**
 * The restrictions a scheme or a call carries on who it serves, in the words of the orientation profile.
 * An absent or empty list does not restrict.
 */
export interface ProfileRestrictions {
  stades?: readonly Stade[];
  modeles?: readonly Modele[];
  finalites?: readonly Finalite[];
  modeles_economiques?: readonly ModeleEconomique[];
  formes_juridiques?: readonly string[];
  esus_requis?: boolean | null;
}

/** What is known of a cooperation's profile; a field not known fails any restriction on it. */
export type KnownProfile = Partial<Pick<CooperationProfile, 'stade' | 'modele' | 'finalite' | 'modele_economique'>>;

/** How a restriction on one field of the profile is worded when it fails. */
interface RestrictionWording<T extends string> {
  reserved(allowed: readonly T[]): string;
  actual(value: T): string;
  unknown: string;
}

// Module constants, so that checking a scheme that passes allocates nothing: orientation checks thousands.
const STADE: RestrictionWording<Stade> = {
  reserved: (stades) => `réservé aux stades ${stades.map((s) => `« ${stadeEnum.label(s)} »`).join(', ')}`,
  actual: (s) => `votre coopération est au stade « ${stadeEnum.label(s)} »`,
  unknown: 'stade non renseigné',
};
const MODELE: RestrictionWording<Modele> = {
  reserved: (modeles) => `réservé aux ${modeles.map((m) => modeleEnum.label(m)).join(', ')}`,
  actual: (m) => `votre coopération est « ${modeleEnum.label(m)} »`,
  unknown: 'modèle non renseigné',
};
const FINALITE: RestrictionWording<Finalite> = {
  reserved: (finalites) => `réservé aux coopérations ${finalites.map((f) => finaliteEnum.label(f).toLowerCase()).join(' ou ')}s`,
  actual: (f) => `votre coopération est ${finaliteEnum.label(f).toLowerCase()}`,
  unknown: 'finalité non renseignée',
};
const MODELE_ECONOMIQUE: RestrictionWording<ModeleEconomique> = {
  reserved: (economiques) => `réservé au modèle économique ${economiques.map((m) => modeleEconomiqueEnum.label(m).toLowerCase()).join(' ou ')}`,
  actual: (m) => `le vôtre est ${modeleEconomiqueEnum.label(m).toLowerCase()}`,
  unknown: 'modèle économique non renseigné',
};

/** « réservé aux stades « Émergence » : votre coopération est au stade « Création » » (or « … : stade non renseigné »). */
function addRestrictionFailure<T extends string>(
  failures: Failure[],
  allowed: readonly T[] | undefined,
  value: T | undefined,
  wording: RestrictionWording<T>,
): void {
  if (!allowed?.length || (value !== undefined && allowed.includes(value))) return;
  failures.push(() => `${wording.reserved(allowed)} : ${value === undefined ? wording.unknown : wording.actual(value)}`);
}

/**
 * The profile part of eligibility, one rule for orientation (schemes) and calls: every restriction the
 * profile, the legal forms (INSEE codes, level II or III) and the ESUS agreement fail, added to `failures`
 * (returned; empty when none).
 */
export function profileFailures(
  restrictions: ProfileRestrictions,
  profile: KnownProfile,
  formesJuridiques: readonly string[],
  agrementEsus: boolean,
  failures: Failure[] = [],
): Failure[] {
  addRestrictionFailure(failures, restrictions.stades, profile.stade, STADE);
  addRestrictionFailure(failures, restrictions.modeles, profile.modele, MODELE);
  addRestrictionFailure(failures, restrictions.finalites, profile.finalite, FINALITE);
  addRestrictionFailure(failures, restrictions.modeles_economiques, profile.modele_economique, MODELE_ECONOMIQUE);
  const formes = restrictions.formes_juridiques;
  if (formes?.length && !formesJuridiques.some((form) => formes.includes(form.slice(0, 2)) || formes.includes(form))) {
    failures.push(() => `forme juridique non éligible (${formes.map((f) => formeJuridique.label(f)).join(', ')})`);
  }
  if (restrictions.esus_requis && !agrementEsus) failures.push(() => 'agrément ESUS requis');
  return failures;
}

/** The same, worded: French reasons, empty when the profile is eligible. */
export function profileIneligibility(
  restrictions: ProfileRestrictions,
  profile: KnownProfile,
  formesJuridiques: readonly string[],
  agrementEsus: boolean,
): string[] {
  return profileFailures(restrictions, profile, formesJuridiques, agrementEsus).map((failure) => failure());
}

/** Every criterion the scheme fails for this cooperation now; empty when it can serve it. */
export function ineligibility(scheme: SchemeForOrientation, request: OrientationRequest): Failure[] {
  const { profile, place } = request;
  const failures: Failure[] = [];
  if (!scheme.actif) failures.push(() => 'dispositif clos');
  profileFailures(scheme, profile, request.formesJuridiques, request.agrementEsus, failures);
  const covers = coversPlace(scheme.couverture, place);
  if (covers === false) failures.push(() => `hors territoire (${scheme.couverture!.libelle})`);
  if (covers === 'partiel') failures.push(() => `ne couvre qu’une partie du territoire (${scheme.couverture!.libelle}) : précisez la commune`);
  if (scheme.calendrier && !isOpenAt(scheme.calendrier, request.now)) {
    const calendar = scheme.calendrier;
    failures.push(() => {
      const next = nextOpening(calendar, request.now);
      return next ? `pas encore ouvert (ouverture le ${formatParisDate(next)})` : 'échéance passée';
    });
  }
  return failures;
}

/**
 * What of the profile a scheme names — its model, its typology (finalité, modèle économique), its stage — as
 * opposed to what it merely accepts by not restricting it. An eligible scheme that lists values lists the
 * profile's, so a non-empty list names the profile.
 */
export function namedProfile(scheme: SchemeForOrientation, profile: CooperationProfile): string[] {
  return [
    scheme.modeles.length ? `le modèle « ${modeleEnum.label(profile.modele)} »` : undefined,
    scheme.finalites.length ? `les coopérations ${finaliteEnum.label(profile.finalite).toLowerCase()}s` : undefined,
    scheme.modeles_economiques.length ? `le modèle économique ${modeleEconomiqueEnum.label(profile.modele_economique).toLowerCase()}` : undefined,
    scheme.stades.length ? `le stade « ${stadeEnum.label(profile.stade)} »` : undefined,
  ].filter((part): part is string => part !== undefined);
}

/** How much of the profile a scheme is made for: the model weighs most, then each typology, then the stage. */
function specificity(scheme: SchemeForOrientation): number {
  return (scheme.modeles.length ? 4 : 0) + (scheme.finalites.length ? 2 : 0) + (scheme.modeles_economiques.length ? 2 : 0) + (scheme.stades.length ? 1 : 0);
}

/**
 * Ranking: what is made for the profile first (specificity, in thousands), then the needs answered (tens: a
 * profile has at most 14 needs), then a scheme of the territory over a national one. A generic scheme that
 * answers many needs thus comes after one made for this kind of cooperation.
 */
export function rankScore(scheme: SchemeForOrientation, covered: readonly NeedRule[]): number {
  return specificity(scheme) * 1000 + covered.length * 10 + (scheme.couverture && scheme.couverture.niveau !== 'national' ? 1 : 0);
}

function explain(scheme: SchemeForOrientation, covered: NeedRule[], request: OrientationRequest): string {
  const parts = [`Répond à ${covered.length > 1 ? 'vos besoins' : 'votre besoin'} ${covered.map((n) => `« ${n.libelle} »`).join(', ')}.`];
  const named = namedProfile(scheme, request.profile);
  if (named.length) parts.push(`Conçu pour ${frenchList(named)} : classé avant les dispositifs qui acceptent seulement votre profil.`);
  else parts.push('Dispositif généraliste : il accepte votre profil sans lui être destiné, d’où son rang après ceux conçus pour lui.');
  if (!scheme.couverture) parts.push('Couverture géographique non précisée par la source : à vérifier.');
  else if (scheme.couverture.niveau === 'national') parts.push('Disponible partout en France.');
  else parts.push(`Disponible sur votre territoire (${scheme.couverture.libelle}).`);
  if (scheme.calendrier?.type === 'permanent') parts.push('Ouvert toute l’année.');
  else if (scheme.calendrier?.cloture) parts.push(`Ouvert jusqu’au ${formatParisDate(new Date(scheme.calendrier.cloture))}.`);
  if (scheme.formes_juridiques.length === 0 && scheme.stades.length === 0) parts.push('Conditions d’éligibilité à vérifier auprès du porteur.');
  return parts.join(' ');
}

/** « a », « a et b », « a, b et c ». */
function frenchList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

interface NearMissCandidate {
  scheme: SchemeForOrientation;
  covered: NeedRule[];
  failures: Failure[];
}

/**
 * The first `count` items in `compare` order, as a stable sort then slice gives them, without sorting them all:
 * hundreds of near misses, thirty shown, and most are set aside on the number of failures alone, before any
 * comparison of names.
 */
export function firstInOrder<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === count && (count === 0 || compare(item, kept[count - 1]!) >= 0)) continue;
    let at = kept.length;
    while (at > 0 && compare(item, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, item);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

export function orient(request: OrientationRequest, rules: readonly NeedRule[], schemes: readonly SchemeForOrientation[]): Orientation {
  const needs = deriveNeeds(request.profile, rules);
  const recommended: Recommendation[] = [];
  const nearMisses: NearMissCandidate[] = [];
  const answered = new Set<string>();
  for (const scheme of schemes) {
    const covered = coveredNeeds(scheme, needs);
    if (covered.length === 0) continue;
    const failures = ineligibility(scheme, request);
    if (failures.length === 0) {
      for (const need of covered) answered.add(need.code);
      recommended.push({
        id: scheme.id,
        nom: scheme.nom,
        besoins: covered.map((n) => n.code),
        score: rankScore(scheme, covered),
        pourquoi: explain(scheme, covered, request),
      });
    } else if (failures.length <= MAX_NEAR_MISS_REASONS) {
      nearMisses.push({ scheme, covered, failures });
    }
  }
  recommended.sort((a, b) => b.score - a.score || compareFrench(a.nom, b.nom));
  const closeness = (a: NearMissCandidate, b: NearMissCandidate) =>
    a.failures.length - b.failures.length || b.covered.length - a.covered.length || compareFrench(a.scheme.nom, b.scheme.nom);
  const closest = firstInOrder(nearMisses, MAX_NEAR_MISSES, closeness).map(({ scheme, covered, failures }) => ({
    id: scheme.id,
    nom: scheme.nom,
    besoins: covered.map((n) => n.code),
    raison: failures.map((failure) => failure()).join(' ; '),
  }));
  return { besoins: needs, dispositifs: recommended, quasi_eligibles: closest, besoins_non_couverts: needs.filter((n) => !answered.has(n.code)) };
}
