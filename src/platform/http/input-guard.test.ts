import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forbiddenTextPath, jsonDepthExceeds, jsonFieldProblem } from './input-guard.ts';
import { safeReturnPath } from './return-path.ts';

test('forbiddenTextPath : le chemin du premier texte qui porte un NUL ou une moitié de paire de substitution', () => {
  assert.equal(forbiddenTextPath({ a: 'ok', b: ['x', { c: 'a\u0000b' }] }), 'b.1.c');
  assert.equal(forbiddenTextPath({ a: '\uD800' }), 'a');
  assert.equal(forbiddenTextPath({ a: 'x\uDFFF' }), 'a');
  assert.equal(forbiddenTextPath({ a: { 'clé\u0000': 1 } }), 'a', 'une clé fautive nomme son objet');
  assert.equal(forbiddenTextPath('\u0000'), '');
  assert.equal(forbiddenTextPath({ a: '😀 日本 é \u0001', b: 3, c: null }), undefined, 'une paire complète et les contrôles passent');
});

test('jsonDepthExceeds : compte les tableaux et objets imbriqués hors des chaînes', () => {
  assert.equal(jsonDepthExceeds('[[[]]]', 3), false);
  assert.equal(jsonDepthExceeds('[[[[]]]]', 3), true);
  assert.equal(jsonDepthExceeds('{"a": "[[[[[[", "b": "\\"[[[["}', 1), false);
  assert.equal(jsonDepthExceeds(`${'['.repeat(3000)}${']'.repeat(3000)}`), true);
});

test('jsonFieldProblem : un texte JSON trop imbriqué ou portant un NUL est refusé en français', () => {
  assert.match(jsonFieldProblem(`${'['.repeat(100)}${']'.repeat(100)}`) ?? '', /imbriqué sur plus de 64 niveaux/);
  assert.match(jsonFieldProblem('{"sections": [{"titre": "a\\u0000"}]}') ?? '', /\(à « sections\.0\.titre »\) contient un caractère invisible/);
  assert.equal(jsonFieldProblem('{ pas du json'), undefined);
  assert.equal(jsonFieldProblem('{"sections": []}'), undefined);
});

test('safeReturnPath : un chemin du site, encodé pour l’en-tête Location', () => {
  assert.equal(safeReturnPath('/日本'), '/%E6%97%A5%E6%9C%AC');
  assert.equal(safeReturnPath('/é?x=%C3%BC'), '/%C3%A9?x=%C3%BC');
  assert.equal(safeReturnPath('/a\u0001b'), '/a%01b');
  assert.equal(safeReturnPath('/a\uD800'), undefined);
  assert.equal(safeReturnPath('//exemple.org'), undefined);
  assert.equal(safeReturnPath('/\\exemple.org'), undefined);
  assert.equal(safeReturnPath('https://exemple.org'), undefined);
  assert.equal(safeReturnPath('/compte/connexion'), undefined);
});
