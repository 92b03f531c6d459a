-- The knowledge base contributed and moderated like the Atlas (issue 17, item 1): proposed resources and edits
-- wait in the queue of the moderators of their région (none: platform admins), each accepted one writes the
-- resource and its next version in object_version; files attached to a resource.

create table ressource_proposal (
  id bigint generated always as identity primary key,
  action text not null check (action in ('creation', 'modification')),
  ressource_id bigint references ressource (id) on delete cascade,   -- the resource edited; for a creation, once accepted
  -- The proposal as the form's Zod schema outputs it (features/knowledge/proposals.ts).
  data jsonb not null,
  -- For an edit, the resource as its author saw it: only the fields the author changed are applied on acceptance.
  base jsonb,
  region_codes text[] not null default '{}',
  status text not null default 'en_attente' check (status in ('en_attente', 'acceptee', 'refusee')),
  author_id bigint references account (id) on delete set null,
  moderator_id bigint references account (id) on delete set null,
  reason text check (length(reason) <= 4000),
  version integer check (version >= 1),                              -- the resource's version its acceptance wrote
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  check (action = 'creation' or (ressource_id is not null and base is not null)),
  check (status <> 'refusee' or length(trim(reason)) > 0),
  check ((status = 'en_attente') = (decided_at is null))
);
create index ressource_proposal_queue_idx on ressource_proposal using gin (region_codes) where status = 'en_attente';
create index ressource_proposal_author_idx on ressource_proposal (author_id);
create index ressource_proposal_ressource_idx on ressource_proposal (ressource_id);

-- Resources keep their versions beside those of the Atlas's objects.
alter table object_version drop constraint object_version_kind_check;
alter table object_version add constraint object_version_kind_check check (kind in ('organisation', 'cooperation', 'dispositif', 'ressource'));

-- Files of a resource, in the file store (platform/file-store.ts) under their random id; type recognised from the bytes.
create table ressource_fichier (
  id text primary key check (id ~ '^[A-Za-z0-9_-]{22}$'),
  ressource_id bigint not null references ressource (id) on delete cascade,
  original_name text not null check (length(original_name) between 1 and 255),
  content_type text not null,
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by bigint references account (id) on delete set null,
  created_at timestamptz not null default now()
);
create index ressource_fichier_ressource_idx on ressource_fichier (ressource_id, created_at);
