/**
 * The maps' base layer through HTTP: the régions and départements Maillage serves itself as a hashed GeoJSON
 * asset (cached for a year, no outside server), named on the search page with the credit its licence asks for;
 * a tile style (MAP_STYLE_URL) replaces it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mapPanel } from '../src/features/atlas/map/views.ts';
import { assetUrl } from '../src/web/assets.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

interface Contour {
  properties: { niveau: string; code: string; nom: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

/** Every [longitude, latitude] pair of a geometry. */
function positions(coordinates: unknown): [number, number][] {
  const list = coordinates as unknown[];
  return typeof list[0] === 'number' ? [list as [number, number]] : list.flatMap(positions);
}

describe('Fond de carte : régions et départements servis par Maillage', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(async () => t.close());

  test('le GeoJSON des contours : 13 régions et 96 départements nommés, en France, léger et mis en cache', async () => {
    const url = assetUrl('contours.geojson');
    assert.match(url, /^\/assets\/contours-[0-9a-f]{10}\.geojson$/);
    const response = await t.app.inject(url);
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/geo\+json/);
    assert.match(response.headers['cache-control'] as string, /max-age=31536000/);
    assert.ok(response.rawPayload.length < 250_000, `${response.rawPayload.length} octets`);
    const collection = response.json() as { type: string; attribution: string; features: Contour[] };
    assert.equal(collection.type, 'FeatureCollection');
    assert.match(collection.attribution, /IGN Admin Express COG 2018 \/ INSEE.*Licence Ouverte/);
    const level = (niveau: string) => collection.features.filter((f) => f.properties.niveau === niveau);
    assert.equal(level('region').length, 13);
    assert.equal(level('departement').length, 96);
    assert.deepEqual(level('departement').find((f) => f.properties.code === '26')?.properties, { niveau: 'departement', code: '26', nom: 'Drôme' });
    assert.ok(level('departement').some((f) => f.properties.code === '2A'));
    for (const feature of collection.features) {
      assert.match(feature.geometry.type, /^(Multi)?Polygon$/);
      for (const [lng, lat] of positions(feature.geometry.coordinates)) {
        assert.ok(lng > -5.5 && lng < 10 && lat > 41 && lat < 51.5, `${feature.properties.nom} : ${lng}, ${lat}`);
      }
    }
  });

  test('la page de recherche donne le fond à la carte et le crédite ; un style de tuiles le remplace', async () => {
    const page = await t.app.inject('/recherche?type=cooperations');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`data-contours="${assetUrl('contours.geojson')}"`));
    assert.match(page.body, /Fond de carte : contours IGN Admin Express COG 2018 \/ INSEE, simplifiés par france-geojson, Licence Ouverte\./);
    // No outside server: what the page may connect to stays Maillage.
    assert.match(page.headers['content-security-policy'] as string, /connect-src 'self'(;|$)/);

    const tiles = String(mapPanel('cooperations', '', { styleUrl: 'https://tuiles.exemple.fr/style.json' }));
    assert.match(tiles, /data-style="https:\/\/tuiles\.exemple\.fr\/style\.json"/);
    assert.doesNotMatch(tiles, /data-contours|Fond de carte : contours/);
  });
});
