-- Contributions and their moderation: proposed objects and edits waiting in the queue of the
-- moderators of their régions, the full version history of every public object, error reports sent from any
-- page, and the claims of an organisation by its SIRET.
--
-- Région codes are copied on write (as in the Atlas): a moderator's queue is one indexed array overlap with
-- the régions they hold. An empty list means « no région » (a national scheme): platform admins only.

create table contribution (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('organisation', 'cooperation', 'dispositif')),
  action text not null check (action in ('creation', 'modification')),
  target_id bigint,                        -- the object edited; for a creation, the object once accepted
  -- The proposal as the form's Zod schema outputs it (French field names); amended by the moderator if need be.
  data jsonb not null,
  -- For an edit, the object as its author saw it: only the fields the author changed are applied when it is
  -- accepted, so that an edit accepted meanwhile is not undone.
  base jsonb,
  region_codes text[] not null default '{}',
  status text not null default 'en_attente'
    check (status in ('en_attente', 'acceptee', 'modifiee_acceptee', 'refusee')),
  author_id bigint references account (id) on delete set null,
  moderator_id bigint references account (id) on delete set null,
  reason text check (length(reason) <= 4000),     -- required for a refusal (checked below and in the domain)
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  check (action = 'creation' or (target_id is not null and base is not null)),
  check (status <> 'refusee' or length(trim(reason)) > 0),
  check ((status = 'en_attente') = (decided_at is null))
);
create index contribution_queue_idx on contribution using gin (region_codes) where status = 'en_attente';
create index contribution_status_idx on contribution (status, created_at);
create index contribution_author_idx on contribution (author_id);
create index contribution_target_idx on contribution (kind, target_id);

-- Every state of every object written through Maillage: each accepted contribution and each direct edit by an
-- authorised person adds one. The first edit of an object loaded from a source (import, demo) first records
-- its state before (author null, version 1), so that the history shows what the edit changed.
create table object_version (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('organisation', 'cooperation', 'dispositif')),
  object_id bigint not null,
  version integer not null check (version >= 1),
  snapshot jsonb not null,
  author_id bigint references account (id) on delete set null,
  contribution_id bigint references contribution (id),
  at timestamptz not null default now(),
  unique (kind, object_id, version)
);

-- « Signaler une erreur »: open to visitors (their address is optional, kept only to answer them).
create table error_report (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('organisation', 'cooperation', 'dispositif')),
  object_id bigint not null,
  message text not null check (length(message) between 1 and 4000),
  email text check (length(email) <= 254),
  account_id bigint references account (id) on delete set null,
  region_codes text[] not null default '{}',
  status text not null default 'ouvert' check (status in ('ouvert', 'traite')),
  handled_by bigint references account (id) on delete set null,
  handled_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'traite') = (handled_at is not null))
);
create index error_report_queue_idx on error_report using gin (region_codes) where status = 'ouvert';

-- « Revendiquer cette structure »: a person asks to be member or admin of an organisation (by its SIRET);
-- a moderator of its région decides, and an accepted claim grants the role in account_role.
create table organisation_claim (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisation (id) on delete cascade,
  siret text not null check (siret ~ '^\d{14}$'),
  account_id bigint references account (id) on delete cascade,
  role text not null check (role in ('organisation_member', 'organisation_admin')),
  justification text not null check (length(justification) between 1 and 4000),
  region_codes text[] not null default '{}',
  status text not null default 'en_attente' check (status in ('en_attente', 'acceptee', 'refusee')),
  decided_by bigint references account (id) on delete set null,
  decided_at timestamptz,
  reason text check (length(reason) <= 4000),
  created_at timestamptz not null default now(),
  check (status <> 'refusee' or length(trim(reason)) > 0)
);
-- One waiting claim per person and organisation.
create unique index organisation_claim_pending_idx on organisation_claim (account_id, organisation_id) where status = 'en_attente';
create index organisation_claim_queue_idx on organisation_claim using gin (region_codes) where status = 'en_attente';
