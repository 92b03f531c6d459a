import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLineSplitter, fieldsAt, UnclosedQuoteError, type SplitRecord } from './csv-lines.ts';

/** Feeds the text in chunks of `size` characters, as a stream would. */
function split(text: string, size = 3, delimiter: ',' | ';' = ','): SplitRecord[] {
  const splitter = csvLineSplitter(delimiter);
  const out: SplitRecord[] = [];
  for (let at = 0; at < text.length; at += size) out.push(...splitter.push(text.slice(at, at + size)));
  out.push(...splitter.end());
  return out;
}

test('lignes sans guillemets, CRLF, lignes vides sautées, dernière ligne sans fin de ligne', () => {
  assert.deepEqual(split('a,b,c\r\n\r\n1,,3\n4,5,6'), [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 3, fields: ['1', '', '3'] },
    { line: 4, fields: ['4', '5', '6'] },
  ]);
});

test('champs entre guillemets : séparateur, guillemet doublé, retour à la ligne (numéro de la ligne de fin)', () => {
  assert.deepEqual(split('"a,b","dit ""x""",c\n"sur\ndeux lignes",2,3\n'), [
    { line: 1, fields: ['a,b', 'dit "x"', 'c'] },
    { line: 3, fields: ['sur\ndeux lignes', '2', '3'] },
  ]);
});

test('un guillemet au milieu d’un champ est un caractère ordinaire ; point-virgule', () => {
  assert.deepEqual(split('l\'atelier "vert";2\n', 1, ';'), [{ line: 1, fields: ['l\'atelier "vert"', '2'] }]);
});

test('guillemet jamais refermé : erreur qui donne la ligne de fin', () => {
  const splitter = csvLineSplitter(',');
  assert.deepEqual(splitter.push('a,b\n"ouvert,2\n3,4'), [{ line: 1, fields: ['a', 'b'] }]);
  assert.throws(
    () => splitter.end(),
    (error) => error instanceof UnclosedQuoteError && error.line === 3,
  );
});

test('chemin de rejet : champs voulus d’une ligne de la bonne largeur sans guillemets, sinon undefined', () => {
  assert.deepEqual(fieldsAt('a,b,c,d', ',', 4, [3, 1]), ['d', 'b']);
  assert.equal(fieldsAt('a,b,c', ',', 4, [1]), undefined);
  assert.equal(fieldsAt('a,"b",c,d', ',', 4, [1]), undefined);
  const splitter = csvLineSplitter(',');
  splitter.drop = (text) => (text.startsWith('x') ? 'notEss' : undefined);
  assert.deepEqual(splitter.push('x,1\ny,2\n'), [
    { line: 1, fields: [], dropped: 'notEss' },
    { line: 2, fields: ['y', '2'] },
  ]);
});

test('une ligne aux octets qui ne sont pas de l’UTF-8 est marquée invalide, ses voisines lues', () => {
  const text = Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]), Buffer.from('c,d\n')]).toString('utf8');
  const [first, bad, last] = split(text);
  assert.deepEqual(
    [first, last],
    [
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['c', 'd'] },
    ],
  );
  assert.equal(bad!.line, 2);
  assert.match(bad!.invalid!, /encodage invalide/);
});
