/** The tab icon: /favicon.ico (asked by browsers unbidden) and the SVG linked by every page, both cached. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assetUrl } from '../src/web/assets.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

describe('Icône de Maillage', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(async () => t.close());

  test('/favicon.ico : une icône ICO (16, 32 et 48 px), mise en cache un mois', async () => {
    const response = await t.app.inject('/favicon.ico');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/x-icon');
    assert.equal(response.headers['cache-control'], 'public, max-age=2592000');
    const icon = response.rawPayload;
    assert.deepEqual([...icon.subarray(0, 4)], [0, 0, 1, 0], 'en-tête ICO');
    const sizes = Array.from({ length: icon.readUInt16LE(4) }, (_, i) => icon[6 + 16 * i]);
    assert.deepEqual(sizes, [16, 32, 48]);
    const first = icon.readUInt32LE(6 + 12);
    assert.equal(icon.subarray(first + 1, first + 4).toString('latin1'), 'PNG');
  });

  test('chaque page lie l’icône, et sa version SVG est servie comme ressource à empreinte', async () => {
    const home = await t.app.inject('/');
    assert.match(home.body, /<link rel="icon" href="\/favicon\.ico" sizes="16x16 32x32 48x48">/);
    const svgUrl = assetUrl('favicon.svg');
    assert.ok(home.body.includes(`<link rel="icon" href="${svgUrl}" type="image/svg+xml">`));
    const svg = await t.app.inject(svgUrl);
    assert.equal(svg.statusCode, 200);
    assert.match(svg.headers['content-type'] as string, /^image\/svg\+xml/);
    assert.match(svg.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*><title>Maillage<\/title>/);
  });
});
