-- Catalogue of support and funding schemes (dispositifs) and the versioned needs rules of orientation.

create table dispositif (
  id bigint generated always as identity primary key,
  key text not null unique check (key ~ '^[a-z0-9-]{1,80}$'),   -- stable identifier (seed, open-data exchange)
  name text not null check (length(name) between 1 and 300),
  description text,
  types_accompagnement text[] not null default '{}',
  types_financement text[] not null default '{}',
  -- Eligibility; an empty list means not restricted, or not said by the source.
  stades text[] not null default '{}',
  modeles text[] not null default '{}',
  finalites text[] not null default '{}',
  modeles_economiques text[] not null default '{}',
  formes_juridiques text[] not null default '{}',
  esus_requis boolean,
  -- Geographic coverage: national, or COG codes of one level; null when the source does not say.
  couverture_niveau text check (couverture_niveau in ('national', 'region', 'departement', 'epci', 'commune')),
  couverture_codes text[] not null default '{}',
  montant_min numeric(14, 2),
  montant_max numeric(14, 2),
  montant_texte text,
  duree_texte text,
  calendrier jsonb,              -- { type: permanent|date|vagues, ouverture?, cloture?, vagues?: [...] } (ISO instants)
  conditions text,
  contact text,
  url text,
  source text,
  date_verification date,
  statut text not null default 'actif' check (statut in ('actif', 'clos')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('fr', name), 'A') || setweight(to_tsvector('fr', coalesce(description, '')), 'C')
  ) stored,
  name_search text generated always as (immutable_unaccent(lower(name))) stored
);
create index dispositif_search_idx on dispositif using gin (search_vector);
create index dispositif_name_trgm_idx on dispositif using gin (name_search gin_trgm_ops);
create index dispositif_couverture_idx on dispositif using gin (couverture_codes);

create table dispositif_porteur (
  dispositif_id bigint not null references dispositif (id) on delete cascade,
  position integer not null,
  name text not null,
  organisation_id bigint references organisation (id),
  primary key (dispositif_id, position)
);
create index dispositif_porteur_organisation_idx on dispositif_porteur (organisation_id);

-- Needs rules are data: each version is kept; orientation reads the active one.
create table regle_besoin_version (
  version integer primary key,
  source text not null,
  active boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index regle_besoin_version_active_idx on regle_besoin_version (active) where active;

create table regle_besoin (
  version integer not null references regle_besoin_version (version) on delete cascade,
  code text not null,
  position integer not null,
  type text not null check (type in ('accompagnement', 'financement')),
  libelle text not null,
  matrice text not null,
  ligne text not null,
  condition jsonb not null,
  couvert_par jsonb not null,
  primary key (version, code)
);
