/**
 * The stored line digests of a re-import, read back from the real database by two-digit SIRET prefixes (from the
 * SIRET's unique index): every organisation with a SIRET and a digest, from the first prefix to the last; none for
 * those without.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { readStoredDigests } from '../src/features/import/line-digest.ts';
import { importDigester, type OrganisationRow } from '../src/features/import/writer.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

let database: TestDatabase;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.dispose());

test('empreintes enregistrées relues par préfixes de SIRET, du premier (00) au dernier (99), trous d’identifiants compris', async () => {
  // Ids far apart, SIRETs at both ends and on both sides of a prefix's bound, and 2^53 - 1, the largest digest a number holds exactly.
  await database.db.execute(sql`insert into organisation (id, siret, siren, name, source, import_line_digest) overriding system value values
    (10, '84012345900017', '840123459', 'Première', 'test', 1),
    (1500000, '84999999999999', '849999999', 'Deuxième', 'test', 9007199254740991),
    (3000001, '85000000000000', '850000000', 'Troisième', 'test', 424242),
    (3000002, '84034567200017', '840345672', 'Sans empreinte', 'test', null),
    (3000003, null, null, 'Sans SIRET', 'test', 77),
    (3000004, '00000000000001', '000000000', 'Premier préfixe', 'test', 5),
    (3000005, '99999999999999', '999999999', 'Dernier préfixe', 'test', 6)`);
  const client = await database.pool.connect();
  try {
    const digests = await readStoredDigests(client);
    assert.equal(digests.size, 5);
    assert.equal(digests.get(84012345900017), 1);
    assert.equal(digests.get(84999999999999), 9007199254740991);
    assert.equal(digests.get(85000000000000), 424242);
    assert.equal(digests.get(84034567200017), -1);
    assert.equal(digests.get(1), 5);
    assert.equal(digests.get(99999999999999), 6);
  } finally {
    client.release();
  }
});

test('l’empreinte des champs importés calculée par un premier chargement est celle que la fusion calcule en SQL', async () => {
  const provided = ['siret', 'name', 'legal_form', 'commune_code', 'latitude', 'longitude', 'address', 'source'] as const;
  const rows: OrganisationRow[] = [
    { siret: '84012345900017', siren: '840123459', name: 'JARDIN DU CLOÎTRE', source: 'INSEE', latitude: 48.8566, longitude: 2.3522 },
    { siret: '84012345900025', siren: '840123459', name: 'Le « Grenier », (SCIC) "bio"', source: 'a\\b', legal_form: '', address: ' 3 rue  X\t' },
    { siret: '84023456100016', siren: '840234561', name: 'Près de Greenwich', source: 'x', latitude: 51.4779, longitude: 0.00005, commune_code: null },
    { siret: '84034567200017', siren: '840345672', name: 'Sous zéro', source: 'x', latitude: -21.1151, longitude: -0.0000012 },
    { siret: '84045678400015', siren: '840456784', name: 'Espace\u00a0insécable', source: 'x', latitude: 0, longitude: 1e-4 },
  ];
  for (const row of rows) {
    const values = provided.map((column) => row[column] ?? null);
    const casts = provided.map((column, i) => `$${i + 1}::${column === 'latitude' || column === 'longitude' ? 'float8' : 'text'}`);
    const result = await database.pool.query<{ digest: string }>(`select md5(row(${casts.join(', ')})::text)::uuid::text as digest`, values);
    assert.equal(importDigester(provided)(row), result.rows[0]!.digest.replaceAll('-', ''), row.name);
  }
});
