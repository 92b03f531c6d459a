/**
 * An embed inside a partner's page served from another origin, in a real Chromium: the list renders, MapLibre
 * draws the clusters of Maillage's API inside the frame, while an ordinary Maillage page refuses to be framed.
 * The embed and the « Intégrer » page are checked with axe-core (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 120_000 };
const EMBED = '/integration/carte?type=cooperations&region=84&titre=Coop%C3%A9rations%20de%20notre%20r%C3%A9gion';

describeE2E('Intégration chez un partenaire (Chromium, autre origine, axe-core)', (e2e) => {
  let partner: Server;
  let partnerOrigin: string;

  before(async () => {
    // The partner's site: another port is another origin.
    partner = createServer((request, response) => {
      const src = request.url === '/interdit' ? `${e2e.baseUrl}/recherche` : `${e2e.baseUrl}${EMBED}`;
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site du partenaire</title></head>
<body><main><h1>Le réseau partenaire</h1>
<iframe id="maillage" src="${src}" title="Coopérations de notre région" width="1000" height="800"></iframe>
</main></body></html>`);
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    partnerOrigin = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => partner.close(() => resolve())));

  /** A page allowed to reach Maillage and the partner's site, nothing else. */
  async function partnerPage(): Promise<Page> {
    const context = await e2e.browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } });
    await context.route(
      (url) => url.origin !== e2e.baseUrl && url.origin !== partnerOrigin,
      (route) => route.abort('blockedbyclient'),
    );
    return context.newPage();
  }

  test('la carte et la liste s’affichent dans le cadre d’un autre site', TIMEOUT, async () => {
    const page = await partnerPage();
    const clusters = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/carte/clusters');
    await page.goto(`${partnerOrigin}/`, { waitUntil: 'load' });
    const frame = page.frameLocator('#maillage');
    await frame.locator('h1').waitFor();
    assert.equal(await frame.locator('h1').textContent(), 'Coopérations de notre région');
    assert.ok((await frame.locator('ol.result-list > li').count()) > 0, 'la liste montre des coopérations');
    const link = frame.getByRole('link', { name: /Voir sur Maillage/ });
    assert.equal(await link.getAttribute('rel'), 'noopener');
    assert.equal(await link.evaluate((a) => (a as HTMLAnchorElement).target || document.querySelector('base')?.target), '_blank');

    const response = await clusters;
    assert.equal(response.status(), 200);
    assert.equal(new URL(response.url()).searchParams.get('region'), '84');
    await frame.locator('#carte canvas.maplibregl-canvas').waitFor({ state: 'visible' });
    await screenshot(page, 'integration-partenaire');
    await page.context().close();
  });

  test('une page ordinaire de Maillage refuse d’être encadrée par un autre site', TIMEOUT, async () => {
    const page = await partnerPage();
    await page.goto(`${partnerOrigin}/interdit`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame);
    const shown = await frame.evaluate(() => document.querySelector('#contenu') !== null).catch(() => false);
    assert.equal(shown, false, 'le contenu de /recherche ne s’affiche pas dans le cadre');
    await page.context().close();
  });

  test('accessibilité de l’intégration et de la page « Intégrer », au clavier', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, EMBED);
    await page.locator('#carte canvas.maplibregl-canvas').waitFor({ state: 'visible' });
    await assertAccessible(page, 'intégration avec la carte dessinée');
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /Voir sur Maillage/);
    assertNoPageErrors(page);

    await visit(page, '/recherche?type=cooperations&region=84');
    await page.getByRole('link', { name: 'Intégrer cette recherche dans votre site' }).click();
    await page.waitForURL(/\/integration\?type=cooperations&region=84/);
    await assertAccessible(page, 'page « Intégrer »');
    await page.getByLabel('Titre affiché').fill('Notre réseau');
    await page.getByLabel('une carte avec la liste').check();
    await page.getByRole('button', { name: 'Obtenir le code' }).click();
    await page.waitForURL(/titre=Notre/);
    assert.match(
      (await page.locator('#code-integration').textContent()) ?? '',
      /^<iframe src="http:\/\/localhost:3000\/integration\/carte\?type=cooperations&amp;region=84&amp;titre=Notre\+r%C3%A9seau"/,
    );
    const preview = page.frameLocator('iframe[title^="Aperçu"]');
    assert.equal(await preview.locator('h1').textContent(), 'Notre réseau');
    await assertAccessible(page, 'page « Intégrer » avec le code et l’aperçu');

    await page.getByLabel('Hauteur').fill('20');
    await page.getByRole('button', { name: 'Obtenir le code' }).click();
    await page.waitForURL(/hauteur=20/);
    await assertAccessible(page, 'page « Intégrer » avec une erreur');
    await page.getByRole('link', { name: /Hauteur : / }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'hauteur');
    assertNoPageErrors(page);
  });
});
