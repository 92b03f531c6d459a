-- The audit log of sensitive actions (role changes, moderation decisions, deletions, claims…), visible to
-- platform admins. Rows are only ever inserted. The actor is kept as an id and as a label at the time of the
-- action, so that the log still reads right once an account is deleted (RGPD: the id is then set to null).
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id bigint references account (id) on delete set null,
  actor_label text not null check (length(actor_label) <= 200),
  action text not null check (action ~ '^[a-z_.]{3,60}$'),          -- e.g. 'role.grant', 'moderation.accept'
  object_kind text not null check (length(object_kind) <= 40),        -- e.g. 'account', 'organisation'
  object_id text not null check (length(object_id) <= 100),
  details jsonb not null default '{}'
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_object_idx on audit_log (object_kind, object_id);

-- Roles may also hold on one call for proposals (instructors and reviewers of a call).
alter table account_role drop constraint account_role_scope_kind_check;
alter table account_role add constraint account_role_scope_kind_check
  check (scope_kind in ('platform', 'region', 'departement', 'organisation', 'cooperation', 'dispositif', 'appel'));
