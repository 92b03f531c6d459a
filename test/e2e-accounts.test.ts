/**
 * Accounts in a real browser: sign-up (with an error first) → the verification mail, read from the .eml file the
 * development mailer writes → verification → sign-in → my account → sign-out from the header; then a forgotten
 * password reset. axe-core checks every page (WCAG 2.1 A/AA), and no page, the map included, breaks the
 * Content-Security-Policy (no violation reported by Chromium).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';
import { emlFor, pathOfLink } from './support/mail-files.ts';

const TIMEOUT = { timeout: 180_000 };

/** Collects Content-Security-Policy violations: the console reports of Chromium and the DOM events. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()} : ${message.text()}`);
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCspViolation(t: string): void }).__reportCspViolation(
        `${location.pathname} : ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  return violations;
}

describeE2E('Comptes de bout en bout (Chromium, axe-core, CSP)', (e2e) => {
  test('inscription → vérification (.eml) → connexion → mon compte → déconnexion, puis mot de passe oublié', TIMEOUT, async () => {
    const page = await e2e.newPage();
    const violations = await watchCsp(page);
    const email = `e2e.${Date.now()}@exemple.fr`;
    const password = 'des mots simples mais nombreux';
    const start = Date.now();

    await visit(page, '/');
    await Promise.all([
      page.waitForURL(/\/compte\/connexion$/),
      page.getByRole('navigation', { name: 'Compte' }).getByRole('link', { name: 'Se connecter' }).click(),
    ]);
    await assertAccessible(page, 'connexion');
    await Promise.all([page.waitForURL(/\/compte\/inscription$/), page.getByRole('link', { name: 'Créer un compte' }).click()]);
    await assertAccessible(page, 'inscription');

    // An error first: announced, tied to its field, the values kept.
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Nom ou pseudonyme').fill('Claude Dupont');
    await page.getByLabel('Mot de passe').fill('trop court');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForSelector('#erreurs');
    await assertAccessible(page, 'inscription avec erreur');
    assert.match((await page.getByRole('alert').textContent()) ?? '', /au moins 12 caractères/);
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), email);
    assert.equal(await page.getByLabel('Mot de passe').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Mot de passe').fill(password);
    await Promise.all([page.waitForURL(/\/compte\/inscription\/confirmation$/), page.getByRole('button', { name: 'Créer mon compte' }).click()]);
    await assertAccessible(page, 'inscription envoyée');
    assert.match((await page.locator('h1').textContent()) ?? '', /Vérifiez votre messagerie/);

    const verification = await emlFor(email, start, /Confirmez votre adresse/);
    await visit(page, pathOfLink(verification.text, '/compte/verification'));
    assert.match((await page.locator('h1').textContent()) ?? '', /Adresse e-mail confirmée/);

    await Promise.all([page.waitForURL(/\/compte\/connexion/), page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click()]);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await Promise.all([page.waitForURL(/\/compte$/), page.getByRole('button', { name: 'Se connecter' }).click()]);
    await assertAccessible(page, 'mon compte');
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    assert.match(facts, /Claude Dupont/);
    assert.match(facts, /Adresse confirmée\s*oui/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'maillage_session');
    assert.ok(session?.httpOnly && session.sameSite === 'Lax', 'cookie de session HttpOnly, SameSite=Lax');

    // The header says who is signed in on every page, and signs out.
    await visit(page, '/dispositifs');
    const accountNav = page.getByRole('navigation', { name: 'Compte' });
    assert.ok(await accountNav.getByRole('link', { name: 'Mon compte' }).isVisible());
    await Promise.all([page.waitForURL(/\/compte\/deconnexion$/), accountNav.getByRole('button', { name: 'Se déconnecter' }).click()]);
    await assertAccessible(page, 'déconnexion');
    assert.match((await page.locator('h1').textContent()) ?? '', /Déconnexion effectuée/);
    await page.goto('/compte');
    assert.match(page.url(), /\/compte\/connexion\?retour=%2Fcompte$/);

    // Forgotten password.
    await Promise.all([page.waitForURL(/mot-de-passe-oublie$/), page.getByRole('link', { name: 'Mot de passe oublié ?' }).click()]);
    await assertAccessible(page, 'mot de passe oublié');
    const asked = Date.now();
    await page.getByLabel('Adresse e-mail').fill(email);
    await Promise.all([page.waitForURL(/mot-de-passe-oublie\/confirmation$/), page.getByRole('button', { name: 'Recevoir un lien' }).click()]);
    await assertAccessible(page, 'mot de passe oublié : envoyé');
    const reset = await emlFor(email, asked, /Réinitialisation/);
    await visit(page, pathOfLink(reset.text, '/compte/reinitialisation'));
    await page.getByLabel('Nouveau mot de passe').fill('un autre mot de passe assez long');
    await Promise.all([page.waitForURL(/\/compte\/connexion\?reinitialise=1$/), page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()]);
    await assertAccessible(page, 'connexion après réinitialisation');
    assert.match((await page.getByRole('status').textContent()) ?? '', /Votre mot de passe est changé/);

    assertNoPageErrors(page);
    assert.deepEqual(violations, [], 'aucune violation de la politique de sécurité du contenu');
  });

  test('la carte MapLibre (worker servi sous /carte/) fonctionne sous la CSP', TIMEOUT, async () => {
    const page = await e2e.newPage();
    const violations = await watchCsp(page);
    const worker = page.waitForResponse((response) => new URL(response.url()).pathname === '/carte/maplibre-gl-worker.mjs');
    const clusters = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/carte/clusters');
    const response = await visit(page, '/recherche?type=cooperations');
    assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self';/);
    assert.equal((await worker).status(), 200);
    assert.equal((await clusters).status(), 200);
    await page.locator('#carte canvas.maplibregl-canvas').waitFor({ state: 'visible' });
    // Leave time for the worker to draw the clusters (images on a canvas, blob: URLs).
    await page.waitForFunction(() => document.querySelector('#carte canvas') !== null);
    await page.waitForTimeout(500);
    await visit(page, '/carte?type=cooperations&niveau=region');
    assertNoPageErrors(page);
    assert.deepEqual(violations, [], 'aucune violation de la politique de sécurité du contenu');
  });
});
