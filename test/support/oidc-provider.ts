/**
 * A real OpenID Connect provider for the tests (the `oidc-provider` package), listening on 127.0.0.1 on a free
 * port, with one confidential client for Maillage. The test says who signs in next (or that the person
 * refuses), then `authorize` plays the browser at the provider: it follows the redirects from the authorization
 * URL, through the provider's interaction (answered at once for that person: login and consent), up to the
 * redirect back to Maillage, whose URL it returns without calling it.
 *
 * Like ProConnect, the provider gives the person's claims at the UserInfo endpoint (scopes email, given_name,
 * usual_name) and offers RP-initiated logout. It runs over plain http on loopback, which Maillage accepts for a
 * loopback issuer only (see config.ts).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from './app.ts';

export interface OidcTestUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  usual_name?: string;
  name?: string;
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The next interaction signs this person in, or refuses (the provider answers error=access_denied). */
  nextSignIn(user: OidcTestUser | 'refuse'): void;
  /** Follows an authorization URL through the provider as a browser would; returns the redirect to Maillage. */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

// oidc-provider ships no type declarations: it is loaded through a specifier TypeScript does not resolve.
const PACKAGE = 'oidc-provider';

export async function startOidcProvider(options: { redirectUri: string; postLogoutRedirectUri: string }): Promise<OidcTestProvider> {
  const { default: Provider } = await import(PACKAGE);
  const clientId = 'maillage-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const users = new Map<string, OidcTestUser>();
  const queue: (OidcTestUser | 'refuse')[] = [];
  let provider: InstanceType<typeof Provider>;

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const next = queue.shift();
    if (next === undefined || next === 'refuse') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'refusé dans le test' }, { mergeWithLastSubmission: false });
      return;
    }
    users.set(next.sub, next);
    const grant = new provider.Grant({ accountId: next.sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: next.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [{ ...key, use: 'sig', alg: 'RS256', kid: 'test' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], given_name: ['given_name'], usual_name: ['usual_name'], profile: ['name'] },
    scopes: ['openid', 'email', 'given_name', 'usual_name', 'profile'],
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, found: { uid: string }) => `/interaction/${found.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.get(sub);
      return user && { accountId: sub, claims: () => user };
    },
  });
  // The provider explains its development defaults on the console; tests need not read that.
  provider.on('server_error', () => {});

  return {
    issuer,
    clientId,
    clientSecret,
    nextSignIn(user) {
      queue.push(user);
    },
    async authorize(authorizationUrl) {
      const cookies = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let step = 0; step < 10; step++) {
        if (url.href.startsWith(options.redirectUri)) return url;
        const response = await fetch(url, {
          redirect: 'manual',
          headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const index = pair!.indexOf('=');
          cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`Le fournisseur répond ${response.status} sans redirection : ${await response.text()}`);
        url = new URL(location, url);
      }
      throw new Error('Trop de redirections chez le fournisseur');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Maillage's address in the tests: the provider's client is registered with its redirect URIs. */
export const TEST_BASE_URL = 'http://localhost:3000';

/** The provider started for Maillage's test client (redirect URIs under `baseUrl`). */
export function startProviderForMaillage(baseUrl = TEST_BASE_URL): Promise<OidcTestProvider> {
  return startOidcProvider({ redirectUri: `${baseUrl}/compte/oidc/retour`, postLogoutRedirectUri: `${baseUrl}/compte/deconnexion` });
}

/** The settings that turn on OIDC sign-in through `provider`, for Maillage at `baseUrl`. */
export function oidcSettings(provider: Pick<OidcTestProvider, 'issuer' | 'clientId' | 'clientSecret'>, baseUrl = TEST_BASE_URL): Record<string, string> {
  return { BASE_URL: baseUrl, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret };
}

/** Maillage on a fresh database (no demo data), with OIDC sign-in through `provider`. */
export function buildOidcTestApp(provider: Pick<OidcTestProvider, 'issuer' | 'clientId' | 'clientSecret'>, baseUrl = TEST_BASE_URL): Promise<TestApp> {
  return buildTestApp({ demo: false, config: oidcSettings(provider, baseUrl) });
}
