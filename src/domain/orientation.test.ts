import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { needsRules } from '../data/catalogue/regles-besoins.ts';
import type { CooperationProfile } from './needs.ts';
import { seedDispositifs } from '../data/catalogue/dispositifs.ts';
import { coversPlace, namedProfile, orient, profileIneligibility, type OrientationRequest, type SchemeForOrientation } from './orientation.ts';
import { scheme } from './test-fixtures.ts';

const profile: CooperationProfile = { modele: 'aucun', finalite: 'ciblee', modele_economique: 'hybride', stade: 'emergence', nouveaux_chantiers: false };
// Romans-sur-Isère: commune 26281, CA Valence Romans Agglo (200068781), Drôme (26), Auvergne-Rhône-Alpes (84).
const romans = { commune: '26281', epci: '200068781', departement: '26', region: '84', label: 'Romans-sur-Isère' };
const request = (overrides: Partial<OrientationRequest> = {}): OrientationRequest => ({
  profile,
  place: romans,
  formesJuridiques: ['9220'],
  agrementEsus: false,
  now: new Date('2021-06-01T10:00:00Z'),
  ...overrides,
});

const tiersDeConfiance = scheme({
  id: 1,
  nom: 'Tiers de confiance de la Drôme',
  types_accompagnement: ['tiers_de_confiance'],
  couverture: { niveau: 'departement', codes: ['26'], libelle: 'Drôme' },
});

describe('orientation', () => {
  test('un dispositif qui couvre un besoin, éligible et disponible, est recommandé avec son « pourquoi »', () => {
    const result = orient(request(), needsRules, [tiersDeConfiance]);
    assert.equal(result.dispositifs.length, 1);
    assert.deepEqual(result.dispositifs[0]!.besoins, ['tiers_de_confiance']);
    assert.match(result.dispositifs[0]!.pourquoi, /Tiers de confiance/);
    assert.match(result.dispositifs[0]!.pourquoi, /Drôme/);
    assert.ok(!result.besoins_non_couverts.some((n) => n.code === 'tiers_de_confiance'));
    assert.ok(result.besoins_non_couverts.some((n) => n.code === 'animation_interne'));
    const unknownCoverage = orient(request(), needsRules, [{ ...tiersDeConfiance, couverture: null }]);
    assert.match(unknownCoverage.dispositifs[0]!.pourquoi, /Couverture géographique non précisée/);
  });

  test('territoire : juste dedans, juste dehors (commune de l’Ardèche voisine), partiel', () => {
    const guilherand = { commune: '07102', epci: '200041465', departement: '07', region: '84', label: 'Guilherand-Granges' };
    const outside = orient(request({ place: guilherand }), needsRules, [tiersDeConfiance]);
    assert.equal(outside.dispositifs.length, 0);
    assert.match(outside.quasi_eligibles[0]!.raison, /hors territoire \(Drôme\)/);
    assert.equal(coversPlace(tiersDeConfiance.couverture, { region: '84', label: 'Auvergne-Rhône-Alpes' }), 'partiel');
    assert.equal(coversPlace({ niveau: 'commune', codes: ['26281'], libelle: 'Romans' }, romans), true);
    assert.equal(coversPlace({ niveau: 'epci', codes: ['200068781'], libelle: 'Valence Romans' }, { ...romans, epci: '200040715' }), false);
  });

  test('échéance : 23:59:59 heure de Paris est dans les temps, 00:00:00 ne l’est plus', () => {
    const dated = {
      ...tiersDeConfiance,
      calendrier: { type: 'date' as const, ouverture: '2021-05-12T00:00:00+02:00', cloture: '2021-06-23T23:59:59.999+02:00' },
    };
    assert.equal(orient(request({ now: new Date('2021-06-23T21:59:59Z') }), needsRules, [dated]).dispositifs.length, 1);
    const late = orient(request({ now: new Date('2021-06-23T22:00:00Z') }), needsRules, [dated]);
    assert.equal(late.dispositifs.length, 0);
    assert.equal(late.quasi_eligibles[0]!.raison, 'échéance passée');
    const early = orient(request({ now: new Date('2021-05-01T10:00:00Z') }), needsRules, [dated]);
    assert.match(early.quasi_eligibles[0]!.raison, /pas encore ouvert \(ouverture le 12 mai 2021\)/);
  });

  test('forme juridique et agrément ESUS', () => {
    const scop = { ...tiersDeConfiance, formes_juridiques: ['54', '57'] };
    assert.match(orient(request(), needsRules, [scop]).quasi_eligibles[0]!.raison, /forme juridique non éligible/);
    assert.equal(orient(request({ formesJuridiques: ['5710'] }), needsRules, [scop]).dispositifs.length, 1);
    const esus = { ...tiersDeConfiance, esus_requis: true };
    assert.equal(orient(request(), needsRules, [esus]).quasi_eligibles[0]!.raison, 'agrément ESUS requis');
    assert.equal(orient(request({ agrementEsus: true }), needsRules, [esus]).dispositifs.length, 1);
  });

  test('un dispositif qui échoue sur plus de deux critères n’est pas un « quasi-éligible »', () => {
    const far = {
      ...tiersDeConfiance,
      stades: ['consolidation' as const],
      esus_requis: true,
      couverture: { niveau: 'departement' as const, codes: ['75'], libelle: 'Paris' },
    };
    const result = orient(request(), needsRules, [far]);
    assert.equal(result.dispositifs.length + result.quasi_eligibles.length, 0);
  });

  test('classement : ce qui est conçu pour le profil passe avant ce qui l’accepte seulement, même s’il couvre plus de besoins', () => {
    const broad = scheme({ id: 2, nom: 'Large', types_accompagnement: ['animation', 'developpement'], types_financement: ['subvention_projet'] });
    const ptce = scheme({ id: 3, nom: 'Pour PTCE', types_accompagnement: ['animation'], modeles: ['PTCE'] });
    const result = orient(request({ profile: { ...profile, modele: 'PTCE' } }), needsRules, [broad, ptce]);
    assert.deepEqual(
      result.dispositifs.map((d) => d.nom),
      ['Pour PTCE', 'Large'],
    );
    assert.ok(result.dispositifs[0]!.score > result.dispositifs[1]!.score);
    assert.match(
      result.dispositifs[0]!.pourquoi,
      /Conçu pour le modèle « Pôle territorial de coopération économique \(PTCE\) » : classé avant les dispositifs qui acceptent seulement votre profil\./,
    );
    assert.match(result.dispositifs[1]!.pourquoi, /Dispositif généraliste : il accepte votre profil sans lui être destiné/);
  });

  test('classement : le modèle pèse plus que la typologie, qui pèse plus que le stade ; à égalité, les besoins couverts', () => {
    const kinds = { types_accompagnement: ['animation' as const] };
    const candidates = [
      scheme({ id: 1, nom: 'A généraliste', ...kinds, types_financement: ['subvention_projet', 'convention_pluriannuelle'] }),
      scheme({ id: 2, nom: 'B stade', ...kinds, stades: ['emergence'] }),
      scheme({ id: 3, nom: 'C systémique', ...kinds, finalites: ['systemique'] }),
      scheme({ id: 4, nom: 'D PTCE', ...kinds, modeles: ['PTCE'] }),
      scheme({ id: 5, nom: 'E PTCE en émergence', ...kinds, modeles: ['PTCE'], stades: ['emergence'] }),
    ];
    const result = orient(request({ profile: { ...profile, modele: 'PTCE', finalite: 'systemique' } }), needsRules, candidates);
    assert.deepEqual(
      result.dispositifs.map((d) => d.nom),
      ['E PTCE en émergence', 'D PTCE', 'C systémique', 'B stade', 'A généraliste'],
    );
    assert.match(result.dispositifs[0]!.pourquoi, /Conçu pour le modèle « [^»]+ » et le stade « Émergence »/);
  });

  test('classement sur le catalogue : un PTCE en émergence (1re matrice) et un PTCE en consolidation (2e matrice)', () => {
    const catalogue = seedDispositifs.map(
      (d, i): SchemeForOrientation => ({
        ...d,
        id: i + 1,
        actif: true,
        calendrier: null,
        couverture: d.couverture && { ...d.couverture, libelle: d.couverture.niveau },
      }),
    );
    const madeFor = (s: SchemeForOrientation, p: CooperationProfile) => namedProfile(s, p).length > 0;
    for (const stade of ['emergence', 'consolidation'] as const) {
      const ptce: CooperationProfile = { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade, nouveaux_chantiers: true };
      const result = orient(request({ profile: ptce, now: new Date('2026-01-01T10:00:00Z') }), needsRules, catalogue);
      const byId = new Map(catalogue.map((s) => [s.id, s]));
      const flags = result.dispositifs.map((d) => madeFor(byId.get(d.id)!, ptce));
      assert.ok(flags.includes(true) && flags.includes(false), stade);
      assert.equal(flags.indexOf(false), flags.lastIndexOf(true) + 1, `${stade} : tous les dispositifs conçus pour le profil d’abord`);
      assert.match(result.dispositifs[0]!.pourquoi, /Conçu pour .*le stade « /, stade);
      const plie = result.dispositifs.findIndex((d) => d.nom === 'PLIE');
      assert.ok(plie > flags.lastIndexOf(true), `${stade} : le PLIE, généraliste, vient après`);
    }
  });

  test('éligibilité du profil, une règle pour les dispositifs et les appels : chaque raison dit ce qui manque', () => {
    const ami = { stades: ['emergence' as const], modeles: ['PTCE' as const] };
    assert.deepEqual(profileIneligibility(ami, { stade: 'emergence', modele: 'PTCE' }, [], false), []);
    assert.deepEqual(profileIneligibility(ami, { stade: 'creation', modele: 'PTCE' }, [], false), [
      'réservé aux stades « Émergence » : votre coopération est au stade « Création »',
    ]);
    assert.deepEqual(profileIneligibility(ami, {}, [], false), [
      'réservé aux stades « Émergence » : stade non renseigné',
      'réservé aux Pôle territorial de coopération économique (PTCE) : modèle non renseigné',
    ]);
    const strict = { finalites: ['systemique' as const], modeles_economiques: ['marchande' as const], formes_juridiques: ['54'], esus_requis: true };
    assert.deepEqual(profileIneligibility(strict, { finalite: 'systemique', modele_economique: 'marchande' }, ['5499'], true), []);
    assert.deepEqual(profileIneligibility(strict, { finalite: 'ciblee', modele_economique: 'hybride' }, ['9220'], false).length, 4);
    // Empty lists and an absent ESUS requirement restrict nothing.
    assert.deepEqual(profileIneligibility({ stades: [], esus_requis: false }, {}, [], false), []);
  });
});
