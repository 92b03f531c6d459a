import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { atlasEntities } from '../src/features/atlas/entities.ts';
import { ClusterCache, invalidateClusterCache } from '../src/features/atlas/map/clusters.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { cluster?: true; nombre?: number; cluster_id?: number; zoom_expansion?: number; id?: number; nom?: string; url?: string };
}
interface Collection {
  type: 'FeatureCollection';
  features: Feature[];
}

const FRANCE = '-5.5,41.2,9.8,51.2';
const WORLD = '-180,-90,180,90';

/** Records a collection stands for: the sum of its clusters and its single points. */
const represented = (collection: Collection) => collection.features.reduce((sum, f) => sum + (f.properties.cluster ? f.properties.nombre! : 1), 0);

describe(`Carte : regroupements`, () => {
  let t: TestApp;
  const get = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    return { status: response.statusCode, type: String(response.headers['content-type']), json: () => response.json() };
  };
  const clusters = async (query: string) => {
    const response = await get(`/api/v1/carte/clusters?${query}`);
    assert.equal(response.status, 200, `clusters?${query}`);
    assert.match(response.type, /^application\/geo\+json/);
    return response.json() as Collection;
  };
  const located = async (table: 'organisation' | 'cooperation', where = sql`true`) =>
    (await firstRow<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from ${sql.raw(table)}
      where latitude is not null and longitude is not null and ${where}`,
    ))!.n;

  before(async () => {
    t = await buildTestApp();
    // Located structures of our own (the demo has few): 30 around Valence (Drôme), 12 in Grenoble (Isère),
    // two at the very same place in Paris, one without coordinates.
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code, epci_code, latitude, longitude, source)
      select 'Carte test ' || c.code || ' ' || g, c.code, c.departement_code, c.region_code, c.epci_code,
        v.lat + (g % 6) * 0.01, v.lon + (g / 6) * 0.01, 'test'
      from (values ('26362', 44.93, 4.89, 30), ('38185', 45.19, 5.72, 12)) as v(code, lat, lon, n)
      join commune c on c.code = v.code
      cross join lateral generate_series(1, v.n) as g`);
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code, latitude, longitude, source)
      values ('Carte test Paris A', '75056', '75', '11', 48.8566, 2.3522, 'test'),
             ('Carte test Paris B', '75056', '75', '11', 48.8566, 2.3522, 'test'),
             ('Carte test sans coordonnées', '75056', '75', '11', null, null, 'test')`);
  });
  after(() => t.close());

  test('les regroupements sur la France comptent toutes les fiches localisées', async () => {
    for (const [type, table] of [
      ['organisations', 'organisation'],
      ['cooperations', 'cooperation'],
    ] as const) {
      for (const zoom of [0, 3, 5, 8, 12, 20]) {
        const world = await clusters(`type=${type}&bbox=${WORLD}&zoom=${zoom}`);
        assert.equal(world.type, 'FeatureCollection');
        assert.equal(represented(world), await located(table), `${type}, monde, zoom ${zoom}`);
      }
      const france = await clusters(`type=${type}&bbox=${FRANCE}&zoom=5`);
      assert.equal(represented(france), await located(table, sql`longitude between -5.5 and 9.8 and latitude between 41.2 and 51.2`));
    }
    // cooperations is the default type
    const byDefault = await clusters(`bbox=${WORLD}&zoom=4`);
    assert.equal(represented(byDefault), await located('cooperation'));
    assert.ok((await located('organisation')) >= 44);
  });

  test('un regroupement donne son nombre, son identifiant et son zoom d’expansion ; une fiche seule son nom et son adresse', async () => {
    const france = await clusters(`type=organisations&bbox=${FRANCE}&zoom=5`);
    const cluster = france.features.find((f) => f.properties.cluster && f.properties.nombre! >= 30);
    assert.ok(cluster, 'Valence forme un regroupement au zoom 5');
    assert.equal(cluster.geometry.type, 'Point');
    assert.ok(Number.isInteger(cluster.properties.cluster_id));
    assert.ok(cluster.properties.zoom_expansion! > 5 && cluster.properties.zoom_expansion! <= 17);
    const [lon, lat] = cluster.geometry.coordinates;
    assert.ok(lon > 4.8 && lon < 5.8 && lat > 44.8 && lat < 45.3);

    // At the expansion zoom, the same place shows several features.
    const z = cluster.properties.zoom_expansion!;
    const around = await clusters(`type=organisations&bbox=${lon - 1},${lat - 1},${lon + 1},${lat + 1}&zoom=${z}`);
    assert.ok(around.features.length > 1);

    // Above the clustering zooms every record stands alone, even two at the same place.
    const street = await clusters('type=organisations&bbox=2.35,48.85,2.36,48.86&zoom=18');
    const paris = street.features.filter((f) => f.properties.nom?.startsWith('Carte test Paris'));
    assert.equal(paris.length, 2);
    for (const point of paris) {
      assert.equal(point.properties.cluster, undefined);
      assert.equal(point.properties.url, `/organisations/${point.properties.id}`);
      assert.deepEqual(point.geometry.coordinates, [2.3522, 48.8566]);
    }
    const page = await t.app.inject({ method: 'GET', url: paris[0]!.properties.url! });
    assert.equal(page.statusCode, 200);
  });

  test('un filtre (département, texte) réduit les comptes', async () => {
    const all = represented(await clusters(`type=organisations&bbox=${WORLD}&zoom=6`));
    const drome = represented(await clusters(`type=organisations&bbox=${WORLD}&zoom=6&departement=26`));
    assert.equal(drome, await located('organisation', sql`departement_code = '26'`));
    assert.ok(drome >= 30 && drome < all);
    const isere = represented(await clusters(`type=organisations&bbox=${WORLD}&zoom=6&region=84&commune=38185`));
    assert.equal(isere, 12);
    const text = await clusters(`type=organisations&bbox=${WORLD}&zoom=20&q=${encodeURIComponent('Carte test Paris')}`);
    assert.ok(text.features.every((f) => !f.properties.cluster && f.properties.nom!.includes('Carte test')));
    assert.ok(text.features.some((f) => f.properties.nom === 'Carte test Paris A'));
    const none = await clusters(`type=cooperations&bbox=${WORLD}&zoom=6&departement=2A`);
    assert.equal(represented(none), await located('cooperation', sql`departement_code = '2A'`));
  });

  test('invalidateClusterCache() rend visibles les fiches ajoutées', async () => {
    const before = represented(await clusters(`type=organisations&bbox=${WORLD}&zoom=2`));
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code, latitude, longitude, source)
      values ('Carte test ajoutée', '26362', '26', '84', 44.95, 4.9, 'test')`);
    invalidateClusterCache();
    const afterInsert = represented(await clusters(`type=organisations&bbox=${WORLD}&zoom=2`));
    assert.equal(afterInsert, before + 1);
  });

  test('le cache : index partagé, rafraîchi après expiration si les données ont changé, LRU borné', async () => {
    const quiet = { debug: () => {}, warn: () => {} };
    const cache = new ClusterCache(t.database.db, quiet, { maxEntries: 2, maxPoints: 1_000_000, ttlMs: 0 });
    const organisations = atlasEntities.organisations;
    const [first, same] = await Promise.all([cache.get(organisations, {}), cache.get(organisations, {})]);
    assert.equal(first, same, 'deux requêtes simultanées partagent la même construction');
    assert.equal(first.points, await located('organisation'));

    // Expired but unchanged: the same index is served, and kept after the check.
    assert.equal(await cache.get(organisations, {}), first);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await cache.get(organisations, {}), first);

    // Expired and changed: the stale index is served once, the rebuilt one afterwards.
    await t.database.db.execute(sql`insert into organisation (name, latitude, longitude, source) values ('Carte test cache', 45, 5, 'test')`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await cache.get(organisations, {}), first);
    let rebuilt = first;
    for (let i = 0; i < 50 && rebuilt === first; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rebuilt = await cache.get(organisations, {});
    }
    assert.notEqual(rebuilt, first);
    assert.equal(rebuilt.points, first.points + 1);

    await cache.get(organisations, { departement: '26' });
    await cache.get(organisations, { departement: '38' });
    assert.equal(cache.size, 2);
  });

  test('un cadre hors limites est refusé en français (400, problem+json)', async () => {
    const cases: [string, RegExp][] = [
      ['bbox=-200,41,10,51&zoom=5', /longitude ouest \(-200\) doit être comprise entre -180 et 180/],
      ['bbox=-5,41,181,51&zoom=5', /longitude est \(181\) doit être comprise entre -180 et 180/],
      ['bbox=-5,-91,10,51&zoom=5', /latitude sud \(-91\) doit être comprise entre -90 et 90/],
      ['bbox=-5,41,10,95&zoom=5', /latitude nord \(95\) doit être comprise entre -90 et 90/],
      ['bbox=170,-20,-170,20&zoom=5', /antiméridien n’est pas pris en charge/],
      ['bbox=-5,51,10,41&zoom=5', /sud \(51\) doit être inférieur à nord \(41\)/],
      ['bbox=-5,41,10&zoom=5', /4 nombres attendus/],
      ['bbox=a,b,c,d&zoom=5', /4 nombres attendus/],
      ['bbox=-5,41,Infinity,51&zoom=5', /4 nombres attendus/],
      ['zoom=5', /bbox.*paramètre obligatoire/],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/api/v1/carte/clusters?${query}`);
      assert.equal(response.status, 400, query);
      assert.match(response.type, /^application\/problem\+json/);
      const problem = response.json();
      assert.equal(problem.status, 400);
      assert.equal(problem.title, 'Requête invalide');
      assert.match(problem.detail, message, query);
      assert.match(problem.detail, /« bbox »/);
    }
  });

  test('un zoom hors limites est refusé (400)', async () => {
    for (const zoom of ['21', '-1', '3.5', 'loin', '']) {
      const response = await get(`/api/v1/carte/clusters?bbox=${FRANCE}&zoom=${zoom}`);
      assert.equal(response.status, 400, `zoom=${zoom}`);
      assert.match(response.type, /^application\/problem\+json/);
      assert.match(response.json().detail, /« zoom » : .*entier de 0 à 20/);
    }
  });

  test('les autres paramètres sont vérifiés comme ceux de la recherche', async () => {
    const unknown = await get(`/api/v1/carte/clusters?bbox=${FRANCE}&zoom=5&departement=999`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.json().detail, /999/);
    const badType = await get(`/api/v1/carte/clusters?bbox=${FRANCE}&zoom=5&type=communes`);
    assert.equal(badType.status, 400);
    assert.match(badType.json().detail, /« type »/);
  });

  test('la route est décrite dans le document OpenAPI', async () => {
    const document = (await get('/api/openapi.json')).json();
    const operation = document.paths['/api/v1/carte/clusters'].get;
    const names = operation.parameters.map((p: { name: string }) => p.name);
    for (const name of ['bbox', 'zoom', 'type', 'q', 'departement', 'region']) assert.ok(names.includes(name), name);
    const bbox = operation.parameters.find((p: { name: string }) => p.name === 'bbox');
    assert.equal(bbox.required, true);
    assert.match(bbox.description, /ouest,sud,est,nord/);
    assert.ok(document.paths['/api/v1/carte/choropleth'].get);
  });
});
