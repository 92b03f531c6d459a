/**
 * The catalogue in the national schema for aid schemes (etalab/schema-dispositif-aide 0.0.1): the CSV export
 * with the catalogue's filters, and the round trip export → import into a fresh database → the same schemes;
 * rejected rows reported with their reason and nothing of them written; the command's exit codes. The round trip
 * changes nothing: the whole catalogue field by field, and the orientation it gives.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { runSchemeImport } from '../src/features/catalogue-interop/cli.ts';
import { importDispositifsAide } from '../src/features/catalogue-interop/import.ts';
import { SCHEMA_FIELDS } from '../src/features/catalogue-interop/mapping.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const EXPORT = '/api/v1/dispositifs/schema-dispositif-aide.csv';
const csvRows = (text: string) => parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const header = SCHEMA_FIELDS.join(',');
const line = (values: Record<string, string>) =>
  SCHEMA_FIELDS.map((f) => {
    const v = values[f] ?? '';
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');

describe(`Catalogue au schéma national des dispositifs d’aide`, () => {
  let source: TestApp;
  let fresh: TestApp;
  let dir: string;
  before(async () => {
    [source, fresh] = await Promise.all([buildTestApp(), buildTestApp({ demo: false })]);
    dir = mkdtempSync(join(tmpdir(), 'maillage-interop-'));
  });
  after(async () => {
    await Promise.all([source.close(), fresh.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('export : CSV RFC 4180, les 28 colonnes du schéma, une ligne par dispositif, mêmes filtres que l’API', async () => {
    const response = await source.app.inject(EXPORT);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(response.headers['content-disposition']), /attachment; filename="maillage-dispositifs-aide-\d{4}-\d{2}-\d{2}\.csv"/);
    assert.ok(response.body.startsWith(`${header}\r\n`), 'en-tête du schéma, sans BOM, fin de ligne CRLF');
    const all = csvRows(response.body);
    const api = (await source.app.inject('/api/v1/dispositifs?par_page=100')).json() as { total: number; resultats: { nom: string }[] };
    assert.equal(all.length, api.total);
    assert.deepEqual(all.map((r) => r.nom_aide).sort(), api.resultats.map((r) => r.nom).sort());

    const ami = all.find((r) => r.id_aide === 'ami-ptce');
    assert.ok(ami, 'un dispositif de Maillage est exporté sous sa clé stable');
    assert.deepEqual([ami.recurrence_aide, ami.aap_ami, ami.date_cloture], ['Récurrente', 'Oui', '2021-11-30'], 'deux vagues en 2021 : la dernière clôture');
    assert.equal(ami.beneficiaires_aide, '', 'ce que le catalogue ne tient pas reste vide');
    assert.ok(
      all.every(
        (r) =>
          r.types_aides === '' ||
          /^(Subvention|Prêt|Avance récupérable|Autre|Technique|Financière|Administrative)(,(Subvention|Prêt|Avance récupérable|Autre|Technique|Financière|Administrative))*$/.test(
            r.types_aides!,
          ),
      ),
    );
    assert.ok(all.every((r) => ['', 'Permanente', 'Ponctuelle', 'Récurrente'].includes(r.recurrence_aide!)));

    const drome = csvRows((await source.app.inject(`${EXPORT}?departement=26&nature=financement`)).body);
    const apiDrome = (await source.app.inject('/api/v1/dispositifs?departement=26&nature=financement&par_page=100')).json() as { resultats: { nom: string }[] };
    assert.deepEqual(drome.map((r) => r.nom_aide).sort(), apiDrome.resultats.map((r) => r.nom).sort());
    assert.ok(drome.length < all.length);

    const bad = await source.app.inject(`${EXPORT}?region=999`);
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    assert.match(bad.json().detail, /Région inconnue/);
    const openapi = (await source.app.inject('/api/openapi.json')).json() as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    assert.ok(
      openapi.paths[EXPORT]?.get.parameters.some((p) => p.name === 'departement'),
      'documenté dans OpenAPI avec ses filtres',
    );
  });

  test('aller-retour : export → import dans une base neuve → les mêmes dispositifs ; réimport idempotent', async () => {
    const exported = (await source.app.inject(EXPORT)).body;
    const file = join(dir, 'dispositifs.csv');
    writeFileSync(file, exported);
    const count = csvRows(exported).length;
    assert.equal((await firstRow<{ n: number }>(fresh.database.db, sql`select count(*)::int as n from dispositif`))!.n, 0);

    const first = await importDispositifsAide(fresh.database, { file, reportPath: join(dir, 'rejets.csv'), batchSize: 7 });
    assert.deepEqual([first.read, first.inserted, first.updated, first.rejected], [count, count, 0, 0]);
    assert.equal((await fresh.app.inject(EXPORT)).body, exported, 'la base neuve exporte exactement le même fichier');

    // The whole catalogue, field by field (the database's own id and the exchange's id_aide aside), porteurs included.
    const catalogue = (app: TestApp) =>
      rows<Record<string, unknown>>(
        app.database.db,
        sql`select to_jsonb(d) - 'id' - 'id_aide' - 'created_at' - 'updated_at' - 'search_vector' as scheme,
          (select coalesce(jsonb_agg(jsonb_build_object('position', p.position, 'name', p.name, 'siren', p.siren) order by p.position), '[]')
            from dispositif_porteur p where p.dispositif_id = d.id) as porteurs
        from dispositif d order by d.key`,
      );
    const before = await catalogue(source);
    const after = await catalogue(fresh);
    assert.equal(after.length, before.length);
    for (const [i, scheme] of before.entries()) assert.deepEqual(after[i], scheme, String((scheme.scheme as { key: string }).key));
    const developpement = await rows<{ n: number }>(
      fresh.database.db,
      sql`select count(*)::int as n from dispositif where 'developpement' = any(types_accompagnement)`,
    );
    assert.ok(developpement[0]!.n > 0, 'développement reste développement');

    // The same orientation on both: same needs, same schemes in the same order, same needs left uncovered.
    const orientation = async (app: TestApp) => {
      const result = (
        await app.app.inject({
          method: 'POST',
          url: '/api/v1/orientation',
          payload: { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26281' },
        })
      ).json() as { dispositifs: { id: number }[]; quasi_eligibles: { id: number }[] };
      const withoutIds = <T extends { id: number }>(list: T[]) => list.map(({ id: _id, ...rest }) => rest);
      return { ...result, dispositifs: withoutIds(result.dispositifs), quasi_eligibles: withoutIds(result.quasi_eligibles) };
    };
    const oriented = await orientation(source);
    assert.ok(oriented.dispositifs.length > 0);
    assert.deepEqual(await orientation(fresh), oriented);

    const again = await importDispositifsAide(fresh.database, { file, reportPath: join(dir, 'rejets.csv') });
    assert.deepEqual([again.inserted, again.updated, again.rejected], [0, count, 0]);
    assert.equal((await firstRow<{ n: number }>(fresh.database.db, sql`select count(*)::int as n from dispositif`))!.n, count);

    // Read back into the database it came from, Maillage's own schemes are updated, not duplicated, and unchanged.
    const count0 = (await firstRow<{ n: number }>(source.database.db, sql`select count(*)::int as n from dispositif`))!.n;
    const home = await importDispositifsAide(source.database, { file, reportPath: join(dir, 'rejets-source.csv') });
    assert.deepEqual([home.inserted, home.updated], [0, count]);
    assert.equal((await firstRow<{ n: number }>(source.database.db, sql`select count(*)::int as n from dispositif`))!.n, count0);
    assert.deepEqual(await catalogue(source), before);
  });

  test('lignes rejetées : motif et ligne dans le rapport, rien d’écrit pour elles', async () => {
    const file = join(dir, 'mixte.csv');
    writeFileSync(
      file,
      `${[
        header,
        line({
          id_aide: 'OK-1',
          nom_aide: 'Aide valable',
          porteur_aide: 'ADEME,Région Bretagne',
          porteur_siren: '385290309,235300019',
          types_aides: 'Subvention',
          zone_geographique: 'Bretagne',
          recurrence_aide: 'Permanente',
          description: 'Texte, avec virgule\net retour à la ligne',
        }),
        line({ id_aide: 'KO-1', nom_aide: 'Type inconnu', porteur_aide: 'ADEME', types_aides: 'Don' }),
        line({ id_aide: 'KO-2', nom_aide: 'Date fausse', porteur_aide: 'ADEME', date_cloture: '31/12/2024' }),
        line({ id_aide: '', nom_aide: 'Sans identifiant' }),
        line({ id_aide: 'OK-1', nom_aide: 'Doublon' }),
        'KO-3,colonnes,manquantes',
        line({ id_aide: 'OK-2', nom_aide: 'Zone inconnue', zone_geographique: 'Pays de Nulle Part' }),
      ].join('\r\n')}\r\n`,
    );
    const reportPath = join(dir, 'rejets-mixte.csv');
    const summary = await importDispositifsAide(fresh.database, { file, reportPath });
    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [6, 2, 5]);

    const report = readFileSync(reportPath, 'utf8').replace(/^\uFEFF/, '');
    const reported = parse(report, { delimiter: ';', columns: true }) as { fichier: string; ligne: string; id_aide: string; motif: string }[];
    const byLine = Object.fromEntries(reported.map((r) => [r.ligne, r]));
    assert.match(byLine['4']!.motif, /types_aides : valeur hors de la liste du schéma : Don/);
    assert.equal(byLine['4']!.id_aide, 'KO-1');
    assert.match(byLine['5']!.motif, /date_cloture : date au format AAAA-MM-JJ attendue, pas « 31\/12\/2024 »/);
    assert.match(byLine['6']!.motif, /id_aide : obligatoire/);
    assert.match(byLine['7']!.motif, /id_aide déjà présent ligne 3/);
    assert.match(byLine['8']!.motif, /ligne mal formée : 3 colonnes au lieu de 28/);
    assert.ok(reported.every((r) => r.fichier === 'mixte.csv'));

    const written = await rows<{
      id_aide: string;
      name: string;
      description: string;
      couverture_niveau: string | null;
      couverture_codes: string[];
      champs_interop: Record<string, string>;
    }>(
      fresh.database.db,
      sql`select id_aide, name, description, couverture_niveau, couverture_codes, champs_interop from dispositif where id_aide in ('OK-1', 'OK-2', 'KO-1', 'KO-2', 'KO-3') order by id_aide`,
    );
    assert.deepEqual(
      written.map((d) => d.id_aide),
      ['OK-1', 'OK-2'],
    );
    assert.equal(written[0]!.name, 'Aide valable', 'le doublon rejeté n’a rien remplacé');
    assert.equal(written[0]!.description, 'Texte, avec virgule\net retour à la ligne');
    assert.deepEqual([written[0]!.couverture_niveau, written[0]!.couverture_codes], ['region', ['53']]);
    assert.deepEqual(
      [written[1]!.couverture_niveau, written[1]!.champs_interop.zone_geographique],
      [null, 'Pays de Nulle Part'],
      'une zone illisible : couverture « non dite », texte gardé pour l’export',
    );
    const porteurs = await rows<{ name: string; siren: string }>(
      fresh.database.db,
      sql`select p.name, p.siren from dispositif_porteur p
      join dispositif d on d.id = p.dispositif_id where d.id_aide = 'OK-1' order by p.position`,
    );
    assert.deepEqual(porteurs, [
      { name: 'ADEME', siren: '385290309' },
      { name: 'Région Bretagne', siren: '235300019' },
    ]);
    const row = csvRows((await fresh.app.inject(`${EXPORT}?q=aide%20valable`)).body).find((r) => r.id_aide === 'OK-1');
    assert.equal(row?.porteur_siren, '385290309,235300019');
  });

  test('commande : codes de sortie et messages en français', async (t: TestContext) => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      t.mock.method(console, 'log', (text: string) => void out.push(text));
      t.mock.method(console, 'error', (text: string) => void err.push(text));
      const code = await runSchemeImport(fresh.database, args);
      t.mock.restoreAll();
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const notSchema = join(dir, 'autre.csv');
    writeFileSync(notSchema, 'siret,nom\n12345678901234,X\n');
    for (const [args, message] of [
      [[], /attend 1 fichier, 0 donné/],
      [[join(dir, 'absent.csv')], /Fichier de dispositifs introuvable/],
      [[notSchema], /ne suit pas le schéma schema-dispositif-aide : les colonnes id_aide et nom_aide sont nécessaires/],
      [[notSchema, '--lot', '0'], /--lot attend un nombre entier/],
      [['--vite', notSchema], /Arguments invalides/],
    ] as [string[], RegExp][]) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.err, message);
    }
    const file = join(dir, 'une.csv');
    writeFileSync(file, `${header}\r\n${line({ id_aide: 'CLI-1', nom_aide: 'Par la commande' })}\r\n`);
    const done = await run([file, '--rapport', join(dir, 'rejets-cli.csv')]);
    assert.equal(done.code, 0);
    assert.match(done.out, /dispositifs ajoutés : 1/);
    assert.match(done.out, /lignes rejetées : 0/);
  });
});
