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
 *   wording is kept too when it differs from what Maillage would write, and exported again as it was;
 * - what Maillage holds and the schema cannot carry exactly (the kinds of support and funding, of which the
 *   schema's seven types are a coarser reading; the five stages over three « états d'avancement »; models,
 *   typologies, legal forms, ESUS, amounts, the exact calendar and coverage, every porteur's SIREN, the source,
 *   the stable key): a
 *   « Données Maillage » block, JSON, at the end of condition_eligibilite — the schema's column for who may
 *   apply, where most of it belongs. Reading it back gives the scheme exactly; a file without it is read
 *   through the columns alone.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Calendar } from '../../domain/calendar.ts';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { calendrierSchema } from '../catalogue/schemas.ts';

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

/** Columns whose file wording is kept where it differs from what Maillage writes (it has no column, or reads them through its vocabularies). */
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

type TypeAide = (typeof TYPES_AIDES)[number];
/**
 * Maillage's kinds of support and funding in the schema's types_aides: one table, read both ways. Export takes
 * a kind's type; import takes, for a type, the first kind listed with it (« Technique » → développement, the
 * commonest support of the catalogue), except « Autre », too vague to read back. The schema has seven types for
 * twenty-two kinds, so no bijection is possible: the exact kinds travel in the Maillage block.
 * appel_a_projets is not a type: the schema says it in aap_ami.
 */
const KIND_TYPES: readonly (readonly [kind: string, nature: 'accompagnement' | 'financement', type: TypeAide])[] = [
  ['developpement', 'accompagnement', 'Technique'],
  ['animation', 'accompagnement', 'Technique'],
  ['expertise_metier', 'accompagnement', 'Technique'],
  ['transfert_savoir_faire', 'accompagnement', 'Technique'],
  ['accompagnement_pairs', 'accompagnement', 'Technique'],
  ['formation', 'accompagnement', 'Technique'],
  ['fonctions_support', 'accompagnement', 'Administrative'],
  ['appui_strategique', 'accompagnement', 'Financière'],
  ['tiers_de_confiance', 'accompagnement', 'Financière'],
  ['subvention_projet', 'financement', 'Subvention'],
  ['subvention_fonctionnement', 'financement', 'Subvention'],
  ['convention_pluriannuelle', 'financement', 'Subvention'],
  ['pret', 'financement', 'Prêt'],
  ['pret_honneur', 'financement', 'Prêt'],
  ['pret_participatif', 'financement', 'Prêt'],
  ['garantie', 'financement', 'Autre'],
  ['fonds_propres', 'financement', 'Autre'],
  ['don_mecenat', 'financement', 'Autre'],
  ['financement_participatif', 'financement', 'Autre'],
  ['epargne_solidaire', 'financement', 'Autre'],
  ['ressources_non_monetaires', 'financement', 'Autre'],
];
const TYPE_OF_KIND = new Map(KIND_TYPES.map(([kind, , type]) => [kind, type]));
/** The kind a type reads back as: the first of the table; « Avance récupérable » and « Autre » read as none. */
function kindOfType(type: string, nature: 'accompagnement' | 'financement'): string | undefined {
  if (type === 'Autre') return undefined;
  return KIND_TYPES.find(([, n, t]) => t === type && n === nature)?.[0];
}
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
  /** What only the Maillage block carries. */
  modeles: string[];
  finalites: string[];
  modelesEconomiques: string[];
  formesJuridiques: string[];
  esusRequis: boolean | null;
  montantMin: number | null;
  montantMax: number | null;
  montantTexte: string | null;
  dureeTexte: string | null;
  source: string | null;
  statut: 'actif' | 'clos';
}

/** The Maillage block: the scheme in Maillage's own words, for an exact round trip. */
const maillageBlockSchema = z.strictObject({
  cle: z.string().regex(/^[a-z0-9-]{1,80}$/),
  porteurs: z.array(z.object({ nom: z.string().min(1).max(300), siren: z.string().length(9).nullable() })),
  types_accompagnement: z.array(typeAccompagnement.schema),
  types_financement: z.array(typeFinancement.schema),
  stades: z.array(stade.schema),
  modeles: z.array(modele.schema),
  finalites: z.array(finalite.schema),
  modeles_economiques: z.array(modeleEconomique.schema),
  formes_juridiques: z.array(z.string().regex(/^\d{2}(\d{2})?$/)),
  esus_requis: z.boolean().nullable(),
  couverture: z.object({ niveau: niveauCouverture.schema, codes: z.array(z.string().max(9)) }).nullable(),
  calendrier: calendrierSchema,
  montant_min: z.number().nullable(),
  montant_max: z.number().nullable(),
  montant_texte: z.string().nullable(),
  duree_texte: z.string().nullable(),
  source: z.string().nullable(),
  statut: z.enum(['actif', 'clos']),
});
type MaillageBlock = z.infer<typeof maillageBlockSchema>;

const BLOCK_MARK = 'Données Maillage (pour un aller-retour exact, ne pas modifier) : ';
const BLOCK_PATTERN = /(?:^|\n\n)Données Maillage \(pour un aller-retour exact, ne pas modifier\) : (\{.*\})$/s;

function maillageBlock(scheme: InteropScheme): MaillageBlock {
  return {
    cle: scheme.key,
    porteurs: scheme.porteurs,
    types_accompagnement: scheme.typesAccompagnement as MaillageBlock['types_accompagnement'],
    types_financement: scheme.typesFinancement as MaillageBlock['types_financement'],
    stades: scheme.stades as MaillageBlock['stades'],
    modeles: scheme.modeles as MaillageBlock['modeles'],
    finalites: scheme.finalites as MaillageBlock['finalites'],
    modeles_economiques: scheme.modelesEconomiques as MaillageBlock['modeles_economiques'],
    formes_juridiques: scheme.formesJuridiques,
    esus_requis: scheme.esusRequis,
    couverture: scheme.couverture,
    calendrier: scheme.calendrier,
    montant_min: scheme.montantMin,
    montant_max: scheme.montantMax,
    montant_texte: scheme.montantTexte,
    duree_texte: scheme.dureeTexte,
    source: scheme.source,
    statut: scheme.statut,
  };
}

/** condition_eligibilite: the conditions, then the Maillage block. */
function conditionsWithBlock(scheme: InteropScheme): string {
  const block = `${BLOCK_MARK}${JSON.stringify(maillageBlock(scheme))}`;
  return scheme.conditions ? `${scheme.conditions}\n\n${block}` : block;
}

/** The conditions and the block of a condition_eligibilite cell; the block is undefined when absent, null when unreadable. */
function splitConditions(cell: string): { conditions: string; block: MaillageBlock | null | undefined } {
  const match = BLOCK_PATTERN.exec(cell);
  if (!match) return { conditions: cell, block: undefined };
  let parsed: ReturnType<typeof maillageBlockSchema.safeParse> | undefined;
  try {
    parsed = maillageBlockSchema.safeParse(JSON.parse(match[1]!));
  } catch {
    parsed = undefined;
  }
  return { conditions: cell.slice(0, match.index), block: parsed?.success ? parsed.data : null };
}

/** Imported schemes get a key of their own, stable for their id_aide (any text) and within the key's alphabet. */
export function importKey(idAide: string): string {
  return `aide-${createHash('sha256').update(idAide).digest('hex').slice(0, 24)}`;
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

/** What Maillage writes in each column for a scheme, before the columns an imported file gave. */
function derivedRow(scheme: InteropScheme, territories: TerritoryNames): Partial<SchemaRow> {
  const sirens = scheme.porteurs.map((p) => p.siren);
  const dates = calendarDates(scheme.calendrier);
  return {
    id_aide: scheme.idAide ?? scheme.key,
    nom_aide: scheme.nom,
    nom_aide_normalise: scheme.nom.length <= 180 ? scheme.nom : `${scheme.nom.slice(0, 179)}…`,
    porteur_aide: joinList(scheme.porteurs.map((p) => p.nom)),
    porteur_siren: sirens.length > 0 && sirens.every(Boolean) ? sirens.join(',') : '',
    types_aides: unique([...scheme.typesAccompagnement, ...scheme.typesFinancement].map((kind) => TYPE_OF_KIND.get(kind)).filter(Boolean) as string[])
      .sort((a, b) => TYPES_AIDES.indexOf(a as never) - TYPES_AIDES.indexOf(b as never))
      .join(','),
    aap_ami: scheme.typesFinancement.includes('appel_a_projets') ? 'Oui' : '',
    description: scheme.description ?? '',
    recurrence_aide: scheme.calendrier ? RECURRENCE_OF_CALENDAR[scheme.calendrier.type] : '',
    date_ouverture: dates.ouverture,
    date_cloture: dates.cloture,
    condition_eligibilite: conditionsWithBlock(scheme),
    etat_avancement_projet: unique(scheme.stades.map((s) => ETAT_OF_STADE[s]).filter(Boolean) as string[])
      .sort((a, b) => ETATS_AVANCEMENT.indexOf(a as never) - ETATS_AVANCEMENT.indexOf(b as never))
      .join(','),
    zone_geographique: zone(scheme.couverture, territories),
    url_descriptif: scheme.url ?? '',
    contact: scheme.contact ?? '',
    date_mise_a_jour: scheme.dateVerification ?? '',
  };
}

/** One row of the schema for a scheme. */
export function toSchemaRow(scheme: InteropScheme, territories: TerritoryNames): SchemaRow {
  const derived = derivedRow(scheme, territories);
  return Object.fromEntries(
    SCHEMA_FIELDS.map((field) => {
      const kept = KEPT_FIELDS.includes(field) ? scheme.champs[field] : undefined;
      return [field, kept ?? derived[field] ?? ''];
    }),
  ) as SchemaRow;
}

/** What an imported row becomes in Maillage's columns: a scheme as the exchange sees it, its id_aide known. */
export type ImportedScheme = Omit<InteropScheme, 'key' | 'idAide'> & { idAide: string; key: string };

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

  const { conditions, block } = splitConditions(row.condition_eligibilite);
  if (block === null) return { ok: false, reasons: ['condition_eligibilite : bloc « Données Maillage » illisible (retirez-le ou exportez à nouveau)'] };
  const typesFinancement = unique([
    ...types.map((t) => kindOfType(t, 'financement')).filter((k): k is string => Boolean(k)),
    ...(AAP_TRUE.includes(row.aap_ami) ? ['appel_a_projets'] : []),
  ]);
  const scheme: ImportedScheme = {
    key: block?.cle ?? importKey(id),
    idAide: id,
    nom,
    description: row.description || null,
    porteurs: block?.porteurs ?? porteurs.map((name, i) => ({ nom: name, siren: sirens[i] ?? null })),
    typesAccompagnement: block?.types_accompagnement ?? unique(types.map((t) => kindOfType(t, 'accompagnement')).filter((k): k is string => Boolean(k))),
    typesFinancement: block?.types_financement ?? typesFinancement,
    stades: block?.stades ?? unique(etats.map((e) => STADE_OF_ETAT[e]!)),
    calendrier: block ? (block.calendrier as Calendar | null) : readCalendar(row),
    // A zone Maillage cannot read stays in `champs` only: the coverage is then « not said ».
    couverture: block ? block.couverture : (readZone(row.zone_geographique, territories) ?? null),
    conditions: conditions || null,
    contact: row.contact || null,
    url: row.url_descriptif || null,
    dateVerification: row.date_mise_a_jour || null,
    champs: {},
    modeles: block?.modeles ?? [],
    finalites: block?.finalites ?? [],
    modelesEconomiques: block?.modeles_economiques ?? [],
    formesJuridiques: block?.formes_juridiques ?? [],
    esusRequis: block?.esus_requis ?? null,
    montantMin: block?.montant_min ?? null,
    montantMax: block?.montant_max ?? null,
    montantTexte: block?.montant_texte ?? null,
    dureeTexte: block?.duree_texte ?? null,
    source: block?.source ?? null,
    statut: block?.statut ?? 'actif',
  };
  // The file's wording is kept where it says more than Maillage would write from what it read.
  const derived = derivedRow({ ...scheme, idAide: id }, territories);
  scheme.champs = Object.fromEntries(KEPT_FIELDS.filter((field) => row[field] !== '' && row[field] !== derived[field]).map((field) => [field, row[field]]));
  return { ok: true, scheme };
}
