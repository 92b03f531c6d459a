/**
 * The search answers kept in memory (features/atlas/generation-cache.ts) are never older than the data: every
 * write to a searched table, by any connection, is seen by the very next search. The writes below go through
 * plain SQL, as another instance or an import process would: nothing in this process is told about them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, openDatabase, type Db } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

describe(`Recherche gardée en mémoire, jamais périmée`, () => {
  let t: TestApp;
  const search = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    return {
      body: response.body,
      json: response.json() as { total: number; resultats: { nom: string }[]; facettes: Record<string, { valeur: string; nombre: number }[]> },
    };
  };
  const names = (json: { resultats: { nom: string }[] }) => json.resultats.map((r) => r.nom);
  const generation = async (db: Db) => (await firstRow<{ g: string }>(db, sql`select generation::text as g from search_generation`))!.g;

  before(async () => {
    t = await buildTestApp({ demo: false });
  });
  after(() => t.close());

  test('une structure ajoutée, renommée, supprimée se voit à la recherche suivante, facettes comprises', async () => {
    const db = t.database.db;
    const url = '/api/v1/organisations?q=grainotheque';
    const drome = '/api/v1/organisations?departement=26';
    assert.equal((await search(url)).json.total, 0);
    const before = (await search(drome)).json;
    // The same answer twice: the second comes from memory.
    assert.equal((await search(drome)).body, (await search(drome)).body);

    await db.execute(sql`insert into organisation (siret, siren, name, statut_ess, commune_code, departement_code, region_code)
      values ('73282932000074', '732829320', 'Grainothèque de Valence', 'ess_de_droit', '26362', '26', '84')`);
    assert.deepEqual(names((await search(url)).json), ['Grainothèque de Valence']);
    const added = (await search(drome)).json;
    assert.equal(added.total, before.total + 1);
    const ess = (facets: typeof added.facettes) => facets.statut_ess!.find((f) => f.valeur === 'ess_de_droit')?.nombre ?? 0;
    assert.equal(ess(added.facettes), ess(before.facettes) + 1);

    await db.execute(sql`update organisation set name = 'Grainothèque de la Drôme' where siret = '73282932000074'`);
    assert.deepEqual(names((await search(url)).json), ['Grainothèque de la Drôme']);

    await db.execute(sql`delete from organisation where siret = '73282932000074'`);
    assert.equal((await search(url)).json.total, 0);
    assert.equal((await search(drome)).json.total, before.total);
  });

  test('chaque table lue par la recherche fait avancer la génération, dans la transaction qui écrit', async () => {
    const db = t.database.db;
    const writes = [
      sql`insert into organisation (name) values ('Structure témoin')`,
      sql`insert into cooperation (name, modele) values ('Coopération témoin', 'PTCE')`,
      sql`insert into cooperation_member (cooperation_id, organisation_id, name, role)
        select c.id, o.id, o.name, 'entreprise_ess' from cooperation c, organisation o
        where c.name = 'Coopération témoin' and o.name = 'Structure témoin'`,
      sql`insert into territoire_projet (slug, name, kind) values ('pays-temoin', 'Pays témoin', 'pays')`,
      sql`insert into territoire_projet_commune (territoire_projet_id, commune_code) select id, '26362' from territoire_projet where slug = 'pays-temoin'`,
      sql`update commune set name = name where code = '26362'`,
    ];
    for (const write of writes) {
      const was = await generation(db);
      let inside = '';
      await db.transaction(async (tx) => {
        await tx.execute(write);
        inside = await generation(tx as Db);
      });
      assert.equal(BigInt(inside), BigInt(was) + 1n, `${write.queryChunks.map(String).join('').slice(0, 60)}…`);
    }
    // A rolled back write leaves the generation (and the kept answers) as they were.
    const was = await generation(db);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into organisation (name) values ('Annulée')`);
        throw new Error('annulation');
      }),
    );
    assert.equal(await generation(db), was);
  });

  test('une coopération filtrée par ses membres suit les adhésions', async () => {
    const db = t.database.db;
    const url = '/api/v1/organisations?modele=SCIC&q=adherente';
    await db.execute(sql`insert into organisation (name) values ('Adhérente du Sud')`);
    await db.execute(sql`insert into cooperation (name, modele) values ('SCIC du Sud', 'SCIC')`);
    assert.equal((await search(url)).json.total, 0);
    await db.execute(sql`insert into cooperation_member (cooperation_id, organisation_id, name, role)
      select c.id, o.id, o.name, 'entreprise_ess' from cooperation c, organisation o where c.name = 'SCIC du Sud' and o.name = 'Adhérente du Sud'`);
    assert.deepEqual(names((await search(url)).json), ['Adhérente du Sud']);
  });

  test('une écriture d’une autre instance (autre connexion) se voit aussi', async () => {
    const other = await openDatabase({ url: t.database.url });
    try {
      const url = '/api/v1/cooperations?q=semencier';
      assert.equal((await search(url)).json.total, 0);
      await other.db.execute(sql`insert into cooperation (name, modele) values ('Réseau semencier', 'PTCE')`);
      assert.deepEqual(names((await search(url)).json), ['Réseau semencier']);
    } finally {
      await other.close();
    }
  });
});
