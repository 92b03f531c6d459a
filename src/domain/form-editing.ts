/**
 * Editing a call's form, as pure operations on its definition (domain/form.ts): add, update, move and remove a
 * section or a field (a repeatable group's sub-fields are edited the same way, one level deep), keys made from
 * labels, options and conditions read from what a funder types. Each operation returns a new definition or
 * throws FormEditError naming the input at fault; the caller then checks the whole definition
 * (formDefinitionSchema + checkDefinition + platformProblems) before writing anything.
 *
 * Levels: the fields of all sections share one level of keys (a section's condition may name any field of an
 * earlier section); a group's sub-fields form their own level.
 */
import type { Condition, FieldDefinition, FieldKind, FormDefinition, Option, SectionDefinition } from './form.ts';
import type { TypeFichier } from './files.ts';
import { RuleError } from './rule-error.ts';

/** A refused edit: French message, and the name of the form input it is about (for the error summary). */
export class FormEditError extends RuleError {
  constructor(
    message: string,
    readonly input = 'libelle',
  ) {
    super('modification_refusee', message, { field: input });
  }
}

/** A field of the definition: a top-level key, or the key of a sub-field within its group. */
export interface FieldRef {
  cle: string;
  groupe?: string;
}

export type Direction = 'monter' | 'descendre';

const KEY = /^[a-z][a-z0-9_]{0,59}$/;
const KEY_LENGTH = 50;

/** « Chiffre d’affaires 2020 (€) » → « chiffre_d_affaires_2020 »: lower case, accents removed, [a-z0-9_]. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A key made from a label, unique among `taken` (« _2 », « _3 »… when needed); always a valid key. */
export function keyFromLabel(label: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let base = slugify(label).slice(0, KEY_LENGTH).replace(/_+$/, '');
  if (!/^[a-z]/.test(base)) base = `champ${base ? `_${base}` : ''}`.slice(0, KEY_LENGTH);
  let key = base;
  for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
  return key;
}

/**
 * Options typed one per line: « valeur | libellé », or just the label (its value is then made from it).
 * Blank lines are skipped; two options with one value are refused.
 */
export function parseOptions(text: string): Option[] {
  const options: Option[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const bar = line.indexOf('|');
    const libelle = (bar >= 0 ? line.slice(bar + 1) : line).trim();
    const written = bar >= 0 ? line.slice(0, bar).trim() : '';
    if (!libelle) throw new FormEditError(`Option « ${line.trim()} » : indiquez son libellé après la barre « | ».`, 'options');
    const valeur = written || slugify(libelle) || libelle;
    if (valeur.length > 100 || libelle.length > 300)
      throw new FormEditError('Une option compte au plus 100 caractères pour sa valeur et 300 pour son libellé.', 'options');
    if (options.some((o) => o.valeur === valeur))
      throw new FormEditError(`Deux options ont la même valeur « ${valeur} » : chaque option doit être distincte.`, 'options');
    options.push({ valeur, libelle });
  }
  return options;
}

/** Options back as the text a funder edits (the inverse of parseOptions). */
export function optionsText(options: readonly Option[] | undefined): string {
  return (options ?? []).map((o) => `${o.valeur} | ${o.libelle}`).join('\n');
}

// ——— Reading the definition ———

/** The fields of one level: all top-level fields in order, or one group's sub-fields. */
export function levelOf(definition: FormDefinition, groupe?: string): FieldDefinition[] {
  const top = definition.sections.flatMap((s) => s.champs);
  if (groupe === undefined) return top;
  const group = top.find((f) => f.cle === groupe && f.type === 'groupe');
  if (!group) throw new FormEditError(`Le groupe « ${groupe} » n’existe pas (ou plus) dans ce formulaire.`);
  return group.champs ?? [];
}

export function findField(definition: FormDefinition, ref: FieldRef): FieldDefinition {
  const field = levelOf(definition, ref.groupe).find((f) => f.cle === ref.cle);
  if (!field) throw new FormEditError(`Le champ « ${ref.cle} » n’existe pas (ou plus) dans ce formulaire.`);
  return field;
}

/** The section holding a top-level field (or a group). */
export function sectionOf(definition: FormDefinition, cle: string): number {
  const index = definition.sections.findIndex((s) => s.champs.some((f) => f.cle === cle));
  if (index < 0) throw new FormEditError(`Le champ « ${cle} » n’existe pas (ou plus) dans ce formulaire.`);
  return index;
}

/**
 * The fields a condition may name: those before the place, on the same level. For a new field: everything
 * before the end of its section (or group); for a section: every field of the earlier sections.
 */
export function precedingFields(
  definition: FormDefinition,
  place: { section: number; groupe?: string; cle?: string } | { beforeSection: number },
): FieldDefinition[] {
  if ('beforeSection' in place) return definition.sections.slice(0, place.beforeSection).flatMap((s) => s.champs);
  if (place.groupe !== undefined) {
    const level = levelOf(definition, place.groupe);
    const at = place.cle === undefined ? level.length : level.findIndex((f) => f.cle === place.cle);
    return level.slice(0, at < 0 ? level.length : at);
  }
  const before = definition.sections.slice(0, place.section).flatMap((s) => s.champs);
  const own = definition.sections[place.section]?.champs ?? [];
  const at = place.cle === undefined ? own.length : own.findIndex((f) => f.cle === place.cle);
  return [...before, ...own.slice(0, at < 0 ? own.length : at)];
}

/** What depends on a field of a level: the fields (and, at the top level, the sections) whose condition names it. */
function dependentsOf(definition: FormDefinition, ref: FieldRef): string[] {
  const names = levelOf(definition, ref.groupe)
    .filter((f) => f.afficher_si?.champ === ref.cle)
    .map((f) => `le champ « ${f.libelle} »`);
  if (ref.groupe === undefined) {
    definition.sections.forEach((s, i) => {
      if (s.afficher_si?.champ === ref.cle) names.push(`la section ${i + 1} « ${s.titre} »`);
    });
  }
  return names;
}

// ——— Conditions ———

/**
 * « Afficher si » from what a funder chose: the field it depends on (one of `preceding`) and the values that
 * show it, one per line (a value or an option's label; « oui »/« non » for a yes/no). No field: no condition.
 */
export function conditionFrom(champ: string | undefined, valeurs: string | undefined, preceding: readonly FieldDefinition[]): Condition | undefined {
  if (!champ) return undefined;
  const source = preceding.find((f) => f.cle === champ);
  if (!source) throw new FormEditError('La condition d’affichage doit porter sur une question placée avant, au même niveau.', 'condition_champ');
  const wanted = (valeurs ?? '')
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter(Boolean);
  if (!wanted.length)
    throw new FormEditError(
      `Indiquez la réponse à « ${source.libelle} » qui fait afficher la question (une par ligne s’il y en a plusieurs).`,
      'condition_valeurs',
    );
  if (source.type === 'oui_non') {
    const answers = new Set(wanted.map((v) => v.toLowerCase()));
    if (answers.size !== 1 || !(answers.has('oui') || answers.has('non'))) {
      throw new FormEditError(`« ${source.libelle} » se répond par oui ou par non : indiquez « oui » ou « non ».`, 'condition_valeurs');
    }
    return { champ, egal: answers.has('oui') };
  }
  let values = wanted;
  if (source.type === 'choix_unique' || source.type === 'choix_multiple') {
    values = wanted.map((v) => {
      const option = source.options?.find((o) => o.valeur === v || o.libelle.toLowerCase() === v.toLowerCase());
      if (!option) throw new FormEditError(`« ${v} » n’est pas une option de « ${source.libelle} ».`, 'condition_valeurs');
      return option.valeur;
    });
  }
  values = [...new Set(values)];
  return values.length === 1 ? { champ, egal: values[0]! } : { champ, parmi: values };
}

/** A condition back as the lines a funder edits. */
export function conditionValues(condition: Condition | undefined): string {
  if (!condition) return '';
  if ('parmi' in condition) return condition.parmi.join('\n');
  return typeof condition.egal === 'boolean' ? (condition.egal ? 'oui' : 'non') : condition.egal;
}

// ——— Building a field or a section from a funder's input ———

/** A field as the builder's form gives it, already typed (numbers parsed, blanks removed). */
export interface FieldInput {
  type: FieldKind;
  libelle: string;
  cle?: string;
  aide?: string;
  obligatoire?: boolean;
  source?: string;
  options?: string;
  min?: number;
  max?: number;
  types?: TypeFichier[];
  taille_max_mo?: number;
  lignes_min?: number;
  lignes_max?: number;
  condition_champ?: string;
  condition_valeurs?: string;
  /** A new group is created with its first sub-field (a group is never empty). */
  premier_libelle?: string;
  premier_type?: FieldKind;
}

/** What a repeatable group may hold: no file (a file is sent by its own form) and no group within a group. */
export const SUB_FIELD_KINDS: readonly FieldKind[] = [
  'texte',
  'texte_long',
  'nombre',
  'montant',
  'date',
  'choix_unique',
  'choix_multiple',
  'oui_non',
  'siret',
  'territoire',
  'adresse',
  'email',
  'telephone',
];

/**
 * The field from its input. `level`: the other fields of its level (to keep keys unique), `preceding`: those a
 * condition may name, `existing`: the field being edited (its key and sub-fields are kept unless changed),
 * `maxMb`: the platform's file size limit (MAX_UPLOAD_MB).
 */
export function buildField(
  input: FieldInput,
  context: { level: readonly FieldDefinition[]; preceding: readonly FieldDefinition[]; existing?: FieldDefinition; maxMb: number },
): FieldDefinition {
  const { existing } = context;
  const others = context.level.filter((f) => f.cle !== existing?.cle).map((f) => f.cle);
  let cle = input.cle?.trim();
  if (cle) {
    if (!KEY.test(cle))
      throw new FormEditError(
        'La clé commence par une lettre minuscule, suivie de lettres minuscules sans accent, de chiffres ou de « _ » (60 caractères au plus).',
        'cle',
      );
    if (others.includes(cle)) throw new FormEditError(`La clé « ${cle} » est déjà celle d’un autre champ : choisissez-en une autre.`, 'cle');
  } else {
    cle = existing?.cle ?? keyFromLabel(input.libelle, others);
  }
  const field: FieldDefinition = { cle, type: input.type, libelle: input.libelle };
  if (input.aide) field.aide = input.aide;
  if (input.obligatoire) field.obligatoire = true;
  const condition = conditionFrom(
    input.condition_champ,
    input.condition_valeurs,
    context.preceding.filter((f) => f.cle !== cle),
  );
  if (condition) field.afficher_si = condition;
  switch (input.type) {
    case 'choix_unique':
    case 'choix_multiple': {
      const options = parseOptions(input.options ?? '');
      if (!options.length) throw new FormEditError('Indiquez au moins une option, une par ligne.', 'options');
      field.options = options;
      break;
    }
    case 'nombre':
    case 'montant':
    case 'texte':
    case 'texte_long':
      if (input.min !== undefined && input.max !== undefined && input.min > input.max) {
        throw new FormEditError('Le minimum dépasse le maximum.', 'min');
      }
      if (input.min !== undefined) field.min = input.min;
      if (input.max !== undefined) field.max = input.max;
      break;
    case 'fichier':
      if (input.types?.length) field.types = [...new Set(input.types)];
      if (input.taille_max_mo !== undefined) {
        if (input.taille_max_mo > context.maxMb)
          throw new FormEditError(`La taille maximale d’un fichier est de ${context.maxMb} Mo sur cette plateforme.`, 'taille_max_mo');
        field.taille_max_mo = input.taille_max_mo;
      }
      break;
    case 'groupe':
      if (input.lignes_min !== undefined && input.lignes_max !== undefined && input.lignes_min > input.lignes_max) {
        throw new FormEditError('Le nombre minimal de lignes dépasse le nombre maximal.', 'lignes_min');
      }
      if (input.lignes_min !== undefined) field.lignes_min = input.lignes_min;
      if (input.lignes_max !== undefined) field.lignes_max = input.lignes_max;
      field.champs = existing?.type === 'groupe' && existing.champs?.length ? existing.champs : [firstSubField(input)];
      break;
    default:
      break;
  }
  if (input.source) field.source = input.source;
  return field;
}

function firstSubField(input: FieldInput): FieldDefinition {
  if (!input.premier_libelle) throw new FormEditError('Un groupe a au moins un champ : indiquez le libellé de son premier champ.', 'premier_libelle');
  const type = input.premier_type ?? 'texte';
  if (!SUB_FIELD_KINDS.includes(type)) throw new FormEditError('Un groupe ne peut contenir ni fichier ni autre groupe.', 'premier_type');
  if (type === 'choix_unique' || type === 'choix_multiple') {
    throw new FormEditError('Créez d’abord le premier champ du groupe avec un autre type, puis ajoutez le choix et ses options.', 'premier_type');
  }
  return { cle: keyFromLabel(input.premier_libelle, []), type, libelle: input.premier_libelle };
}

export interface SectionInput {
  titre: string;
  description?: string;
  condition_champ?: string;
  condition_valeurs?: string;
}

export function buildSection(input: SectionInput, preceding: readonly FieldDefinition[]): Omit<SectionDefinition, 'champs'> {
  const section: Omit<SectionDefinition, 'champs'> = { titre: input.titre };
  if (input.description) section.description = input.description;
  const condition = conditionFrom(input.condition_champ, input.condition_valeurs, preceding);
  if (condition) section.afficher_si = condition;
  return section;
}

// ——— Operations on sections ———

function sectionAt(definition: FormDefinition, index: number): SectionDefinition {
  const section = definition.sections[index];
  if (!section) throw new FormEditError(`La section ${index + 1} n’existe pas (ou plus) dans ce formulaire.`);
  return section;
}

export function addSection(definition: FormDefinition, section: Omit<SectionDefinition, 'champs'>): FormDefinition {
  return { sections: [...definition.sections, { ...section, champs: [] }] };
}

export function updateSection(definition: FormDefinition, index: number, section: Omit<SectionDefinition, 'champs'>): FormDefinition {
  const { champs } = sectionAt(definition, index);
  return { sections: definition.sections.map((s, i) => (i === index ? { ...section, champs } : s)) };
}

export function moveSection(definition: FormDefinition, index: number, direction: Direction): FormDefinition {
  sectionAt(definition, index);
  const target = direction === 'monter' ? index - 1 : index + 1;
  if (target < 0) throw new FormEditError('Cette section est déjà la première.');
  if (target >= definition.sections.length) throw new FormEditError('Cette section est déjà la dernière.');
  const sections = [...definition.sections];
  [sections[index], sections[target]] = [sections[target]!, sections[index]!];
  return { sections };
}

/** Removes a section and its fields, unless something outside it depends on one of them. */
export function removeSection(definition: FormDefinition, index: number): FormDefinition {
  const section = sectionAt(definition, index);
  if (definition.sections.length === 1) throw new FormEditError('Un formulaire garde au moins une section : ajoutez-en une autre avant de supprimer celle-ci.');
  const inside = new Set(section.champs.map((f) => f.cle));
  const rest: FormDefinition = { sections: definition.sections.filter((_, i) => i !== index) };
  const outside = rest.sections.flatMap((s) => [
    ...(s.afficher_si && inside.has(s.afficher_si.champ) ? [`la section « ${s.titre} »`] : []),
    ...s.champs.filter((f) => f.afficher_si && inside.has(f.afficher_si.champ)).map((f) => `le champ « ${f.libelle} »`),
  ]);
  if (outside.length) {
    throw new FormEditError(
      `Impossible de supprimer cette section : ${outside.join(', ')} dépend d’un de ses champs. Modifiez d’abord sa condition d’affichage.`,
    );
  }
  return rest;
}

// ——— Operations on fields ———

/** Replaces one level (all sections' fields, or one group's sub-fields) by a function of it. */
function mapLevel(
  definition: FormDefinition,
  groupe: string | undefined,
  change: (fields: FieldDefinition[], section: number) => FieldDefinition[],
): FormDefinition {
  if (groupe === undefined) return { sections: definition.sections.map((s, i) => ({ ...s, champs: change(s.champs, i) })) };
  levelOf(definition, groupe);
  return {
    sections: definition.sections.map((s) => ({
      ...s,
      champs: s.champs.map((f) => (f.cle === groupe ? { ...f, champs: change(f.champs ?? [], -1) } : f)),
    })),
  };
}

/** Adds a field at the end of a section, or of a group's row. */
export function addField(definition: FormDefinition, place: { section: number; groupe?: string }, field: FieldDefinition): FormDefinition {
  if (place.groupe === undefined) sectionAt(definition, place.section);
  if (levelOf(definition, place.groupe).some((f) => f.cle === field.cle)) {
    throw new FormEditError(`La clé « ${field.cle} » est déjà celle d’un autre champ : choisissez-en une autre.`, 'cle');
  }
  if (place.groupe !== undefined) return mapLevel(definition, place.groupe, (fields) => [...fields, field]);
  return { sections: definition.sections.map((s, i) => (i === place.section ? { ...s, champs: [...s.champs, field] } : s)) };
}

/** Replaces a field; a new key is carried into the conditions that named the old one. */
export function updateField(definition: FormDefinition, ref: FieldRef, field: FieldDefinition): FormDefinition {
  findField(definition, ref);
  if (field.cle !== ref.cle && levelOf(definition, ref.groupe).some((f) => f.cle === field.cle)) {
    throw new FormEditError(`La clé « ${field.cle} » est déjà celle d’un autre champ : choisissez-en une autre.`, 'cle');
  }
  const rename = <T extends { afficher_si?: Condition }>(item: T): T =>
    item.afficher_si?.champ === ref.cle && field.cle !== ref.cle ? { ...item, afficher_si: { ...item.afficher_si, champ: field.cle } } : item;
  const next = mapLevel(definition, ref.groupe, (fields) => fields.map((f) => rename(f.cle === ref.cle ? field : f)));
  return ref.groupe === undefined ? { sections: next.sections.map(rename) } : next;
}

/**
 * Moves a field one place up or down. At the top level a field crosses into the previous (or next) section
 * when it is the first (or last) of its own; a sub-field stays within its group.
 */
export function moveField(definition: FormDefinition, ref: FieldRef, direction: Direction): FormDefinition {
  findField(definition, ref);
  const step = direction === 'monter' ? -1 : 1;
  if (ref.groupe !== undefined) {
    return mapLevel(definition, ref.groupe, (fields) => {
      const at = fields.findIndex((f) => f.cle === ref.cle);
      const target = at + step;
      if (target < 0) throw new FormEditError('Ce champ est déjà le premier de son groupe.');
      if (target >= fields.length) throw new FormEditError('Ce champ est déjà le dernier de son groupe.');
      const moved = [...fields];
      [moved[at], moved[target]] = [moved[target]!, moved[at]!];
      return moved;
    });
  }
  const s = sectionOf(definition, ref.cle);
  const sections = definition.sections.map((section) => ({ ...section, champs: [...section.champs] }));
  const own = sections[s]!.champs;
  const at = own.findIndex((f) => f.cle === ref.cle);
  const target = at + step;
  if (target >= 0 && target < own.length) {
    [own[at], own[target]] = [own[target]!, own[at]!];
    return { sections };
  }
  const next = sections[s + step];
  if (!next) throw new FormEditError(direction === 'monter' ? 'Ce champ est déjà le premier du formulaire.' : 'Ce champ est déjà le dernier du formulaire.');
  const [field] = own.splice(at, 1);
  if (direction === 'monter') next.champs.push(field!);
  else next.champs.unshift(field!);
  return { sections };
}

/** Removes a field (a group with its sub-fields), unless a condition names it. */
export function removeField(definition: FormDefinition, ref: FieldRef): FormDefinition {
  const field = findField(definition, ref);
  const dependents = dependentsOf(definition, ref);
  if (dependents.length) {
    throw new FormEditError(
      `Impossible de supprimer « ${field.libelle} » : ${dependents.join(', ')} ne s’affiche que selon sa réponse. Modifiez d’abord cette condition d’affichage.`,
    );
  }
  return mapLevel(definition, ref.groupe, (fields) => fields.filter((f) => f.cle !== ref.cle));
}

/** Rules of the platform beyond the definition itself: no file field may ask for more than MAX_UPLOAD_MB. */
export function platformProblems(definition: FormDefinition, maxMb: number): string[] {
  return definition.sections
    .flatMap((s) => s.champs)
    .filter((f) => f.type === 'fichier' && f.taille_max_mo !== undefined && f.taille_max_mo > maxMb)
    .map((f) => `Le fichier « ${f.libelle} » demande ${f.taille_max_mo} Mo : la plateforme accepte ${maxMb} Mo au plus.`);
}

/** The kinds of field as a funder chooses them. */
export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  texte: 'Texte court',
  texte_long: 'Texte long',
  nombre: 'Nombre',
  montant: 'Montant en euros',
  date: 'Date',
  choix_unique: 'Choix unique (une réponse)',
  choix_multiple: 'Choix multiple (plusieurs réponses)',
  oui_non: 'Oui ou non',
  fichier: 'Fichier joint',
  siret: 'Numéro SIRET',
  territoire: 'Commune ou territoire (code officiel)',
  adresse: 'Adresse postale',
  email: 'Adresse e-mail',
  telephone: 'Numéro de téléphone',
  groupe: 'Groupe répétable (lignes, par exemple les membres)',
};

/**
 * Conditions that could never hold: a value that is not an option of the choice they name (after its options
 * changed, say), or anything but oui/non for a yes/no. checkDefinition already checks that the field exists before.
 */
export function conditionProblems(definition: FormDefinition): string[] {
  const problems: string[] = [];
  const check = (condition: Condition | undefined, level: readonly FieldDefinition[], who: string) => {
    const source = condition && level.find((f) => f.cle === condition.champ);
    if (!condition || !source) return;
    const wanted = 'egal' in condition ? [condition.egal] : condition.parmi;
    if (source.type === 'oui_non' && !wanted.every((v) => typeof v === 'boolean')) {
      problems.push(`${who} dépend de « ${source.libelle} », qui se répond par oui ou par non.`);
    }
    if (source.type === 'choix_unique' || source.type === 'choix_multiple') {
      const missing = wanted.filter((v) => !source.options?.some((o) => o.valeur === v));
      if (missing.length) problems.push(`${who} dépend de la réponse « ${missing.join(' », « ')} » à « ${source.libelle} », qui n’est pas une de ses options.`);
    }
  };
  const top = definition.sections.flatMap((s) => s.champs);
  for (const [i, s] of definition.sections.entries()) check(s.afficher_si, top, `La section ${i + 1} « ${s.titre} »`);
  for (const field of top) {
    check(field.afficher_si, top, `Le champ « ${field.libelle} »`);
    for (const sub of field.champs ?? []) check(sub.afficher_si, field.champs ?? [], `Le champ « ${sub.libelle} » du groupe « ${field.libelle} »`);
  }
  return problems;
}
