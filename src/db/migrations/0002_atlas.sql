-- The Atlas: organisations (structures) and cooperations with their members.
-- Territory codes are copied from the commune on write, so that filters and facets on any level are
-- plain column comparisons on one table (the commune's memberships do not change between COG loads).

create table organisation (
  id bigint generated always as identity primary key,
  siret text unique check (siret ~ '^\d{14}$'),
  siren text check (siren ~ '^\d{9}$'),
  name text not null check (length(name) between 1 and 300),
  legal_form text check (legal_form ~ '^\d{2}(\d{2})?$'),   -- INSEE catégorie juridique (2 or 4 digits)
  statut_ess text check (statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus', 'hors_ess')),
  naf_code text check (naf_code ~ '^\d{2}\.\d{2}[A-Z]$'),
  secteur text,
  tranche_effectif text,
  commune_code text references commune (code),
  departement_code text,
  region_code text,
  epci_code text,
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  address text,
  website text,
  description text,
  is_example boolean not null default false,   -- demo record taken from a source document
  source text,                                  -- where the record comes from (document, import file)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('fr', name), 'A') || setweight(to_tsvector('fr', coalesce(description, '')), 'C')
  ) stored,
  name_search text generated always as (immutable_unaccent(lower(name))) stored
);
create index organisation_search_idx on organisation using gin (search_vector);
create index organisation_name_trgm_idx on organisation using gin (name_search gin_trgm_ops);
create index organisation_region_idx on organisation (region_code);
create index organisation_departement_idx on organisation (departement_code);
create index organisation_epci_idx on organisation (epci_code);
create index organisation_commune_idx on organisation (commune_code);
create index organisation_siren_idx on organisation (siren);

create table cooperation (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 300),
  modele text not null check (modele in ('PTCE', 'TZCLD', 'tiers_lieu', 'SCIC', 'CUMA', 'AMAP', 'PAT',
                                         'pole_ess', 'CAE', 'cluster', 'aucun')),
  finalite text check (finalite in ('ciblee', 'systemique')),
  modele_economique text check (modele_economique in ('non_marchande', 'marchande', 'hybride')),
  stade text check (stade in ('emergence', 'creation', 'consolidation', 'changement_echelle')),
  secteur text,
  legal_form text check (legal_form ~ '^\d{2}(\d{2})?$'),
  commune_code text references commune (code),
  departement_code text,
  region_code text,
  epci_code text,
  territoire_projet_id bigint references territoire_projet (id),
  territory_label text,           -- the territory as the source names it (« Pays de Vilaine »)
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  description text,
  governance text,
  activities text,
  shared_resources text,
  history text,
  founded_year integer check (founded_year between 1800 and 2100),
  website text,
  is_example boolean not null default false,
  source text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('fr', name), 'A')
    || setweight(to_tsvector('fr', coalesce(territory_label, '')), 'B')
    || setweight(to_tsvector('fr', coalesce(description, '') || ' ' || coalesce(activities, '')), 'C')
  ) stored,
  name_search text generated always as (immutable_unaccent(lower(name))) stored
);
create index cooperation_search_idx on cooperation using gin (search_vector);
create index cooperation_name_trgm_idx on cooperation using gin (name_search gin_trgm_ops);
create index cooperation_region_idx on cooperation (region_code);
create index cooperation_departement_idx on cooperation (departement_code);
create index cooperation_commune_idx on cooperation (commune_code);

create table cooperation_member (
  id bigint generated always as identity primary key,
  cooperation_id bigint not null references cooperation (id) on delete cascade,
  organisation_id bigint references organisation (id),
  name text not null,             -- the member as the source names it, even when no organisation is linked
  role text not null check (role in ('porteur', 'entreprise_ess', 'autre_entreprise', 'collectivite',
                                     'recherche', 'formation', 'citoyens'))
);
create index cooperation_member_cooperation_idx on cooperation_member (cooperation_id);
create index cooperation_member_organisation_idx on cooperation_member (organisation_id);
