-- Duplicates. Likely duplicates are not stored: they are found when the moderators' page is
-- read (same SIRET, or close names in the same commune through the trigram index on name_search), so that a
-- record written by any door (SIRENE or CSV import, contribution, demo) is listed without the writers knowing.
-- What is stored is what moderators decided about them.

-- « Pas un doublon »: the pair is never listed again. Stored once, smaller id first.
create table duplicate_dismissal (
  kind text not null check (kind in ('organisation', 'cooperation')),
  first_id bigint not null,
  second_id bigint not null,
  dismissed_by bigint references account (id) on delete set null,
  dismissed_at timestamptz not null default now(),
  primary key (kind, first_id, second_id),
  check (first_id < second_id)
);

-- A record merged into another is deleted from its table (so no search, facet, map, export or territory count
-- sees it any more); it is remembered here so that its old address answers 301 towards the kept record, with
-- its last state. Its versions stay in object_version under its own id. When the kept record is itself merged
-- later, the rows pointing to it are moved on, so a redirect is always one hop.
create table merged_record (
  kind text not null check (kind in ('organisation', 'cooperation')),
  merged_id bigint not null,
  kept_id bigint not null,
  snapshot jsonb not null,
  merged_by bigint references account (id) on delete set null,
  merged_at timestamptz not null default now(),
  primary key (kind, merged_id),
  check (merged_id <> kept_id)
);
create index merged_record_kept_idx on merged_record (kind, kept_id);
