import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { needsRules } from '../data/catalogue/regles-besoins.ts';
import { changedRules, deriveNeeds, reviseRules, type CooperationProfile } from './needs.ts';
import type { RuleError } from './rule-error.ts';

const codes = (profile: CooperationProfile) =>
  deriveNeeds(profile, needsRules)
    .map((rule) => rule.code)
    .sort();
const base: CooperationProfile = { modele: 'aucun', finalite: 'ciblee', modele_economique: 'hybride', stade: 'emergence', nouveaux_chantiers: false };

const ALL_TYPES = [
  'animation_interne',
  'structuration_expertise',
  'financement_animation_interne',
  'financement_structuration',
  'financement_experimentations',
];

describe('Matrice émergence (001), ligne par ligne', () => {
  test('tout type + non modélisée + ciblée : tiers de confiance et définition du projet, rien pour « ciblée »', () => {
    assert.deepEqual(codes(base), [...ALL_TYPES, 'definition_projet', 'financement_tiers_de_confiance', 'tiers_de_confiance'].sort());
  });
  test('modélisée (PTCE) : pairs, partage de ressources, réseaux', () => {
    assert.deepEqual(
      codes({ ...base, modele: 'PTCE' }),
      [...ALL_TYPES, 'accompagnement_pairs', 'financement_accompagnement_pairs', 'financement_reseaux_appui', 'partage_ressources', 'soutien_reseaux'].sort(),
    );
  });
  test('systémique ajoute appui stratégique, animation territoriale et leurs financements', () => {
    const systemic = codes({ ...base, finalite: 'systemique' });
    for (const code of ['appui_strategique', 'animation_territoriale', 'financement_dispositif_accompagnement', 'financement_experiences_pilotes']) {
      assert.ok(systemic.includes(code), code);
    }
    assert.equal(systemic.length, codes(base).length + 4);
  });
  test('le modèle économique et les nouveaux chantiers ne changent rien en émergence', () => {
    assert.deepEqual(codes({ ...base, modele_economique: 'marchande', nouveaux_chantiers: true }), codes(base));
  });
});

describe('Matrice création-consolidation-changement d’échelle (001), ligne par ligne', () => {
  for (const stade of ['creation', 'consolidation', 'changement_echelle'] as const) {
    test(`${stade} : non marchande → financement complet du fonctionnement`, () => {
      assert.deepEqual(codes({ ...base, stade, modele_economique: 'non_marchande' }), ['animation_gouvernance', 'financement_complet_fonctionnement']);
    });
    test(`${stade} : marchande → financements classiques`, () => {
      assert.deepEqual(codes({ ...base, stade, modele_economique: 'marchande' }), ['animation_gouvernance', 'financement_classique_creation']);
    });
    test(`${stade} : hybride → outils classiques, subventions et dons`, () => {
      assert.deepEqual(codes({ ...base, stade, modele_economique: 'hybride' }), ['animation_gouvernance', 'outils_financiers_classiques', 'subventions_dons']);
    });
    test(`${stade} : nouveaux chantiers → animation stratégique et développement de chantiers`, () => {
      assert.deepEqual(codes({ ...base, stade, modele_economique: 'hybride', nouveaux_chantiers: true }), [
        'animation_gouvernance',
        'animation_strategique',
        'developpement_nouveaux_chantiers',
        'outils_financiers_classiques',
        'subventions_dons',
      ]);
    });
  }
  test('modélisée ou systémique ne changent rien après l’émergence', () => {
    assert.deepEqual(codes({ ...base, stade: 'creation', modele: 'PTCE', finalite: 'systemique' }), codes({ ...base, stade: 'creation' }));
  });
});

test('chaque règle a un code unique, un libellé, une ligne et au moins un type qui la couvre', () => {
  assert.equal(new Set(needsRules.map((r) => r.code)).size, needsRules.length);
  for (const rule of needsRules) {
    assert.ok(rule.libelle && rule.ligne, rule.code);
    assert.ok(rule.couvert_par.accompagnement.length + rule.couvert_par.financement.length > 0, rule.code);
  }
});

describe('Révision des règles par l’administration', () => {
  const pairs = needsRules.find((rule) => rule.code === 'accompagnement_pairs')!;
  const revision = { libelle: 'Accompagnement par des pairs', couvert_par: { accompagnement: ['accompagnement_pairs' as const], financement: [] } };

  test('une révision change le libellé et les sortes de dispositifs, pas la condition ni la ligne de la matrice', () => {
    const revised = reviseRules(needsRules, { accompagnement_pairs: revision });
    const rule = revised.find((r) => r.code === 'accompagnement_pairs')!;
    assert.deepEqual(rule, { ...pairs, ...revision });
    assert.deepEqual(changedRules(needsRules, revised), ['accompagnement_pairs']);
    assert.equal(revised.length, needsRules.length);
  });

  test('refus : libellé vide, besoin sans aucune sorte, rien de changé, règle inconnue', () => {
    const refused = (revisions: Parameters<typeof reviseRules>[1]) => {
      try {
        reviseRules(needsRules, revisions);
      } catch (error) {
        return error as RuleError;
      }
      assert.fail('révision acceptée');
    };
    assert.equal(refused({ accompagnement_pairs: { ...revision, libelle: '  ' } }).field, 'accompagnement_pairs.libelle');
    const none = refused({ accompagnement_pairs: { ...revision, couvert_par: { accompagnement: [], financement: [] } } });
    assert.equal(none.field, 'accompagnement_pairs.accompagnement');
    assert.match(none.message, /Cochez au moins une sorte/);
    assert.equal(
      refused({
        accompagnement_pairs: {
          libelle: pairs.libelle,
          couvert_par: { ...pairs.couvert_par, accompagnement: [...pairs.couvert_par.accompagnement].reverse() },
        },
      }).code,
      'regles_inchangees',
    );
    assert.equal(refused({ inexistante: revision }).code, 'regle_inconnue');
  });
});
