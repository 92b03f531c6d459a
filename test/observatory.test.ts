/**
 * The observatory: public, every chart an SVG image beside the table of its figures, no outside script;
 * each figure equals what the Atlas search it links to finds, and its CSV says the same; the reference
 * figures of 001 carry their source; bad input is a French 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

async function count(t: TestApp, query: SQL): Promise<number> {
  return (await rows<{ n: number }>(t.database.db, query))[0]!.n;
}

/** The rows of a table of the page: [label, value, first link]. */
function tableRows(body: string, id: string): { label: string; value: number; href?: string }[] {
  const table = body.match(new RegExp(`<table class="table" id="${id}-tableau">([\\s\\S]*?)</table>`))?.[1];
  assert.ok(table, `tableau ${id} absent`);
  const tbody = table.match(/<tbody>([\s\S]*?)<\/tbody>/)![1]!;
  return [...tbody.matchAll(/<tr><th scope="row">([\s\S]*?)<\/th><td class="number">([\d\s\u202f\u00a0]+)<\/td>(?:<td>(?:<a href="([^"]+)")?)?/g)].map((m) => ({
    label: m[1]!.replace(/<[^>]+>/g, ''),
    value: Number(m[2]!.replace(/\D/g, '')),
    href: m[3]?.replace(/&amp;/g, '&'),
  }));
}

describe('Observatoire des coopérations', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('chaque graphique est une image SVG avec son tableau, sans script extérieur', async () => {
    const page = await t.app.inject('/observatoire');
    assert.equal(page.statusCode, 200);
    for (const id of ['modeles', 'regions', 'stades', 'finalites', 'modeles-economiques', 'indicateur', 'chiffres-de-reference']) {
      assert.match(page.body, new RegExp(`<svg class="bar-chart" id="${id}-graphique"[^>]*role="img" aria-label="[^"]+"`), id);
      assert.match(page.body, new RegExp(`<table class="table" id="${id}-tableau">`), id);
      assert.match(page.body, new RegExp(`href="/observatoire/${id}.csv[?"]`), id);
    }
    for (const src of page.body.matchAll(/<script[^>]*src="([^"]+)"/g)) assert.ok(src[1]!.startsWith('/assets/'), src[1]);
  });

  test('chaque chiffre par modèle, stade et région égale le total de la recherche de l’Atlas qu’il cite', async () => {
    const page = await t.app.inject('/observatoire?modele=PTCE');
    const all = await count(t, sql`select count(*)::int as n from cooperation`);
    for (const id of ['modeles', 'stades', 'regions']) {
      const lines = tableRows(page.body, id);
      assert.ok(lines.length > 1, id);
      if (id !== 'regions')
        assert.equal(
          lines.reduce((sum, line) => sum + line.value, 0),
          all,
          `${id} : le total est celui des coopérations`,
        );
      for (const line of lines.filter((l) => l.href && (l.value > 0 || l.label === 'Normandie')).slice(0, 6)) {
        const api = `/api/v1/cooperations?${line.href!.split('?')[1]!.replace('type=cooperations&', '')}`;
        const answer = await t.app.inject(api);
        assert.equal(answer.statusCode, 200, api);
        assert.equal(answer.json().total, line.value, `${id} ${line.label} : ${api}`);
      }
    }
    const ptce = await count(t, sql`select count(*)::int as n from cooperation where modele = 'PTCE'`);
    assert.equal(
      tableRows(page.body, 'regions').reduce((sum, line) => sum + line.value, 0),
      ptce,
      'par région, seulement le modèle choisi',
    );
    assert.match(page.body, /Coopérations « Pôle territorial de coopération économique \(PTCE\) » par région/);
  });

  test('une coopération ajoutée compte dès la page suivante (chiffres gardés sous la génération de recherche)', async () => {
    const before = tableRows((await t.app.inject('/observatoire')).body, 'modeles').find((line) => line.label.endsWith('(CAE)'))!;
    await t.database.db.execute(sql`insert into cooperation (name, modele) values ('CAE de l’observatoire', 'CAE')`);
    const after = tableRows((await t.app.inject('/observatoire')).body, 'modeles').find((line) => line.label.endsWith('(CAE)'))!;
    assert.equal(after.value, before.value + 1);
  });

  test('les indicateurs agrégés : valeurs validées seulement, par période, liées à l’API des agrégats, en CSV', async () => {
    const [first, second] = await rows<{ id: number }>(t.database.db, sql`select id::int as id from cooperation order by id limit 2`);
    await t.database.db.execute(sql`insert into indicateur_saisie (cooperation_id, indicateur_code, periode, valeur, statut) values
      (${first!.id}, 'benevoles', '2024', 12, 'validee'), (${second!.id}, 'benevoles', '2024', 30, 'validee'),
      (${first!.id}, 'benevoles', '2025', 7, 'validee'), (${second!.id}, 'benevoles', '2025', 1000, 'soumise')`);
    const page = await t.app.inject('/observatoire?indicateur=benevoles');
    assert.equal(page.statusCode, 200);
    const lines = tableRows(page.body, 'indicateur');
    assert.deepEqual(
      lines.map((l) => [l.label, l.value, l.href]),
      [
        ['2024', 42, '/api/v1/indicateurs/benevoles/agregats?periode_debut=2024&periode_fin=2024'],
        ['2025', 7, '/api/v1/indicateurs/benevoles/agregats?periode_debut=2025&periode_fin=2025'],
      ],
    );
    const api = (await t.app.inject(lines[0]!.href!)).json() as { resultats: { valeur: number }[] };
    assert.equal(api.resultats[0]!.valeur, 42, 'la valeur est celle de l’API qu’elle cite');
    const csv = await t.app.inject('/observatoire/indicateur.csv?indicateur=benevoles');
    assert.match(
      csv.body,
      /\r\n2024,2024,42,2 coopérations,http:\/\/localhost:\d+\/api\/v1\/indicateurs\/benevoles\/agregats\?periode_debut=2024&periode_fin=2024,\r\n/,
    );
    assert.equal((await t.app.inject('/observatoire?indicateur=inconnu')).statusCode, 404);
  });

  test('les chiffres de référence du document 001 avec leur source', async () => {
    const page = await t.app.inject('/observatoire');
    assert.match(page.body, /Pôles territoriaux de coopération économique \(PTCE\) en France<\/th><td class="number">203<\/td><td>Coorace, 2023/);
    assert.match(page.body, /Tiers-lieux en France<\/th><td class="number">3\s500<\/td><td>Observatoire des tiers-lieux, 2023/);
    assert.match(page.body, /TZCLD, 2024/);
  });

  test('chaque figure en CSV, avec la recherche qui la produit', async () => {
    const csv = await t.app.inject('/observatoire/modeles.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'code,libelle,valeur,source,recherche,dans_atlas');
    const ptce = lines.find((line) => line.startsWith('PTCE,'));
    const n = await count(t, sql`select count(*)::int as n from cooperation where modele = 'PTCE'`);
    assert.match(ptce!, new RegExp(`,${n},,http://localhost:\\d+/recherche\\?type=cooperations&modele=PTCE,$`));
    const reference = await t.app.inject('/observatoire/chiffres-de-reference.csv');
    assert.match(reference.body, /\r\nptce,Pôles territoriaux de coopération économique \(PTCE\) en France,203,"?Coorace, 2023/);
    const byRegion = await t.app.inject('/observatoire/regions.csv?modele=TZCLD');
    assert.equal(byRegion.statusCode, 200);
    assert.match(byRegion.body, /region=\d+&modele=TZCLD,/);
  });

  test('une figure ou un modèle inconnus sont refusés en français', async () => {
    const figure = await t.app.inject('/observatoire/inconnue.csv');
    assert.equal(figure.statusCode, 400);
    assert.match(figure.body, /figure inconnue/);
    const model = await t.app.inject('/observatoire?modele=XYZ');
    assert.equal(model.statusCode, 400);
  });
});
