-- The dictionary of the words of organisation and cooperation names (lower case, no accents, 3 letters or
-- more), for typo tolerance. When full text finds nothing, each query word that is not a known word is
-- replaced by the closest known one by trigrams (pg_trgm's « did you mean » pattern): a few tens of thousands
-- of words are compared instead of every name, and the corrected query runs in full text with its indexes.
-- The comparison runs in the application's memory (features/atlas/spelling.ts), which reads the words added
-- since its last look by their increasing id: trigram scans inside the database (GIN `%`, GiST `<->`) cost
-- 15 to 100 ms on 60 000 words here, the in-memory index well under a millisecond.
-- Words are only added (a word no name holds any more just finds nothing); statement triggers keep the
-- dictionary current on every write, one insert per statement rather than per row (imports write in batches).
create table search_word (
  id bigint generated always as identity unique,
  word text primary key check (length(word) between 3 and 60)
);

create function name_words(name text) returns setof text language sql immutable parallel safe as $$
  select distinct w from regexp_split_to_table(immutable_unaccent(lower(name)), '[^a-z0-9]+') as w
  where length(w) between 3 and 60
$$;

create function add_search_words() returns trigger language plpgsql as $$
begin
  insert into search_word (word)
    select distinct w from new_rows, lateral name_words(new_rows.name) as w
    order by 1
    on conflict do nothing;
  return null;
end
$$;

-- A trigger may have transition tables for one event only: one trigger for inserts, one for updates.
create trigger organisation_words_insert after insert on organisation
  referencing new table as new_rows for each statement execute function add_search_words();
create trigger organisation_words_update after update on organisation
  referencing new table as new_rows for each statement execute function add_search_words();
create trigger cooperation_words_insert after insert on cooperation
  referencing new table as new_rows for each statement execute function add_search_words();
create trigger cooperation_words_update after update on cooperation
  referencing new table as new_rows for each statement execute function add_search_words();

insert into search_word (word)
  select w from organisation, lateral name_words(organisation.name) as w
  union
  select w from cooperation, lateral name_words(cooperation.name) as w;
