/**
 * The Content-Security-Policy without 'unsafe-inline' for styles, in a real Chromium:
 * pages take their look from the stylesheet (the embeds, the comments' line breaks, the embed preview), MapLibre
 * still draws its maps (it styles through the CSSOM, which the policy allows), and no page triggers a single
 * violation report. Every page visited is checked with axe-core.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { firstRow } from '../src/db/database.ts';
import { assertNoPageErrors, describeE2E, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 120_000 };

describeE2E('Politique de sécurité sans style en ligne (Chromium, axe-core)', (e2e) => {
  /** A page that records every CSP violation (the init script runs outside the page's policy). */
  async function watchedPage(): Promise<Page> {
    const page = await e2e.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
    });
    return page;
  }
  const assertNoViolation = async (page: Page) =>
    assert.deepEqual(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), [], page.url());
  const style = (page: Page, selector: string, property: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);

  test('la politique servie refuse les styles en ligne', TIMEOUT, async () => {
    const response = await e2e.app.app.inject('/');
    const policy = String(response.headers['content-security-policy']);
    assert.match(policy, /style-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline/);
  });

  test('les cartes MapLibre (recherche, choroplèthe) se dessinent sans aucune violation', TIMEOUT, async () => {
    const page = await watchedPage();
    await visit(page, '/recherche?type=cooperations');
    await page.locator('#carte canvas.maplibregl-canvas').waitFor({ state: 'visible' });
    assert.notEqual(await style(page, '#carte canvas.maplibregl-canvas', 'width'), '0px');
    await assertNoViolation(page);
    await visit(page, '/carte?type=cooperations&niveau=departement');
    await assertNoViolation(page);
    assertNoPageErrors(page);
  });

  test('l’intégration prend son style de la feuille de styles ; l’aperçu de la page « Intégrer » est encadré', TIMEOUT, async () => {
    const page = await watchedPage();
    await visit(page, '/integration/carte?type=cooperations&region=84');
    await page.locator('#carte canvas.maplibregl-canvas').waitFor({ state: 'visible' });
    assert.equal(await style(page, 'body', 'padding-top'), '12px');
    assert.equal(await style(page, '.map', 'height'), '320px');
    assert.equal(await style(page, '.embed-footer', 'border-top-style'), 'solid');
    await assertNoViolation(page);

    await visit(page, '/integration?type=cooperations&region=84');
    await page.getByLabel('Titre affiché').fill('Notre réseau');
    await page.getByLabel('une carte avec la liste').check();
    await page.getByRole('button', { name: 'Obtenir le code' }).click();
    await page.waitForURL(/titre=Notre/);
    assert.equal(await style(page, 'iframe[title^="Aperçu"]', 'border-top-width'), '1px');
    await assertNoViolation(page);
    assertNoPageErrors(page);
  });

  test('les commentaires d’un appel gardent leurs retours à la ligne par la classe pre-line', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const call = await firstRow<{ id: number }>(
      db,
      sql`insert into appel (key, title, statut) values ('concertation-csp', 'Projet d’appel', 'brouillon_concertation') returning id::int as id`,
    );
    await db.execute(sql`insert into appel_commentaire (appel_id, section, body) values (${call!.id}, 'phases', ${'Première ligne\nDeuxième ligne'})`);
    const page = await watchedPage();
    await visit(page, `/appels/${call!.id}`);
    const comment = page.locator('p.pre-line', { hasText: 'Première ligne' });
    assert.equal(await comment.evaluate((element) => getComputedStyle(element).whiteSpace), 'pre-line');
    await assertNoViolation(page);
    assertNoPageErrors(page);
  });
});
