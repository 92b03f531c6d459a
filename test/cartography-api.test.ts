import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from './support/app.ts';

describe(`Cartographie analytique`, () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject(url);
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('par besoin et par département : nombre de dispositifs et zones blanches', async () => {
    const coverage = (await get('/api/v1/cartographie?stade=emergence')).json();
    assert.equal(coverage.niveau, 'departement');
    const needs = coverage.besoins.map((b: { code: string }) => b.code);
    assert.ok(needs.includes('tiers_de_confiance') && needs.includes('animation_interne'));
    for (const need of coverage.besoins) {
      assert.equal(need.territoires.length, 109); // 101 départements + 8 collectivités d'outre-mer of the COG
      assert.equal(need.zones_blanches, need.territoires.filter((t: { dispositifs: number }) => t.dispositifs === 0).length);
    }
    // The Haute-Vienne incubator (accompaniment « développement ») adds one scheme in 87 and nowhere else.
    const structuration = coverage.besoins.find((b: { code: string }) => b.code === 'structuration_expertise');
    const count = (code: string) => structuration.territoires.find((t: { code: string }) => t.code === code).dispositifs;
    assert.ok(count('87') > count('26'));
  });

  test('une règle pour la cartographie et l’orientation : un dispositif sans couverture connue compte partout, comme l’orientation le propose', async () => {
    const coverage = (await get('/api/v1/cartographie?stade=emergence')).json();
    assert.ok(coverage.dispositifs_sans_couverture_connue.length > 0);
    assert.match(coverage.regle_couverture, /dont la source ne donne pas la couverture compte partout/);
    assert.equal(coverage.version_regles, 1);
    // Romans (Drôme): every need orientation answers there has at least one scheme in the Drôme on the map.
    const result = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orientation',
        payload: { modele: 'aucun', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26281' },
      })
    ).json() as { dispositifs: { besoins: string[] }[] };
    const answered = new Set(result.dispositifs.flatMap((d) => d.besoins));
    assert.ok(answered.size > 0);
    for (const need of coverage.besoins) {
      const drome = need.territoires.find((territory: { code: string }) => territory.code === '26').dispositifs;
      if (answered.has(need.code)) assert.ok(drome > 0, `${need.code} : proposé par l’orientation, donc pas une zone blanche`);
    }
    const page = await get('/cartographie?stade=emergence');
    assert.match(page.body, /règles de besoins, version 1<\/a>/);
    assert.match(page.body, /<p id="regle-couverture"><strong>Règle :<\/strong> Un dispositif compte sur un territoire quand il répond au besoin/);
  });

  test('par porteur : là où ses dispositifs agissent', async () => {
    const page = await get('/cartographie');
    assert.equal(page.statusCode, 200);
    const porteur = /<option value="([^"]+)" >/.exec(page.body.slice(page.body.indexOf('id="porteur"')))?.[1];
    assert.ok(porteur);
    const filtered = (
      await get(`/api/v1/cartographie?stade=creation&porteur=${encodeURIComponent(porteur!.replace(/&amp;/g, '&').replace(/&#39;/g, "'"))}`)
    ).json();
    assert.equal(filtered.porteur, porteur!.replace(/&amp;/g, '&').replace(/&#39;/g, "'"));
  });

  test('mauvaises entrées', async () => {
    assert.equal((await get('/api/v1/cartographie?stade=adulte')).statusCode, 400);
    const unknown = await get('/api/v1/cartographie?porteur=Personne');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().detail, /Porteur inconnu/);
    assert.match((await get('/api/v1/cartographie?besoin=inexistant')).json().detail, /Besoin inconnu/);
  });
});
