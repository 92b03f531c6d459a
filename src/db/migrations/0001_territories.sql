-- Territories: the official geography (COG, loaded from @etalab/decoupage-administratif at first start)
-- and the user-defined territoires de projet (Pays, PETR, PNR, bassins de vie) as sets of communes.

create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); indexes and generated columns need an
-- IMMUTABLE function, so this wrapper names the dictionary explicitly.
create or replace function immutable_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- French full text that ignores accents: « Éoliennes » and « eolienne » share the stem « eolien ».
do $$ begin
  if not exists (select 1 from pg_ts_config where cfgname = 'fr') then
    create text search configuration fr (copy = french);
    alter text search configuration fr alter mapping for hword, hword_part, word with unaccent, french_stem;
  end if;
end $$;

create table region (
  code text primary key,
  name text not null
);

create table departement (
  code text primary key,
  name text not null,
  region_code text not null references region (code)
);

create table epci (
  code text primary key,          -- SIREN of the EPCI
  name text not null,
  kind text not null,             -- CC, CA, CU, METRO, MET69
  population integer
);

create table commune (
  code text primary key,          -- COG code; Paris, Lyon and Marseille arrondissements are rows too
  name text not null,
  departement_code text not null references departement (code),
  region_code text not null references region (code),
  epci_code text references epci (code),
  parent_code text,               -- for an arrondissement municipal, its commune
  population integer,
  postal_codes text[] not null default '{}',
  latitude double precision,      -- centre of the commune, when loaded (maillage import communes)
  longitude double precision
);
create index commune_departement_idx on commune (departement_code);
create index commune_epci_idx on commune (epci_code);
create index commune_name_trgm_idx on commune using gin (immutable_unaccent(lower(name)) gin_trgm_ops);
create index commune_postal_codes_idx on commune using gin (postal_codes);

create table territoire_projet (
  id bigint generated always as identity primary key,
  slug text not null unique,
  name text not null,
  kind text not null,             -- pays, petr, pnr, bassin_de_vie, autre
  description text,
  source text                     -- where its perimeter comes from
);

create table territoire_projet_commune (
  territoire_projet_id bigint not null references territoire_projet (id) on delete cascade,
  commune_code text not null references commune (code),
  primary key (territoire_projet_id, commune_code)
);
create index territoire_projet_commune_commune_idx on territoire_projet_commune (commune_code);
