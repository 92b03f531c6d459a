/**
 * OIDC sign-in in a real Chromium: Maillage listening on localhost and the provider on 127.0.0.1 (two sites, so
 * the attempt's SameSite=Lax cookie has to come back on the provider's cross-site redirect, as with ProConnect);
 * sign-in from the button, my account, sign-out from the header, then the provider's own sign-out (its end
 * session endpoint, back to Maillage). axe-core checks Maillage's pages; Chromium must report no
 * Content-Security-Policy violation (a form's redirect to another site would be one).
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from './support/app.ts';
import { assertAccessible, chromiumPath, e2eSkipReason } from './support/browser.ts';
import { buildOidcTestApp, startProviderForMaillage, type OidcTestProvider } from './support/oidc-provider.ts';

const TIMEOUT = { timeout: 180_000 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Connexion OpenID Connect dans un navigateur', { skip: e2eSkipReason }, () => {
  let t: TestApp;
  let provider: OidcTestProvider;
  let browser: Browser;
  let baseUrl: string;

  before(async () => {
    baseUrl = `http://localhost:${await freePort()}`;
    provider = await startProviderForMaillage(baseUrl);
    t = await buildOidcTestApp(provider, baseUrl);
    await t.app.listen({ port: Number(new URL(baseUrl).port), host: 'localhost' });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  /** A page that may reach Maillage and the provider only, recording CSP violations. */
  async function newPage(): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' });
    const allowed = new Set([baseUrl, provider.issuer]);
    await context.route(
      (url) => !allowed.has(url.origin),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()} : ${message.text()}`);
    });
    return { page, violations };
  }

  test('bouton → fournisseur → mon compte → déconnexion de Maillage puis du fournisseur', TIMEOUT, async () => {
    const { page, violations } = await newPage();
    await page.goto('/compte/connexion');
    await assertAccessible(page, '/compte/connexion');

    provider.nextSignIn({ sub: 'agent-e2e', email: 'agent.e2e@exemple.gouv.fr', email_verified: true, given_name: 'Camille', usual_name: 'Durand' });
    await page.getByRole('link', { name: 'Se connecter avec ProConnect' }).click();
    await page.waitForURL(`${baseUrl}/compte`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Mon compte');
    assert.match(await page.locator('dl.facts').innerText(), /Camille Durand/);
    await assertAccessible(page, '/compte');

    await page.locator('nav[aria-label="Compte"]').getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${baseUrl}/compte/oidc/deconnexion`);
    await assertAccessible(page, '/compte/oidc/deconnexion');
    await page.getByRole('link', { name: 'Se déconnecter aussi de ProConnect' }).click();
    await page.waitForURL(`${provider.issuer}/session/end?**`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${baseUrl}/compte/deconnexion?state=*`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Déconnexion effectuée');
    await assertAccessible(page, '/compte/deconnexion');
    assert.deepEqual(violations, []);
  });

  test('page d’échec accessible', TIMEOUT, async () => {
    const { page } = await newPage();
    const response = await page.goto('/compte/oidc/retour?code=x&state=y');
    assert.equal(response?.status(), 400);
    assert.match(await page.getByRole('alert').innerText(), /a expiré ou a déjà servi/);
    await assertAccessible(page, '/compte/oidc/retour');
  });
});
