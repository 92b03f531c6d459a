/**
 * A SYNTHETIC national-scale dataset for `npm run bench`: organisations, cooperations and their members,
 * reproducible from a seed. Nothing here is real: every name ends with « (synthétique) », every record has
 * source = « Jeu synthétique de banc d'essai (seed N) » and is_example = false, and it is only ever written to
 * a throw-away database of the bench's own server (a temporary folder, or --base DIR), never to the user's
 * ./var nor mixed with the demo.
 *
 * What is real, so that the queries behave as on real data: the communes of the COG (records are spread over
 * them in proportion to their population), NAF rév. 2 codes (@socialgouv/codes-naf) with the sector Maillage
 * derives from them, INSEE legal-form codes, SIRETs with a valid Luhn key.
 * What is invented: names, addresses, descriptions, memberships, and coordinates — there are no commune
 * centres in the COG package, so a commune is placed at random around the approximate centre of its
 * département (table below), and each record a few hundred metres around its commune.
 */
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { jsonRecords, rows, type Database } from '../src/db/database.ts';
import { roleMembre } from '../src/domain/cooperation.ts';
import { secteur as secteurEnum, secteurFromNaf, type Secteur } from '../src/domain/sector.ts';
import { luhnValid } from '../src/domain/siret.ts';

const require = createRequire(import.meta.url);

export const DEFAULT_SEED = 20_240_731;
export const syntheticSource = (seed: number) => `Jeu synthétique de banc d'essai (seed ${seed})`;
const MARK = ' (synthétique)';

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny 32-bit PRNG, good enough to spread synthetic records, identical on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Picks among [value, weight] pairs. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [value, w] of pairs) {
      r -= w;
      if (r < 0) return value;
    }
    return pairs[pairs.length - 1]![0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

/** Cumulative weights, then a binary search: picks among 35 000 communes in O(log n). */
class WeightedIndex {
  private readonly cumulative: Float64Array;
  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
  }
  pick(random: Random): number {
    const target = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Places

/**
 * Approximate centre of each département [latitude, longitude] and half its extent [Δlat, Δlon], in degrees.
 * Metropolitan values are the area centroids and bounding boxes of IGN Admin Express COG 2018 simplified
 * contours (Licence Ouverte), rounded to 0.01°; overseas values are rounded by hand. Approximate on purpose:
 * the points built from them are synthetic and can fall a little outside the real département.
 */
const DEPARTEMENT_CENTRES: Record<string, [number, number, number, number]> = {
  '01': [46.1, 5.35, 0.45, 0.72],
  '02': [49.56, 3.56, 0.61, 0.65],
  '03': [46.39, 3.19, 0.44, 0.86],
  '04': [44.11, 6.25, 0.5, 0.73],
  '05': [44.66, 6.26, 0.47, 0.83],
  '06': [43.94, 7.12, 0.44, 0.54],
  '07': [44.75, 4.43, 0.55, 0.51],
  '08': [49.62, 4.64, 0.46, 0.68],
  '09': [42.92, 1.5, 0.37, 0.67],
  '10': [48.3, 4.16, 0.39, 0.74],
  '11': [43.1, 2.41, 0.4, 0.78],
  '12': [44.28, 2.68, 0.62, 0.81],
  '13': [43.54, 5.09, 0.38, 0.79],
  '14': [49.1, -0.36, 0.34, 0.8],
  '15': [45.05, 2.67, 0.43, 0.65],
  '16': [45.72, 0.2, 0.47, 0.7],
  '17': [45.78, -0.68, 0.64, 0.78],
  '18': [47.07, 2.49, 0.6, 0.65],
  '19': [45.36, 1.88, 0.42, 0.65],
  '21': [47.43, 4.77, 0.57, 0.73],
  '22': [48.44, -2.87, 0.42, 0.87],
  '23': [46.09, 2.02, 0.4, 0.62],
  '24': [45.1, 0.74, 0.57, 0.74],
  '25': [47.17, 6.36, 0.5, 0.68],
  '26': [44.68, 5.16, 0.61, 0.59],
  '27': [49.11, 1, 0.41, 0.75],
  '28': [48.39, 1.37, 0.49, 0.61],
  '29': [48.26, -4.06, 0.48, 0.86],
  '2A': [41.86, 8.99, 0.51, 0.43],
  '2B': [42.39, 9.21, 0.59, 0.49],
  '30': [43.99, 4.18, 0.5, 0.79],
  '31': [43.36, 1.17, 0.62, 0.8],
  '32': [43.69, 0.45, 0.38, 0.74],
  '33': [44.82, -0.58, 0.68, 0.79],
  '34': [43.58, 3.37, 0.38, 0.82],
  '35': [48.15, -1.64, 0.53, 0.63],
  '36': [46.78, 1.58, 0.46, 0.67],
  '37': [47.26, 0.69, 0.49, 0.66],
  '38': [45.26, 5.57, 0.59, 0.81],
  '39': [46.73, 5.7, 0.52, 0.48],
  '40': [43.97, -0.78, 0.52, 0.83],
  '41': [47.62, 1.43, 0.47, 0.83],
  '42': [45.73, 4.17, 0.52, 0.53],
  '43': [45.13, 3.81, 0.34, 0.69],
  '44': [47.36, -1.68, 0.49, 0.8],
  '45': [47.91, 2.34, 0.43, 0.81],
  '46': [44.62, 1.61, 0.42, 0.61],
  '47': [44.37, 0.46, 0.39, 0.61],
  '48': [44.52, 3.5, 0.43, 0.51],
  '49': [47.39, -0.56, 0.42, 0.79],
  '50': [49.08, -1.33, 0.63, 0.61],
  '51': [48.95, 4.24, 0.45, 0.82],
  '52': [48.11, 5.23, 0.56, 0.63],
  '53': [48.15, -0.66, 0.41, 0.59],
  '54': [48.79, 6.16, 0.61, 0.83],
  '55': [48.99, 5.38, 0.6, 0.48],
  '56': [47.85, -2.81, 0.46, 0.85],
  '57': [49.04, 6.66, 0.49, 0.87],
  '58': [47.12, 3.5, 0.47, 0.69],
  '59': [50.45, 3.22, 0.56, 1.08],
  '60': [49.41, 2.43, 0.35, 0.74],
  '61': [48.62, 0.13, 0.4, 0.91],
  '62': [50.49, 2.29, 0.49, 0.82],
  '63': [45.73, 3.14, 0.48, 0.8],
  '64': [43.26, -0.76, 0.41, 0.91],
  '65': [43.05, 0.16, 0.47, 0.49],
  '66': [42.6, 2.52, 0.29, 0.72],
  '67': [48.67, 7.55, 0.48, 0.64],
  '68': [47.86, 7.27, 0.44, 0.39],
  '69': [45.87, 4.64, 0.42, 0.46],
  '70': [47.64, 6.09, 0.39, 0.73],
  '71': [46.64, 4.54, 0.5, 0.92],
  '72': [47.99, 0.22, 0.46, 0.68],
  '73': [45.48, 6.44, 0.44, 0.78],
  '74': [46.04, 6.43, 0.36, 0.62],
  '75': [48.86, 2.34, 0.04, 0.12],
  '76': [49.66, 1.03, 0.41, 0.86],
  '77': [48.63, 2.93, 0.5, 0.58],
  '78': [48.82, 1.84, 0.32, 0.39],
  '79': [46.56, -0.32, 0.57, 0.56],
  '80': [49.96, 2.28, 0.4, 0.9],
  '81': [43.79, 2.17, 0.41, 0.7],
  '82': [44.09, 1.28, 0.31, 0.63],
  '83': [43.44, 6.24, 0.41, 0.64],
  '84': [44.01, 5.18, 0.38, 0.55],
  '85': [46.68, -1.3, 0.41, 0.93],
  '86': [46.56, 0.46, 0.56, 0.66],
  '87': [45.89, 1.23, 0.48, 0.64],
  '88': [48.2, 6.38, 0.35, 0.89],
  '89': [47.84, 3.56, 0.54, 0.75],
  '90': [47.63, 6.93, 0.19, 0.19],
  '91': [48.52, 2.24, 0.24, 0.34],
  '92': [48.85, 2.25, 0.11, 0.1],
  '93': [48.92, 2.48, 0.1, 0.15],
  '94': [48.78, 2.47, 0.09, 0.15],
  '95': [49.08, 2.13, 0.16, 0.49],
  '971': [16.2, -61.55, 0.15, 0.25],
  '972': [14.65, -61.02, 0.15, 0.1],
  '973': [4.6, -52.6, 0.4, 0.4],
  '974': [-21.13, 55.53, 0.15, 0.2],
  '976': [-12.82, 45.15, 0.08, 0.05],
};

export interface SyntheticCommune {
  code: string;
  name: string;
  departementCode: string;
  regionCode: string;
  epciCode: string | null;
  epciName: string | null;
  population: number;
  postalCode: string;
  latitude: number;
  longitude: number;
}

/**
 * The communes records are spread over: those of the départements of the table (SIRENE's scope without the
 * collectivités d'outre-mer), arrondissements rather than their city (SIRENE locates establishments in
 * Paris, Lyon and Marseille by arrondissement). Each gets a synthetic point, drawn from the seed.
 */
export async function loadSyntheticCommunes(database: Database, random: Random): Promise<SyntheticCommune[]> {
  const list = await rows<{
    code: string;
    name: string;
    departement_code: string;
    region_code: string;
    epci_code: string | null;
    epci_name: string | null;
    population: number | null;
    postal_code: string | null;
  }>(
    database.db,
    sql`
    select c.code, c.name, c.departement_code, c.region_code, c.epci_code, e.name as epci_name, c.population,
      c.postal_codes[1] as postal_code
    from commune c left join epci e on e.code = c.epci_code
    where not exists (select 1 from commune a where a.parent_code = c.code)
    order by c.code`,
  );
  const communes: SyntheticCommune[] = [];
  for (const c of list) {
    const centre = DEPARTEMENT_CENTRES[c.departement_code];
    if (!centre) continue;
    const [lat, lon, dLat, dLon] = centre;
    communes.push({
      code: c.code,
      name: c.name,
      departementCode: c.departement_code,
      regionCode: c.region_code,
      epciCode: c.epci_code,
      epciName: c.epci_name,
      population: c.population ?? 0,
      postalCode: c.postal_code ?? `${c.departement_code.slice(0, 2)}000`,
      latitude: lat + (random.next() * 2 - 1) * dLat * 0.7,
      longitude: lon + (random.next() * 2 - 1) * dLon * 0.7,
    });
  }
  return communes;
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers and codes

/** A 9-digit SIREN with a valid Luhn key (never La Poste's, which follows another rule). */
function sirenFrom(random: Random, used: Set<string>): string {
  for (;;) {
    const body = String(random.int(1, 9)) + random.digits(7);
    const siren = withLuhnKey(body);
    if (siren !== '356000000' && !used.has(siren)) {
      used.add(siren);
      return siren;
    }
  }
}

/** Appends the digit that makes the whole number pass the Luhn check. */
export function withLuhnKey(body: string): string {
  for (let key = 0; key <= 9; key++) if (luhnValid(body + key)) return body + key;
  throw new Error('unreachable');
}

/** A SIRET of that SIREN: a NIC of 5 digits (00011 to 0029x), its last digit making the 14 digits pass the Luhn check. */
function siretOf(siren: string, random: Random): string {
  return withLuhnKey(`${siren}00${random.int(0, 2)}${random.int(1, 9)}`);
}

const nafEntries = require('@socialgouv/codes-naf/index.json') as { id: string; label: string }[];
const ALL_NAF = nafEntries.map((e) => e.id).filter((id) => /^\d{2}\.\d{2}[A-Z]$/.test(id));
const NAF_SET = new Set(ALL_NAF);

/** The activities most ESS structures declare (associations above all), weights roughly like SIRENE's. */
const COMMON_NAF: [string, number][] = [
  ['94.99Z', 40],
  ['93.12Z', 8],
  ['88.99B', 6],
  ['85.59A', 4],
  ['90.01Z', 4],
  ['88.10B', 3],
  ['93.29Z', 3],
  ['90.04Z', 2],
  ['85.59B', 2],
  ['88.91A', 2],
  ['87.30A', 2],
  ['94.12Z', 2],
  ['94.20Z', 1],
  ['91.02Z', 1],
  ['56.10A', 1],
  ['47.11B', 1],
  ['38.32Z', 1],
  ['01.13Z', 1],
  ['35.11Z', 0.5],
  ['49.39A', 0.5],
  ['68.20B', 1],
  ['86.90D', 1],
  ['88.91B', 1],
  ['93.19Z', 2],
  ['55.20Z', 0.5],
  ['66.19B', 0.3],
  ['65.12Z', 0.3],
  ['81.30Z', 0.5],
];
for (const [code] of COMMON_NAF) if (!NAF_SET.has(code)) throw new Error(`Code NAF inconnu dans @socialgouv/codes-naf : ${code}`);

/** INSEE catégories juridiques (level III, 4 digits) of ESS structures, mostly associations (92xx). */
const LEGAL_FORMS: [string, number][] = [
  ['9220', 70],
  ['9210', 3],
  ['9230', 2],
  ['9260', 1],
  ['9221', 1],
  ['9222', 1],
  ['9224', 1],
  ['9300', 3],
  ['8210', 1.5],
  ['8250', 0.5],
  ['6316', 2],
  ['6317', 1.5],
  ['5458', 1.5],
  ['5710', 3],
  ['5785', 1],
  ['5499', 2],
  ['5560', 0.5],
  ['5191', 0.5],
  ['7344', 0.3],
  ['6540', 0.5],
];

// ---------------------------------------------------------------------------------------------------------
// Names (all invented, all marked)

/**
 * Association names: common heads and subjects weigh much more than the specialised ESS words, as in SIRENE,
 * so that a text search matches hundreds of rows, not a tenth of the table.
 */
const ASSOCIATION_HEADS: [string, number][] = [
  ['Association', 30],
  ['Amicale', 6],
  ['Comité', 6],
  ['Club', 6],
  ['Union', 2],
  ['Foyer rural', 2],
  ['Cercle', 1],
  ['Collectif', 2],
  ['Fédération', 1],
  ['Groupement', 1],
  ['Entraide', 1],
  ['Centre social', 1],
  ['Maison des jeunes', 1],
  ['École de musique', 1],
  ['Compagnie', 1.5],
  ['Ensemble vocal', 0.7],
  ['Atelier', 0.7],
  ['Réseau', 1],
  ['Office', 0.5],
  ['Jardin', 0.5],
  ['Épicerie solidaire', 0.4],
  ['Recyclerie', 0.3],
  ['Ressourcerie', 0.3],
  ['Banque alimentaire', 0.2],
  ['Repair café', 0.3],
  ['Chantier d’insertion', 0.3],
  ['Régie de quartier', 0.2],
];
const ASSOCIATION_SUBJECTS: [string, number][] = [
  ['sportive', 6],
  ['des fêtes', 6],
  ['culturelle', 4],
  ['de chasse', 3],
  ['des parents d’élèves', 4],
  ['de pêche', 2],
  ['des anciens combattants', 2],
  ['de l’amitié', 2],
  ['du patrimoine', 2],
  ['de randonnée', 2],
  ['de football', 3],
  ['de tennis', 2],
  ['de danse', 2],
  ['de musique', 2],
  ['de théâtre', 2],
  ['des aînés', 2],
  ['des loisirs', 3],
  ['de gymnastique', 2],
  ['de pétanque', 2],
  ['des arts plastiques', 1],
  ['de la petite enfance', 1],
  ['des habitants', 1],
  ['des jardins partagés', 0.5],
  ['pour l’insertion', 0.5],
  ['d’aide à domicile', 0.8],
  ['des familles rurales', 0.6],
  ['pour la mobilité solidaire', 0.3],
  ['des énergies citoyennes', 0.3],
  ['du réemploi', 0.3],
  ['de l’économie circulaire', 0.3],
  ['de l’alimentation durable', 0.3],
  ['d’éducation populaire', 0.6],
  ['pour l’emploi', 0.5],
  ['de soutien scolaire', 0.6],
  ['du vélo', 0.5],
  ['de la transition écologique', 0.4],
  ['de l’accueil des réfugiés', 0.3],
  ['du logement solidaire', 0.3],
  ['des circuits courts', 0.3],
  ['du numérique', 0.5],
  ['de la santé', 0.6],
  ['des chômeurs', 0.2],
  ['de l’épicerie sociale', 0.2],
  ['de l’agriculture paysanne', 0.3],
  ['du tourisme solidaire', 0.2],
  ['de la recyclerie', 0.2],
  ['des ateliers vélo', 0.2],
  ['des cuisines partagées', 0.2],
  ['de la ressourcerie', 0.2],
];
const FRIENDS_OF = [
  'du patrimoine',
  'du vieux village',
  'du moulin',
  'du musée',
  'de l’orgue',
  'de la bibliothèque',
  'des sentiers',
  'de l’église',
  'du château',
  'de la chapelle',
  'des jardins',
  'du lavoir',
];
const LETTERS = 'ABCDEFGHIJLMNOPRSTUV';

/** A made-up acronym (« AFRD », « CLPJ »): the diversity of real association names lies there. */
function acronym(random: Random): string {
  let s = '';
  for (let i = random.int(3, 5); i > 0; i--) s += LETTERS[random.int(0, LETTERS.length - 1)];
  return s;
}

const COINED = [
  'La Fabrique',
  'Le Champ commun',
  'L’Établi',
  'Les Ateliers',
  'La Grange',
  'Le Hangar',
  'La Ruche',
  'Le Relais',
  'La Passerelle',
  'Le Maillon',
  'Les Jardins',
  'La Cordée',
  'L’Escale',
  'Le Chantier',
  'La Boussole',
  'Le Fil',
  'La Source',
  'Les Communs',
  'L’Arbre',
  'La Manufacture',
  'Le Comptoir',
  'La Forge',
  'Le Grenier',
  'L’Atelier',
];
const SURNAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
];
const STREETS = [
  'rue de la République',
  'rue de la Gare',
  'place de l’Église',
  'rue Jean Jaurès',
  'avenue Victor Hugo',
  'rue des Écoles',
  'chemin des Vignes',
  'rue du Moulin',
  'route Nationale',
  'rue Pasteur',
  'allée des Tilleuls',
  'boulevard Gambetta',
  'rue de la Mairie',
  'impasse des Lilas',
  'rue du Stade',
];
const THEMES = [
  'alimentation durable',
  'réemploi et recyclerie',
  'mobilité solidaire',
  'énergies renouvelables citoyennes',
  'insertion par l’activité économique',
  'habitat participatif',
  'tiers-lieu et numérique',
  'circuits courts agricoles',
  'économie circulaire',
  'culture et patrimoine',
  'aide à domicile',
  'tourisme solidaire',
  'bois et forêt',
  'santé et prévention',
  'petite enfance',
  'emploi des jeunes',
];

function placeSuffix(random: Random, commune: SyntheticCommune): string {
  const r = random.next();
  if (r < 0.6) return ` de ${commune.name}`;
  if (r < 0.75) return ` du Pays de ${commune.name}`;
  return '';
}

function organisationName(random: Random, legalForm: string, commune: SyntheticCommune): string {
  const level2 = legalForm.slice(0, 2);
  let name: string;
  if (level2 === '92') {
    const r = random.next();
    if (r < 0.55) name = `${random.weighted(ASSOCIATION_HEADS)} ${random.weighted(ASSOCIATION_SUBJECTS)}${placeSuffix(random, commune)}`;
    else if (r < 0.7) name = `Les Amis ${random.pick(FRIENDS_OF)} de ${commune.name}`;
    else if (r < 0.9) name = `${acronym(random)}${placeSuffix(random, commune)}`;
    else name = `${random.pick(COINED)} ${random.pick(SURNAMES)}`;
  } else if (legalForm === '5458') name = `SCOP ${random.pick(COINED)}`;
  else if (legalForm === '5785') name = `SCIC ${random.pick(COINED)}${placeSuffix(random, commune)}`;
  else if (legalForm === '6316') name = `CUMA de ${commune.name}`;
  else if (level2 === '63') name = `Coopérative agricole ${random.pick(COINED)}`;
  else if (level2 === '82') name = `Mutuelle ${random.pick(['familiale', 'des agents', 'solidaire', 'santé'])}${placeSuffix(random, commune)}`;
  else if (level2 === '93') name = `Fondation ${random.pick(SURNAMES)}`;
  else name = `${random.pick(COINED)} ${random.pick(['SAS', 'SARL', 'SA'])}`;
  return name + MARK;
}

// ---------------------------------------------------------------------------------------------------------
// Records

export interface SyntheticOrganisation {
  siret: string;
  siren: string;
  name: string;
  legal_form: string;
  statut_ess: string;
  naf_code: string;
  secteur: Secteur | null;
  tranche_effectif: string;
  commune_code: string;
  departement_code: string;
  region_code: string;
  epci_code: string | null;
  latitude: number;
  longitude: number;
  address: string;
  postal_code: string;
  commune_name: string;
  description: string | null;
  source: string;
}

function statutEssOf(random: Random, legalForm: string): string {
  const level2 = legalForm.slice(0, 2);
  if (['92', '93', '82', '63', '51'].includes(level2) || legalForm === '5458' || legalForm === '5785') {
    return random.chance(0.97) ? 'ess_de_droit' : 'hors_ess';
  }
  return random.weighted([
    ['ess_commerciale', 55],
    ['agrement_esus', 25],
    ['hors_ess', 20],
  ]);
}

const TRANCHES: [string, number][] = [
  ['NN', 55],
  ['00', 10],
  ['01', 10],
  ['02', 7],
  ['03', 5],
  ['11', 5],
  ['12', 4],
  ['21', 2],
  ['22', 1],
  ['31', 0.3],
  ['32', 0.4],
  ['41', 0.2],
  ['42', 0.1],
];

/** Generates the organisations one at a time (the import bench writes them to SIRENE files in a stream). */
export function* generateOrganisations(count: number, seed: number, communes: SyntheticCommune[]): Generator<SyntheticOrganisation> {
  const random = new Random(seed ^ 0x0a55);
  const where = new WeightedIndex(communes.map((c) => c.population + 100));
  const usedSiren = new Set<string>();
  const source = syntheticSource(seed);
  for (let i = 0; i < count; i++) {
    const commune = communes[where.pick(random)]!;
    const legalForm = random.weighted(LEGAL_FORMS);
    const naf = random.chance(0.85) ? random.weighted(COMMON_NAF) : random.pick(ALL_NAF);
    const siren = sirenFrom(random, usedSiren);
    const name = organisationName(random, legalForm, commune);
    yield {
      siret: siretOf(siren, random),
      siren,
      name,
      legal_form: legalForm,
      statut_ess: statutEssOf(random, legalForm),
      naf_code: naf,
      secteur: secteurFromNaf(naf),
      tranche_effectif: random.weighted(TRANCHES),
      commune_code: commune.code,
      departement_code: commune.departementCode,
      region_code: commune.regionCode,
      epci_code: commune.epciCode,
      latitude: round6(commune.latitude + (random.next() - 0.5) * 0.02),
      longitude: round6(commune.longitude + (random.next() - 0.5) * 0.03),
      address: `${random.int(1, 120)} ${random.pick(STREETS)}`,
      postal_code: commune.postalCode,
      commune_name: commune.name,
      description: random.chance(0.1) ? `Structure fictive du jeu synthétique : ${random.pick(THEMES)} et ${random.pick(THEMES)} à ${commune.name}.` : null,
      source,
    };
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

const MODELES: [string, number][] = [
  ['aucun', 20],
  ['tiers_lieu', 15],
  ['AMAP', 12],
  ['CUMA', 12],
  ['SCIC', 10],
  ['cluster', 8],
  ['PTCE', 5],
  ['PAT', 5],
  ['pole_ess', 5],
  ['CAE', 5],
  ['TZCLD', 3],
];

function cooperationName(random: Random, modele: string, commune: SyntheticCommune, label: string): string {
  const theme = random.pick(THEMES);
  const names: Record<string, () => string> = {
    PTCE: () => `PTCE ${random.pick(COINED)} ${label}`,
    TZCLD: () => `Territoire zéro chômeur de ${commune.name}`,
    tiers_lieu: () => `Tiers-lieu ${random.pick(COINED)} de ${commune.name}`,
    SCIC: () => `SCIC ${random.pick(['Énergies', 'Bois', 'Mobilités', 'Habitat', 'Alimentation'])} ${label}`,
    CUMA: () => `CUMA de ${commune.name}`,
    AMAP: () => `AMAP ${random.pick(['des Jardins', 'du Panier', 'de la Ferme', 'des Saisons'])} de ${commune.name}`,
    PAT: () => `Projet alimentaire territorial ${label}`,
    pole_ess: () => `Pôle ESS ${label}`,
    CAE: () => `Coopérative d’activité et d’emploi ${random.pick(COINED)}`,
    cluster: () => `Cluster ${theme} ${label}`,
    aucun: () => `${random.pick(['Collectif', 'Réseau', 'Alliance', 'Plateforme'])} ${theme} ${label}`,
  };
  return names[modele]!() + MARK;
}

export interface SyntheticCooperation {
  name: string;
  modele: string;
  finalite: string;
  modele_economique: string;
  stade: string;
  secteur: string;
  legal_form: string | null;
  commune_code: string;
  departement_code: string;
  region_code: string;
  epci_code: string | null;
  territory_label: string;
  latitude: number;
  longitude: number;
  description: string;
  activities: string;
  founded_year: number;
  source: string;
}

export interface SyntheticMember {
  cooperation: number;
  organisation: number | null;
  name: string;
  role: string;
}

export function generateCooperations(
  count: number,
  seed: number,
  communes: SyntheticCommune[],
  organisations: readonly { departement_code: string; name: string }[],
) {
  const random = new Random(seed ^ 0xc00b);
  const where = new WeightedIndex(communes.map((c) => Math.sqrt(c.population + 100)));
  const byDepartement = new Map<string, number[]>();
  organisations.forEach((o, i) => {
    const list = byDepartement.get(o.departement_code) ?? [];
    list.push(i);
    byDepartement.set(o.departement_code, list);
  });
  const source = syntheticSource(seed);
  const secteurs = secteurEnum.codes;
  const roles = roleMembre.codes.filter((r) => r !== 'porteur');
  const cooperations: SyntheticCooperation[] = [];
  const members: SyntheticMember[] = [];
  for (let i = 0; i < count; i++) {
    const commune = communes[where.pick(random)]!;
    const modele = random.weighted(MODELES);
    const r = random.next();
    const label = r < 0.5 ? `du Pays de ${commune.name}` : r < 0.8 && commune.epciName ? `(${commune.epciName})` : `de ${commune.name}`;
    const theme = random.pick(THEMES);
    cooperations.push({
      name: cooperationName(random, modele, commune, label),
      modele,
      finalite: random.weighted([
        ['ciblee', 70],
        ['systemique', 30],
      ]),
      modele_economique: random.weighted([
        ['hybride', 50],
        ['marchande', 25],
        ['non_marchande', 25],
      ]),
      stade: random.weighted([
        ['emergence', 25],
        ['creation', 25],
        ['consolidation', 35],
        ['changement_echelle', 15],
      ]),
      secteur: random.pick(secteurs),
      legal_form: modele === 'SCIC' ? '5785' : modele === 'CUMA' ? '6316' : random.chance(0.6) ? '9220' : null,
      commune_code: commune.code,
      departement_code: commune.departementCode,
      region_code: commune.regionCode,
      epci_code: commune.epciCode,
      territory_label: label.replace(/^(du |de |\()|\)$/g, ''),
      latitude: round6(commune.latitude + (random.next() - 0.5) * 0.02),
      longitude: round6(commune.longitude + (random.next() - 0.5) * 0.03),
      description: `Coopération fictive du jeu synthétique autour de ${theme}, réunissant des structures de ${commune.name} et alentours.`,
      activities: `${random.pick(THEMES)} ; ${random.pick(THEMES)} ; mutualisation de ${random.pick(['locaux', 'matériel', 'emplois', 'véhicules', 'compétences'])}.`,
      founded_year: random.int(1985, 2024),
      source,
    });
    const local = byDepartement.get(commune.departementCode) ?? [];
    const size = random.int(3, 12);
    for (let m = 0; m < size; m++) {
      const role = m === 0 ? 'porteur' : random.pick(roles);
      if (local.length > 0 && (role === 'porteur' || role === 'entreprise_ess' || random.chance(0.5))) {
        const index = random.pick(local);
        members.push({ cooperation: i, organisation: index, name: organisations[index]!.name, role });
      } else {
        const name =
          role === 'collectivite'
            ? `Commune de ${commune.name}`
            : role === 'recherche'
              ? `Laboratoire ${random.pick(SURNAMES)}`
              : role === 'formation'
                ? `Lycée ${random.pick(SURNAMES)}`
                : role === 'citoyens'
                  ? `Habitants de ${commune.name}`
                  : `${random.pick(COINED)} SARL`;
        members.push({ cooperation: i, organisation: null, name: name + MARK, role });
      }
    }
  }
  return { cooperations, members };
}

// ---------------------------------------------------------------------------------------------------------
// Loading

export interface DatasetOptions {
  seed: number;
  organisations: number;
  cooperations: number;
  batchSize?: number;
}
export interface DatasetReport {
  seed: number;
  source: string;
  organisations: number;
  cooperations: number;
  members: number;
  communes: number;
  seconds: { generate: number; insertOrganisations: number; insertCooperations: number; indexes: number; analyze: number };
}

const ORGANISATION_COLUMNS = `siret text, siren text, name text, legal_form text, statut_ess text, naf_code text, secteur text,
  tranche_effectif text, commune_code text, departement_code text, region_code text, epci_code text,
  latitude float8, longitude float8, address text, description text, source text`;

/**
 * Builds the dataset in an empty database (migrated, COG loaded). The secondary indexes of the three tables
 * are dropped during the load and created again from their own definitions (pg_indexes), as a bulk load
 * does: the final schema is exactly the migrations'.
 */
export async function buildSyntheticDataset(database: Database, options: DatasetOptions, log: (line: string) => void = () => {}): Promise<DatasetReport> {
  const { seed, batchSize = 5000 } = options;
  const db = database.db;
  const clock = () => performance.now() / 1000;
  const existing = await rows<{ n: number }>(db, sql`select count(*)::int as n from organisation`);
  if ((existing[0]?.n ?? 0) > 0) throw new Error('La base du banc d’essai doit être vide : le jeu synthétique ne se mélange à rien.');

  let t = clock();
  const random = new Random(seed);
  const communes = await loadSyntheticCommunes(database, random);
  const organisations = [...generateOrganisations(options.organisations, seed, communes)];
  const { cooperations, members } = generateCooperations(options.cooperations, seed, communes, organisations);
  const generate = clock() - t;
  log(`  généré en ${generate.toFixed(1)} s : ${organisations.length} structures, ${cooperations.length} coopérations, ${members.length} membres`);

  t = clock();
  const indexes = await rows<{ indexname: string; indexdef: string }>(
    db,
    sql`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ('organisation', 'cooperation', 'cooperation_member')
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
  );
  for (const index of indexes) await db.execute(sql.raw(`drop index ${index.indexname}`));

  for (let start = 0; start < organisations.length; start += batchSize) {
    const batch = organisations.slice(start, start + batchSize).map(({ postal_code: _p, commune_name: _c, ...record }) => record);
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into organisation (siret, siren, name, legal_form, statut_ess, naf_code, secteur,
          tranche_effectif, commune_code, departement_code, region_code, epci_code, latitude, longitude, address,
          description, source, is_example)
        select r.*, false from json_to_recordset(${jsonRecords(batch)}) as r(${sql.raw(ORGANISATION_COLUMNS)})`);
    });
  }
  const ids = await rows<{ id: number }>(db, sql`select id::int as id from organisation order by id`);
  const insertOrganisations = clock() - t;
  log(`  ${organisations.length} structures insérées en ${insertOrganisations.toFixed(1)} s`);

  t = clock();
  const coopIds: number[] = [];
  for (let start = 0; start < cooperations.length; start += batchSize) {
    const batch = cooperations.slice(start, start + batchSize);
    await db.transaction(async (tx) => {
      const inserted = await rows<{ id: number }>(
        tx,
        sql`insert into cooperation (name, modele, finalite, modele_economique,
          stade, secteur, legal_form, commune_code, departement_code, region_code, epci_code, territory_label, latitude,
          longitude, description, activities, founded_year, source, is_example)
        select r.*, false from json_to_recordset(${jsonRecords(batch)}) as r(name text, modele text, finalite text,
          modele_economique text, stade text, secteur text, legal_form text, commune_code text, departement_code text,
          region_code text, epci_code text, territory_label text, latitude float8, longitude float8, description text,
          activities text, founded_year int, source text)
        returning id::int as id`,
      );
      coopIds.push(...inserted.map((r) => r.id));
    });
  }
  for (let start = 0; start < members.length; start += batchSize * 2) {
    const batch = members.slice(start, start + batchSize * 2).map((m) => ({
      cooperation_id: coopIds[m.cooperation],
      organisation_id: m.organisation === null ? null : ids[m.organisation]!.id,
      name: m.name,
      role: m.role,
    }));
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into cooperation_member (cooperation_id, organisation_id, name, role)
        select r.* from json_to_recordset(${jsonRecords(batch)}) as r(cooperation_id bigint, organisation_id bigint, name text, role text)`);
    });
  }
  const insertCooperations = clock() - t;
  log(`  ${cooperations.length} coopérations et ${members.length} membres insérés en ${insertCooperations.toFixed(1)} s`);

  t = clock();
  for (const index of indexes) await db.execute(sql.raw(index.indexdef));
  const indexTime = clock() - t;
  log(`  ${indexes.length} index recréés en ${indexTime.toFixed(1)} s`);
  t = clock();
  await db.execute(sql`analyze`);
  const analyze = clock() - t;

  return {
    seed,
    source: syntheticSource(seed),
    organisations: organisations.length,
    cooperations: cooperations.length,
    members: members.length,
    communes: communes.length,
    seconds: { generate, insertOrganisations, insertCooperations, indexes: indexTime, analyze },
  };
}
