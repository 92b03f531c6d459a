import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsRules } from '../data/catalogue/regles-besoins.ts';
import { scheme } from './test-fixtures.ts';
import { uncoveredNeeds } from './territory-needs.ts';

const codesAt = (result: ReturnType<typeof uncoveredNeeds>, stade: string) => result.find((r) => r.stade === stade)!.besoins.map((b) => b.code);

test('sans dispositif, chaque besoin de chaque stade est non couvert, une seule fois', () => {
  const result = uncoveredNeeds(needsRules, []);
  assert.deepEqual(
    result.map((r) => r.stade),
    ['emergence', 'creation', 'consolidation', 'changement_echelle'],
  );
  for (const { stade, besoins } of result) {
    const expected = new Set(needsRules.filter((rule) => rule.condition.stades.includes(stade)).map((rule) => rule.code));
    assert.deepEqual(new Set(besoins.map((b) => b.code)), expected);
    assert.equal(besoins.length, expected.size, 'pas de doublon');
  }
});

test('un dispositif couvre les besoins de ses types, aux stades qu’il sert, s’il est actif', () => {
  const need = needsRules.find((rule) => rule.couvert_par.accompagnement.length > 0 && rule.condition.stades.includes('emergence'))!;
  const type = need.couvert_par.accompagnement[0]!;
  const open = scheme({ types_accompagnement: [type] });
  assert.ok(!codesAt(uncoveredNeeds(needsRules, [open]), 'emergence').includes(need.code));
  const otherStage = scheme({ types_accompagnement: [type], stades: ['consolidation'] });
  assert.ok(codesAt(uncoveredNeeds(needsRules, [otherStage]), 'emergence').includes(need.code), 'réservé à un autre stade');
  const closed = scheme({ types_accompagnement: [type], actif: false });
  assert.ok(codesAt(uncoveredNeeds(needsRules, [closed]), 'emergence').includes(need.code), 'inactif');
});
