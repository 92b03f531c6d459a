/**
 * A Table Schema validator (Frictionless Table Schema v1, specs.frictionlessdata.io/table-schema), written
 * here because npm holds no maintained one for Node 20: the only candidate, `tableschema` 1.12.6
 * (frictionlessdata/tableschema-js), runs but has not been released since 2020 and pins axios 0.21 and
 * moment 2.24, which carry published advisories.
 *
 * What it covers, as the spec says it:
 * - the descriptor: `fields` a non-empty array of objects with unique non-empty `name`s, known `type`s and
 *   formats, only the constraints that apply to each type, `missingValues` an array of strings, `primaryKey`
 *   naming fields;
 * - the data (CSV with a header row and an optional comment character, or JSON objects): the header equals
 *   the field names in order; a cell among `missingValues` is null; every other cell is cast by its type —
 *   string (formats default, email, uri, uuid), integer and number (bareNumber, decimalChar, groupChar, NaN/INF
 *   for numbers), boolean (trueValues / falseValues), date, time, datetime (default formats), year, yearmonth,
 *   geopoint (default), object, array, any;
 * - the constraints required, unique, minLength, maxLength, minimum, maximum, pattern (the whole value) and
 *   enum (compared after casting), and the uniqueness of the primary key.
 * Not covered: foreign keys, the `fmt:` date patterns, geojson, duration.
 */

export interface TableField {
  name: string;
  type?: string;
  format?: string;
  constraints?: Record<string, unknown>;
  trueValues?: string[];
  falseValues?: string[];
  bareNumber?: boolean;
  decimalChar?: string;
  groupChar?: string;
  [key: string]: unknown;
}

export interface TableSchema {
  fields: TableField[];
  missingValues?: string[];
  primaryKey?: string | string[];
  [key: string]: unknown;
}

const FORMATS: Record<string, string[]> = {
  string: ['default', 'email', 'uri', 'binary', 'uuid'],
  number: ['default'],
  integer: ['default'],
  boolean: ['default'],
  object: ['default'],
  array: ['default'],
  date: ['default', 'any'],
  time: ['default', 'any'],
  datetime: ['default', 'any'],
  year: ['default'],
  yearmonth: ['default'],
  geopoint: ['default', 'array', 'object'],
  any: ['default'],
};

const ORDERED = ['integer', 'number', 'date', 'time', 'datetime', 'year', 'yearmonth'];
const LENGTHS = ['string', 'array', 'object'];

function allowedConstraints(type: string): string[] {
  const allowed = ['required', 'unique', 'enum'];
  if (type === 'string') allowed.push('pattern');
  if (LENGTHS.includes(type)) allowed.push('minLength', 'maxLength');
  if (ORDERED.includes(type)) allowed.push('minimum', 'maximum');
  return allowed;
}

/** The errors of a descriptor (empty when it is a valid Table Schema). */
export function schemaErrors(schema: unknown): string[] {
  const errors: string[] = [];
  if (typeof schema !== 'object' || schema === null) return ['le descripteur n’est pas un objet'];
  const { fields, missingValues, primaryKey } = schema as TableSchema;
  if (!Array.isArray(fields) || fields.length === 0) return ['`fields` doit être un tableau non vide'];
  const names = new Set<string>();
  for (const [i, field] of fields.entries()) {
    if (typeof field !== 'object' || field === null || typeof field.name !== 'string' || field.name === '') {
      errors.push(`champ ${i} : \`name\` manquant`);
      continue;
    }
    if (names.has(field.name)) errors.push(`champ ${field.name} : nom en double`);
    names.add(field.name);
    const type = field.type ?? 'string';
    if (!(type in FORMATS)) errors.push(`champ ${field.name} : type inconnu ${type}`);
    else if (field.format !== undefined && !FORMATS[type]!.includes(field.format))
      errors.push(`champ ${field.name} : format ${field.format} inconnu pour ${type}`);
    for (const key of Object.keys(field.constraints ?? {})) {
      if (!allowedConstraints(type).includes(key)) errors.push(`champ ${field.name} : contrainte ${key} sans objet pour ${type}`);
    }
    const enumValues = field.constraints?.enum;
    if (enumValues !== undefined && (!Array.isArray(enumValues) || enumValues.length === 0))
      errors.push(`champ ${field.name} : enum doit être un tableau non vide`);
    const pattern = field.constraints?.pattern;
    if (pattern !== undefined) {
      try {
        new RegExp(String(pattern), 'u');
      } catch {
        errors.push(`champ ${field.name} : pattern invalide`);
      }
    }
  }
  if (missingValues !== undefined && (!Array.isArray(missingValues) || missingValues.some((v) => typeof v !== 'string'))) {
    errors.push('`missingValues` doit être un tableau de chaînes');
  }
  for (const key of [primaryKey ?? []].flat()) if (!names.has(key)) errors.push(`clé primaire : champ inconnu ${key}`);
  return errors;
}

class CastError extends Error {}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function realDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function numberText(field: TableField, text: string): string {
  let value = text;
  if (field.groupChar) value = value.split(field.groupChar).join('');
  if (field.decimalChar && field.decimalChar !== '.') value = value.replace(field.decimalChar, '.');
  if (field.bareNumber === false) value = value.replace(/^[^\d+-]+|[^\d]+$/g, '');
  return value;
}

/** A cell's text cast to its logical value, or a CastError. */
function castText(field: TableField, text: string): unknown {
  const type = field.type ?? 'string';
  const format = field.format ?? 'default';
  switch (type) {
    case 'string':
      if (format === 'email' && !EMAIL.test(text)) throw new CastError('adresse électronique invalide');
      if (format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(text)) throw new CastError('URI invalide');
      if (format === 'uuid' && !UUID.test(text)) throw new CastError('UUID invalide');
      return text;
    case 'integer': {
      const value = numberText(field, text);
      if (!/^[+-]?\d+$/.test(value)) throw new CastError('entier attendu');
      return Number(value);
    }
    case 'number': {
      const value = numberText(field, text);
      if (['NaN', 'INF', '-INF'].includes(value)) return value === 'NaN' ? Number.NaN : value === 'INF' ? Infinity : -Infinity;
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw new CastError('nombre attendu');
      return Number(value);
    }
    case 'boolean': {
      const trueValues = field.trueValues ?? ['true', 'True', 'TRUE', '1'];
      const falseValues = field.falseValues ?? ['false', 'False', 'FALSE', '0'];
      if (trueValues.includes(text)) return true;
      if (falseValues.includes(text)) return false;
      throw new CastError('booléen attendu');
    }
    case 'date': {
      const m = DATE.exec(text);
      if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new CastError('date AAAA-MM-JJ attendue');
      return text;
    }
    case 'time': {
      const m = TIME.exec(text);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 59) throw new CastError('heure hh:mm:ss attendue');
      return text;
    }
    case 'datetime': {
      const m = DATETIME.exec(text);
      if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
        throw new CastError('date et heure ISO 8601 attendues');
      }
      return Date.parse(m[8] ? text : `${text}Z`);
    }
    case 'year':
      if (!/^\d{4}$/.test(text)) throw new CastError('année AAAA attendue');
      return Number(text);
    case 'yearmonth': {
      const m = /^(\d{4})-(\d{2})$/.exec(text);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new CastError('année-mois AAAA-MM attendu');
      return Number(m[1]) * 12 + Number(m[2]);
    }
    case 'geopoint': {
      const parts = format === 'default' ? text.split(',').map((p) => p.trim()) : (JSON.parse(text) as unknown[]).map(String);
      const [lon, lat] = parts.map(Number);
      if (parts.length !== 2 || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon!) > 180 || Math.abs(lat!) > 90)
        throw new CastError('point « lon, lat » attendu');
      return [lon, lat];
    }
    case 'object':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new CastError(`${type === 'object' ? 'objet' : 'tableau'} JSON attendu`);
      }
      if (type === 'array' ? !Array.isArray(value) : typeof value !== 'object' || value === null || Array.isArray(value))
        throw new CastError(`${type} JSON attendu`);
      return value;
    }
    default:
      return text;
  }
}

/** A JSON value cast to its logical value: numbers and booleans must already be of their type. */
function castJson(field: TableField, value: unknown): unknown {
  const type = field.type ?? 'string';
  if (typeof value === 'string') {
    if (['integer', 'number', 'boolean'].includes(type)) throw new CastError(`${type} JSON attendu, texte trouvé`);
    return castText(field, value);
  }
  if (typeof value === 'number') {
    if (type === 'integer' && !Number.isInteger(value)) throw new CastError('entier attendu');
    if (!['integer', 'number', 'year', 'any'].includes(type)) throw new CastError(`${type} attendu, nombre trouvé`);
    return value;
  }
  if (typeof value === 'boolean') {
    if (!['boolean', 'any'].includes(type)) throw new CastError(`${type} attendu, booléen trouvé`);
    return value;
  }
  if (Array.isArray(value) ? ['array', 'geopoint', 'any'].includes(type) : ['object', 'any'].includes(type)) return value;
  throw new CastError(`${type} attendu`);
}

/** A bound of minimum or maximum, cast like the values it bounds (numbers, ISO dates compared as texts, datetimes as instants). */
const comparable = (field: TableField, raw: unknown) => castText(field, String(raw)) as number;

function checkConstraints(field: TableField, value: unknown, text: string): string | null {
  const c = field.constraints ?? {};
  const type = field.type ?? 'string';
  const length =
    typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : typeof value === 'object' && value ? Object.keys(value).length : 0;
  if (typeof c.minLength === 'number' && length < c.minLength) return `moins de ${c.minLength} caractères`;
  if (typeof c.maxLength === 'number' && length > c.maxLength) return `plus de ${c.maxLength} caractères`;
  if (c.minimum !== undefined && ORDERED.includes(type) && (value as number) < comparable(field, c.minimum)) return `sous le minimum ${String(c.minimum)}`;
  if (c.maximum !== undefined && ORDERED.includes(type) && (value as number) > comparable(field, c.maximum)) return `au-dessus du maximum ${String(c.maximum)}`;
  if (typeof c.pattern === 'string' && !new RegExp(`^(?:${c.pattern})$`, 'u').test(text)) return `ne suit pas le motif ${c.pattern}`;
  if (Array.isArray(c.enum) && !c.enum.some((allowed) => JSON.stringify(castJson(field, allowed)) === JSON.stringify(value)))
    return 'hors de la liste des valeurs permises';
  return null;
}

export interface DataError {
  row: number;
  field: string;
  message: string;
}

/** Validates rows given as objects (JSON) or as texts (CSV cells, already split by the header). */
function validateRows(schema: TableSchema, records: Iterable<{ row: number; values: Record<string, unknown>; fromText: boolean }>): DataError[] {
  const errors: DataError[] = [];
  const missing = schema.missingValues ?? [''];
  const seen = new Map<string, Set<string>>();
  const keys = [schema.primaryKey ?? []].flat();
  const seenKeys = new Set<string>();
  for (const { row, values, fromText } of records) {
    const logical: Record<string, unknown> = {};
    for (const field of schema.fields) {
      const raw = values[field.name];
      const isMissing = raw === null || raw === undefined || (typeof raw === 'string' && fromText && missing.includes(raw));
      if (isMissing) {
        logical[field.name] = null;
        if (field.constraints?.required === true || keys.includes(field.name)) errors.push({ row, field: field.name, message: 'valeur obligatoire absente' });
        continue;
      }
      let value: unknown;
      try {
        value = fromText ? castText(field, raw as string) : castJson(field, raw);
      } catch (error) {
        if (!(error instanceof CastError)) throw error;
        errors.push({ row, field: field.name, message: `${error.message} : ${JSON.stringify(raw)}` });
        continue;
      }
      logical[field.name] = value;
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      const refused = checkConstraints(field, value, text);
      if (refused) errors.push({ row, field: field.name, message: `${refused} : ${JSON.stringify(raw)}` });
      if (field.constraints?.unique === true) {
        const set = seen.get(field.name) ?? new Set<string>();
        const key = JSON.stringify(value);
        if (set.has(key)) errors.push({ row, field: field.name, message: `valeur en double : ${key}` });
        set.add(key);
        seen.set(field.name, set);
      }
    }
    if (keys.length > 0) {
      const key = JSON.stringify(keys.map((name) => logical[name]));
      if (seenKeys.has(key)) errors.push({ row, field: keys.join(','), message: `clé primaire en double : ${key}` });
      seenKeys.add(key);
    }
  }
  return errors;
}

/** RFC 4180 records: quoted fields may hold separators, quotes ("") and line breaks; lines starting with `commentChar` are skipped. */
export function parseCsv(text: string, options: { delimiter?: string; commentChar?: string } = {}): string[][] {
  const delimiter = options.delimiter ?? ',';
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (atLineStart && options.commentChar && char === options.commentChar) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    atLineStart = false;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      record.push(cell);
      cell = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      atLineStart = true;
    } else cell += char;
  }
  if (quoted) throw new Error('CSV : guillemet non fermé');
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** Validates a CSV text against a schema: the descriptor, the header, then every row. */
export function validateCsv(schema: TableSchema, text: string, options: { commentChar?: string } = {}): string[] {
  const descriptor = schemaErrors(schema);
  if (descriptor.length > 0) return descriptor;
  const [header, ...body] = parseCsv(text, options);
  const names = schema.fields.map((field) => field.name);
  if (JSON.stringify(header) !== JSON.stringify(names)) return [`en-tête ${JSON.stringify(header)} ≠ champs ${JSON.stringify(names)}`];
  const wrongWidth = body.findIndex((cells) => cells.length !== names.length);
  if (wrongWidth !== -1) return [`ligne ${wrongWidth + 2} : ${body[wrongWidth]!.length} cellules au lieu de ${names.length}`];
  return validateRows(
    schema,
    body.map((cells, i) => ({ row: i + 2, values: Object.fromEntries(names.map((name, j) => [name, cells[j]])), fromText: true })),
  ).map((e) => `ligne ${e.row}, ${e.field} : ${e.message}`);
}

/** Validates JSON records (objects keyed by field name) against a schema; a key the schema does not name is an error. */
export function validateJson(schema: TableSchema, records: readonly Record<string, unknown>[]): string[] {
  const descriptor = schemaErrors(schema);
  if (descriptor.length > 0) return descriptor;
  const names = new Set(schema.fields.map((field) => field.name));
  const extra = records.flatMap((record, i) =>
    Object.keys(record)
      .filter((key) => !names.has(key))
      .map((key) => `enregistrement ${i + 1} : champ inconnu ${key}`),
  );
  if (extra.length > 0) return extra;
  return validateRows(
    schema,
    records.map((values, i) => ({ row: i + 1, values, fromText: false })),
  ).map((e) => `enregistrement ${e.row}, ${e.field} : ${e.message}`);
}
