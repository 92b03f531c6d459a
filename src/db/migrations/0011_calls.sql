-- Calls for proposals (AMI, AAP) and the applications to them (first part). Instruction, scoring
-- and funding follow-up will hang on these tables: an application's data is JSON checked against the form
-- version it was filled with, and its state changes only through candidature_transition rows.

create table appel (
  id bigint generated always as identity primary key,
  key text not null unique check (key ~ '^[a-z0-9-]{1,80}$'),     -- stable identifier (demo data, exchange)
  title text not null check (length(title) between 1 and 300),
  description text,
  dispositif_id bigint references dispositif (id) on delete set null,   -- the scheme the call implements
  -- A draft open to comments before it opens (co-construction, 001), then published, then closed.
  statut text not null default 'brouillon_concertation' check (statut in ('brouillon_concertation', 'publie', 'clos')),
  laureats_min integer check (laureats_min >= 0),
  laureats_max integer check (laureats_max >= laureats_min),
  budget numeric(14, 2) check (budget >= 0),       -- total envelope, when the call states one
  budget_texte text,                                -- what the call says of the money, in its words
  -- Who may apply, as an orientation profile: { stades: [...], modeles: [...], ... }; an empty list = open.
  eligibilite jsonb not null default '{}',
  -- Geographic reach, as for schemes: national, or COG codes of one level.
  couverture_niveau text check (couverture_niveau in ('national', 'region', 'departement', 'epci', 'commune')),
  couverture_codes text[] not null default '{}',
  source text,
  is_example boolean not null default false,        -- demo record taken from a source document
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('fr', title), 'A') || setweight(to_tsvector('fr', coalesce(description, '')), 'C')
  ) stored,
  name_search text generated always as (immutable_unaccent(lower(title))) stored
);
create index appel_search_idx on appel using gin (search_vector);
create index appel_name_trgm_idx on appel using gin (name_search gin_trgm_ops);
create index appel_couverture_idx on appel using gin (couverture_codes);

-- The organisers: several for a mutualised call; each a Maillage organisation or a named funder.
create table appel_organisateur (
  appel_id bigint not null references appel (id) on delete cascade,
  position integer not null,
  name text not null check (length(name) between 1 and 300),
  organisation_id bigint references organisation (id) on delete set null,
  primary key (appel_id, position)
);

-- Phases in absolute time (timestamptz); pages and the API show them in Europe/Paris. A closing instant is the
-- last one accepted (« le 23 juin à minuit » → 23:59:59.999 Paris time). `depot`: applications are submitted
-- during this phase (a selection among the laureates of a previous phase is not one). `vague` names the wave
-- of a permanent call.
create table appel_phase (
  id bigint generated always as identity primary key,
  appel_id bigint not null references appel (id) on delete cascade,
  position integer not null,
  vague text,
  label text not null check (length(label) between 1 and 300),
  description text,
  ouverture timestamptz not null,
  cloture timestamptz not null check (cloture > ouverture),
  depot boolean not null default true,
  resultats_date date,          -- when results are expected (« la semaine du 19 juillet » → that Monday)
  resultats_texte text,         -- the words of the call about it
  unique (appel_id, position)
);

-- Form versions: a published version is never edited; a change makes a new version, and an application keeps
-- the one it was started with.
create table appel_formulaire (
  appel_id bigint not null references appel (id) on delete cascade,
  version integer not null check (version >= 1),
  definition jsonb not null,    -- domain/form.ts FormDefinition
  created_at timestamptz not null default now(),
  primary key (appel_id, version)
);

create table candidature (
  id bigint generated always as identity primary key,
  appel_id bigint not null references appel (id),
  formulaire_version integer not null,
  account_id bigint not null references account (id),   -- who fills it in (the only applicant-side reader for now)
  porteur_type text not null check (porteur_type in ('cooperation', 'groupement')),
  cooperation_id bigint references cooperation (id) on delete set null,
  title text not null check (length(title) between 1 and 300),
  statut text not null default 'brouillon' check (statut in ('brouillon', 'deposee', 'en_instruction', 'complement_demande',
    'retenue', 'non_retenue', 'laureate', 'refusee', 'sans_suite')),
  donnees jsonb not null default '{}',
  submitted_at timestamptz,     -- last submission (a completion submits again)
  numero_depot text unique,     -- receipt number, given at the first submission
  version integer not null default 1,   -- optimistic concurrency: each save must name the version it read
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (appel_id, formulaire_version) references appel_formulaire (appel_id, version)
);
create index candidature_account_idx on candidature (account_id);
create index candidature_appel_idx on candidature (appel_id, statut);

-- The organisations applying: the lead (chef de file), and the co-applicants of a groupement (000).
create table candidature_membre (
  candidature_id bigint not null references candidature (id) on delete cascade,
  position integer not null,
  role text not null check (role in ('chef_de_file', 'co_candidat')),
  siret text not null check (siret ~ '^\d{14}$'),
  name text not null check (length(name) between 1 and 300),
  organisation_id bigint references organisation (id) on delete set null,
  primary key (candidature_id, position),
  unique (candidature_id, siret)
);
-- Exactly one lead per application.
create unique index candidature_membre_lead_idx on candidature_membre (candidature_id) where role = 'chef_de_file';

-- Every change of state, never updated: who (id and label at the time), when, why.
create table candidature_transition (
  id bigint generated always as identity primary key,
  candidature_id bigint not null references candidature (id) on delete cascade,
  from_statut text,             -- null for the creation of the draft
  to_statut text not null,
  actor_id bigint references account (id) on delete set null,
  actor_label text not null check (length(actor_label) <= 200),
  at timestamptz not null default now(),
  motif text
);
create index candidature_transition_idx on candidature_transition (candidature_id, at);
