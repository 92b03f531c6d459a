-- Mutualisation board (PRODUCT §6, the « mutualisation » PTCE live from, 003): offers and requests of premises,
-- equipment, vehicles, skills and shared jobs; premises and equipment have a booking calendar.

create table mutualisation (
  id bigint generated always as identity primary key,
  sens text not null check (sens in ('offre', 'demande')),
  categorie text not null check (categorie in ('local', 'equipement', 'vehicule', 'competence', 'emploi_partage')),
  titre text not null check (length(titre) between 1 and 200),
  description text not null check (length(description) <= 5000),
  account_id bigint references account (id) on delete set null,   -- who published it and confirms bookings
  commune_code text not null references commune (code),
  departement_code text not null,
  region_code text not null,
  latitude double precision,
  longitude double precision,
  created_at timestamptz not null default now()
);
create index mutualisation_territory_idx on mutualisation (region_code, departement_code);

create extension if not exists btree_gist;

-- Two bookings of one resource never overlap while asked or confirmed: the exclusion constraint decides, inside
-- the database, even between two requests made at the same instant (the second gets 23P01, answered 409).
create table reservation (
  id bigint generated always as identity primary key,
  mutualisation_id bigint not null references mutualisation (id) on delete cascade,
  account_id bigint references account (id) on delete set null,
  periode tstzrange not null check (not isempty(periode) and lower_inc(periode) and not upper_inc(periode)),
  statut text not null default 'demandee' check (statut in ('demandee', 'confirmee', 'refusee')),
  created_at timestamptz not null default now(),
  constraint reservation_sans_chevauchement exclude using gist (mutualisation_id with =, periode with &&)
    where (statut in ('demandee', 'confirmee'))
);
