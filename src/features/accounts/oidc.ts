/**
 * Sign-in through an OpenID Connect provider (ProConnect, or any provider the configuration names): the
 * authorization code flow with PKCE, `state` and `nonce`, through openid-client (discovery, token exchange,
 * ID token and signed UserInfo validation). Of the provider, Maillage keeps the pair (issuer, subject) of each
 * account and, while a session opened through it lasts, its ID token (the hint the provider's sign-out asks for).
 *
 * The `state`, `nonce` and PKCE verifier of a redirect stay in the database (oidc_pending_sign_in), keyed by
 * the hash of a random token held in a short-lived HttpOnly cookie: Maillage has no signing key to protect a
 * cookie's content, every instance reads the same table, and deleting the row as the callback consumes it makes
 * the callback single-use.
 *
 * On return: a known (issuer, subject) signs its account in; otherwise an address the provider says is verified
 * links the live account that has it; otherwise a new account is created (contributor). A deleted account is
 * never signed in.
 */
import * as oidc from 'openid-client';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { hashPassword } from './passwords.ts';
import type { RateRule } from '../../platform/http/rate-limit.ts';
import { displayNameSchema, emailSchema, NAME_MAX } from './schemas.ts';
import { createSession } from '../../platform/http/sessions.ts';
import { hashToken, newToken } from '../../platform/http/tokens.ts';
import { z } from 'zod';

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the button: « Se connecter avec ProConnect ». */
  label: string;
  scopes: string;
  redirectUri: string;
  /** Where the provider sends the browser back after signing out there. */
  postLogoutRedirectUri: string;
}

/** The settings of OIDC sign-in, or undefined when it is off (issuer, client id and secret not all set). */
export function oidcSettings(config: Config): OidcSettings | undefined {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: new URL(config.OIDC_ISSUER),
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    label: config.OIDC_LABEL,
    scopes: config.OIDC_SCOPES.split(/\s+/).join(' '),
    redirectUri: new URL('/compte/oidc/retour', config.BASE_URL).toString(),
    postLogoutRedirectUri: new URL('/compte/deconnexion', config.BASE_URL).toString(),
  };
}

export const PENDING_COOKIE = 'maillage_oidc';
/** Time allowed to sign in at the provider. */
export const PENDING_SECONDS = 10 * 60;

export const OIDC_RATE_RULES = {
  startPerIp: { name: 'oidc-start:ip', limit: 30, windowSeconds: 15 * 60 },
  callbackPerIp: { name: 'oidc-callback:ip', limit: 30, windowSeconds: 15 * 60 },
} satisfies Record<string, RateRule>;

/**
 * The provider's configuration, discovered on first use and kept; a failed discovery (provider unreachable) is
 * tried again by the next sign-in. Plain http is allowed only for an issuer on this machine (config.ts refuses
 * any other http issuer): the library's HTTPS check stays on in production.
 */
export function oidcProvider(settings: OidcSettings): () => Promise<oidc.Configuration> {
  let discovered: Promise<oidc.Configuration> | undefined;
  return () => {
    discovered ??= oidc
      .discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
        execute: settings.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
}

/** Records a new sign-in attempt; returns the cookie's token and the provider's URL to send the browser to. */
export async function startSignIn(
  db: Db,
  provider: oidc.Configuration,
  settings: OidcSettings,
  returnPath: string | undefined,
): Promise<{ token: string; url: URL }> {
  const token = newToken();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await db.execute(sql`insert into oidc_pending_sign_in (id, state, nonce, code_verifier, return_path, expires_at)
    values (${hashToken(token)}, ${state}, ${nonce}, ${codeVerifier}, ${returnPath ?? null}, now() + make_interval(secs => ${PENDING_SECONDS}))`);
  if (Math.random() < 0.05) await db.execute(sql`delete from oidc_pending_sign_in where expires_at <= now()`);
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: settings.redirectUri,
    scope: settings.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { token, url };
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnPath: string | undefined;
}

const takePendingRow = z.object({ state: z.string(), nonce: z.string(), code_verifier: z.string(), return_path: z.string().nullable() });

/**
 * Takes (deletes) the attempt of the cookie's token whose state the callback carries, if it has not expired:
 * a second callback finds nothing. A wrong state takes nothing.
 */
export async function takePending(db: Db, token: string, state: string): Promise<PendingSignIn | undefined> {
  const row = await checkedFirstRow(
    db,
    takePendingRow,
    sql`
    delete from oidc_pending_sign_in where id = ${hashToken(token)} and state = ${state} and expires_at > now()
    returning state, nonce, code_verifier, return_path`,
  );
  return row && { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnPath: row.return_path ?? undefined };
}

/** What Maillage takes from the provider's claims. */
export interface ProviderProfile {
  /** Normalised as the sign-up form does; absent when the provider gave none or an unusable one. */
  email?: string;
  /** Only `email_verified: true` counts (a missing claim is not a verification). */
  emailVerified: boolean;
  displayName?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The profile of the claims: ProConnect's given_name + usual_name, or the standard name / family_name. */
export function profileFromClaims(claims: Record<string, unknown>): ProviderProfile {
  const email = emailSchema.safeParse(claims.email);
  const fullName = [text(claims.given_name), text(claims.usual_name) || text(claims.family_name)].filter(Boolean).join(' ');
  const candidates = [fullName, text(claims.name), email.success ? email.data.split('@')[0]! : ''];
  const displayName = candidates
    .map((candidate) => displayNameSchema.safeParse([...candidate].slice(0, NAME_MAX).join('')))
    .find((parsed) => parsed.success)?.data;
  return {
    ...(email.success ? { email: email.data } : {}),
    emailVerified: email.success && claims.email_verified === true,
    ...(displayName ? { displayName } : {}),
  };
}

export interface ProviderIdentity extends ProviderProfile {
  issuer: string;
  subject: string;
  idToken: string;
}

/**
 * Exchanges the code of the callback (URL as the provider sent it) for tokens; the library checks the state,
 * the PKCE verifier, the ID token (signature, issuer, audience, expiry, nonce). The claims of the ID token are
 * completed by the UserInfo endpoint when there is one (ProConnect gives the person's claims there).
 */
export async function exchangeCode(provider: oidc.Configuration, callbackUrl: URL, pending: PendingSignIn): Promise<ProviderIdentity> {
  const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims || !tokens.id_token) throw new Error('Réponse du fournisseur sans ID token');
  const userInfo = provider.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(provider, tokens.access_token, idClaims.sub) : {};
  return {
    issuer: idClaims.iss,
    subject: idClaims.sub,
    idToken: tokens.id_token,
    ...profileFromClaims({ ...idClaims, ...userInfo }),
  };
}

export type OidcSignInResult =
  /** `token` goes in the session cookie. */
  | { status: 'signed_in'; token: string }
  /** No usable address: no account can be created. */
  | { status: 'no_email' }
  /** A live account has the address, which the provider does not say is verified: it is not linked. */
  | { status: 'email_taken' };

/**
 * The password hash of an account without a password: argon2id of a random secret thrown away at once, so no
 * password matches it. A malformed value would be refused too, but at once, while this one is refused after the
 * same work as any wrong password: the timing of the sign-in form does not tell that an address has an account
 * opened through the provider. A password reset by e-mail can still give the account a password.
 */
const unusablePasswordHash = () => hashPassword(newToken());

const accountIdRow = z.object({ account_id: z.number() });

const existingAccountRow = z.object({ id: z.number(), verified: z.boolean() });

const displayNameRow = z.object({ display_name: z.string() });

/** Links the identity to its account (known, linked by verified address, or created), then opens a new session. */
export async function signInWithIdentity(
  db: Db,
  identity: ProviderIdentity,
  context: { userAgent?: string; previousSessionId?: string },
): Promise<OidcSignInResult> {
  return db.transaction(async (tx) => {
    const known = await checkedFirstRow(
      tx,
      accountIdRow,
      sql`select i.account_id::int as account_id
      from account_identity i join account a on a.id = i.account_id
      where i.issuer = ${identity.issuer} and i.subject = ${identity.subject} and a.deleted_at is null`,
    );
    let accountId = known?.account_id;
    let outcome: 'known' | 'linked' | 'created' = 'known';
    if (accountId === undefined) {
      if (!identity.email) return { status: 'no_email' as const };
      const existing = await checkedFirstRow(
        tx,
        existingAccountRow,
        sql`select id::int as id, email_verified_at is not null as verified
        from account where lower(email) = ${identity.email} and deleted_at is null for update`,
      );
      if (existing && !identity.emailVerified) return { status: 'email_taken' as const };
      if (existing) {
        accountId = existing.id;
        outcome = 'linked';
        if (!existing.verified) await takeOverUnverified(tx, existing.id);
      } else {
        accountId = await createAccount(tx, identity);
        outcome = 'created';
      }
      // A link left by a deleted account moves to this one (a deletion frees the address, and the identity too).
      await tx.execute(sql`insert into account_identity (issuer, subject, account_id) values (${identity.issuer}, ${identity.subject}, ${accountId})
        on conflict (issuer, subject) do update set account_id = excluded.account_id, created_at = now()`);
      const name = await checkedFirstRow(tx, displayNameRow, sql`select display_name from account where id = ${accountId}`);
      await recordAudit(tx, {
        actor: { id: accountId, displayName: name!.display_name },
        action: outcome === 'created' ? 'account.oidc_create' : 'account.oidc_link',
        object: { kind: 'account', id: accountId },
        details: { fournisseur: identity.issuer },
      });
    }
    if (context.previousSessionId) await tx.execute(sql`delete from session where id = ${context.previousSessionId}`);
    const { token, session } = await createSession(tx, accountId, context.userAgent);
    await tx.execute(sql`insert into oidc_session (session_id, id_token) values (${session.id}, ${identity.idToken})`);
    return { status: 'signed_in' as const, token };
  });
}

async function createAccount(tx: Db, identity: ProviderIdentity): Promise<number> {
  const created = await checkedFirstRow(
    tx,
    idRow,
    sql`insert into account (email, password_hash, display_name, email_verified_at)
    values (${identity.email!}, ${await unusablePasswordHash()}, ${identity.displayName ?? identity.email!.split('@')[0]!},
      ${identity.emailVerified ? sql`now()` : null})
    returning id::int as id`,
  );
  await tx.execute(sql`insert into account_role (account_id, role) values (${created!.id}, 'contributor')`);
  return created!.id;
}

/**
 * An account whose address was never verified may have been opened by someone else than the owner of the
 * address (who now proves it through the provider): its password, sessions and pending links are voided so that
 * whoever created it keeps no way in; the owner may set a password later by the reset link.
 */
async function takeOverUnverified(tx: Db, accountId: number): Promise<void> {
  await tx.execute(sql`update account set password_hash = ${await unusablePasswordHash()}, email_verified_at = now(), updated_at = now()
    where id = ${accountId}`);
  await tx.execute(sql`delete from session where account_id = ${accountId}`);
  await tx.execute(sql`update one_time_token set used_at = now() where account_id = ${accountId} and used_at is null`);
}

const idTokenRow = z.object({ id_token: z.string() });

/** The ID token of a session opened through the provider (undefined for a password session). */
export async function idTokenOfSession(db: Db, sessionId: string): Promise<string | undefined> {
  const row = await checkedFirstRow(db, idTokenRow, sql`select id_token from oidc_session where session_id = ${sessionId}`);
  return row?.id_token;
}

/** Where to end the provider's session too (RP-initiated logout), when the provider offers it. */
export function endSessionUrl(provider: oidc.Configuration, settings: OidcSettings, idToken: string): URL | undefined {
  if (!provider.serverMetadata().end_session_endpoint) return undefined;
  return oidc.buildEndSessionUrl(provider, {
    id_token_hint: idToken,
    post_logout_redirect_uri: settings.postLogoutRedirectUri,
    state: oidc.randomState(),
  });
}
