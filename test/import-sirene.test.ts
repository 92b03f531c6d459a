/**
 * The SIRENE import on the real databases, with the hand-made fixtures of test/fixtures/sirene (their
 * README says what each line tests).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, openDatabase, rows } from '../src/db/database.ts';
import { ImportInputError } from '../src/features/import/errors.ts';
import { importSirene, SIRENE_SOURCE, type SireneImportOptions } from '../src/features/import/sirene.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'sirene');
const etablissements = join(fixtures, 'StockEtablissement_utf8.csv');
const unitesLegales = join(fixtures, 'StockUniteLegale_utf8.csv');

interface Organisation {
  siret: string;
  siren: string;
  name: string;
  legal_form: string | null;
  statut_ess: string | null;
  naf_code: string | null;
  secteur: string | null;
  tranche_effectif: string | null;
  commune_code: string;
  departement_code: string;
  region_code: string;
  epci_code: string | null;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  source: string;
}

const near = (actual: number | null | undefined, expected: number, tolerance = 1e-4) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < tolerance, `${actual} ≉ ${expected}`);

/** The rejection report without its BOM and header: [file, line, siret, reason] per row. */
function reportRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  assert.ok(text.startsWith('\uFEFFfichier;ligne;siret;motif\r\n'), 'rapport au format Excel français');
  return text
    .slice(1)
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(';'));
}

describe(`import SIRENE`, () => {
  let database: TestDatabase;
  let dir: string;
  let reportPath: string;
  const run = (options: Partial<SireneImportOptions> = {}) => importSirene(database, { etablissements, unitesLegales, reportPath, ...options });
  const organisations = () => rows<Organisation>(database.db, sql`select * from organisation where source = ${SIRENE_SOURCE} order by siret`);
  /** An organisation of another source: the table is not empty, so batches are committed one by one (no first load). */
  const notEmpty = () =>
    database.db.execute(sql`insert into organisation (siret, siren, name, source) values ('35600000000048', '356000000', 'La Poste', 'saisie')`);
  const refuseSiret = async (siret: string) => {
    await database.db.execute(
      sql.raw(`create function refuse_test_siret() returns trigger language plpgsql as $$
      begin if new.siret = '${siret}' then raise exception 'refus de test'; end if; return new; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_test_siret before insert on organisation for each row execute function refuse_test_siret()'));
  };
  const allowAll = async () => {
    await database.db.execute(sql`drop trigger refuse_test_siret on organisation`);
    await database.db.execute(sql`drop function refuse_test_siret()`);
  };
  const bySiret = async (siret: string) => (await organisations()).find((o) => o.siret === siret);

  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-'));
    reportPath = join(dir, 'rejets.csv');
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from organisation`);
    await database.db.execute(sql`delete from import_run`);
  });

  test('garde les établissements actifs des unités ESS, coordonnées converties en WGS 84', async () => {
    const summary = await run();
    assert.deepEqual(summary.counts, { read: 12, written: 4, inserted: 4, unchanged: 0, closed: 1, notEss: 2, rejected: 6 });
    assert.deepEqual(summary.legalUnits, { read: 7, kept: 3 }, 'unités ESS actives');
    assert.deepEqual(
      (await organisations()).map((o) => o.siret),
      ['84012345900017', '84012345900025', '84023456100016', '84056789500015'],
    );

    const paris = (await bySiret('84012345900017'))!;
    assert.equal(paris.name, 'JARDIN DU CLOITRE');
    assert.deepEqual(
      [paris.legal_form, paris.statut_ess, paris.naf_code, paris.secteur, paris.tranche_effectif],
      ['9220', 'ess_de_droit', '94.99Z', 'vie_associative_services', '02'],
    );
    assert.deepEqual([paris.commune_code, paris.departement_code, paris.region_code, paris.epci_code], ['75104', '75', '11', '200054781']);
    near(paris.latitude, 48.853);
    near(paris.longitude, 2.3499);
    assert.equal(paris.address, '6 PARV NOTRE DAME PLACE JEAN-PAUL II, 75004 PARIS 4');
    assert.equal(paris.source, SIRENE_SOURCE);

    const lyon = (await bySiret('84012345900025'))!;
    assert.equal(lyon.name, 'LES JARDINS PARTAGES DE LA CITE (FICTIF)', "sans nom propre, celui de l'unité légale");
    assert.equal(lyon.latitude, null, 'coordonnées non diffusibles');
    assert.equal(lyon.address, '69001 LYON 1ER');

    const reunion = (await bySiret('84023456100016'))!;
    assert.equal(reunion.statut_ess, 'ess_commerciale');
    assert.equal(reunion.departement_code, '974');
    near(reunion.latitude, -20.8823);
    near(reunion.longitude, 55.4504);
    assert.equal(reunion.address, '12B RUE DE PARIS, 97400 SAINT-DENIS');

    const guadeloupe = (await bySiret('84056789500015'))!;
    assert.equal(guadeloupe.name, 'RESSOURCERIE DE BASSE-TERRE');
    near(guadeloupe.latitude, 15.9985);
    near(guadeloupe.longitude, -61.7294);
  });

  test('chaque ligne rejetée figure au rapport avec son motif', async () => {
    await run();
    assert.deepEqual(reportRows(reportPath), [
      ['StockUniteLegale_utf8.csv', '7', '840678909', 'SIREN invalide (clé de contrôle)'],
      ['StockEtablissement_utf8.csv', '9', '84012345900018', 'SIRET invalide (clé de contrôle)'],
      ['StockEtablissement_utf8.csv', '10', '84012345900041', 'commune inconnue du COG : 99999'],
      ['StockEtablissement_utf8.csv', '11', '', 'ligne mal formée : 12 colonnes au lieu de 53'],
      ['StockEtablissement_utf8.csv', '12', '84078901000013', 'unité légale absente du fichier des unités légales'],
      ['StockEtablissement_utf8.csv', '13', '8401234590001', 'SIRET invalide : 14 chiffres attendus (8401234590001)'],
    ]);
    const journal = await firstRow<{ status: string; last_line: number; rows_rejected: number }>(
      database.db,
      sql`select status, last_line::int, rows_rejected::int from import_run`,
    );
    assert.deepEqual(journal, { status: 'done', last_line: 13, rows_rejected: 6 });
  });

  test('idempotent : réimporter ne crée rien, ne réécrit aucune ligne inchangée, réécrit celles dont la source a changé', async () => {
    await run();
    const versions = async () =>
      (await firstRow<{ xmins: string }>(database.db, sql`select string_agg(xmin::text, ',' order by siret) as xmins from organisation`))!.xmins;
    const before = await versions();
    const again = await run();
    assert.deepEqual([again.counts.inserted, again.counts.written, again.counts.unchanged], [0, 4, 4]);
    assert.equal(await versions(), before, 'aucune ligne réécrite (même xmin)');
    // A stale line digest (another conversion version) with unchanged values: the row is not rewritten, but it
    // takes its line's digest, so that the next import skips the line.
    await database.db.execute(sql`update organisation set import_line_digest = 1 where siret = '84012345900017'`);
    assert.equal((await run()).counts.unchanged, 4);
    const refreshed = await firstRow<{ digest: string }>(
      database.db,
      sql`select import_line_digest::text as digest from organisation where siret = '84012345900017'`,
    );
    assert.notEqual(refreshed?.digest, '1');
    // A moderator's edit is kept while the source does not change; a changed source (another digest) is rewritten.
    await database.db.execute(sql`update organisation set name = 'Renommé à la main' where siret = '84012345900017'`);
    assert.equal((await run()).counts.unchanged, 4);
    assert.equal((await bySiret('84012345900017'))!.name, 'Renommé à la main');
    // A changed source line is converted and rewritten; the unchanged lines are still skipped before conversion.
    const changed = join(dir, 'StockEtablissement_utf8.csv');
    writeFileSync(changed, readFileSync(etablissements, 'utf8').replace(',JARDIN DU CLOITRE,', ',JARDIN DU CLOÎTRE,'));
    const third = await run({ etablissements: changed });
    assert.deepEqual([third.counts.inserted, third.counts.written - third.counts.inserted, third.counts.unchanged], [0, 4, 3]);
    assert.equal((await bySiret('84012345900017'))!.name, 'JARDIN DU CLOÎTRE');
    assert.equal((await organisations()).length, 4);
    // A change of the unit changes its establishments' digests: the one named after its unit is rewritten.
    const unitRenamed = join(dir, 'StockUniteLegale_utf8.csv');
    writeFileSync(
      unitRenamed,
      readFileSync(unitesLegales, 'utf8').replace('LES JARDINS PARTAGES DE LA CITE (FICTIF)', 'LES JARDINS PARTAGÉS DE LA CITÉ (FICTIF)'),
    );
    const fourth = await run({ etablissements: changed, unitesLegales: unitRenamed });
    assert.deepEqual([fourth.counts.written - fourth.counts.inserted - fourth.counts.unchanged, fourth.counts.unchanged], [1, 3]);
    assert.equal((await bySiret('84012345900025'))!.name, 'LES JARDINS PARTAGÉS DE LA CITÉ (FICTIF)');
  });

  test('--tous garde aussi les unités hors ESS et les personnes physiques', async () => {
    const summary = await run({ keepAll: true });
    assert.deepEqual([summary.counts.written, summary.counts.notEss, summary.counts.closed], [6, 0, 1]);
    assert.deepEqual(summary.legalUnits, { read: 7, kept: 5 }, 'toutes les unités actives à SIREN valide');
    const company = (await bySiret('84034567200017'))!;
    assert.deepEqual([company.name, company.statut_ess, company.legal_form], ['NEGOCE CLASSIQUE SAS (FICTIF)', 'hors_ess', '5710']);
    const person = (await bySiret('84045678400015'))!;
    assert.deepEqual([person.name, person.statut_ess, person.legal_form], ['CAMILLE FICTIVE', null, '1000']);
  });

  test("un lot qui échoue laisse les lots déjà enregistrés et rien de lui-même ; la reprise termine l'import", async () => {
    await notEmpty();
    // A real failure inside the database, on the 2nd batch (lines 4 to 8): no mock.
    await refuseSiret('84023456100016');
    try {
      await assert.rejects(run({ batchSize: 2 }), /lot des lignes 4 à 8.*refus de test/);
    } finally {
      await allowAll();
    }
    assert.deepEqual(
      (await organisations()).map((o) => o.siret),
      ['84012345900017', '84012345900025'],
    );
    const journal = await firstRow<{ status: string; last_line: number; error: string }>(
      database.db,
      sql`select status, last_line::int, error from import_run`,
    );
    assert.equal(journal?.status, 'failed');
    assert.equal(journal?.last_line, 3);
    assert.match(journal?.error ?? '', /refus de test/);

    const resumed = await run({ batchSize: 2, resume: true });
    assert.equal(resumed.resumedAfterLine, 3);
    assert.deepEqual(resumed.counts, { read: 12, written: 4, inserted: 4, unchanged: 0, closed: 1, notEss: 2, rejected: 6 });
    assert.equal((await organisations()).length, 4);
    assert.equal(reportRows(reportPath).length, 6, 'chaque rejet une seule fois au rapport');
  });

  test('premier chargement : les mots de recherche des noms sont ajoutés, les déclencheurs et la clé vers commune rétablis', async () => {
    const enabled = () =>
      rows<{ tgname: string; tgenabled: string }>(
        database.db,
        sql`select tgname, tgenabled from pg_trigger where tgrelid = 'organisation'::regclass order by tgname`,
      );
    const triggers = await enabled();
    await database.db.execute(sql`delete from search_word where word in ('jardin', 'cloitre', 'ressourcerie', 'basse', 'terre')`);
    await run({ batchSize: 2 });
    const missing = await rows<{ word: string }>(
      database.db,
      sql`select distinct w as word from organisation o, name_words(o.name) as w where w not in (select word from search_word)`,
    );
    assert.deepEqual(missing, [], 'chaque mot des noms est au dictionnaire, comme le déclencheur l’y aurait mis');
    assert.deepEqual(await enabled(), triggers, 'déclencheurs de nouveau actifs');
    await assert.rejects(
      database.db.execute(
        sql`insert into organisation (siret, siren, name, source, commune_code) values ('35600000000048', '356000000', 'X', 'saisie', '99999')`,
      ),
      (error: Error) => /organisation_commune_code_fkey/.test(String(error.cause)),
      'clé étrangère vérifiée de nouveau',
    );
    await database.db.execute(sql`insert into organisation (siret, siren, name, source) values ('35600000000048', '356000000', 'Maison Zéphyrine', 'saisie')`);
    assert.ok(await firstRow(database.db, sql`select 1 from search_word where word = 'zephyrine'`), 'le déclencheur des mots agit de nouveau');
  });

  test('premier chargement : chaque fiche est celle qu’écrit la fusion lot par lot dans une table non vide, colonnes calculées et empreintes comprises', async () => {
    const written = () =>
      rows(
        database.db,
        sql`select siret, siren, name, legal_form, statut_ess, naf_code, secteur, tranche_effectif, commune_code, departement_code,
          region_code, epci_code, latitude, longitude, address, website, description, source, rna, is_example, import_digest,
          import_line_digest::text, search_vector::text, name_search
        from organisation where source = ${SIRENE_SOURCE} order by siret`,
      );
    await run({ batchSize: 2 });
    const loaded = await written();
    assert.equal(loaded.length, 4);
    await database.db.execute(sql`delete from organisation`);
    await notEmpty();
    await run({ batchSize: 2 });
    assert.deepEqual(loaded, await written());
  });

  test('premier chargement par le rôle propriétaire des tables, sans droits de superutilisateur : la clé vers commune reste vérifiée ligne à ligne', async () => {
    const role = `maillage_proprietaire_${process.pid}`;
    await database.db.execute(sql.raw(`create role ${role} login`));
    try {
      await database.db.execute(
        sql.raw(`grant usage, create on schema public to ${role}; grant all on all tables in schema public to ${role}; grant all on all sequences in schema public to ${role};
          alter table organisation owner to ${role}`),
      );
      const url = new URL(database.url);
      url.username = role;
      const owner = await openDatabase({ url: url.toString(), poolSize: 2 });
      try {
        const summary = await importSirene(owner, { etablissements, unitesLegales, reportPath });
        assert.deepEqual(summary.counts, { read: 12, written: 4, inserted: 4, unchanged: 0, closed: 1, notEss: 2, rejected: 6 });
      } finally {
        await owner.close();
      }
      const disabled = await rows(database.db, sql`select tgname from pg_trigger where tgrelid = 'organisation'::regclass and tgenabled = 'D'`);
      assert.deepEqual(disabled, []);
      assert.equal((await rows(database.db, sql`select 1 from search_word where word = 'cloitre'`)).length, 1);
    } finally {
      await database.db.execute(sql.raw(`alter table organisation owner to current_user; drop owned by ${role}; drop role ${role}`));
    }
  });

  test('premier chargement d’une table vide qui échoue : rien d’écrit, index de recherche entiers ; la même commande refait tout', async () => {
    const indexes = () => rows<{ indexname: string }>(database.db, sql`select indexname from pg_indexes where tablename = 'organisation' order by 1`);
    const before = await indexes();
    await refuseSiret('84056789500015');
    try {
      await assert.rejects(run({ batchSize: 2 }), /refus de test/);
    } finally {
      await allowAll();
    }
    assert.deepEqual(await organisations(), [], 'les lots d’avant l’échec sont annulés avec lui');
    assert.deepEqual(await indexes(), before);
    assert.equal((await firstRow<{ status: string }>(database.db, sql`select status from import_run`))?.status, 'failed');
    const again = await run({ batchSize: 2 });
    assert.deepEqual(again.counts, { read: 12, written: 4, inserted: 4, unchanged: 0, closed: 1, notEss: 2, rejected: 6 });
    assert.equal(reportRows(reportPath).length, 6);
  });

  test('premier chargement dont les mots de recherche ne peuvent être ajoutés (autre connexion) : il échoue, rien d’écrit, déclencheurs rétablis', async () => {
    await database.db.execute(
      sql.raw(`create function refuse_test_word() returns trigger language plpgsql as $$
      begin if new.word = 'cloitre' then raise exception 'mot refusé'; end if; return new; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_test_word before insert on search_word for each row execute function refuse_test_word()'));
    await database.db.execute(sql`delete from search_word where word = 'cloitre'`);
    try {
      await assert.rejects(run({ batchSize: 2 }), /mot refusé/);
    } finally {
      await database.db.execute(sql`drop trigger refuse_test_word on search_word`);
      await database.db.execute(sql`drop function refuse_test_word()`);
    }
    assert.deepEqual(await organisations(), []);
    const disabled = await rows(database.db, sql`select tgname from pg_trigger where tgrelid = 'organisation'::regclass and tgenabled = 'D'`);
    assert.deepEqual(disabled, []);
    assert.equal((await run({ batchSize: 2 })).counts.inserted, 4);
    assert.ok(await firstRow(database.db, sql`select 1 from search_word where word = 'cloitre'`));
  });

  test('reprise après un arrêt brutal : les lignes déjà enregistrées ne sont pas relues', async () => {
    await notEmpty();
    const stop = new Error('arrêt simulé');
    await assert.rejects(
      run({
        batchSize: 2,
        onBatch: ({ batch }) => {
          if (batch === 1) throw stop;
        },
      }),
      stop,
    );
    assert.equal((await organisations()).length, 2);
    const batches: number[] = [];
    const resumed = await run({ batchSize: 2, resume: true, onBatch: ({ lastLine }) => void batches.push(lastLine) });
    assert.equal(resumed.resumedAfterLine, 3);
    assert.equal(resumed.rowsRead, 10, 'lignes 4 à 13');
    assert.ok(batches.every((line) => line > 3));
    assert.deepEqual([resumed.counts.read, resumed.counts.written, resumed.counts.rejected], [12, 4, 6]);
    assert.equal((await organisations()).length, 4);
    assert.equal((await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from import_run`))?.n, 1);
    assert.equal(reportRows(reportPath).length, 6);
  });

  test('--reprendre sans import interrompu : import complet', async () => {
    await run();
    const summary = await run({ resume: true });
    assert.equal(summary.resumedAfterLine, 0);
    assert.equal(summary.rowsRead, 12);
  });

  test('fichiers absents ou inversés : message clair, rien d’écrit', async () => {
    await assert.rejects(
      run({ etablissements: join(dir, 'absent.csv') }),
      (error: unknown) => error instanceof ImportInputError && /Fichier des établissements introuvable/.test(error.message),
    );
    await assert.rejects(
      run({ etablissements: unitesLegales, unitesLegales: etablissements }),
      (error: unknown) =>
        error instanceof ImportInputError && /Fichier des établissements : colonnes absentes : siret, codeCommuneEtablissement/.test(error.message),
    );
    assert.equal((await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from import_run`))?.n, 0);
  });
});
