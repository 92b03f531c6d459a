/**
 * The public API and pages of calls: the AMI PTCE 2021 of the demo, its phases as ISO 8601 instants with their
 * Paris offset, the timing computed from the server clock, search in the Atlas's conventions, bad input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

describe(`Appels : API publique et pages`, () => {
  let t: TestApp;
  const json = async (url: string) => {
    const response = await t.app.inject(url);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const at = (iso: string) => setCallsClock(() => new Date(iso));
  let amiId: number;
  before(async () => {
    t = await buildTestApp();
    at('2021-06-01T10:00:00Z');
    amiId = (await json('/api/v1/appels?q=ami%20ptce')).resultats[0].id;
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
  });

  test('fiche de l’AMI PTCE 2021 : organisateurs, dispositif du catalogue, phases avec décalage de Paris, résultats', async () => {
    const ami = await json(`/api/v1/appels/${amiId}`);
    assert.equal(ami.key, 'ami-ptce-2021');
    assert.deepEqual(ami.organisateurs, ["État — Secrétariat d'État chargé de l'Économie sociale, solidaire et responsable", 'DG Trésor']);
    assert.match(ami.dispositif.nom, /AMI national PTCE/);
    const dispositif = await json(`/api/v1/dispositifs/${ami.dispositif.id}`);
    assert.equal(dispositif.key, 'ami-ptce');
    assert.equal(ami.phases.length, 2);
    const [phase1, phase2] = ami.phases;
    assert.equal(phase1.vague, 'Vague 1');
    assert.equal(phase1.ouverture, '2021-05-12T00:00:00.000+02:00');
    assert.equal(phase1.cloture, '2021-06-23T23:59:59.999+02:00');
    assert.equal(phase1.depot, true);
    assert.deepEqual(phase1.resultats, { date: '2021-07-19', texte: 'Lauréats annoncés la semaine du 19 juillet 2021' });
    assert.equal(phase2.ouverture, '2021-07-01T00:00:00.000+02:00');
    assert.equal(phase2.cloture, '2021-11-30T23:59:59.999+01:00'); // winter time by the end of November
    assert.equal(phase2.depot, false);
    assert.match(phase2.description, /100 000 € pour 2 ans/);
    assert.deepEqual(ami.laureats, { min: 15, max: 20 });
    assert.match(ami.budget_texte, /année 3/);
    assert.deepEqual(ami.eligibilite, { stades: ['emergence'], modeles: ['PTCE'] });
    assert.equal(ami.formulaire_version, 1);
    assert.match(ami.source, /004_37a44aab6c3ef982\.txt/);
    assert.equal(ami.exemple, true);
  });

  test('le statut suit l’horloge du serveur : à venir, ouvert jusqu’à 23:59:59.999 le 23 juin, passé 1 ms après', async () => {
    const statusAt = async (iso: string) => {
      at(iso);
      return (await json(`/api/v1/appels/${amiId}`)).statut;
    };
    assert.equal(await statusAt('2021-05-11T21:59:59.999Z'), 'a_venir');
    assert.equal(await statusAt('2021-05-11T22:00:00.000Z'), 'ouvert');
    assert.equal(await statusAt('2021-06-23T21:59:59.999Z'), 'ouvert');
    assert.equal(await statusAt('2021-06-23T22:00:00.000Z'), 'passe');
    for (const [iso, statut, total] of [
      ['2021-06-01T10:00:00Z', 'ouvert', 1],
      ['2021-06-01T10:00:00Z', 'passe', 0],
      ['2021-05-01T10:00:00Z', 'a_venir', 1],
      ['2026-01-01T00:00:00Z', 'passe', 1],
    ] as const) {
      at(iso);
      const found = await json(`/api/v1/appels?statut=${statut}`);
      assert.equal(found.total, total, `${statut} à ${iso}`);
      for (const appel of found.resultats) assert.equal(appel.statut, statut);
    }
    at('2021-06-01T10:00:00Z');
    const list = await json('/api/v1/appels');
    assert.deepEqual(Object.keys(list).sort(), ['page', 'par_page', 'resultats', 'total']);
    assert.equal(list.resultats[0].prochaine_cloture, '2021-06-23T23:59:59.999+02:00');
  });

  test('filtres de territoire : un appel national est disponible dans chaque région et département', async () => {
    assert.equal((await json('/api/v1/appels?region=84')).total, 1);
    assert.equal((await json('/api/v1/appels?departement=2A')).total, 1);
    assert.equal((await json('/api/v1/appels?q=tiers-lieux%20numerique%20inexistant')).total, 0);
    assert.equal((await json('/api/v1/appels?q=emergence%20ptce&par_page=5&page=1')).par_page, 5);
  });

  test('mauvaises entrées : 400 en français (problem+json), appel inconnu 404', async () => {
    for (const [url, status, detail] of [
      ['/api/v1/appels?statut=bientot', 400, /statut/],
      ['/api/v1/appels?region=99', 400, /Code officiel géographique/],
      ['/api/v1/appels?par_page=1000', 400, /par_page/],
      ['/api/v1/appels?page=50', 400, /n'existe pas/],
      ['/api/v1/appels/999999', 404, /Aucun appel/],
      ['/api/v1/appels/abc', 400, /id/],
    ] as const) {
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, status, url);
      assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
      assert.match(response.json().detail, detail, url);
    }
  });

  test('documentées dans OpenAPI', async () => {
    const doc = await json('/api/openapi.json');
    for (const path of [
      '/api/v1/appels',
      '/api/v1/appels/{id}',
      '/api/v1/appels/{id}/candidatures',
      '/api/v1/candidatures/{id}',
      '/api/v1/candidatures/{id}/brouillon',
      '/api/v1/candidatures/{id}/depot',
    ])
      assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/api/v1/appels'].get.parameters.some((p: { name: string }) => p.name === 'statut'));
  });

  test('pages : liste et fiche en français, heures de Paris, bouton « Candidater » quand c’est ouvert', async () => {
    at('2021-06-01T10:00:00Z');
    const list = await t.app.inject('/appels');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /AMI national PTCE 2021/);
    const detail = await t.app.inject(`/appels/${amiId}`);
    assert.match(detail.body, /23 juin 2021 à 23:59:59 \(heure de Paris\)/);
    assert.match(detail.body, /30 novembre 2021 à 23:59:59/);
    assert.match(detail.body, /semaine du 19 juillet 2021/);
    assert.match(detail.body, /href="\/appels\/\d+\/candidater"/);
    at('2021-06-23T22:00:00.000Z');
    const closed = await t.app.inject(`/appels/${amiId}`);
    assert.doesNotMatch(closed.body, /\/candidater"/);
    assert.match(closed.body, /dépôt des candidatures est clos/);
    assert.equal((await t.app.inject('/appels/424242')).statusCode, 404);
  });
});
