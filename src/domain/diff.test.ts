import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { diffRecords, rebaseEdit } from './diff.ts';

describe('différence de deux fiches', () => {
  test('liste les seuls champs modifiés, avec l’avant et l’après', () => {
    const before = { nom: 'Pôle Sud', commune: '26281', description: 'Ancienne' };
    const after = { nom: 'Pôle Sud Archer', commune: '26281', description: 'Nouvelle' };
    assert.deepEqual(diffRecords(before, after), [
      { field: 'nom', before: 'Pôle Sud', after: 'Pôle Sud Archer' },
      { field: 'description', before: 'Ancienne', after: 'Nouvelle' },
    ]);
  });

  test('vide, absent, null, texte blanc et liste vide sont équivalents', () => {
    assert.deepEqual(diffRecords({ a: null, b: '', c: [], d: '  ' }, { b: null, c: undefined, d: [], e: '' }), []);
  });

  test('un champ vidé ou rempli apparaît avec null de l’autre côté', () => {
    assert.deepEqual(diffRecords({ site_web: 'https://exemple.fr' }, { site_web: '' }), [{ field: 'site_web', before: 'https://exemple.fr', after: null }]);
    assert.deepEqual(diffRecords(null, { nom: 'Nouvelle fiche' }), [{ field: 'nom', before: null, after: 'Nouvelle fiche' }]);
  });

  test('les listes se comparent par leur contenu et leur ordre', () => {
    assert.deepEqual(diffRecords({ stades: ['emergence', 'creation'] }, { stades: ['emergence', 'creation'] }), []);
    assert.equal(diffRecords({ stades: ['emergence'] }, { stades: ['emergence', 'creation'] }).length, 1);
    assert.equal(diffRecords({ stades: ['creation', 'emergence'] }, { stades: ['emergence', 'creation'] }).length, 1);
  });

  test('les objets se comparent sans tenir compte de l’ordre de leurs clés', () => {
    assert.deepEqual(diffRecords({ c: { niveau: 'region', codes: ['84'] } }, { c: { codes: ['84'], niveau: 'region' } }), []);
  });

  test('un nombre et le même texte sont différents (les types comptent)', () => {
    assert.equal(diffRecords({ annee: 2019 }, { annee: '2019' }).length, 1);
  });

  test('l’ordre des champs donné est respecté, et seuls ces champs sont comparés', () => {
    const changes = diffRecords({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, ['c', 'a']);
    assert.deepEqual(
      changes.map((c) => c.field),
      ['c', 'a'],
    );
  });

  test('propriétés : une fiche ne diffère pas d’elle-même ; appliquer les changements donne l’après', () => {
    const value = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }));
    const record = fc.dictionary(fc.constantFrom('nom', 'commune', 'stade', 'site_web', 'description'), value);
    fc.assert(
      fc.property(record, record, (before, after) => {
        assert.deepEqual(diffRecords(before, before), []);
        const patched: Record<string, unknown> = { ...before };
        for (const change of diffRecords(before, after)) patched[change.field] = change.after;
        assert.deepEqual(diffRecords(patched, after), []);
      }),
    );
  });

  test('une modification acceptée après une autre ne défait pas celle-ci', () => {
    const base = { nom: 'Pôle Sud', site_web: null, description: 'Ancienne' };
    const current = { nom: 'Pôle Sud Archer', site_web: null, description: 'Ancienne' };
    const proposal = { nom: 'Pôle Sud', site_web: 'https://exemple.fr', description: '' };
    assert.deepEqual(rebaseEdit(current, base, proposal), { nom: 'Pôle Sud Archer', site_web: 'https://exemple.fr', description: '' });
  });
});
