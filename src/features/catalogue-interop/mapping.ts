/**
 * Maillage's schemes ↔ the national open-data schema for aid schemes, etalab/schema-dispositif-aide version
 * 0.0.1 (schema.json, « Dispositifs d'aides », 28 columns; lists inside a cell are separated by a comma without
 * space, dates are YYYY-MM-DD). Pure: no I/O; territory names come through a small resolver.
 *
 * What each column becomes:
 * - from Maillage's own columns: id_aide (the imported id, else Maillage's stable key), nom_aide, porteur_aide,
 *   porteur_siren (only when every porteur is a known organisation), description, condition_eligibilite,
 *   url_descriptif, contact, date_mise_a_jour (date of verification), and by a reading of Maillage's vocabularies:
 *   types_aides, aap_ami, recurrence_aide, date_ouverture, date_cloture, etat_avancement_projet, zone_geographique;
 * - kept as given by an imported file (`champs`), since Maillage has nothing to hold them: nom_aide_normalise,
 *   programme_aides, instructeurs_aide, beneficiaires_aide, taux_subvention_*, exemple_projet, thematique_aide,
 *   date_pre_depot, type_depense, url_demarche. For the columns read through a vocabulary, the file's own
 *   wording is kept too and exported again as it was, so a file goes through Maillage unchanged.
 */
import type { Calendar } from '../../domain/calendar.ts';

export const SCHEMA_NAME = 'schema-dispositif-aide';
export const SCHEMA_VERSION = '0.0.1';

/** The columns, in the schema's order. */
export const SCHEMA_FIELDS = [
  'id_aide',
  'nom_aide',
  'nom_aide_normalise',
  'programme_aides',
  'porteur_aide',
  'porteur_siren',
  'instructeurs_aide',
  'beneficiaires_aide',
  'types_aides',
  'taux_subvention_minimum',
  'taux_subvention_maximum',
  'taux_subvention_commentaire',
  'aap_ami',
  'description',
  'exemple_projet',
  'thematique_aide',
  'recurrence_aide',
  'date_ouverture',
  'date_pre_depot',
  'date_cloture',
  'condition_eligibilite',
  'etat_avancement_projet',
  'type_depense',
  'zone_geographique',
  'url_descriptif',
  'url_demarche',
  'contact',
  'date_mise_a_jour',
] as const;
export type SchemaField = (typeof SCHEMA_FIELDS)[number];
export type SchemaRow = Record<SchemaField, string>;

/** Columns whose file wording is kept as is (Maillage has no column, or reads them through its vocabularies). */
const KEPT_FIELDS: readonly SchemaField[] = [
  'nom_aide_normalise',
  'programme_aides',
  'instructeurs_aide',
  'beneficiaires_aide',
  'types_aides',
  'taux_subvention_minimum',
  'taux_subvention_maximum',
  'taux_subvention_commentaire',
  'aap_ami',
  'exemple_projet',
  'thematique_aide',
  'recurrence_aide',
  'date_ouverture',
  'date_pre_depot',
  'date_cloture',
  'etat_avancement_projet',
  'type_depense',
  'zone_geographique',
  'url_demarche',
];

export const BENEFICIAIRES = [
  'Communes',
  'EPCI à fiscalité propre',
  'Départements',
  'Régions',
  'Associations',
  'Particuliers',
  'Agriculteurs',
  'Entreprises privées',
  'Entreprises publiques locales (Sem, Spl, SemOp)',
  "Établissements publics - Services de l'État",
  'Recherche',
];
export const TYPES_AIDES = ['Subvention', 'Prêt', 'Avance récupérable', 'Autre', 'Technique', 'Financière', 'Administrative'] as const;
export const RECURRENCES = ['Permanente', 'Ponctuelle', 'Récurrente'] as const;
export const ETATS_AVANCEMENT = ['Réflexion - conception', 'Mise en oeuvre - réalisation', 'Usage - valorisation'] as const;
const TYPES_DEPENSE = ['Fonctionnement', 'Investissement'];
const AAP_TRUE = ['Oui', 'true'];
const AAP_FALSE = ['Non', 'false'];

/** Maillage's kinds of support and funding, read in the schema's types (appel_a_projets says aap_ami instead). */
const TYPE_OF_KIND: Record<string, (typeof TYPES_AIDES)[number] | undefined> = {
  animation: 'Technique',
  developpement: 'Technique',
  expertise_metier: 'Technique',
  transfert_savoir_faire: 'Technique',
  accompagnement_pairs: 'Technique',
  formation: 'Technique',
  fonctions_support: 'Administrative',
  tiers_de_confiance: 'Financière',
  appui_strategique: 'Financière',
  subvention_fonctionnement: 'Subvention',
  subvention_projet: 'Subvention',
  convention_pluriannuelle: 'Subvention',
  pret: 'Prêt',
  pret_honneur: 'Prêt',
  pret_participatif: 'Prêt',
  garantie: 'Autre',
  fonds_propres: 'Autre',
  don_mecenat: 'Autre',
  financement_participatif: 'Autre',
  epargne_solidaire: 'Autre',
  ressources_non_monetaires: 'Autre',
};
/** The other way, one kind per type: the one that reads back as the same type. « Autre », « Avance récupérable »: none. */
const KIND_OF_TYPE: Record<string, { accompagnement?: string; financement?: string }> = {
  Subvention: { financement: 'subvention_projet' },
  Prêt: { financement: 'pret' },
  Technique: { accompagnement: 'expertise_metier' },
  Financière: { accompagnement: 'appui_strategique' },
  Administrative: { accompagnement: 'fonctions_support' },
};
const ETAT_OF_STADE: Record<string, (typeof ETATS_AVANCEMENT)[number]> = {
  emergence: 'Réflexion - conception',
  creation: 'Mise en oeuvre - réalisation',
  consolidation: 'Usage - valorisation',
  changement_echelle: 'Usage - valorisation',
};
const STADE_OF_ETAT: Record<string, string> = {
  'Réflexion - conception': 'emergence',
  'Mise en oeuvre - réalisation': 'creation',
  'Usage - valorisation': 'consolidation',
};
const RECURRENCE_OF_CALENDAR: Record<Calendar['type'], (typeof RECURRENCES)[number]> = {
  permanent: 'Permanente',
  date: 'Ponctuelle',
  vagues: 'Récurrente',
};

export type CouvertureLevel = 'region' | 'departement' | 'epci' | 'commune';
export interface Couverture {
  niveau: 'national' | CouvertureLevel;
  codes: string[];
}

/** Territory names both ways (the COG in memory, in the application). */
export interface TerritoryNames {
  name(level: CouvertureLevel, code: string): string | undefined;
  /** A région or département by its exact name (accents and case aside). */
  find(name: string): { level: 'region' | 'departement'; code: string } | undefined;
  has(level: CouvertureLevel, code: string): boolean;
}

/** A scheme as the exchange needs it. */
export interface InteropScheme {
  key: string;
  idAide: string | null;
  nom: string;
  description: string | null;
  porteurs: { nom: string; siren: string | null }[];
  typesAccompagnement: string[];
  typesFinancement: string[];
  stades: string[];
  calendrier: Calendar | null;
  couverture: Couverture | null;
  conditions: string | null;
  contact: string | null;
  url: string | null;
  dateVerification: string | null;
  /** Columns kept as an imported file gave them. */
  champs: Partial<Record<SchemaField, string>>;
}

const NATIONAL_NAMES = ['france', 'france entiere', 'national', 'nationale', 'territoire national'];
const normalise = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
const unique = <T>(values: T[]) => [...new Set(values)];

/** A list cell: values separated by a comma without space (« a,b »); « , » followed by a space belongs to a value. */
export function splitList(cell: string): string[] {
  return cell
    .split(/,(?! )/)
    .map((value) => value.trim())
    .filter(Boolean);
}
/** Joins values into a list cell; a bare comma inside a value gets a space, so that it is not read as a separator. */
export function joinList(values: readonly string[]): string {
  return values.map((value) => value.replace(/,(?! )/g, ', ')).join(',');
}

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The day (YYYY-MM-DD) an instant falls on in Paris. */
export function parisDate(instant: string): string {
  return parisDay.format(new Date(instant));
}

/** The offset of Paris time (« +01:00 » or « +02:00 ») on a given day, at noon. */
function parisOffset(day: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
      .formatToParts(new Date(`${day}T12:00:00Z`))
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  return name.replace('GMT', '') || '+00:00';
}
/** A day as the instants the calendars hold: its first instant when opening, its last one when closing. */
export function dayStart(day: string): string {
  return `${day}T00:00:00.000${parisOffset(day)}`;
}
export function dayEnd(day: string): string {
  return `${day}T23:59:59.999${parisOffset(day)}`;
}

function calendarDates(calendar: Calendar | null): { ouverture: string; cloture: string } {
  if (!calendar || calendar.type === 'permanent') return { ouverture: '', cloture: '' };
  const periods = calendar.type === 'vagues' ? (calendar.vagues ?? []) : [calendar];
  const days = (key: 'ouverture' | 'cloture') =>
    periods
      .map((p) => p[key])
      .filter((v): v is string => Boolean(v))
      .map(parisDate)
      .sort();
  const ouvertures = days('ouverture');
  const clotures = days('cloture');
  return { ouverture: ouvertures[0] ?? '', cloture: clotures[clotures.length - 1] ?? '' };
}

function zone(couverture: Couverture | null, territories: TerritoryNames): string {
  if (!couverture) return '';
  if (couverture.niveau === 'national') return 'France';
  const level = couverture.niveau;
  const named = couverture.codes.map((code) => {
    const name = territories.name(level, code) ?? code;
    // Régions and départements are known by their names; EPCI and communes need their code to be told apart.
    return level === 'region' || level === 'departement' ? name : `${name} (${code})`;
  });
  return joinList(named);
}

/** One row of the schema for a scheme. */
export function toSchemaRow(scheme: InteropScheme, territories: TerritoryNames): SchemaRow {
  const sirens = scheme.porteurs.map((p) => p.siren);
  const dates = calendarDates(scheme.calendrier);
  const derived: Partial<SchemaRow> = {
    id_aide: scheme.idAide ?? scheme.key,
    nom_aide: scheme.nom,
    nom_aide_normalise: scheme.nom.length <= 180 ? scheme.nom : `${scheme.nom.slice(0, 179)}…`,
    porteur_aide: joinList(scheme.porteurs.map((p) => p.nom)),
    porteur_siren: sirens.length > 0 && sirens.every(Boolean) ? sirens.join(',') : '',
    types_aides: unique([...scheme.typesAccompagnement, ...scheme.typesFinancement].map((kind) => TYPE_OF_KIND[kind]).filter(Boolean) as string[])
      .sort((a, b) => TYPES_AIDES.indexOf(a as never) - TYPES_AIDES.indexOf(b as never))
      .join(','),
    aap_ami: scheme.typesFinancement.includes('appel_a_projets') ? 'Oui' : '',
    description: scheme.description ?? '',
    recurrence_aide: scheme.calendrier ? RECURRENCE_OF_CALENDAR[scheme.calendrier.type] : '',
    date_ouverture: dates.ouverture,
    date_cloture: dates.cloture,
    condition_eligibilite: scheme.conditions ?? '',
    etat_avancement_projet: unique(scheme.stades.map((s) => ETAT_OF_STADE[s]).filter(Boolean) as string[])
      .sort((a, b) => ETATS_AVANCEMENT.indexOf(a as never) - ETATS_AVANCEMENT.indexOf(b as never))
      .join(','),
    zone_geographique: zone(scheme.couverture, territories),
    url_descriptif: scheme.url ?? '',
    contact: scheme.contact ?? '',
    date_mise_a_jour: scheme.dateVerification ?? '',
  };
  return Object.fromEntries(
    SCHEMA_FIELDS.map((field) => {
      const kept = KEPT_FIELDS.includes(field) ? scheme.champs[field] : undefined;
      return [field, kept ?? derived[field] ?? ''];
    }),
  ) as SchemaRow;
}

/** What an imported row becomes in Maillage's columns: a scheme as the exchange sees it, its id_aide known. */
export type ImportedScheme = Omit<InteropScheme, 'key' | 'idAide'> & { idAide: string };

export type ImportResult = { ok: true; scheme: ImportedScheme } | { ok: false; reasons: string[] };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (text: string) =>
  DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
const isWebUrl = (text: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};
const MAX_TEXT = 20_000;

function checkList(row: SchemaRow, field: SchemaField, allowed: readonly string[], reasons: string[]): string[] {
  const values = splitList(row[field]);
  const wrong = values.filter((value) => !allowed.includes(value));
  if (wrong.length) reasons.push(`${field} : valeur${wrong.length > 1 ? 's' : ''} hors de la liste du schéma : ${wrong.join(', ')}`);
  return values;
}

/** Reads « France », « Drôme,Ardèche », « Valence Romans Agglo (200068781) »…; undefined when a name is not recognised. */
export function readZone(cell: string, territories: TerritoryNames): Couverture | null | undefined {
  const items = splitList(cell);
  if (items.length === 0) return null;
  if (items.length === 1 && NATIONAL_NAMES.includes(normalise(items[0]!))) return { niveau: 'national', codes: [] };
  const found = items.map((item) => {
    const coded = /\(([0-9AB]{2,9})\)\s*$/.exec(item)?.[1];
    if (coded) {
      const level = (['commune', 'epci', 'departement', 'region'] as const).find((l) => territories.has(l, coded));
      return level ? { level, code: coded } : undefined;
    }
    return territories.find(item);
  });
  if (found.some((f) => !f)) return undefined;
  const levels = unique(found.map((f) => f!.level));
  if (levels.length !== 1) return undefined;
  return { niveau: levels[0]!, codes: unique(found.map((f) => f!.code)) };
}

function readCalendar(row: SchemaRow): Calendar | null {
  const period = {
    ...(row.date_ouverture ? { ouverture: dayStart(row.date_ouverture) } : {}),
    ...(row.date_cloture ? { cloture: dayEnd(row.date_cloture) } : {}),
  };
  const hasDates = Object.keys(period).length > 0;
  switch (row.recurrence_aide) {
    case 'Permanente':
      return { type: 'permanent' };
    case 'Récurrente':
      return { type: 'vagues', vagues: hasDates ? [{ nom: 'Session indiquée par la source', ...period }] : [] };
    default:
      return row.recurrence_aide === 'Ponctuelle' || hasDates ? { type: 'date', ...period } : null;
  }
}

/**
 * Checks one row against the schema (the formats of what it gives: lists, dates, numbers, addresses) and
 * reads it into Maillage's columns. Maillage needs id_aide and a name; the other columns the schema says
 * required may be empty (Maillage's own exports leave empty what its catalogue does not hold).
 */
export function fromSchemaRow(row: SchemaRow, territories: TerritoryNames): ImportResult {
  const reasons: string[] = [];
  const id = row.id_aide.trim();
  if (!id) reasons.push('id_aide : obligatoire (identifiant de l’aide)');
  else if (id.length > 200) reasons.push('id_aide : 200 caractères au plus');
  const nom = (row.nom_aide || row.nom_aide_normalise).trim();
  if (!nom) reasons.push('nom_aide : obligatoire (ou nom_aide_normalise)');
  else if (nom.length > 300) reasons.push('nom_aide : 300 caractères au plus');
  if (row.nom_aide_normalise.length > 180) reasons.push('nom_aide_normalise : 180 caractères au plus');
  for (const field of SCHEMA_FIELDS) if (row[field].length > MAX_TEXT) reasons.push(`${field} : texte trop long (${MAX_TEXT} caractères au plus)`);

  const porteurs = splitList(row.porteur_aide);
  const sirens = row.porteur_siren ? row.porteur_siren.split(',') : [];
  if (sirens.length && !/^(?:[^,]{9},)*[^,]{9}$/.test(row.porteur_siren))
    reasons.push('porteur_siren : numéros SIREN de 9 caractères séparés par des virgules');
  else if (sirens.length && sirens.length !== porteurs.length) {
    reasons.push(`porteur_siren : ${sirens.length} numéro${sirens.length > 1 ? 's' : ''} pour ${porteurs.length} porteur${porteurs.length > 1 ? 's' : ''}`);
  }
  checkList(row, 'beneficiaires_aide', BENEFICIAIRES, reasons);
  const types = checkList(row, 'types_aides', TYPES_AIDES, reasons);
  const etats = checkList(row, 'etat_avancement_projet', ETATS_AVANCEMENT, reasons);
  checkList(row, 'type_depense', TYPES_DEPENSE, reasons);
  for (const field of ['taux_subvention_minimum', 'taux_subvention_maximum'] as const) {
    const value = row[field];
    if (value && !(/^\d+(\.\d+)?$/.test(value) && Number(value) <= 100)) reasons.push(`${field} : un pourcentage de 0 à 100`);
  }
  if (row.aap_ami && ![...AAP_TRUE, ...AAP_FALSE].includes(row.aap_ami)) reasons.push('aap_ami : « Oui » ou « Non »');
  if (row.recurrence_aide && !(RECURRENCES as readonly string[]).includes(row.recurrence_aide)) {
    reasons.push(`recurrence_aide : « Permanente », « Ponctuelle » ou « Récurrente », pas « ${row.recurrence_aide} »`);
  }
  for (const field of ['date_ouverture', 'date_pre_depot', 'date_cloture', 'date_mise_a_jour'] as const) {
    if (row[field] && !isDay(row[field])) reasons.push(`${field} : date au format AAAA-MM-JJ attendue, pas « ${row[field]} »`);
  }
  if (!reasons.length && row.date_ouverture && row.date_cloture && row.date_cloture < row.date_ouverture) {
    reasons.push('date_cloture : antérieure à date_ouverture');
  }
  for (const field of ['url_descriptif', 'url_demarche'] as const) {
    if (row[field] && !isWebUrl(row[field])) reasons.push(`${field} : adresse web (http ou https) attendue`);
  }
  if (reasons.length) return { ok: false, reasons };

  const champs = Object.fromEntries(KEPT_FIELDS.filter((field) => row[field] !== '').map((field) => [field, row[field]]));
  const typesFinancement = unique([
    ...types.map((t) => KIND_OF_TYPE[t]?.financement).filter((k): k is string => Boolean(k)),
    ...(AAP_TRUE.includes(row.aap_ami) ? ['appel_a_projets'] : []),
  ]);
  return {
    ok: true,
    scheme: {
      idAide: id,
      nom,
      description: row.description || null,
      porteurs: porteurs.map((name, i) => ({ nom: name, siren: sirens[i] ?? null })),
      typesAccompagnement: unique(types.map((t) => KIND_OF_TYPE[t]?.accompagnement).filter((k): k is string => Boolean(k))),
      typesFinancement,
      stades: unique(etats.map((e) => STADE_OF_ETAT[e]!)),
      calendrier: readCalendar(row),
      // A zone Maillage cannot read stays in `champs` only: the coverage is then « not said ».
      couverture: readZone(row.zone_geographique, territories) ?? null,
      conditions: row.condition_eligibilite || null,
      contact: row.contact || null,
      url: row.url_descriptif || null,
      dateVerification: row.date_mise_a_jour || null,
      champs,
    },
  };
}
