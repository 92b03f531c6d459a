/**
 * The first load of an empty organisation table, as pg_restore does it: inside ONE transaction, the search
 * indexes and the statement trigger of the search words are set aside, the batches loaded, then the indexes
 * built once from the whole table and the words added in one statement. A kill rolls it all back: the table is
 * empty and whole again, and the same command starts over. Maintaining the GIN indexes row by row cost most of
 * a first import (bench/import-profile.ts). Unique indexes stay: the merge relies on them. The foreign keys stay
 * too: dropping one locks the table it points to (commune, read by every page) until the commit.
 */
import type pg from 'pg';

export interface BulkLoad {
  /** Builds what was set aside and analyses the table, still inside the transaction. */
  finish(): Promise<void>;
}

/** True when the organisation table holds no row at all: the case for a bulk load. */
export async function organisationsEmpty(client: pg.ClientBase): Promise<boolean> {
  const result = await client.query<{ empty: boolean }>('select not exists (select 1 from organisation) as empty');
  return result.rows[0]!.empty;
}

/** Statement triggers whose work is done once at the end instead of per batch (see finish). */
const DEFERRED_TRIGGERS = ['organisation_words_insert', 'organisation_words_update'];

/** Sets the indexes and triggers aside, in the transaction open on `client`; its lock keeps others out until commit. */
export async function startBulkLoad(client: pg.ClientBase): Promise<BulkLoad> {
  const indexes = (
    await client.query<{ name: string; definition: string }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
       from pg_index x join pg_class i on i.oid = x.indexrelid
       where x.indrelid = 'organisation'::regclass and not x.indisunique and not x.indisprimary`,
    )
  ).rows;
  const triggers = (
    await client.query<{ name: string }>(`select tgname as name from pg_trigger where tgrelid = 'organisation'::regclass and tgname = any($1)`, [
      DEFERRED_TRIGGERS,
    ])
  ).rows;
  for (const { name } of indexes) await client.query(`drop index ${quoted(name)}`);
  for (const { name } of triggers) await client.query(`alter table organisation disable trigger ${quoted(name)}`);
  return {
    async finish() {
      for (const { definition } of indexes) await client.query(definition);
      for (const { name } of triggers) await client.query(`alter table organisation enable trigger ${quoted(name)}`);
      // What organisation_words_insert would have done for each batch (migration 0012), once for all the rows.
      if (triggers.length > 0) {
        await client.query(`insert into search_word (word)
          select distinct w from organisation, lateral name_words(organisation.name) as w order by 1
          on conflict do nothing`);
      }
      // The planner's picture of the table, from empty to full: later merges probe the SIRET index.
      await client.query('analyze organisation');
    },
  };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
