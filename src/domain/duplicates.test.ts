import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  applyMergePlan,
  defaultKept,
  DUPLICATE_SIMILARITY,
  duplicateReason,
  likelyPairs,
  mergePlan,
  nameSimilarity,
  nameTrigrams,
  nameWords,
  pairKey,
  reasonLabel,
} from './duplicates.ts';

describe('similarité des noms (comme pg_trgm)', () => {
  test('mots en minuscules, sans accents ni ponctuation', () => {
    assert.deepEqual(nameWords('L’Œuvre — Épicerie  solidaire !'), ['l', 'oeuvre', 'epicerie', 'solidaire']);
  });

  test('trigrammes d’un mot complété de deux espaces avant et un après', () => {
    assert.deepEqual([...nameTrigrams('cat')], ['  c', ' ca', 'cat', 'at ']);
    assert.deepEqual([...nameTrigrams('l')], ['  l', ' l ']);
  });

  test('« La ressourcerie de Romans » est proche de « Ressourcerie de Romans », pas de « Régie de quartier de Romans »', () => {
    assert.ok(nameSimilarity('Ressourcerie de Romans', 'La ressourcerie de Romans') >= DUPLICATE_SIMILARITY);
    assert.ok(nameSimilarity('Ressourcerie de Romans', 'Régie de quartier de Romans') < DUPLICATE_SIMILARITY);
  });

  test('identiques à la casse et aux accents près : 1 ; sans lettre : 0', () => {
    assert.equal(nameSimilarity('Épicerie', 'EPICERIE'), 1);
    assert.equal(nameSimilarity('—', '!'), 0);
  });

  test('symétrique et entre 0 et 1', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = nameSimilarity(a, b);
        return s === nameSimilarity(b, a) && s >= 0 && s <= 1;
      }),
    );
  });
});

describe('doublon probable', () => {
  const romans = (name: string, siret: string | null = null) => ({ name, siret, commune: '26281' });

  test('même SIRET, quels que soient le nom et la commune', () => {
    assert.deepEqual(
      duplicateReason({ name: 'A', siret: '12345678900011', commune: '26281' }, { name: 'Tout autre', siret: '12345678900011', commune: '75056' }),
      { type: 'siret' },
    );
  });

  test('nom proche dans la même commune, mais pas dans une autre commune ni sans commune', () => {
    const reason = duplicateReason(romans('Ressourcerie de Romans'), romans('La ressourcerie de Romans'));
    assert.equal(reason?.type, 'nom');
    assert.match(reasonLabel(reason!), /noms proches dans la même commune \(similarité \d+ %\)/);
    assert.equal(duplicateReason(romans('Ressourcerie de Romans'), { name: 'La ressourcerie de Romans', commune: '38185' }), null);
    assert.equal(duplicateReason({ name: 'Ressourcerie', commune: null }, { name: 'Ressourcerie', commune: null }), null);
  });

  test('noms éloignés dans la même commune : pas un doublon', () => {
    assert.equal(duplicateReason(romans('Ressourcerie de Romans'), romans('Régie de quartier de Romans')), null);
  });

  test('une paire se range dans un seul ordre', () => {
    assert.deepEqual(pairKey(9, 4), [4, 9]);
    assert.deepEqual(pairKey(4, 9), [4, 9]);
  });
});

describe('paires probables d’une liste de fiches', () => {
  test('les paires de noms proches dans la même commune, dans l’ordre des identifiants', () => {
    const pairs = likelyPairs([
      { id: 7, name: 'La ressourcerie de Romans', commune: '26281' },
      { id: 3, name: 'Ressourcerie de Romans', commune: '26281' },
      { id: 5, name: 'Ressourcerie de Romans', commune: '38185' },
      { id: 9, name: 'Régie de quartier de Romans', commune: '26281' },
      { id: 11, name: 'Ressourcerie de Romans', commune: null },
    ]);
    assert.deepEqual(
      pairs.map((p) => [p.a, p.b]),
      [[3, 7]],
    );
  });

  test('les mêmes paires que la comparaison de chaque paire (le filtre par préfixe n’en perd aucune)', () => {
    const words = ['atelier', 'velo', 'de', 'la', 'romans', 'ressourcerie', 'solidaire', 'l', 'jardin', 'scic'];
    const record = fc.record({
      name: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
      commune: fc.constantFrom('26281', '38185', null),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 25 }), (list) => {
        const records = list.map((r, id) => ({ id, ...r }));
        const expected: string[] = [];
        for (const a of records) {
          for (const b of records) {
            if (a.id < b.id && duplicateReason({ name: a.name, commune: a.commune }, { name: b.name, commune: b.commune })) expected.push(`${a.id}-${b.id}`);
          }
        }
        const found = likelyPairs(records).map((p) => `${p.a}-${p.b}`);
        assert.deepEqual(found.sort(), expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('plan de fusion', () => {
  const fields = ['siret', 'nom', 'site_web', 'description'];
  const kept = { siret: null, nom: 'Ressourcerie de Romans', site_web: 'https://a.fr', description: '' };
  const other = { siret: '12345678900011', nom: 'La ressourcerie de Romans', site_web: 'https://b.fr', description: 'Réemploi' };

  test('la fiche conservée garde ses valeurs et prend celles de l’autre où elle est vide', () => {
    const plan = mergePlan(fields, kept, other);
    assert.deepEqual(
      plan.map((p) => [p.field, p.source]),
      [
        ['siret', 'autre'],
        ['nom', 'conservee'],
        ['site_web', 'conservee'],
        ['description', 'autre'],
      ],
    );
    assert.deepEqual(applyMergePlan(plan), { siret: '12345678900011', nom: 'Ressourcerie de Romans', site_web: 'https://a.fr', description: 'Réemploi' });
  });

  test('les choix de la modération l’emportent, champ par champ', () => {
    const merged = applyMergePlan(mergePlan(fields, kept, other), { nom: 'autre', description: 'conservee' });
    assert.deepEqual(merged, { siret: '12345678900011', nom: 'La ressourcerie de Romans', site_web: 'https://a.fr', description: '' });
  });

  test('chaque valeur fusionnée vient de l’une des deux fiches', () => {
    const value = fc.option(fc.string(), { nil: null });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), value),
        fc.dictionary(fc.constantFrom(...fields), value),
        fc.dictionary(fc.constantFrom(...fields), fc.constantFrom('conservee' as const, 'autre' as const)),
        (a, b, choices) => {
          const merged = applyMergePlan(mergePlan(fields, a, b), choices);
          return fields.every((f) => merged[f] === (a[f] ?? null) || merged[f] === (b[f] ?? null));
        },
      ),
    );
  });

  test('fiche conservée par défaut : celle qui a un SIRET, sinon la plus ancienne', () => {
    assert.equal(defaultKept({ id: 3, siret: null }, { id: 8, siret: '12345678900011' }), 8);
    assert.equal(defaultKept({ id: 8 }, { id: 3 }), 3);
  });
});
