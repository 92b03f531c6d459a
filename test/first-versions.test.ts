/**
 * Records loaded from a source have a first version from the start: an import writes version 1 of each
 * organisation it creates (signed « Import CSV », dated at the import), in the batch's transaction, and an
 * organisation it only updates gets none. The history of a demo record starts with its loading.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { importCsv, parseColumnMapping } from '../src/features/import/generic-csv.ts';
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

  test('un import écrit la version 1 des structures qu’il crée, pas de celles qu’il met à jour', async () => {
    const sirets = [1, 2, 3].map((n) => siretFrom(840_000_000_000 + n));
    const file = join(dir, 'structures.csv');
    writeFileSync(file, `SIRET;Nom;Commune\n${sirets.map((s, i) => `${s};Structure ${i + 1};26281`).join('\n')}\n`);
    const mapping = parseColumnMapping('siret=SIRET,name=Nom,commune_code=Commune');
    const started = new Date();
    const summary = await importCsv(t.database, { file, mapping, reportPath: join(dir, 'rejets.csv'), batchSize: 2 });
    assert.equal(summary.counts.inserted, 3);
    const versions = await versionsOf(sirets);
    assert.deepEqual(
      versions.map((v) => [v.siret, v.version, v.source_label, v.nom]),
      sirets.map((s, i) => [s, 1, 'Import CSV', `Structure ${i + 1}`]),
    );
    for (const v of versions) assert.ok(new Date(v.at) >= new Date(started.getTime() - 1000), 'datée de l’import');

    writeFileSync(file, `SIRET;Nom;Commune\n${sirets[0]};Structure renommée;26281\n`);
    const again = await importCsv(t.database, { file, mapping, reportPath: join(dir, 'rejets2.csv') });
    assert.equal(again.counts.inserted, 0);
    assert.equal((await versionsOf([sirets[0]!])).length, 1, 'une mise à jour par import n’ajoute pas de version');

    const id = await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from organisation where siret = ${sirets[1]}`);
    const api = (await t.app.inject({ url: `/api/v1/organisations/${id!.id}/historique` })).json() as {
      versions: { version: number; auteur: string | null; source: string | null }[];
    };
    assert.deepEqual(api.versions, [{ ...api.versions[0], version: 1, auteur: null, source: 'Import CSV' }]);
    const page = await t.app.inject({ url: `/organisations/${id!.id}/historique` });
    assert.match(page.body, /Import CSV, le <time/);
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
