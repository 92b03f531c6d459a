-- Usage statistics that respect privacy: one count per day and kind of event (a search, a page view of a
-- kind, an orientation, an application started or submitted), nothing about who. Each instance counts in
-- memory and adds its counts here from time to time (one upsert per kind), so a request never writes.
create table usage_daily (
  day date not null,
  kind text not null check (kind ~ '^[a-z_]{1,60}$'),
  count bigint not null default 0 check (count >= 0),
  primary key (day, kind)
);

-- Open data: the last full dump of each public dataset in each format (gzip), written by the scheduled
-- job `open-data.refresh` in one statement, so a download always gets a whole file. Kept in the database
-- (not on one instance's disk) so that every instance serves the same file.
create table open_data_dump (
  dataset text not null check (dataset ~ '^[a-z-]{1,60}$'),
  format text not null check (format in ('csv', 'json')),
  generated_at timestamptz not null,
  row_count integer not null check (row_count >= 0),
  size_bytes integer not null check (size_bytes >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  primary key (dataset, format)
);
