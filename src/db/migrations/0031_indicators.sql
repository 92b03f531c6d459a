-- Indicators of cooperations (issue 16, item 2). The reference set is fixed in code (src/data/indicators.ts);
-- calls and networks add their own here, under codes the reference set does not use. Values are entered per
-- period by the cooperation's admins and published once validated (by a moderator of its région, or, for an
-- indicator of a call, by the call's instructors). A new entry for the same indicator and period replaces
-- the previous one and awaits validation again.
create table indicateur (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{1,59}$'),
  libelle text not null check (length(libelle) between 1 and 200),
  type_valeur text not null check (type_valeur in ('entier', 'decimal', 'euros', 'pourcentage')),
  unite text not null check (length(unite) between 1 and 40),
  description text check (length(description) <= 1000),
  appel_id bigint references appel (id) on delete cascade,
  reseau_id bigint references cooperation (id) on delete cascade,
  created_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now(),
  check ((appel_id is null) <> (reseau_id is null))
);

create table indicateur_saisie (
  id bigint generated always as identity primary key,
  cooperation_id bigint not null references cooperation (id) on delete cascade,
  indicateur_code text not null check (indicateur_code ~ '^[a-z][a-z0-9_]{1,59}$'),
  periode text not null check (periode ~ '^\d{4}(-T[1-4])?$'),
  valeur numeric(16, 2) not null check (valeur >= 0),
  commentaire text check (length(commentaire) <= 1000),
  statut text not null default 'soumise' check (statut in ('soumise', 'validee', 'refusee')),
  motif text check (length(motif) <= 1000),
  saisi_par bigint references account (id) on delete set null,
  saisi_at timestamptz not null default now(),
  decide_par bigint references account (id) on delete set null,
  decide_at timestamptz,
  unique (cooperation_id, indicateur_code, periode)
);
-- Aggregates read validated values of one indicator; queues read the values awaiting validation.
create index indicateur_saisie_validee_idx on indicateur_saisie (indicateur_code, periode) include (cooperation_id, valeur) where statut = 'validee';
create index indicateur_saisie_soumise_idx on indicateur_saisie (saisi_at) where statut = 'soumise';
