-- Files joined to applications: the bytes live on disk under FILES_DIR (default
-- MAILLAGE_DATA_DIR/files), named by the random id below, never by the name the person gave; this table says
-- whose they are and what they are. One file per file field of an application; the application's answers
-- (candidature.donnees) hold { id, nom } of that file, written in the same transaction.

create table candidature_fichier (
  id text primary key check (id ~ '^[A-Za-z0-9_-]{22}$'),       -- 128 random bits, base64url: the file's name on disk
  candidature_id bigint not null references candidature (id) on delete cascade,
  field_key text not null check (field_key ~ '^[a-z][a-z0-9_]{0,59}$'),
  original_name text not null check (length(original_name) between 1 and 255),   -- sanitised (domain/files.ts)
  content_type text not null,          -- detected from the bytes, never from the name nor the browser's claim
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by bigint references account (id) on delete set null,
  uploaded_at timestamptz not null default now(),
  unique (candidature_id, field_key)
);

-- Bytes to remove from disk. A row of candidature_fichier may go in many ways (file replaced or removed, a
-- draft erased with its account, an application deleted by cascade): the trigger queues its file in the same
-- transaction, so the disk is cleaned exactly when the deletion commits (by features/files/sweep.ts, after
-- each change and periodically), never before it.
create table candidature_fichier_a_effacer (
  id text primary key,
  queued_at timestamptz not null default now()
);

create function candidature_fichier_queue_erasure() returns trigger language plpgsql as $$
begin
  insert into candidature_fichier_a_effacer (id) values (old.id) on conflict do nothing;
  return old;
end $$;

create trigger candidature_fichier_erasure after delete on candidature_fichier
  for each row execute function candidature_fichier_queue_erasure();
