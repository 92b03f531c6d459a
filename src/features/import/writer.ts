/**
 * Writes a batch of organisations: COPY into a staging table, then one set-based merge; the territory codes
 * are copied from the commune in SQL, and a SIRET already present is updated in place (idempotent). Rows whose
 * imported values did not change (same digest) are left alone, so re-importing the same stock rewrites nothing.
 * A first load into an empty table copies its rows straight into the table instead (prepareFirstLoadCopy).
 */
import { hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, jsonRecords, type Db } from '../../db/database.ts';
import { BinaryRows } from './copy-binary.ts';

/** Columns an import may fill, with their SQL type; names come only from here, never from the input. */
const COLUMN_TYPES = {
  siret: 'text',
  siren: 'text',
  name: 'text',
  legal_form: 'text',
  statut_ess: 'text',
  naf_code: 'text',
  secteur: 'text',
  tranche_effectif: 'text',
  commune_code: 'text',
  latitude: 'float8',
  longitude: 'float8',
  address: 'text',
  website: 'text',
  description: 'text',
  source: 'text',
  // Not a provided column: written with every row it comes with, null from the imports without one (line-digest.ts).
  import_line_digest: 'int8',
} as const;

export type OrganisationColumn = keyof typeof COLUMN_TYPES;
const ORGANISATION_COLUMNS = Object.keys(COLUMN_TYPES) as OrganisationColumn[];

export type OrganisationRow = { siret: string; siren: string; name: string; source: string } & {
  [K in Exclude<OrganisationColumn, 'siret' | 'siren' | 'name' | 'source'>]?: K extends 'latitude' | 'longitude' | 'import_line_digest'
    ? number | null
    : string | null;
};

export interface BatchResult {
  inserted: number;
  /** Existing rows whose values changed. */
  updated: number;
  unchanged: number;
}

const TERRITORY_COLUMNS = ['departement_code', 'region_code', 'epci_code'] as const;

/** Columns that fall back on the commune's centre when a row has none: the rule of the merge and of the first load. */
const fromCommuneCentre = (column: OrganisationColumn): column is 'latitude' | 'longitude' => column === 'latitude' || column === 'longitude';

/** The value inserted for a column, in the merge's SQL. */
function selected(column: OrganisationColumn): string {
  return fromCommuneCentre(column) ? `coalesce(r.${column}, c.${column})` : `r.${column}`;
}

/** Columns an update overwrites: those the source provides, with the territory codes when the commune is one. */
function updatedColumns(provided: readonly OrganisationColumn[]): string[] {
  const columns: string[] = provided.filter((column) => column !== 'siret');
  return provided.includes('commune_code') ? [...columns, ...TERRITORY_COLUMNS] : columns;
}

const COPY_SPECIAL = /[\\\n\r\t]/;

/** A value in COPY's text format. */
export function copyValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\n\r\t]/g, (char) => (char === '\\' ? '\\\\' : char === '\n' ? '\\n' : char === '\r' ? '\\r' : '\\t'));
}

/** Rows in COPY's text format, a line each, their values in the order of `columns`. */
export function copyText<C extends string>(rows: readonly Partial<Record<C, string | number | null>>[], columns: readonly C[]): string {
  return rows.map((row) => `${columns.map((column) => copyValue(row[column])).join('\t')}\n`).join('');
}

/** Bytes of one CopyData message. */
const COPY_MESSAGE_BYTES = 64 * 1024;

/**
 * COPY of rows in that format (the text of copyText, or BinaryRows' bytes) into `target` (`table (columns…)`), inside
 * the transaction open on the client. The bytes go in messages of 64 KiB: PostgreSQL reads a whole message before
 * its rows, so one message of a batch's 1.4 MB kept it waiting for all of it (a fifth of a first load's COPY time
 * in ClientRead); it now works on a message while the next ones arrive.
 */
export async function copyIn(client: pg.ClientBase, target: string, data: string | Buffer, format: 'text' | 'binary' = 'text'): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const messages: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += COPY_MESSAGE_BYTES) messages.push(bytes.subarray(start, start + COPY_MESSAGE_BYTES));
  await pipeline(Readable.from(messages), client.query(copyFrom(`copy ${target} from stdin with (format ${format})`)));
}

const STAGING = 'organisation_staging';
/** Clients of the pool that already hold the staging table (a temporary table lives as long as its session). */
const staged = new WeakSet<pg.ClientBase>();

/**
 * Set-based merge of the staged rows: the digest of the provided columns tells new rows, changed rows (upserted)
 * and unchanged ones, which are not touched at all (not even locked), so a re-import of the same stock writes nothing.
 */
function mergeStatement(provided: readonly OrganisationColumn[], firstLoad = false): string {
  const updated = updatedColumns(provided);
  const digest = `md5(row(${provided.map((column) => `s.${column}`).join(', ')})::text)::uuid`;
  // A first load (bulk-load.ts) has nothing to compare with: only a SIRET repeated by the file itself conflicts.
  const changed = firstLoad
    ? 'select * from incoming'
    : `select r.* from incoming r left join organisation o on o.siret = r.siret
      where o.import_digest is distinct from r.digest`;
  // A row whose values did not change keeps them, but takes the line digest of its new line (another conversion
  // version, a unit changed in what the row does not show): the next import then skips that line.
  const refreshed = firstLoad
    ? ''
    : `, refreshed as (
      update organisation o set import_line_digest = r.import_line_digest from incoming r
      where o.siret = r.siret and o.import_digest is not distinct from r.digest
        and r.import_line_digest is not null and o.import_line_digest is distinct from r.import_line_digest
    )`;
  return `with incoming as (
      select s.*, ${digest} as digest from ${STAGING} s
    ), changed as (
      ${changed}
    )${refreshed}, written as (
      insert into organisation as o (${[...ORGANISATION_COLUMNS, ...TERRITORY_COLUMNS, 'import_digest'].join(', ')})
      select ${[...ORGANISATION_COLUMNS.map(selected), ...TERRITORY_COLUMNS.map((column) => `c.${column}`), 'r.digest'].join(', ')}
      from changed r left join commune c on c.code = r.commune_code
      on conflict (siret) do update set
        ${updated.map((column) => `${column} = excluded.${column}`).join(', ')}, import_digest = excluded.import_digest,
        import_line_digest = excluded.import_line_digest, updated_at = now()
      returning o.id, (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*)::int as changed from written`;
}

const stagingTable = `create temporary table if not exists ${STAGING} (${ORGANISATION_COLUMNS.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ')}) on commit delete rows`;

const mergeRow = z.object({ inserted: z.number(), changed: z.number() });
type MergeRow = z.infer<typeof mergeRow>;

function batchResult(count: number, row: MergeRow): BatchResult {
  return { inserted: row.inserted, updated: row.changed - row.inserted, unchanged: count - row.changed };
}

/** A batch ready to be written: its COPY text is built, what is left is the database's work, inside the batch's transaction. */
export type PreparedBatch = (client: pg.ClientBase) => Promise<BatchResult>;

/**
 * Upserts the rows of an import (their SIRETs must be distinct): their COPY text is built at once, then, inside
 * the transaction open on the client it is given, COPY into a temporary staging table and one merge. `provided`
 * lists the columns the source really has: the others keep their current value on an update. `firstLoad`: the
 * table was empty when the transaction began (bulk-load.ts), which spans many batches, so the staging table is
 * emptied after each.
 */
export function prepareMerge(records: readonly OrganisationRow[], provided: readonly OrganisationColumn[], firstLoad = false): PreparedBatch {
  if (records.length === 0) return async () => batchResult(0, { inserted: 0, changed: 0 });
  const text = Buffer.from(copyText(records, ORGANISATION_COLUMNS));
  return async (client) => {
    if (!staged.has(client)) {
      await client.query(stagingTable);
      staged.add(client);
    }
    await copyIn(client, `${STAGING} (${ORGANISATION_COLUMNS.join(', ')})`, text);
    const result = await client.query<MergeRow>(mergeStatement(provided, firstLoad));
    if (firstLoad) await client.query(`truncate ${STAGING}`);
    return batchResult(records.length, result.rows[0]!);
  };
}

/** Whether PostgreSQL's record output quotes a field: empty, or holding a quote, backslash, parenthesis, comma or space. */
const RECORD_QUOTED = /^$|["\\(), \t\n\v\f\r]/;

/** A float8 as PostgreSQL prints it (shortest round trip, as JavaScript; an exponent below 1e-4, of two digits at least). */
function float8Text(value: number): string {
  if (value === 0 || Math.abs(value) >= 1e-4) return String(value);
  return value.toExponential().replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`);
}

/**
 * The digest of the imported fields as the merge computes it in SQL (`md5(row(provided…)::text)::uuid`): the
 * text of the record as PostgreSQL writes it, then its MD5. A first load, which writes without the merge, stores
 * the same digest (the import tests compare both), so that a later merge tells its rows unchanged. Made once per
 * list of columns: a function per column reads its property (`row[column]` over every column cost a tenth of
 * a first load's preparation).
 */
export function importDigester(provided: readonly OrganisationColumn[]): (row: OrganisationRow) => string {
  const fields = provided.map((column) => (row: OrganisationRow) => recordField(row[column]));
  return (row) => {
    let text = '(';
    for (let index = 0; index < fields.length; index++) {
      if (index > 0) text += ',';
      text += fields[index]!(row);
    }
    // One call per row, without a Hash object: a third of createHash's time.
    return hash('md5', `${text})`);
  };
}

/** A field of a record as PostgreSQL's record output writes it: nothing for null, quoted when it must be. */
function recordField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const field = typeof value === 'number' ? float8Text(value) : value;
  return RECORD_QUOTED.test(field) ? `"${field.replace(/["\\]/g, '$&$&')}"` : field;
}

/** What a first load writes beside a row from its commune: the territory codes, and the centre when the row has no position. */
export interface CommuneTerritory {
  departement_code: string;
  region_code: string;
  epci_code: string | null;
  latitude: number | null;
  longitude: number | null;
}

export async function loadCommuneTerritories(client: pg.ClientBase): Promise<Map<string, CommuneTerritory>> {
  const { rows } = await client.query<CommuneTerritory & { code: string }>(
    'select code, departement_code, region_code, epci_code, latitude, longitude from commune',
  );
  return new Map(rows.map(({ code, ...territory }) => [code, territory]));
}

const FIRST_LOAD_COLUMNS = [...ORGANISATION_COLUMNS, ...TERRITORY_COLUMNS, 'import_digest'];
/** Rows prepared between two turns of the event loop (about 5 ms). */
const PREPARED_SLICE = 500;

type ColumnWriter = (rows: BinaryRows, row: OrganisationRow, commune: CommuneTerritory | undefined) => void;

/**
 * What writes a column of a first load's row, in its binary form. One function per column, made once: each reads
 * one property of rows of one shape (measured on 300 000 rows, a loop reading `row[column]` made the preparation
 * a sixth slower).
 */
function columnWriter(column: OrganisationColumn): ColumnWriter {
  if (fromCommuneCentre(column)) return (rows, row, commune) => rows.float8(row[column] ?? commune?.[column]);
  const type = COLUMN_TYPES[column];
  if (type === 'text') return (rows, row) => rows.text(row[column] as string | null | undefined);
  if (type === 'int8') return (rows, row) => rows.int8(row[column] as number | null | undefined);
  return (rows, row) => rows.float8(row[column] as number | null | undefined);
}

const COLUMN_WRITERS = ORGANISATION_COLUMNS.map(columnWriter);

/**
 * A batch of a first load (bulk-load.ts) whose SIRETs the load has not met yet, copied straight into the empty
 * table: half the database's work of the merge. What the merge's join adds is added here from the commune (the
 * same rule: territory codes, and the commune's centre for a row without position), and so is the digest of the
 * imported fields (importDigester).
 */
export async function prepareFirstLoadCopy(
  records: readonly OrganisationRow[],
  provided: readonly OrganisationColumn[],
  communes: ReadonlyMap<string, CommuneTerritory>,
): Promise<PreparedBatch> {
  // In COPY's binary format: nothing to escape here nor to parse there (measured, less work on both sides).
  const rows = new BinaryRows(records.length * 512);
  const digest = importDigester(provided);
  for (let index = 0; index < records.length; index++) {
    // The batch before is being copied meanwhile, its bytes sent by this thread as the socket drains: the socket
    // holds a few hundred rows ahead of PostgreSQL, fewer than 5 000 rows' preparation (50 ms) in one go.
    if (index > 0 && index % PREPARED_SLICE === 0) await setImmediate();
    const row = records[index]!;
    const commune = row.commune_code ? communes.get(row.commune_code) : undefined;
    rows.row(FIRST_LOAD_COLUMNS.length);
    for (const write of COLUMN_WRITERS) write(rows, row, commune);
    rows.text(commune?.departement_code).text(commune?.region_code).text(commune?.epci_code);
    rows.uuid(digest(row));
  }
  const bytes = rows.end();
  return async (client) => {
    await copyIn(client, `organisation (${FIRST_LOAD_COLUMNS.join(', ')})`, bytes, 'binary');
    return { inserted: records.length, updated: 0, unchanged: 0 };
  };
}

/** The same merge for a few rows on a drizzle transaction (a contribution creating an organisation): staged from JSON. */
export async function upsertOrganisations(tx: Db, records: readonly OrganisationRow[], provided: readonly OrganisationColumn[]): Promise<BatchResult> {
  if (records.length === 0) return batchResult(0, { inserted: 0, changed: 0 });
  await tx.execute(sql.raw(stagingTable));
  const recordType = ORGANISATION_COLUMNS.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ');
  await tx.execute(sql`insert into ${sql.raw(STAGING)} select * from json_to_recordset(${jsonRecords(records)}) as r(${sql.raw(recordType)})`);
  const row = await checkedFirstRow(tx, mergeRow, sql.raw(mergeStatement(provided)));
  return batchResult(records.length, row!);
}
