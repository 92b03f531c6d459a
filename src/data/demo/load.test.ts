import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { checkedRows } from '../../db/database.ts';
import { finalite, modele, modeleEconomique, roleMembre, stade } from '../../domain/cooperation.ts';
import { secteur } from '../../domain/sector.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { demoCooperations, SEED_FILES } from './cooperations.ts';
import { loadDemoIfEmpty } from './load.ts';
import { demoOrganisations } from './organisations.ts';
import { z } from 'zod';

let database: TestDatabase;

before(async () => {
  database = await openTestDatabase();
});

after(async () => {
  await database.dispose();
});

const cooperationRow = z.object({
  id: z.number(),
  name: z.string(),
  modele: z.string(),
  commune_code: z.string().nullable(),
  departement_code: z.string().nullable(),
  region_code: z.string().nullable(),
  epci_code: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  is_example: z.boolean(),
  source: z.string().nullable(),
  founded_year: z.number().nullable(),
});

const cooperationRows = () =>
  checkedRows(
    database.db,
    cooperationRow,
    sql`select id::int as id, name, modele, commune_code, departement_code, region_code,
    epci_code, latitude, longitude, is_example, source, founded_year from cooperation order by id`,
  );

const byName = async (name: string) => {
  const row = (await cooperationRows()).find((r) => r.name === name);
  assert.ok(row, `${name} est chargée`);
  return row;
};

const countsRow = z.object({ c: z.number(), o: z.number(), m: z.number() });

test('charge toutes les coopérations et organisations de démonstration, une seule fois', async () => {
  const first = await loadDemoIfEmpty(database.db);
  assert.deepEqual(first, { cooperations: demoCooperations.length, organisations: demoOrganisations.length });
  assert.ok(first.cooperations >= 14);

  const second = await loadDemoIfEmpty(database.db);
  assert.deepEqual(second, { cooperations: 0, organisations: 0 });
  const counts = await checkedRows(
    database.db,
    countsRow,
    sql`select
    (select count(*)::int from cooperation) as c, (select count(*)::int from organisation) as o,
    (select count(*)::int from cooperation_member) as m`,
  );
  assert.deepEqual(counts[0], {
    c: demoCooperations.length,
    o: demoOrganisations.length,
    m: demoCooperations.reduce((n, c) => n + c.members.length, 0),
  });
});

const row2 = z.object({ name: z.string(), epci_code: z.string().nullable() });

test('Pôle Sud Archer est à Romans-sur-Isère (Drôme, Auvergne-Rhône-Alpes), avec son EPCI', async () => {
  const pole = await byName('Pôle Sud Archer');
  assert.equal(pole.modele, 'PTCE');
  assert.equal(pole.commune_code, '26281');
  assert.equal(pole.departement_code, '26');
  assert.equal(pole.region_code, '84');
  const [commune] = await checkedRows(database.db, row2, sql`select name, epci_code from commune where code = '26281'`);
  assert.equal(commune?.name, 'Romans-sur-Isère');
  assert.ok(pole.epci_code);
  assert.equal(pole.epci_code, commune?.epci_code);
  assert.equal(pole.founded_year, 2007);
});

const nameRow = z.object({ name: z.string() });

test('les initiatives citées par les documents sources sont dans leur commune', async () => {
  const expected: [string, string, string][] = [
    ['Éoliennes en Pays de Vilaine', '56011', 'Béganne'],
    ['Culture et Coopération', '42218', 'Saint-Étienne'],
    ['Le Phares', '93039', "L'Île-Saint-Denis"],
    ['ARTIS', '38185', 'Grenoble'],
    ["Pôle d'économie solidaire Sud-Essonne", '91223', 'Étampes'],
    ['POLLENS', '42187', 'Roanne'],
    ['Épicerie participative de Thoré-la-Rochette', '41259', 'Thoré-la-Rochette'],
  ];
  for (const [name, code, communeName] of expected) {
    const row = await byName(name);
    assert.equal(row.commune_code, code, name);
    const [commune] = await checkedRows(database.db, nameRow, sql`select name from commune where code = ${code}`);
    assert.equal(commune?.name, communeName);
  }
  for (const name of [
    'Initiatives et Cité',
    'Plaquettes bocagères : Cuma Ecovaloris et Haiecobois',
    'Passerelles-Théâtre',
    'Conciergerie de mobilité rurale',
    'Terres de Lorraine',
  ])
    await byName(name);
});

test('sans commune, le département et la région viennent des données', async () => {
  const manche = await byName('Plaquettes bocagères : Cuma Ecovaloris et Haiecobois');
  assert.deepEqual([manche.commune_code, manche.departement_code, manche.region_code, manche.latitude], [null, '50', '28', null]);
  const conciergerie = await byName('Conciergerie de mobilité rurale');
  assert.deepEqual([conciergerie.departement_code, conciergerie.region_code], ['82', '76']);
  const lorraine = await byName('Terres de Lorraine');
  assert.deepEqual([lorraine.departement_code, lorraine.region_code], ['54', '44']);
});

const organisationsRow = z.object({ name: z.string(), is_example: z.boolean(), source: z.string().nullable() });

test('chaque fiche est un exemple qui cite un document source', async () => {
  for (const row of await cooperationRows()) {
    assert.equal(row.is_example, true, row.name);
    assert.ok(
      SEED_FILES.some((file) => row.source?.startsWith(file)),
      `${row.name} : ${row.source}`,
    );
  }
  const organisations = await checkedRows(database.db, organisationsRow, sql`select name, is_example, source from organisation`);
  for (const row of organisations) {
    assert.equal(row.is_example, true, row.name);
    assert.ok(
      SEED_FILES.some((file) => row.source?.startsWith(file)),
      `${row.name} : ${row.source}`,
    );
  }
});

const row3 = z.object({ code: z.string(), departement_code: z.string(), region_code: z.string() });

const row4 = z.object({ code: z.string(), region_code: z.string() });

const codeRow = z.object({ code: z.string() });

test('les codes des données sont valides et cohérents avec le COG', async () => {
  const communes = new Map((await checkedRows(database.db, row3, sql`select code, departement_code, region_code from commune`)).map((c) => [c.code, c]));
  const departements = new Map((await checkedRows(database.db, row4, sql`select code, region_code from departement`)).map((d) => [d.code, d.region_code]));
  const regions = new Set((await checkedRows(database.db, codeRow, sql`select code from region`)).map((r) => r.code));

  for (const record of [...demoCooperations, ...demoOrganisations]) {
    if (record.commune !== null) {
      assert.ok(communes.has(record.commune), `${record.name} : commune ${record.commune}`);
      assert.equal(record.departement, undefined, `${record.name} : le département vient de la commune`);
      // Commune-centre coordinates: metropolitan France.
      assert.ok(record.latitude !== null && record.latitude > 41 && record.latitude < 51.2, record.name);
      assert.ok(record.longitude !== null && record.longitude > -5.2 && record.longitude < 9.6, record.name);
    } else {
      assert.equal(record.latitude, null, `${record.name} : pas de coordonnées sans commune`);
      assert.equal(record.longitude, null, record.name);
    }
    if (record.departement !== undefined) {
      assert.ok(departements.has(record.departement), `${record.name} : département ${record.departement}`);
      assert.equal(record.region, departements.get(record.departement), `${record.name} : région du département`);
    }
    if (record.region !== undefined) assert.ok(regions.has(record.region), `${record.name} : région ${record.region}`);
  }

  for (const c of demoCooperations) {
    modele.schema.parse(c.modele);
    if (c.finalite) finalite.schema.parse(c.finalite);
    if (c.modele_economique) modeleEconomique.schema.parse(c.modele_economique);
    if (c.stade) stade.schema.parse(c.stade);
    if (c.secteur) secteur.schema.parse(c.secteur);
    for (const m of c.members) roleMembre.schema.parse(m.role);
  }
});

const membersRow = z.object({ cooperation: z.string(), name: z.string(), role: z.string(), organisation: z.string().nullable() });

test('les membres sont reliés à leurs organisations', async () => {
  const members = await checkedRows(
    database.db,
    membersRow,
    sql`
    select c.name as cooperation, m.name, m.role, o.name as organisation
    from cooperation_member m join cooperation c on c.id = m.cooperation_id left join organisation o on o.id = m.organisation_id`,
  );
  const find = (cooperation: string, name: string) => members.find((m) => m.cooperation === cooperation && m.name === name);
  assert.deepEqual(find('Le Phares', 'Halage'), { cooperation: 'Le Phares', name: 'Halage', role: 'porteur', organisation: 'Halage' });
  assert.equal(find('Pôle Sud Archer', 'Groupe Archer')?.organisation, 'Groupe Archer');
  assert.equal(find('Conciergerie de mobilité rurale', 'PETR Midi-Quercy')?.role, 'porteur');
  assert.equal(members.filter((m) => m.cooperation === "Pôle d'économie solidaire Sud-Essonne").length, 3);
  for (const c of demoCooperations)
    for (const m of c.members) {
      if (m.organisation) assert.equal(find(c.name, m.name)?.organisation, m.organisation);
    }
});

test('la recherche plein texte trouve les exemples sans accents', async () => {
  const found = await checkedRows(
    database.db,
    nameRow,
    sql`
    select name from cooperation where search_vector @@ plainto_tsquery('fr', 'eolienne citoyen')`,
  );
  assert.deepEqual(
    found.map((r) => r.name),
    ['Éoliennes en Pays de Vilaine'],
  );
});

const versionsRow = z.object({
  kind: z.string(),
  name: z.string(),
  version: z.number(),
  source_label: z.string(),
  nom: z.string(),
  membres: z.number().nullable(),
  members: z.number(),
});

test('chaque fiche de démonstration a sa première version, signée « Données de démonstration », avec ses membres', async () => {
  await loadDemoIfEmpty(database.db);
  const versions = await checkedRows(
    database.db,
    versionsRow,
    sql`select v.kind, coalesce(o.name, c.name) as name, v.version, v.source_label, v.snapshot->>'nom' as nom,
      jsonb_array_length(v.snapshot->'membres') as membres,
      (select count(*)::int from cooperation_member m where m.cooperation_id = c.id) as members
    from object_version v
    left join organisation o on v.kind = 'organisation' and o.id = v.object_id
    left join cooperation c on v.kind = 'cooperation' and c.id = v.object_id`,
  );
  assert.equal(versions.length, demoCooperations.length + demoOrganisations.length, 'une version par fiche, pas plus');
  for (const v of versions) {
    assert.equal(v.version, 1);
    assert.equal(v.source_label, 'Données de démonstration');
    assert.equal(v.nom, v.name);
    if (v.kind === 'cooperation') assert.equal(v.membres, v.members, `membres de ${v.name} dans la version`);
  }
  assert.ok(versions.some((v) => v.kind === 'cooperation' && v.members > 0));
});
