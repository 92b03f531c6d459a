/**
 * The maps in a real browser: MapLibre draws the server's clusters over France's régions and départements
 * with nothing but Maillage (no tile, glyph or style server), the keyboard zooms and leaves the map, and the
 * choropleth page works without script, each area being a named link. Every page is checked with axe-core (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Request } from 'playwright-core';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 120_000 };
const isClusters = (url: string) => new URL(url).pathname === '/api/v1/carte/clusters';

describeE2E('Cartes de bout en bout (Chromium, axe-core)', (e2e) => {
  test('carte MapLibre : regroupements de l’API, sans serveur externe, zoom au clavier sans piège', TIMEOUT, async () => {
    const page = await e2e.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request: Request) => {
      if (!request.url().endsWith('/favicon.ico')) failed.push(`${request.url()} (${request.failure()?.errorText})`);
    });
    const worker = page.waitForResponse((response) => new URL(response.url()).pathname === '/carte/maplibre-gl-worker.mjs');
    const firstClusters = page.waitForResponse((response) => isClusters(response.url()));
    const contours = page.waitForResponse((response) => /^\/assets\/contours-[0-9a-f]{10}\.geojson$/.test(new URL(response.url()).pathname));
    await visit(page, '/recherche?type=cooperations');

    assert.equal((await worker).status(), 200);
    const first = await firstClusters;
    assert.equal(first.status(), 200);
    assert.match(first.headers()['content-type'] ?? '', /^application\/geo\+json/);
    const firstUrl = new URL(first.url());
    assert.equal(firstUrl.searchParams.get('type'), 'cooperations');
    assert.match(firstUrl.searchParams.get('bbox') ?? '', /^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/);
    const firstZoom = Number(firstUrl.searchParams.get('zoom'));
    const collection = (await first.json()) as { type: string; features: unknown[] };
    assert.equal(collection.type, 'FeatureCollection');
    assert.ok(collection.features.length > 0, 'la démo compte des coopérations localisées');

    const canvas = page.locator('#carte canvas.maplibregl-canvas');
    await canvas.waitFor({ state: 'visible' });
    assert.match((await canvas.getAttribute('aria-label')) ?? '', /Carte interactive/);
    // France under the points: the régions and départements of Maillage's own GeoJSON, drawn below the clusters.
    assert.equal((await contours).status(), 200);
    await page.locator('#carte[data-couches]').waitFor({ state: 'attached' });
    const layers = ((await page.locator('#carte').getAttribute('data-couches')) ?? '').split(' ');
    const order = ['fond', 'departements', 'departements-limites', 'regions-limites', 'grappes', 'points'].map((id) => layers.indexOf(id));
    assert.ok(
      order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!)),
      layers.join(' '),
    );
    assert.ok(await page.getByText(/^Fond de carte : contours IGN Admin Express COG 2018/).isVisible());
    await assertAccessible(page, 'recherche avec la carte dessinée');
    await screenshot(page, 'carte-regroupements');

    // Keyboard: « + » zooms in, the map asks for the clusters of the new zoom.
    await canvas.focus();
    const zoomed = page.waitForRequest((request) => isClusters(request.url()) && Number(new URL(request.url()).searchParams.get('zoom')) > firstZoom);
    await page.keyboard.press('+');
    await zoomed;

    // Tab leaves the canvas: through the two zoom buttons, then out of the map.
    const outside = async () => page.evaluate(() => !document.activeElement?.closest('#carte'));
    let left = false;
    for (let i = 0; i < 4 && !left; i++) {
      await page.keyboard.press('Tab');
      left = await outside();
    }
    assert.ok(left, 'la touche Tab sort de la carte');

    assert.deepEqual(failed, [], 'aucune requête hors de Maillage ni en échec');
    assertNoPageErrors(page);
  });

  test('carte choroplèthe : page accessible sans script, chaque département est un lien nommé', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/carte?type=cooperations&niveau=departement');
    const map = page.getByRole('group', { name: 'Coopérations par département' });
    assert.ok(await map.isVisible());
    const drome = map.getByRole('link', { name: /^Drôme : \d+ coopérations?$/ });
    assert.equal(await drome.count(), 1);
    assert.equal(await map.getByRole('link').count(), 101);
    const table = page.getByRole('table', { name: 'Coopérations par département' });
    assert.ok(await table.getByRole('link', { name: 'Drôme' }).isVisible());
    await screenshot(page, 'carte-choroplethe');

    // A keyboard user reaches the area and follows it to the list.
    await drome.focus();
    await Promise.all([page.waitForURL(/\/recherche\?type=cooperations&departement=26$/), page.keyboard.press('Enter')]);
    await assertAccessible(page, 'liste de la Drôme');

    await visit(page, '/carte?type=organisations&niveau=region');
    const regions = page.getByRole('group', { name: 'Structures par région' });
    assert.equal(await regions.getByRole('link').count(), 18);
    assert.equal(await regions.getByRole('link', { name: /^La Réunion : \d+ structures?$/ }).count(), 1);
    assertNoPageErrors(page);
  });
});
