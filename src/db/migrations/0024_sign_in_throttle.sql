-- Sign-in throttles replace the account lock. Five wrong passwords sent from anywhere locked an account for 15
-- minutes, so anyone could keep its owner out. Failures are now counted per client address (one address trying
-- many accounts: password spraying) and per account and address (one address guessing one password); past a
-- few free failures, each failure of a run makes that key wait longer (doubling, capped), so an attacker slows
-- only themselves. A run is forgotten a day after its last failure; a success ends the run of its account and
-- address. Keys: 'address:<ip>', 'account-address:<sha256 of the e-mail>:<ip>' (no address in clear).
create table sign_in_throttle (
  key text primary key check (length(key) <= 300),
  failures integer not null default 0 check (failures >= 0),  -- in the current run
  last_failure_at timestamptz,
  blocked_until timestamptz                                  -- no attempt from this key before
);
create index sign_in_throttle_last_failure_idx on sign_in_throttle (last_failure_at);

alter table account drop column failed_sign_ins, drop column locked_until;

-- Secrets of the installation, made by the first process that needs one and shared by every instance using
-- this database (a restart or a second instance agrees): 'csrf' signs the form tokens of visitors not signed in.
create table server_secret (
  name text primary key,
  value bytea not null check (length(value) >= 32),
  created_at timestamptz not null default now()
);
