/**
 * What lets a re-import skip the lines that did not change before it converts them. A kept line's digest is
 * made from the raw bytes of the fields its row is made of (and of its legal unit's, for SIRENE) and stored
 * with the row (`organisation.import_line_digest`); the next import reads every stored digest once into a
 * table of numbers, and a line whose digest is the one stored for its SIRET is counted unchanged without being
 * decoded, converted, sent nor compared by the database: what the national re-import spends its time on.
 * A digest is 53 bits (a JavaScript number, a PostgreSQL bigint): two lines of one SIRET that differ share
 * a digest once in 2^53 comparisons.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { binaryValues } from './copy-binary.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MURMUR_M = 0x5bd1e995;
/** Added after each field, so that moving bytes from a field to the next one changes the digest. */
const FIELD_END = 0x1f;

/** Two 32-bit lanes over the same bytes (FNV-1a and a multiply–xor with Murmur's constant), folded into 53 bits. */
export class ByteDigest {
  private a = FNV_OFFSET;
  private b = MURMUR_M;

  /** Starts a digest; `seed` stands for what the bytes are read with (the conversion's version, the reference data). */
  start(seed: number): this {
    this.a = FNV_OFFSET ^ seed;
    this.b = Math.imul(MURMUR_M, seed | 1);
    return this;
  }

  /** Adds the bytes from `from` to `to` (excluded) as one field. */
  add(bytes: Uint8Array, from: number, to: number): this {
    let { a, b } = this;
    for (let at = from; at < to; at++) {
      const byte = bytes[at]!;
      a = Math.imul(a ^ byte, FNV_PRIME);
      b = Math.imul(b ^ byte, MURMUR_M);
      b ^= b >>> 15;
    }
    this.a = Math.imul(a ^ FIELD_END, FNV_PRIME);
    this.b = Math.imul(b ^ FIELD_END, MURMUR_M);
    return this;
  }

  /** Adds a text as one field (reference data, not a line: a string is simpler there than bytes). */
  addText(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    return this.add(bytes, 0, bytes.length);
  }

  /** The digest so far: 32 bits of one lane and 21 of the other, a non-negative safe integer. */
  get value(): number {
    const b = this.b ^ (this.b >>> 13);
    return (this.a >>> 0) * 2 ** 21 + (Math.imul(b, MURMUR_M) >>> 11);
  }
}

const ABSENT = -1;

/**
 * Numbers by number below 2^53: the digests stored in the base by SIRET, the kept legal units' places by SIREN
 * (legal-units.ts). An open-addressing table in two typed arrays, 32 bytes a row at most, off the collector's way
 * and without a Map's limit of 2^24 entries (a Map would also hold a heap number per key).
 */
export class NumberTable {
  private keys: Float64Array;
  private values: Float64Array;
  private count = 0;

  constructor(capacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Float64Array(size).fill(ABSENT);
    this.values = new Float64Array(size);
  }

  get size(): number {
    return this.count;
  }

  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const slot = this.slotOf(key);
    if (this.keys[slot] === ABSENT) this.count++;
    this.keys[slot] = key;
    this.values[slot] = value;
  }

  /** The value stored for this key, or -1. */
  get(key: number): number {
    const slot = this.slotOf(key);
    return this.keys[slot] === ABSENT ? ABSENT : this.values[slot]!;
  }

  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    // The low and high 32-bit halves of the key, mixed: consecutive SIRETs or SIRENs spread over the table.
    let slot = Math.imul((key >>> 0) ^ Math.floor(key / 2 ** 32), 0x9e3779b1) & mask;
    while (this.keys[slot] !== ABSENT && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(ABSENT);
    this.values = new Float64Array(keys.length * 2);
    this.count = 0;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== ABSENT) this.set(keys[slot]!, values[slot]!);
  }
}

/**
 * Reads the stored digests of the organisations with a SIRET: the SIRETs and digests packed as 8-byte integers,
 * one bytea per two-digit SIRET prefix (a hundred values, a few MB each for a national stock), read from the
 * SIRET's unique index, which carries the digest (migration 0045), through COPY's binary format. The bytes come
 * as they are packed: neither a message and an object per organisation (as a row each would cost) nor hex text
 * to decode (as a query's result would be).
 */
export async function readStoredDigests(client: pg.ClientBase): Promise<NumberTable> {
  // The planner's row count sizes the table (the last vacuum's; the table grows if it was short).
  const { rows } = await client.query<{ estimate: number }>(
    "select greatest(reltuples, 0)::float8 as estimate from pg_class where oid = 'organisation'::regclass",
  );
  const digests = new NumberTable(rows[0]?.estimate);
  // `siret < prefix || ':'`: ':' follows '9', so the range holds every SIRET of that prefix, and only them.
  const stream = client.query(
    copyTo(`copy (
      select (select string_agg(int8send(siret::int8) || int8send(import_line_digest), ''::bytea) from organisation
              where siret >= prefix and siret < prefix || ':' and import_line_digest is not null)
      from (select lpad(n::text, 2, '0') as prefix from generate_series(0, 99) as n) as prefixes
    ) to stdout (format binary)`),
  );
  for await (const packed of binaryValues(stream)) {
    for (let at = 0; at < packed.length; at += 16) digests.set(int8(packed, at), int8(packed, at + 8));
  }
  return digests;
}

/** A non-negative 8-byte big-endian integer below 2^53, as a number. */
const int8 = (bytes: Buffer, at: number) => uint32(bytes, at) * 2 ** 32 + uint32(bytes, at + 4);

/** Read from the bytes themselves: Buffer#readUInt32BE's argument checks were a third of reading the digests. */
const uint32 = (bytes: Buffer, at: number) => ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
