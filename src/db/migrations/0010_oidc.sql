-- OpenID Connect sign-in (ProConnect or any provider set in the configuration).

-- Who an account is at an OpenID provider: the pair (issuer, subject) is the only stable identifier the
-- protocol gives (an e-mail address can change hands), so a returning person is recognised by it alone.
create table account_identity (
  issuer text not null check (length(issuer) between 1 and 500),
  subject text not null check (length(subject) between 1 and 255),   -- `sub` of the ID token
  account_id bigint not null references account (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index account_identity_account_idx on account_identity (account_id);

-- Sign-ins started and not finished yet: the `state`, `nonce` and PKCE verifier of each redirect to the
-- provider stay here, keyed by the SHA-256 of a random token held in a short-lived HttpOnly cookie of the
-- browser that started it. The row is deleted when the provider sends the browser back, so a callback
-- works once; every instance sees the same rows.
create table oidc_pending_sign_in (
  id text primary key check (id ~ '^[0-9a-f]{64}$'),
  state text not null,
  nonce text not null,
  code_verifier text not null,
  return_path text check (length(return_path) <= 500),
  expires_at timestamptz not null
);
create index oidc_pending_sign_in_expires_idx on oidc_pending_sign_in (expires_at);

-- The ID token of a session opened through the provider: signing out of Maillage hands it back to the
-- provider (id_token_hint of RP-initiated logout) so that the provider's session can end too.
create table oidc_session (
  session_id text primary key references session (id) on delete cascade,
  id_token text not null check (length(id_token) <= 20000)
);
