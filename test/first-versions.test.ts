/**
 * The first version of a record: a demo record has one from its loading, signed by its source. An import
 * writes none: an imported organisation's history starts at its first edit through Maillage, which keeps the
 * state the imports left as version 1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { importCsv, parseColumnMapping } from '../src/features/import/generic-csv.ts';
import { signedInAs } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { siretFrom } from './support/siret.ts';

describe('Première version des fiches chargées', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    t = await buildTestApp();
    dir = mkdtempSync(join(tmpdir(), 'maillage-versions-'));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const versionsOf = (sirets: string[]) =>
    rows<{ siret: string; version: number; source_label: string | null; nom: string; at: Date }>(
      t.database.db,
      sql`select o.siret, v.version, v.source_label, v.snapshot->>'nom' as nom, v.at from organisation o
      join object_version v on v.kind = 'organisation' and v.object_id = o.id
      where o.siret = any(${`{${sirets.join(',')}}`}::text[]) order by o.siret, v.version`,
    );

  test('un import n’écrit pas de version : l’historique d’une structure importée commence à sa première modification, qui garde l’état importé', async () => {
    const sirets = [1, 2, 3].map((n) => siretFrom(840_000_000_000 + n));
    const file = join(dir, 'structures.csv');
    writeFileSync(file, `SIRET;Nom;Commune\n${sirets.map((s, i) => `${s};Structure ${i + 1};26281`).join('\n')}\n`);
    const mapping = parseColumnMapping('siret=SIRET,name=Nom,commune_code=Commune');
    const summary = await importCsv(t.database, { file, mapping, reportPath: join(dir, 'rejets.csv'), batchSize: 2 });
    assert.equal(summary.counts.inserted, 3);
    writeFileSync(file, `SIRET;Nom;Commune\n${sirets[0]};Structure renommée;26281\n`);
    const again = await importCsv(t.database, { file, mapping, reportPath: join(dir, 'rejets2.csv') });
    assert.deepEqual([again.counts.inserted, again.counts.written], [0, 1]);
    assert.deepEqual(await versionsOf(sirets), [], 'ni à la création ni à la mise à jour par import');

    const id = (await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from organisation where siret = ${sirets[0]}`))!.id;
    const history = () =>
      t.app
        .inject({ url: `/api/v1/organisations/${id}/historique` })
        .then((response) => response.json() as { versions: { version: number; auteur: string | null; source: string | null; fiche: { nom: string } }[] });
    assert.deepEqual((await history()).versions, []);
    assert.match((await t.app.inject({ url: `/organisations/${id}/historique` })).body, /pas encore d’historique/);

    const moderator = await signedInAs(t.app, t.database.db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], {
      displayName: 'Modératrice Auvergne-Rhône-Alpes',
    });
    const edited = await moderator.client.post(`/organisations/${id}/modifier`, {
      _csrf: moderator.csrf,
      siret: sirets[0]!,
      nom: 'Structure corrigée',
      commune: '26281',
    });
    assert.equal(edited.statusCode, 303, edited.body);
    assert.deepEqual(
      (await history()).versions.map((v) => [v.version, v.auteur, v.source, v.fiche.nom]),
      [
        [2, 'Modératrice Auvergne-Rhône-Alpes', null, 'Structure corrigée'],
        [1, null, null, 'Structure renommée'],
      ],
      'la version 1 est l’état que les imports ont laissé',
    );
    assert.match((await t.app.inject({ url: `/organisations/${id}/historique` })).body, /Fiche d’origine \(source citée sur la fiche\)/);
  });

  test('l’historique d’une coopération de démonstration commence à son chargement', async () => {
    const demo = await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from cooperation where is_example order by id limit 1`);
    const api = (await t.app.inject({ url: `/api/v1/cooperations/${demo!.id}/historique` })).json() as {
      versions: { version: number; source: string | null; fiche: { membres: unknown[] } }[];
    };
    assert.deepEqual(
      api.versions.map((v) => [v.version, v.source]),
      [[1, 'Données de démonstration']],
    );
    assert.ok(Array.isArray(api.versions[0]!.fiche.membres));
  });
});
