-- Imports (maillage import …): one row per run. Its counters and the last line of the source file already
-- committed are updated in the same transaction as each batch of organisations, so that after a kill the
-- row tells exactly what is in the database and `--reprendre` continues from the next line.

create table import_run (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('sirene', 'csv', 'communes')),
  files jsonb not null,                   -- absolute paths of the source files, in command order
  options jsonb not null default '{}',    -- what changes the result (--tous, the column mapping): a resume must match
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  rows_read bigint not null default 0,
  rows_written bigint not null default 0, -- inserted, updated or found identical
  rows_inserted bigint not null default 0,
  rows_unchanged bigint not null default 0,
  rows_closed bigint not null default 0,  -- ignored on purpose: closed establishments
  rows_not_ess bigint not null default 0, -- ignored on purpose: units outside the ESS (without --tous)
  rows_rejected bigint not null default 0,
  last_line bigint not null default 0,    -- last line of the main file whose batch is committed
  report_path text,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_run_resume_idx on import_run (kind, status);
