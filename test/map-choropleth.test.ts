import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { choroplethCodes, choroplethSvg, choroplethTable, PALETTE, quantileClasses, ZERO_FILL } from '../src/features/atlas/map/choropleth.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const METROPOLITAN_DEPARTEMENTS = [...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((code) => code !== '20'), '2A', '2B'];
const OVERSEAS_DEPARTEMENTS = ['971', '972', '973', '974', '976'];
const REGIONS = ['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'];

interface AreaLink {
  href: string;
  label: string;
  title: string;
  code: string;
  shape: string;
}

/** Every area link of a rendered map: <a href aria-label data-code><title>…</title><path|rect …/></a>. */
function areaLinks(svg: string): AreaLink[] {
  const links = [...svg.matchAll(/<a href="([^"]*)" aria-label="([^"]*)" data-code="([^"]*)"><title>([^<]*)<\/title><(path|rect) [^>]*\/><\/a>/g)];
  return links.map(([, href, label, code, title, shape]) => ({ href: href!, label: label!, code: code!, title: title!, shape: shape! }));
}

describe('Carte choroplèthe (SVG)', () => {
  test('chaque département a une forme, un lien et un titre', () => {
    const counts = new Map([
      ['26', 12],
      ['2A', 1],
      ['974', 3],
      ['38', 40],
      ['75', 7],
    ]);
    const svg = choroplethSvg('departement', counts, (code) => `/recherche?departement=${code}`, 'Coopérations par département').toString();
    const links = areaLinks(svg);
    assert.deepEqual(links.map((l) => l.code).sort(), [...METROPOLITAN_DEPARTEMENTS, ...OVERSEAS_DEPARTEMENTS].sort());
    assert.equal(links.length, 101);
    for (const link of links) {
      assert.equal(link.href, `/recherche?departement=${link.code}`);
      assert.equal(link.title, link.label);
      assert.equal(link.shape, OVERSEAS_DEPARTEMENTS.includes(link.code) ? 'rect' : 'path');
    }
    const byCode = new Map(links.map((l) => [l.code, l]));
    assert.equal(byCode.get('26')!.title, 'Drôme : 12 coopérations');
    assert.equal(byCode.get('2A')!.title, 'Corse-du-Sud : 1 coopération');
    assert.equal(byCode.get('974')!.title, 'La Réunion : 3 coopérations');
    assert.equal(byCode.get('75')!.title, 'Paris : 7 coopérations');
    assert.equal(byCode.get('01')!.title, 'Ain : 0 coopération');
    assert.deepEqual(choroplethCodes('departement').sort(), links.map((l) => l.code).sort());
  });

  test('les régions sont les 18 régions actuelles, par leur code COG', () => {
    const counts = new Map([
      ['84', 5],
      ['04', 1],
    ]);
    const svg = choroplethSvg('region', counts, (code) => `/r/${code}`, 'Structures par région', {
      noun: ['structure', 'structures'],
      nameOf: (code) => (code === '84' ? 'Auvergne-Rhône-Alpes' : undefined),
    }).toString();
    const links = areaLinks(svg);
    assert.deepEqual(links.map((l) => l.code).sort(), REGIONS);
    const byCode = new Map(links.map((l) => [l.code, l]));
    assert.equal(byCode.get('84')!.title, 'Auvergne-Rhône-Alpes : 5 structures');
    assert.equal(byCode.get('53')!.title, 'Bretagne : 0 structure');
    assert.equal(byCode.get('94')!.title, 'Corse : 0 structure');
    assert.equal(byCode.get('04')!.title, 'La Réunion : 1 structure');
  });

  test('structure accessible : groupe nommé, légende, crédit ; les valeurs sont échappées', () => {
    const svg = choroplethSvg('departement', new Map([['26', 2]]), () => '/x?a=1&b=2', 'Titre <b>', { nameOf: () => 'Nom "<i>"' }).toString();
    const id = /<figure class="choropleth" id="([^"]+)">/.exec(svg)?.[1];
    assert.ok(id);
    assert.match(svg, new RegExp(`<svg [^>]*role="group" aria-labelledby="${id}-titre"`));
    assert.match(svg, new RegExp(`<p id="${id}-titre" class="choropleth-title">Titre &lt;b&gt;</p>`));
    assert.ok(!svg.includes('role="img"'));
    assert.match(svg, /@svg-maps/);
    assert.match(svg, /CC BY 4\.0/);
    assert.ok(svg.includes('href="/x?a=1&amp;b=2"'));
    assert.ok(svg.includes('aria-label="Nom &quot;&lt;i&gt;&quot; : 2 coopérations"'));
    assert.ok(!svg.includes('<i>'));
    assert.match(svg, /<ul class="choropleth-legend"><li>.*aucune<\/li>/s);
  });

  test('classes par quantiles : au plus 5, contiguës, couleurs distinctes', () => {
    assert.deepEqual(quantileClasses([0, 0]), []);
    const one = quantileClasses([4, 4, 0]);
    assert.equal(one.length, 1);
    assert.deepEqual([one[0]!.min, one[0]!.max], [4, 4]);
    const values = Array.from({ length: 96 }, (_, i) => (i * 7) % 50);
    const classes = quantileClasses(values);
    assert.equal(classes.length, 5);
    assert.equal(classes[0]!.min, 1);
    assert.equal(classes[classes.length - 1]!.max, 49);
    for (let i = 1; i < classes.length; i++) assert.equal(classes[i]!.min, classes[i - 1]!.max + 1);
    assert.equal(new Set(classes.map((c) => c.fill)).size, classes.length);
    assert.ok(classes.every((c) => (PALETTE as readonly string[]).includes(c.fill) && c.fill !== ZERO_FILL));
    const two = quantileClasses([1, 1, 1, 9]);
    assert.deepEqual(
      two.map((c) => c.fill),
      [PALETTE[0], PALETTE[4]],
    );
  });

  test('le tableau reprend les mêmes comptes, outre-mer et collectivités comprises', () => {
    const counts = new Map([
      ['26', 12],
      ['975', 2],
    ]);
    const table = choroplethTable('departement', counts, (code) => `/d/${code}`, 'Coopérations par département').toString();
    assert.match(table, /<caption>Coopérations par département<\/caption>/);
    assert.match(table, /<td>26<\/td><td><a href="\/d\/26">Drôme<\/a><\/td><td class="number">12<\/td>/);
    assert.match(table, /<td>975<\/td><td><a href="\/d\/975">975<\/a><\/td><td class="number">2<\/td>/);
    assert.match(table, /<td>971<\/td><td><a href="\/d\/971">Guadeloupe<\/a><\/td><td class="number">0<\/td>/);
    assert.equal((table.match(/<tr><td>/g) ?? []).length, 102);
    assert.match(table, /Total<\/th><td class="number">14<\/td>/);
  });
});

describe(`Carte : comptes par territoire`, () => {
  let t: TestApp;
  const get = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    return { status: response.statusCode, type: String(response.headers['content-type']), body: response.body, json: () => response.json() };
  };
  const sqlCounts = async (table: string, column: string, where = sql`true`) => {
    const found = await rows<{ code: string | null; n: number }>(
      t.database.db,
      sql`select ${sql.raw(column)} as code, count(*)::int as n
      from ${sql.raw(table)} where ${where} group by 1`,
    );
    return found;
  };

  before(async () => {
    t = await buildTestApp();
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code, epci_code, statut_ess, source)
      select 'Choroplèthe test ' || c.code || ' ' || g, c.code, c.departement_code, c.region_code, c.epci_code,
        case when g % 2 = 0 then 'ess_de_droit' else 'hors_ess' end, 'test'
      from (values ('26362', 6), ('38185', 3), ('97411', 2), ('29019', 1)) as v(code, n)
      join commune c on c.code = v.code
      cross join lateral generate_series(1, v.n) as g`);
  });
  after(() => t.close());

  test('les comptes par département et par région sont ceux de SQL', async () => {
    for (const [type, table] of [
      ['organisations', 'organisation'],
      ['cooperations', 'cooperation'],
    ] as const) {
      for (const [niveau, column] of [
        ['departement', 'departement_code'],
        ['region', 'region_code'],
      ] as const) {
        const response = await get(`/api/v1/carte/choropleth?type=${type}&niveau=${niveau}`);
        assert.equal(response.status, 200);
        const body = response.json();
        assert.equal(body.type, type);
        assert.equal(body.niveau, niveau);
        const expected = await sqlCounts(table, column);
        assert.deepEqual(
          body.valeurs.map((v: { code: string; nombre: number }) => [v.code, v.nombre]),
          expected
            .filter((r) => r.code !== null)
            .map((r) => [r.code, r.n])
            .sort(([a], [b]) => String(a).localeCompare(String(b))),
        );
        assert.equal(
          body.total,
          expected.reduce((sum, r) => sum + r.n, 0),
        );
        assert.equal(body.sans_territoire, expected.find((r) => r.code === null)?.n ?? 0);
      }
    }
    const regions = (await get('/api/v1/carte/choropleth?type=organisations&niveau=region')).json();
    assert.deepEqual(
      regions.valeurs.find((v: { code: string }) => v.code === '04'),
      { code: '04', nom: 'La Réunion', nombre: 2 },
    );
    const departements = (await get('/api/v1/carte/choropleth?type=organisations')).json();
    assert.equal(departements.niveau, 'departement');
    assert.ok(departements.valeurs.some((v: { code: string; nom: string }) => v.code === '26' && v.nom === 'Drôme'));
  });

  test('les filtres de la recherche s’appliquent', async () => {
    const body = (await get('/api/v1/carte/choropleth?type=organisations&niveau=departement&statut_ess=ess_de_droit&region=84')).json();
    const expected = await sqlCounts('organisation', 'departement_code', sql`statut_ess = 'ess_de_droit' and region_code = '84'`);
    assert.deepEqual(
      body.valeurs.map((v: { code: string; nombre: number }) => [v.code, v.nombre]),
      expected.map((r) => [r.code, r.n]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    assert.ok(body.valeurs.every((v: { code: string }) => ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'].includes(v.code)));
    const bad = await get('/api/v1/carte/choropleth?niveau=commune');
    assert.equal(bad.status, 400);
    assert.match(bad.type, /^application\/problem\+json/);
    assert.match(bad.json().detail, /« niveau »/);
  });

  test('la page /carte montre la carte et le tableau, sans script', async () => {
    const response = await get('/carte?type=organisations&niveau=departement&statut_ess=ess_de_droit');
    assert.equal(response.status, 200);
    assert.match(response.type, /^text\/html/);
    const links = areaLinks(response.body);
    assert.equal(links.length, 101);
    const drome = links.find((l) => l.code === '26')!;
    const inDrome = (await sqlCounts('organisation', 'departement_code', sql`statut_ess = 'ess_de_droit' and departement_code = '26'`))[0]!.n;
    assert.ok(inDrome >= 3);
    assert.equal(drome.title, `Drôme : ${inDrome} structures`);
    assert.equal(drome.href, '/recherche?type=organisations&amp;departement=26&amp;statut_ess=ess_de_droit');
    assert.match(response.body, new RegExp(`<td>26</td><td><a href="[^"]*">Drôme</a></td><td class="number">${inDrome}</td>`));
    assert.match(response.body, /<h1>Structures par département<\/h1>/);
    const regions = await get('/carte?niveau=region');
    assert.equal(regions.status, 200);
    assert.equal(areaLinks(regions.body).length, 18);
    const bad = await get('/carte?niveau=canton');
    assert.equal(bad.status, 400);
    assert.match(bad.type, /^text\/html/);
  });

  test('la carte de la recherche renvoie vers les comptes et son script de rendu', async () => {
    const search = await get('/recherche?type=cooperations&region=84');
    assert.equal(search.status, 200);
    assert.match(search.body, /<div class="map" id="carte" data-kind="cooperations" data-query="region=84"/);
    assert.match(search.body, /href="\/carte\?type=cooperations&amp;niveau=departement&amp;region=84"/);
    const worker = /data-worker="([^"]+)"/.exec(search.body)?.[1];
    assert.ok(worker);
    const script = await t.app.inject({ method: 'GET', url: worker.replace(/&amp;/g, '&') });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.match(String(script.headers['cache-control']), /immutable/);
  });
});
