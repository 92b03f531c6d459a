/**
 * The first load of an empty organisation table, as pg_restore does it: inside ONE transaction, the search
 * indexes are dropped, the batches loaded, then the indexes built once from the whole table. A kill rolls it all
 * back: the table is empty and whole again, and the same command starts over. The primary key and the SIRET key
 * stay: other tables' foreign keys rest on the one, the merge's `on conflict (siret)` on the other. A unique index
 * that backs no constraint (the RNA's, a column no load writes) is rebuilt with the rest: kept, its 300 000 nulls
 * were a tenth of the COPY. The foreign key to commune stays too: dropping it would lock commune (read by every
 * page) until the commit.
 *
 * Per-row work is moved to set-based statements at the end, as `pg_restore --disable-triggers` does:
 * - the search-words triggers are disabled during the load (they held every row in their transition table): each
 *   batch adds the words of the space-separated pieces of its names that the load has not met yet, on another
 *   connection of the pool, beside the load's COPY (0.6 s of the server's work on 300 000 rows, off the
 *   load's one connection). Those words are committed at once: a load that fails leaves words no name holds,
 *   which the dictionary allows (migration 0012: words are only added, one no name holds finds nothing). The
 *   load's transaction never writes search_word, so neither connection can wait for the other's locks;
 * - for a superuser (the embedded server's role), the foreign key's per-row check is disabled too, and the key
 *   is checked in one query at the end, commune locked against writes until the commit. Another role keeps the
 *   per-row check (PostgreSQL lets only a superuser disable it). Measured on 300 000 rows, the COPY took
 *   4.8–5.6 s instead of 9–10 s;
 * - for a superuser again, the transaction writes its WAL uncompressed: the rebuilt indexes' pages all go to the
 *   WAL, and compressing them took a quarter of the rebuild.
 */
import type pg from 'pg';

export interface BulkLoad {
  /**
   * What the disabled triggers would have done for the rows of a batch: picks, at once, the pieces of their names
   * the load has not met yet, and gives what starts adding their search words on another connection, once the
   * previous batch's are added (it throws if they could not be).
   */
  searchWords(names: readonly string[]): () => Promise<void>;
  /** Waits for the last words, checks the foreign key, enables the triggers and builds the indexes, still inside the transaction. */
  finish(): Promise<void>;
  /**
   * Once committed: vacuums and analyses the table, as pg_restore's users do after a load. The planner gets its
   * picture of the table, and the first reader (the next import's digests, a search) does not have to set the
   * hint bits of every new row itself: measured, the re-import right after a first load took 4.5 s instead of 2.7.
   */
  afterCommit(): Promise<void>;
}

/** True when the organisation table holds no row at all: the case for a bulk load. */
export async function organisationsEmpty(client: pg.ClientBase): Promise<boolean> {
  const result = await client.query<{ empty: boolean }>('select not exists (select 1 from organisation) as empty');
  return result.rows[0]!.empty;
}

const WORDS_TRIGGERS = ['organisation_words_insert', 'organisation_words_update'];

/**
 * Drops the indexes and disables the per-row triggers, in the transaction open on `client`; its lock keeps others
 * out until commit. `pool` lends the connection that adds the search words.
 */
export async function startBulkLoad(client: pg.ClientBase, pool: pg.Pool): Promise<BulkLoad> {
  const indexes = (
    await client.query<{ name: string; definition: string }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
       from pg_index x join pg_class i on i.oid = x.indexrelid
       where x.indrelid = 'organisation'::regclass and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    )
  ).rows;
  for (const { name } of indexes) await client.query(`drop index ${quoted(name)}`);
  // PostgreSQL lets only a superuser disable a foreign key's check or set wal_compression.
  const superuser = (await client.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user')).rows[0]?.rolsuper === true;
  const keyChecks = superuser ? await foreignKeyCheckTriggers(client) : [];
  const triggers = [...WORDS_TRIGGERS, ...keyChecks];
  for (const trigger of triggers) await client.query(`alter table organisation disable trigger ${quoted(trigger)}`);
  // The indexes' pages are all written to the WAL as they are built: compressing them (pglz, the embedded server's
  // setting) took 1.3 s of the 5 s rebuild of 300 000 rows. For this transaction only.
  if (superuser) await client.query('set local wal_compression = off');
  /** The pieces of names whose words are added already; forgotten past a million, so that memory stays bounded (`on conflict` keeps the words unique). */
  const met = new Set<string>();
  /** The previous batch's words, being added. */
  let adding: Promise<unknown> = Promise.resolve();
  return {
    searchWords(names) {
      if (met.size > 1_000_000) met.clear();
      const pieces: string[] = [];
      for (const name of names) {
        for (const piece of name.split(' ')) {
          if (met.has(piece)) continue;
          met.add(piece);
          pieces.push(piece);
        }
      }
      // name_words, the trigger's rule, splits on spaces too: the words of the pieces, joined by spaces, are those
      // of the names. One call for the batch: called per piece, it took a third more.
      return async () => {
        await adding;
        if (pieces.length === 0) return;
        adding = pool.query(
          "insert into search_word (word) select w from name_words(array_to_string($1::text[], ' ')) as w order by 1 on conflict do nothing",
          [pieces],
        );
        // Its failure is thrown where it is awaited (the next batch, finish); until then it is not unhandled.
        adding.catch(() => undefined);
      };
    },
    async finish() {
      await adding;
      if (keyChecks.length > 0) await checkCommunes(client);
      for (const trigger of triggers) await client.query(`alter table organisation enable trigger ${quoted(trigger)}`);
      for (const { definition } of indexes) await client.query(definition);
    },
    async afterCommit() {
      await client.query('vacuum (analyze) organisation');
    },
  };
}

/** The per-row check of the foreign key to commune. */
async function foreignKeyCheckTriggers(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select t.tgname as name from pg_trigger t join pg_constraint c on c.oid = t.tgconstraint
     where t.tgrelid = 'organisation'::regclass and c.conname = 'organisation_commune_code_fkey' and t.tgfoid = '"RI_FKey_check_ins"'::regproc`,
  );
  return rows.map((row) => row.name);
}

/** The foreign key checked at once; commune is locked against writes (not reads) so that it stays true until the commit. */
async function checkCommunes(client: pg.ClientBase): Promise<void> {
  await client.query('lock table commune in share mode');
  const { rows } = await client.query<{ commune_code: string }>(
    `select o.commune_code from organisation o
     where o.commune_code is not null and not exists (select 1 from commune c where c.code = o.commune_code) limit 1`,
  );
  if (rows[0]) throw new Error(`commune inconnue du référentiel : « ${rows[0].commune_code} » (rien n’a été écrit)`);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
