import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from './support/app.ts';

describe(`Catalogue des dispositifs`, () => {
  let t: TestApp;
  const json = async (url: string) => (await t.app.inject(url)).json();
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('le catalogue de départ contient les dispositifs nommés par les documents', async () => {
    const all = await json('/api/v1/dispositifs?par_page=100');
    assert.ok(all.total >= 40);
    const names = all.resultats.map((d: { nom: string }) => d.nom);
    assert.ok(names.some((n: string) => /DLA/.test(n)));
    assert.ok(names.some((n: string) => /AMI national PTCE/.test(n)));
  });

  test('recherche sans accents, facettes par type, filtres', async () => {
    const found = await json('/api/v1/dispositifs?q=pret%20participatif');
    assert.equal(found.resultats[0].nom, 'Prêts participatifs');
    const loans = await json('/api/v1/dispositifs?type=pret&par_page=100');
    assert.ok(loans.total > 0);
    assert.ok(loans.resultats.every((d: { types_financement: string[] }) => d.types_financement.includes('pret')));
    assert.ok(loans.facettes.type.some((f: { valeur: string; nombre: number }) => f.valeur === 'pret' && f.nombre === loans.total));
    const financing = await json('/api/v1/dispositifs?nature=financement&par_page=100');
    assert.ok(financing.resultats.every((d: { types_financement: string[] }) => d.types_financement.length > 0));
  });

  test('disponibles sur un territoire : nationaux, couvrant le territoire, sans couverture connue — pas les autres départements', async () => {
    const herault = await json('/api/v1/dispositifs?departement=34&par_page=100'); // ancien Languedoc-Roussillon
    const drome = await json('/api/v1/dispositifs?departement=26&par_page=100');
    const names = (r: { resultats: { nom: string }[] }) => r.resultats.map((d) => d.nom);
    assert.ok(names(herault).some((n) => /Alter'Incub/.test(n)));
    assert.ok(!names(drome).some((n) => /Alter'Incub/.test(n)));
    assert.ok(!names(drome).some((n) => /Haute-Vienne/.test(n)));
    assert.ok(names(drome).some((n) => /DLA/.test(n)));
    const commune = await json('/api/v1/dispositifs?commune=87085&par_page=100'); // Limoges, Haute-Vienne
    assert.ok(names(commune).some((n) => /Haute-Vienne/.test(n)));
  });

  test('fiche : champs « à compléter » et calendrier de l’AMI PTCE en heure de Paris', async () => {
    const ami = (await json('/api/v1/dispositifs?q=ami%20ptce')).resultats[0];
    const detail = await json(`/api/v1/dispositifs/${ami.id}`);
    assert.equal(detail.key, 'ami-ptce');
    assert.match(detail.source, /004_37a44aab6c3ef982\.txt/);
    assert.ok(detail.a_completer.includes('contact'));
    const cloture = detail.calendrier.cloture ?? detail.calendrier.vagues?.[0]?.cloture;
    assert.equal(new Date(cloture).toISOString(), '2021-06-23T21:59:59.999Z');
    const page = await t.app.inject(`/dispositifs/${ami.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /à compléter/);
    assert.match(page.body, /23 juin 2021 à 23:59/);
  });

  test('mauvaises entrées', async () => {
    for (const [url, status, detail] of [
      ['/api/v1/dispositifs?stade=adolescence', 400, /stade/],
      ['/api/v1/dispositifs?type=inconnu', 400, /type/],
      ['/api/v1/dispositifs?commune=99999', 400, /Commune inconnue/],
      ['/api/v1/dispositifs/123456', 404, /Aucun dispositif/],
    ] as const) {
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, status, url);
      assert.match(response.json().detail, detail, url);
    }
  });
});
