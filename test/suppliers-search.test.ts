import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs } from './support/accounts.ts';

/** Suppliers of collective catering (56.29A) around Romans-sur-Isère (26281), and what must stay out. */
const SUPPLIERS = [
  { name: 'Cantine solidaire de Romans', naf: '56.29A', statut: 'ess_de_droit', commune: '26281', at: [45.045, 5.05], charte: true },
  { siret: '73282932000074', name: 'Restaurant coopératif de Valence', naf: '56.29A', statut: 'ess_commerciale', commune: '26362', at: [44.933, 4.892] },
  { name: '=HYPERLINK("http://mal.example")', naf: '56.29A', statut: 'ess_de_droit', commune: '26362', at: [44.93, 4.88] },
  { name: 'Traiteur ESUS de Grenoble', naf: '56.29A', statut: 'agrement_esus', commune: '38185', at: [45.188, 5.724] },
  { name: 'Traiteur hors ESS de Romans', naf: '56.29A', statut: 'hors_ess', commune: '26281', at: [45.044, 5.051] },
  { name: 'Maraîchage solidaire de Romans', naf: '01.13Z', statut: 'ess_de_droit', commune: '26281', at: [45.05, 5.06] },
  { name: 'Traiteur associatif sans adresse', naf: '56.29A', statut: 'ess_de_droit', commune: '26281', at: null },
] as const;

interface Answer {
  total: number;
  centre: { commune: { code: string }; origine: string } | null;
  rayon_km: number | null;
  resultats: { nom: string; distance_km: number | null; charte_circuit_court: boolean; statut_ess: string }[];
}

describe('Fournisseurs en circuit court', () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject(url);
  const api = async (query: string) => {
    const response = await get(`/api/v1/fournisseurs?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Answer;
  };
  const names = (answer: Answer) => answer.resultats.map((s) => s.nom);

  before(async () => {
    t = await buildTestApp({ demo: false });
    const db = t.database.db;
    for (const s of SUPPLIERS)
      await db.execute(sql`insert into organisation (siret, name, naf_code, secteur, statut_ess, commune_code, departement_code, region_code, epci_code,
          latitude, longitude, charte_circuit_court_signee_le)
        select ${'siret' in s ? s.siret : null}, ${s.name}, ${s.naf}, ${s.naf.startsWith('01') ? 'agriculture_alimentation' : 'tourisme_restauration'}, ${s.statut}, code,
          departement_code, region_code, epci_code, ${s.at?.[0] ?? null}::float8, ${s.at?.[1] ?? null}::float8,
          ${'charte' in s ? sql`date '2026-11-02'` : sql`null`}
        from commune where code = ${s.commune}`);
    // Romans's centre is known (maillage import communes); Valence's is not.
    await db.execute(sql`update commune set latitude = 45.0434, longitude = 5.0511 where code = '26281'`);
    await db.execute(sql`update commune set latitude = null, longitude = null where code = '26362'`);
  });
  after(() => t.close());

  test('autour d’une commune : les structures de l’ESS de l’activité, dans le rayon, de la plus proche à la plus éloignée', async () => {
    const answer = await api('naf=56.29A&commune=26281&rayon_km=30');
    assert.deepEqual(names(answer), ['Cantine solidaire de Romans', 'Restaurant coopératif de Valence', '=HYPERLINK("http://mal.example")']);
    assert.equal(answer.total, 3);
    assert.equal(answer.rayon_km, 30);
    assert.deepEqual(answer.centre && [answer.centre.commune.code, answer.centre.origine], ['26281', 'centre_commune']);
    const [romans, valence] = answer.resultats;
    assert.ok(romans!.distance_km! < 1 && valence!.distance_km! > 15 && valence!.distance_km! < 20, JSON.stringify(answer.resultats));
    assert.deepEqual(
      answer.resultats.map((s) => s.charte_circuit_court),
      [true, false, false],
    );
    // A wider radius reaches Grenoble (≈ 55 km); the code may be written without its dot.
    assert.deepEqual(names(await api('naf=5629A&commune=26281&rayon_km=60')).at(-1), 'Traiteur ESUS de Grenoble');
    // By default, 30 km.
    assert.equal((await api('naf=56.29A&commune=26281')).rayon_km, 30);
  });

  test('par secteur, par territoire, et page par page', async () => {
    assert.deepEqual(names(await api('secteur=agriculture_alimentation&commune=26281')), ['Maraîchage solidaire de Romans']);
    const drome = await api('naf=56.29A&departement=26');
    // Inside a territory: located or not, ranked by name, no distance; Grenoble (Isère) and the non-ESS one stay out.
    assert.deepEqual(names(drome), [
      '=HYPERLINK("http://mal.example")',
      'Cantine solidaire de Romans',
      'Restaurant coopératif de Valence',
      'Traiteur associatif sans adresse',
    ]);
    assert.ok(drome.resultats.every((s) => s.distance_km === null && s.statut_ess !== 'hors_ess'));
    const second = await api('naf=56.29A&commune=26281&rayon_km=30&par_page=1&page=2');
    assert.deepEqual([second.total, names(second)], [3, ['Restaurant coopératif de Valence']]);
  });

  test('une commune sans centre connu : la position moyenne de ses structures', async () => {
    const answer = await api('naf=56.29A&commune=26362&rayon_km=5');
    assert.equal(answer.centre?.origine, 'structures_commune');
    assert.deepEqual(names(answer).sort(), ['=HYPERLINK("http://mal.example")', 'Restaurant coopératif de Valence']);
  });

  test('mauvaise question : un 400 en français qui dit quoi corriger', async () => {
    const cases: [string, RegExp][] = [
      ['naf=99.99Z&commune=26281', /code NAF inconnu/],
      ['naf=cantine&commune=26281', /code NAF inconnu/],
      ['naf=56.29A&commune=99999', /Commune inconnue du COG/],
      ['naf=56.29A&commune=26281&rayon_km=0', /rayon est un nombre entier de kilomètres de 1 à 200/],
      ['naf=56.29A&commune=26281&rayon_km=201', /rayon est un nombre entier/],
      ['naf=56.29A&commune=26281&rayon_km=dix', /rayon est un nombre entier/],
      ['commune=26281', /Indiquez l’activité recherchée/],
      ['naf=56.29A', /Indiquez où chercher/],
      ['naf=56.29A&departement=26&rayon_km=10', /Un rayon se mesure autour d’une commune/],
      ['naf=56.29A&departement=00', /Département inconnu/],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/api/v1/fournisseurs?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
      assert.match(response.json().detail, message, query);
    }
  });

  test('export pour un appel d’offres : CSV pour Excel (formules neutralisées) et XLSX', async () => {
    const csv = await get('/fournisseurs.csv?naf=56.29A&commune=26281&rayon_km=30');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-disposition'] as string, /attachment; filename="fournisseurs-circuit-court\.csv"/);
    assert.ok(csv.body.startsWith('\uFEFFNom;SIRET;Code NAF;'));
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /^Cantine solidaire de Romans;;56\.29A;.*;0,\d;oui;non;http/);
    assert.ok(lines[3]!.startsWith(`"'=HYPERLINK(""http://mal.example"")"`), lines[3]);

    const xlsx = await get('/fournisseurs.xlsx?naf=56.29A&commune=26281&rayon_km=30');
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Fournisseurs')!;
    assert.match(String(sheet.getCell('A1').value), /naf = 56\.29A/);
    assert.equal(sheet.getCell('A3').value, 'Cantine solidaire de Romans');
    assert.equal(sheet.getCell('A5').value, '=HYPERLINK("http://mal.example")', 'un texte, jamais une formule');
    assert.equal(sheet.rowCount, 5);
    assert.equal((await get('/fournisseurs.csv?naf=00.00A&commune=26281')).statusCode, 400);
  });

  test('la page : le formulaire, la liste classée, ses erreurs à côté des champs', async () => {
    const empty = await get('/fournisseurs');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<label for="naf">/);
    const page = await get('/fournisseurs?naf=56.29A&commune=26281&rayon_km=30');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /3 fournisseurs de l’ESS à moins de 30 km de Romans-sur-Isère/);
    assert.ok(page.body.indexOf('Cantine solidaire de Romans') < page.body.indexOf('Restaurant coopératif de Valence'));
    assert.match(page.body, /href="\/fournisseurs\.xlsx\?naf=56\.29A&amp;commune=26281&amp;rayon_km=30"/);
    const wrong = await get('/fournisseurs?naf=99.99Z&commune=26281');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /<a href="#naf">Code NAF : code NAF inconnu/);
    const unknown = await get('/fournisseurs?naf=56.29A&commune=99999');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /<a href="#commune">Commune : Commune inconnue du COG/);
  });
  test('la charte du circuit court : déclarée par les administrateurs de la structure, dite aux acheteurs, tracée', async () => {
    const db = t.database.db;
    const [valence] = await rows<{ id: number }>(db, sql`select id::int as id from organisation where siret = '73282932000074'`);
    const url = `/fournisseurs/charte/${valence!.id}`;
    const stranger = await signedInAs(t.app, db);
    const refused = await stranger.client.post(url, { _csrf: stranger.csrf, signee: 'oui' });
    assert.equal(refused.statusCode, 403);
    const admin = await signedInAs(t.app, db, [{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: '73282932000074' }]);
    const page = await admin.client.get('/fournisseurs/charte');
    assert.match(page.body, /Restaurant coopératif de Valence<\/strong> : charte non déclarée/);
    assert.equal((await admin.client.post(url, { _csrf: admin.csrf, signee: 'peut-être' })).statusCode, 400);
    const done = await admin.client.post(url, { _csrf: admin.csrf, signee: 'oui' });
    assert.equal(done.statusCode, 303);
    assert.match((await admin.client.get(done.headers.location as string)).body, /charte déclarée signée le \d{2}\/\d{2}\/\d{4}/);
    const charte = async () => (await api('naf=56.29A&commune=26281&rayon_km=30')).resultats.map((s) => s.charte_circuit_court);
    assert.deepEqual(await charte(), [true, true, false]);
    const audit = await rows(
      db,
      sql`select action, actor_id::int as actor from audit_log where object_kind = 'organisation' and object_id = ${String(valence!.id)}`,
    );
    assert.deepEqual(audit, [{ action: 'organisation.charte_circuit_court', actor: admin.id }]);
    await admin.client.post(url, { _csrf: admin.csrf, signee: 'non' });
    assert.deepEqual(await charte(), [true, false, false]);
  });
});
