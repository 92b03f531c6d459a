-- Background work and alerts.
--
-- job: a queue in PostgreSQL itself, so that every app instance can work it without another server. A worker
-- claims a due job with FOR UPDATE SKIP LOCKED and holds it for a lease (locked_until): two workers never run
-- the same job, and a job whose worker died is taken again once its lease has passed. A failed run is retried
-- later (backoff) until max_attempts, then kept as failed with its error. A recurring job (the alerts digest)
-- names itself with unique_key: at most one of them is pending at any time, whoever schedules it.
create table job (
  id bigint generated always as identity primary key,
  kind text not null check (kind ~ '^[a-z][a-z0-9_.-]{1,60}$'),      -- e.g. 'alerts.digest', 'mail.send'
  payload jsonb not null default '{}',
  unique_key text check (length(unique_key) <= 200),
  run_at timestamptz not null default now(),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts >= 1),
  locked_until timestamptz,
  locked_by text check (length(locked_by) <= 200),
  last_error text check (length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  done_at timestamptz,
  failed_at timestamptz,
  check (done_at is null or failed_at is null)
);
-- The workers' scan: pending jobs by due time.
create index job_due_idx on job (run_at, id) where done_at is null and failed_at is null;
create unique index job_unique_pending_idx on job (unique_key) where done_at is null and failed_at is null;
-- The purge of finished jobs (mail payloads hold addresses: they are not kept longer than needed).
create index job_finished_idx on job (coalesce(done_at, failed_at)) where done_at is not null or failed_at is not null;

-- alert: a search or an orientation profile a person saved, and what they have already been told about.
-- `query` is the search's parameters as the same Zod schema as the search route outputs them (French field
-- names), validated again each time it is used. `watermark` is the end of the last period checked: the next
-- digest lists what was created after it. A deleted account's alerts stop (the digest joins live accounts
-- only) and go with the account's row.
create table alert (
  id bigint generated always as identity primary key,
  account_id bigint not null references account (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  kind text not null check (kind in ('recherche_cooperations', 'recherche_organisations', 'recherche_dispositifs', 'profil_orientation')),
  query jsonb not null,
  frequency text not null default 'hebdomadaire' check (frequency in ('quotidienne', 'hebdomadaire')),
  created_at timestamptz not null default now(),
  watermark timestamptz not null default date_trunc('milliseconds', now()),   -- milliseconds, as the app's clock
  last_sent_at timestamptz
);
create index alert_account_idx on alert (account_id);
create index alert_watermark_idx on alert (watermark);

-- « Created since the watermark »: the digest reads the newest rows of each kind by their creation time.
create index cooperation_created_idx on cooperation (created_at);
create index organisation_created_idx on organisation (created_at);
create index dispositif_created_idx on dispositif (created_at);
