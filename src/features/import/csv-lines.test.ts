import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLineSplitter, FieldPicker, UnclosedQuoteError, type SplitRecord } from './csv-lines.ts';

/** Feeds the text in chunks of `size` bytes, as a stream would (a character may be cut between two chunks). */
function split(text: string | Buffer, size = 3, delimiter: ',' | ';' = ','): SplitRecord[] {
  const bytes = Buffer.from(text);
  const splitter = csvLineSplitter(delimiter);
  const out: SplitRecord[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...splitter.push(bytes.subarray(at, at + size)));
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

test('BOM sauté, caractères accentués coupés entre deux morceaux', () => {
  assert.deepEqual(split('\uFEFFnom,ville\nÉpicerie « Là-bas »,Besançon\n', 1), [
    { line: 1, fields: ['nom', 'ville'] },
    { line: 2, fields: ['Épicerie « Là-bas »', 'Besançon'] },
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
  assert.deepEqual(splitter.push(Buffer.from('a,b\n"ouvert,2\n3,4')), [{ line: 1, fields: ['a', 'b'] }]);
  assert.throws(
    () => splitter.end(),
    (error) => error instanceof UnclosedQuoteError && error.line === 3,
  );
});

/** The wanted fields of a line as the picker finds them, or undefined when it leaves the line to the full reader. */
function picked(line: string, width: number, wanted: number[]): string[] | undefined {
  const bytes = Buffer.from(line);
  const picker = new FieldPicker(44, width, wanted);
  if (!picker.pick(bytes, 0, bytes.length)) return undefined;
  return wanted.map((_, slot) => bytes.toString('utf8', picker.ranges[slot * 2], picker.ranges[slot * 2 + 1]));
}

test('chemin de rejet : champs voulus lus dans les octets d’une ligne de la bonne largeur, sinon la lecture complète', () => {
  assert.deepEqual(picked('a,b,c,d', 4, [3, 1]), ['d', 'b']);
  assert.deepEqual(picked('"x, ""y""",é,,d', 4, [3, 1, 2]), ['d', 'é', '']);
  assert.equal(picked('a,b,c', 4, [1]), undefined, 'trop peu de colonnes');
  assert.equal(picked('a,b,c,d,e', 4, [1]), undefined, 'trop de colonnes');
  assert.equal(picked('a,"b",c,d', 4, [1]), undefined, 'un champ voulu entre guillemets');
  assert.equal(picked('"ouvert,b,c,d', 4, [3]), undefined, 'un guillemet qui continue à la ligne suivante');
  const digits = new FieldPicker(44, 2, [0, 1]);
  const bytes = Buffer.from('12345678901234,1a');
  assert.ok(digits.pick(bytes, 0, bytes.length));
  assert.equal(digits.digits(bytes, 0, 14), 12345678901234);
  assert.equal(digits.digits(bytes, 0, 9), -1);
  assert.equal(digits.digits(bytes, 1, 2), -1);
  const splitter = csvLineSplitter(',');
  splitter.drop = (line, start) => (line[start] === 0x78 ? 'notEss' : undefined);
  assert.deepEqual(splitter.push(Buffer.from('x,1\ny,2\n')), [
    { line: 1, fields: [], dropped: 'notEss' },
    { line: 2, fields: ['y', '2'] },
  ]);
});

test('record : les champs voulus d’une ligne au milieu des octets, qu’elle soit ASCII, accentuée ou entre guillemets', () => {
  const picker = new FieldPicker(44, 4, [3, 1], true);
  const record = (line: string) => {
    // The line sits between others in the chunk, as the splitter hands it: its ranges are not from 0.
    const bytes = Buffer.from(`avant,1,2,3\n${line}\naprès`);
    const start = Buffer.byteLength('avant,1,2,3\n');
    assert.ok(picker.pick(bytes, start, start + Buffer.byteLength(line)));
    return picker.record(bytes);
  };
  assert.deepEqual(record('a,bb,c,dd'), ['', 'bb', '', 'dd']);
  // Accents before and inside the wanted fields: byte and character offsets differ.
  assert.deepEqual(record('été,Noël,ça,Zoé'), ['', 'Noël', '', 'Zoé']);
  assert.deepEqual(record('a,"b, ""c""",d,"é"'), ['', 'b, "c"', '', 'é']);
  assert.deepEqual(record('a,,c,'), ['', '', '', '']);
});

test('une ligne aux octets qui ne sont pas de l’UTF-8 est marquée invalide, ses voisines lues', () => {
  const bytes = Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]), Buffer.from('c,d\n')]);
  const [first, bad, last] = split(bytes, 64);
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
