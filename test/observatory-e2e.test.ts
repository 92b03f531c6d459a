/**
 * The observatory, the open-data page and the usage statistics in a real browser, axe-core checking each
 * (WCAG 2.1 A/AA): the charts are images with a text alternative beside their tables, the region filter works
 * from the keyboard's form, a figure's link opens the Atlas search that finds that many cooperations, and a
 * platform admin reads the statistics.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Observatoire, données ouvertes et statistiques d’usage (Chromium, axe-core)', (e2e) => {
  test('observatoire : graphiques et tableaux accessibles, filtre par modèle, lien vers la recherche', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/observatoire');
    await assertAccessible(page, '/observatoire');
    assert.equal(await page.getByRole('img', { name: /Coopérations par modèle : graphique en barres/ }).count(), 1);
    await page.getByLabel('Modèle de coopération').selectOption('PTCE');
    await Promise.all([page.waitForURL(/modele=PTCE/), page.getByRole('button', { name: 'Afficher', exact: true }).click()]);
    assert.match(await page.locator('#regions-titre').innerText(), /« Pôle territorial de coopération économique \(PTCE\) » par région/);
    await assertAccessible(page, '/observatoire?modele=PTCE');
    await screenshot(page, 'observatoire');
    const row = page.locator('#modeles-tableau tbody tr', { hasText: 'Pôle territorial' });
    const expected = (await row.locator('td.number').innerText()).replace(/\D/g, '');
    await Promise.all([page.waitForURL(/\/recherche\?type=cooperations&modele=PTCE/), row.getByRole('link').click()]);
    assert.match(await page.locator('#titre-resultats').innerText(), new RegExp(`^${expected}\\s+coopération`));
    assertNoPageErrors(page);
  });

  test('données ouvertes et statistiques d’usage', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/donnees');
    await assertAccessible(page, '/donnees');
    const admin = await signedInAs(e2e.app.app, e2e.app.database.db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    await page.context().addCookies([{ name: SESSION_COOKIE, value: admin.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    await visit(page, '/admin/statistiques');
    await assertAccessible(page, '/admin/statistiques');
    assert.equal(await page.getByRole('img', { name: /Pages vues par sorte de page/ }).count(), 1);
    assert.match(await page.locator('#pages-tableau').innerText(), /données ouvertes et API\s+[1-9]/, 'la page /donnees vue juste avant est comptée');
    await screenshot(page, 'statistiques');
    assertNoPageErrors(page);
  });
});
