-- Accounts: people who sign in with an e-mail and a password (argon2id), their server-side sessions, the
-- one-time tokens of e-mail verification and password reset, their roles (the roles matrix comes later: every
-- account is 'contributor' for now) and the counters of the rate limits, shared by every app instance.

create table account (
  id bigint generated always as identity primary key,
  email text not null check (length(email) between 3 and 254 and email = lower(email)),
  password_hash text not null,            -- PHC string ($argon2id$…); never the password
  display_name text not null check (length(display_name) between 1 and 100),
  email_verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),  -- consecutive failures
  locked_until timestamptz,
  deleted_at timestamptz                  -- RGPD deletion (later): a deleted account frees its address
);
-- One live account per address, whatever its case (addresses are stored lower-cased anyway).
create unique index account_email_key on account (lower(email)) where deleted_at is null;

-- A session's id is the SHA-256 (hex) of the random token held in the cookie: the token itself is never stored,
-- so that reading this table does not give a way in.
create table session (
  id text primary key check (id ~ '^[0-9a-f]{64}$'),
  account_id bigint not null references account (id) on delete cascade,
  csrf_secret text not null,              -- synchronizer token of the forms and API calls of this session
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,        -- sliding: pushed back as the session is used
  last_seen_at timestamptz not null default now(),
  user_agent text check (length(user_agent) <= 300)
);
create index session_account_idx on session (account_id);
create index session_expires_idx on session (expires_at);

-- Links sent by e-mail: verification of the address, password reset. Only the SHA-256 of the token is kept.
create table one_time_token (
  id bigint generated always as identity primary key,
  purpose text not null check (purpose in ('verify', 'reset')),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  account_id bigint not null references account (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index one_time_token_account_idx on one_time_token (account_id, purpose);

-- Roles, scoped: a role holds on the whole platform, or on one region, one organisation, one cooperation…
-- (scope_kind / scope_code; the codes are official ones: COG, SIRET, or Maillage's ids). Used by the roles matrix.
create table account_role (
  account_id bigint not null references account (id) on delete cascade,
  role text not null check (role in ('contributor', 'organisation_member', 'organisation_admin', 'cooperation_admin',
    'scheme_publisher', 'instructor', 'regional_moderator', 'platform_admin')),
  scope_kind text not null default 'platform'
    check (scope_kind in ('platform', 'region', 'departement', 'organisation', 'cooperation', 'dispositif')),
  scope_code text not null default '',    -- '' for the whole platform
  granted_at timestamptz not null default now(),
  granted_by bigint references account (id) on delete set null,
  primary key (account_id, role, scope_kind, scope_code),
  check ((scope_kind = 'platform') = (scope_code = ''))
);
create index account_role_scope_idx on account_role (role, scope_kind, scope_code);

-- Rate limits (sign-in, password reset, sign-up): one counter per key and fixed window, shared by every instance.
-- A key names the action and what is counted, e.g. 'sign-in:email:<sha256>' or 'sign-in:ip:203.0.113.4'.
create table rate_limit (
  key text not null,
  window_start timestamptz not null,
  count integer not null check (count >= 0),
  primary key (key, window_start)
);
create index rate_limit_window_idx on rate_limit (window_start);
