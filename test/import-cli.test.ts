/** `maillage import …`: exit codes and French messages, through runImport on the real databases. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { sql } from 'drizzle-orm';
import { runImport } from '../src/features/import/cli.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'sirene');
const etablissements = join(fixtures, 'StockEtablissement_utf8.csv');
const unitesLegales = join(fixtures, 'StockUniteLegale_utf8.csv');

/** Runs the command with the console captured; returns its exit code and what it printed. */
async function command(t: TestContext, database: TestDatabase, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (text: string) => void out.push(text));
  t.mock.method(console, 'error', (text: string) => void err.push(text));
  const code = await runImport(database, args);
  t.mock.restoreAll();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe(`maillage import`, () => {
  let database: TestDatabase;
  let dir: string;
  before(async () => {
    database = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'maillage-import-cli-'));
  });
  after(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('erreurs d’usage : code 2 et message en français', async (t) => {
    const cases: [string[], RegExp][] = [
      [['sirene', etablissements], /attend 2 fichiers, 1 donné/],
      [['sirene', '--vite', etablissements, unitesLegales], /Option inconnue ou incomplète : --vite/],
      [['bodacc', 'x.csv'], /Type d'import inconnu : bodacc/],
      [['sirene', join(dir, 'absent.csv'), unitesLegales], /Fichier des établissements introuvable/],
      [['communes', etablissements, '--tous'], /L'option --tous ne s'applique pas à l'import communes/],
      [['csv', etablissements], /L'import csv demande --colonnes/],
      [['sirene', etablissements, unitesLegales, '--lot', 'zéro'], /--lot attend un nombre entier/],
    ];
    for (const [args, message] of cases) {
      const result = await command(t, database, args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.err, message);
      assert.match(result.err, /Usage : maillage import/);
    }
  });

  test('succès : code 0 même avec des lignes rejetées, résumé en français', async (t) => {
    const result = await command(t, database, ['sirene', etablissements, unitesLegales, '--rapport', join(dir, 'rejets.csv')]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /importées \(nouvelles\) : 4/);
    assert.match(result.out, /ignorées : 3 \(fermées : 1, hors ESS : 2\)/);
    assert.match(result.out, /rejetées : 6/);
    assert.match(result.out, /lignes\/s/);
  });

  test('échec en cours : code 1 et conseil de reprise', async (t) => {
    await database.db.execute(
      sql.raw(`create function refuse_all() returns trigger language plpgsql as $$
      begin raise exception 'base indisponible'; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_all before insert on organisation for each row execute function refuse_all()'));
    try {
      const result = await command(t, database, ['sirene', etablissements, unitesLegales, '--tous', '--rapport', join(dir, 'r.csv')]);
      assert.equal(result.code, 1);
      assert.match(result.err, /Échec de l'import : .*base indisponible/);
      assert.match(result.err, /--reprendre/);
    } finally {
      await database.db.execute(sql`drop trigger refuse_all on organisation`);
      await database.db.execute(sql`drop function refuse_all()`);
    }
  });
});
