/**
 * Administration and account deletion in a real browser, axe-core checking every page (WCAG 2.1 A/AA): a
 * platform admin finds an account, grants a regional moderator role (an unknown région first), reads the audit
 * log and filters it; then a person deletes their account (a missing password first).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit, type E2E } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

/** A browser page signed in as this account (its session cookie set for the site). */
async function browserOf(e2e: E2E, account: TestAccount): Promise<Page> {
  const page = await e2e.newPage();
  await page.context().addCookies([{ name: SESSION_COOKIE, value: account.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
  return page;
}

describeE2E('Administration et suppression de compte de bout en bout (Chromium, axe-core)', (e2e) => {
  test('administration : chercher un compte, attribuer un rôle (erreur puis succès), lire et filtrer le journal', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const admin = await signedInAs(e2e.app.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }], { displayName: 'Alex Admin' });
    await signedInAs(e2e.app.app, db, [], { displayName: 'Dominique Future', email: 'dominique.future@exemple.fr' });
    const page = await browserOf(e2e, admin);

    await visit(page, '/');
    await Promise.all([page.waitForURL(/\/admin$/), page.getByRole('navigation', { name: 'Compte' }).getByRole('link', { name: 'Administration' }).click()]);
    await assertAccessible(page, '/admin');
    await page.getByLabel('Adresse e-mail ou nom').fill('dominique');
    await Promise.all([page.waitForURL(/\/admin\?q=dominique$/), page.getByRole('button', { name: 'Chercher un compte' }).click()]);
    await assertAccessible(page, '/admin?q=dominique');
    await Promise.all([page.waitForURL(/\/admin\/comptes\/\d+$/), page.getByRole('link', { name: 'Dominique Future' }).click()]);
    await assertAccessible(page, 'fiche du compte');

    await page.getByLabel('Rôle').selectOption('regional_moderator');
    await page.getByLabel('Portée').fill('99');
    await page.getByRole('button', { name: 'Attribuer le rôle' }).click();
    await page.waitForSelector('#erreurs');
    assert.match(await page.locator('#erreurs').innerText(), /Aucune région ne porte le code 99/);
    assert.equal(await page.getByLabel('Portée').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Portée').inputValue(), '99', 'la valeur saisie est gardée');
    await assertAccessible(page, 'attribution refusée');

    await page.getByLabel('Portée').fill('53');
    await Promise.all([page.waitForURL(/fait=attribue$/), page.getByRole('button', { name: 'Attribuer le rôle' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /Le rôle est attribué/);
    assert.match(await page.locator('table').innerText(), /Modération régionale\s+Région : Bretagne \(53\)/);
    await assertAccessible(page, 'rôle attribué');
    await screenshot(page, 'admin-compte');

    await Promise.all([page.waitForURL(/\/admin\/journal$/), page.getByRole('link', { name: 'Journal des actions' }).click()]);
    await assertAccessible(page, '/admin/journal');
    assert.match(await page.locator('tbody').innerText(), /Attribution d’un rôle/);
    await page.getByLabel('Action').selectOption('role.grant');
    await Promise.all([page.waitForURL(/action=role.grant/), page.getByRole('button', { name: 'Filtrer' }).click()]);
    assert.match(await page.getByRole('heading', { level: 2 }).first().innerText(), /1 action pour ces filtres/);
    await assertAccessible(page, '/admin/journal filtré');
    await screenshot(page, 'admin-journal');
    assertNoPageErrors(page);
  });

  test('suppression du compte : explication, mot de passe manquant, puis suppression et déconnexion', TIMEOUT, async () => {
    const person = await signedInAs(e2e.app.app, e2e.app.database.db, [], { displayName: 'Claude Partante' });
    const page = await browserOf(e2e, person);

    await visit(page, '/compte');
    await Promise.all([page.waitForURL(/\/compte\/suppression$/), page.getByRole('link', { name: 'Supprimer mon compte' }).click()]);
    await assertAccessible(page, '/compte/suppression');
    await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
    await page.waitForSelector('#erreurs');
    assert.match(await page.locator('#erreurs').innerText(), /Indiquez votre mot de passe/);
    await assertAccessible(page, 'suppression refusée');
    await screenshot(page, 'compte-suppression');

    await page.getByLabel('Votre mot de passe').fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(/\/compte\/suppression\/effectuee$/),
      page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click(),
    ]);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Votre compte est supprimé/);
    assert.ok(await page.getByRole('navigation', { name: 'Compte' }).getByRole('link', { name: 'Se connecter' }).isVisible(), 'déconnecté');
    await assertAccessible(page, 'compte supprimé');
    assertNoPageErrors(page);
  });
});
