-- Territoires de projet proposed on the site by a signed-in person. A proposal waits in the moderation queue
-- of the régions of its communes (copied on write, as for contributions); once accepted, the territoire de
-- projet is written (territoire_projet, its communes) in the same transaction, and its slug kept here.
create table territoire_projet_proposal (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 2 and 200),
  kind text not null check (kind in ('pays', 'petr', 'pnr', 'bassin_de_vie', 'autre')),
  communes text[] not null default '{}',        -- as given; the EPCI add all their communes on acceptance
  epcis text[] not null default '{}',
  description text check (length(description) <= 2000),
  source text check (length(source) <= 500),
  region_codes text[] not null default '{}',
  status text not null default 'en_attente' check (status in ('en_attente', 'acceptee', 'refusee')),
  author_id bigint references account (id) on delete set null,
  moderator_id bigint references account (id) on delete set null,
  reason text check (length(reason) <= 4000),
  slug text,
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  check (cardinality(communes) + cardinality(epcis) > 0),
  check (status <> 'refusee' or length(trim(reason)) > 0),
  check ((status = 'en_attente') = (decided_at is null))
);
create index territoire_projet_proposal_queue_idx on territoire_projet_proposal using gin (region_codes) where status = 'en_attente';
create index territoire_projet_proposal_author_idx on territoire_projet_proposal (author_id);
