/**
 * The SCDL « subventions » export through HTTP, on each real database: a laureate's agreement made by its
 * instructor over HTTP, left out (with its reason) while no organiser of the call has a SIRET, then exported with
 * the schema's columns in order, ISO dates and amounts with a dot; its conditional year 3 counted once granted;
 * drafts and non-laureates never exported; bad and unknown ids answered in French problem+json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { SCDL_FIELDS } from '../src/domain/scdl.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { depositedApplication, forceStatus, postForm, prepareCalls } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

/** RFC 4180 lines into cells (quoted cells may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  assert.ok(text.endsWith('\r\n'), 'chaque ligne finit par CRLF');
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      for (const match of line.matchAll(/("((?:[^"]|"")*)"|[^,]*)(,|$)/g)) {
        cells.push(match[2] !== undefined ? match[2].replace(/""/g, '"') : match[1]!);
        if (match[3] === '') break;
      }
      return cells;
    });
}

const record = (header: string[], cells: string[]) => Object.fromEntries(header.map((h, i) => [h, cells[i]]));

describe(`Export SCDL des subventions attribuées`, () => {
  let t: TestApp;
  let amiId: number;
  let instructor: TestAccount;
  let laureate: number;
  const attribuantSiret = siretFrom(130_005_481);
  const db = () => t.database.db;
  const csvOf = async (url: string) => {
    const response = await t.app.inject(url);
    assert.equal(response.statusCode, 200, response.body);
    return response;
  };

  before(async () => {
    t = await buildTestApp();
    ({ amiId } = await prepareCalls(db()));
    instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const owner = await signedInAs(t.app, db());
    laureate = await depositedApplication(db(), amiId, owner, 'Pôle coopératif, « Drôme » et "Vercors"');
    await forceStatus(db(), laureate, 'laureate');
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${laureate}/financement`, { debut: '2021-12-01' })).statusCode, 303);

    // A laureate whose agreement was made, then withdrawn (sans suite); a draft given an agreement by hand.
    const withdrawn = await depositedApplication(db(), amiId, owner, 'Retirée après convention');
    await forceStatus(db(), withdrawn, 'laureate');
    assert.equal((await postForm(t.app, instructor, `/instruction/candidatures/${withdrawn}/financement`, { debut: '2021-12-01' })).statusCode, 303);
    await forceStatus(db(), withdrawn, 'sans_suite');
    const draft = await depositedApplication(db(), amiId, owner, 'Brouillon jamais publié');
    await forceStatus(db(), draft, 'brouillon');
    const conv = await firstRow<{ id: number }>(
      db(),
      sql`insert into convention (candidature_id, debut) values (${draft}, '2021-12-01') returning id::int as id`,
    );
    await db().execute(
      sql`insert into convention_tranche (convention_id, position, label, montant, echeance) values (${conv!.id}, 0, 'Tout', 5000, '2022-01-01')`,
    );
    // A non-laureate, deposited application: no agreement can exist, it never appears either.
    await depositedApplication(db(), amiId, owner, 'Non retenue');
  });
  after(async () => {
    await t.close();
  });

  test('sans SIRET d’organisateur (l’État — DG Trésor des sources) : la convention est écartée avec sa raison, rien n’est inventé', async () => {
    const csv = await csvOf(`/api/v1/appels/${amiId}/subventions.csv`);
    assert.equal(csv.headers['x-subventions-ecartees'], '1');
    assert.equal(csv.body, `${SCDL_FIELDS.join(',')}\r\n`);
    const json = await csvOf(`/api/v1/appels/${amiId}/subventions.json`);
    const body = json.json() as { subventions: unknown[]; ecartees: { appel_id: number; candidature: string; motif: string }[] };
    assert.deepEqual(body.subventions, []);
    assert.equal(body.ecartees.length, 1);
    assert.equal(body.ecartees[0]!.appel_id, amiId);
    assert.match(body.ecartees[0]!.candidature, /Pôle coopératif/);
    assert.match(body.ecartees[0]!.motif, /Aucun organisateur de l’appel n’a de SIRET/);
  });

  test('organisateur relié à une organisation de l’Atlas : une ligne au schéma, colonnes dans l’ordre, dates ISO, montants avec un point', async () => {
    const org = await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name)
      values (${attribuantSiret}, ${attribuantSiret.slice(0, 9)}, 'Direction générale du Trésor') returning id::int as id`,
    );
    await db().execute(sql`update appel_organisateur set organisation_id = ${org!.id} where appel_id = ${amiId} and position = 1`);

    const csv = await csvOf(`/api/v1/appels/${amiId}/subventions.csv`);
    assert.match(csv.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(csv.headers['content-disposition'] as string, new RegExp(`subventions-appel-${amiId}\\.csv`));
    assert.equal(csv.headers['x-subventions-ecartees'], '0');
    assert.notEqual(csv.body.charCodeAt(0), 0xfeff, 'pas de BOM');
    const [header, ...lines] = parseCsv(csv.body);
    assert.deepEqual(header, [...SCDL_FIELDS]);
    assert.equal(lines.length, 1);
    const lead = (await firstRow<{ siret: string; name: string }>(
      db(),
      sql`select siret, name from candidature_membre
      where candidature_id = ${laureate} and role = 'chef_de_file'`,
    ))!;
    const scheme = (await firstRow<{ id: string | null }>(
      db(),
      sql`select coalesce(d.id_aide, d.key) as id
      from appel a left join dispositif d on d.id = a.dispositif_id where a.id = ${amiId}`,
    ))!;
    assert.deepEqual(record(header!, lines[0]!), {
      nomAttribuant: 'Direction générale du Trésor',
      idAttribuant: attribuantSiret,
      dateConvention: '2021-12-01',
      referenceDecision: '',
      nomBeneficiaire: lead.name,
      idBeneficiaire: lead.siret,
      rnaBeneficiaire: '',
      objet: 'AMI national PTCE 2021 — émergence de nouveaux pôles territoriaux de coopération économique — Pôle coopératif, « Drôme » et "Vercors"',
      montant: '100000.00',
      nature: 'aide en numéraire',
      conditionsVersement: 'unique',
      datesPeriodeVersement: '2021-12-01',
      idRAE: '',
      notificationUE: 'non',
      pourcentageSubvention: '1.00',
      dispositifAide: scheme.id ?? '',
    });
    // The candidate's personal answers (contact's name and e-mail) never leave the instruction.
    assert.ok(!csv.body.includes('claude.martin'));
    assert.ok(!csv.body.includes('Claude Martin'));
  });

  test('l’année 3 conditionnelle compte une fois accordée : montant total, versement échelonné sur la période des tranches', async () => {
    const tranches = await rows<{ id: number }>(
      db(),
      sql`select t.id::int as id from convention_tranche t
      join convention c on c.id = t.convention_id where c.candidature_id = ${laureate} order by t.position`,
    );
    const year3 = `/instruction/candidatures/${laureate}/financement/tranches/${tranches[1]!.id}`;
    assert.equal((await postForm(t.app, instructor, year3, { montant: '30 000,50' })).statusCode, 303);
    const before = (await t.app.inject(`/api/v1/appels/${amiId}/subventions.json`)).json() as { subventions: { montant: number }[] };
    assert.equal(before.subventions[0]!.montant, 100000, 'montant fixé mais condition non constatée : pas encore attribué');
    assert.equal((await postForm(t.app, instructor, year3, { condition_levee: 'oui' })).statusCode, 303);

    const json = await csvOf(`/api/v1/appels/${amiId}/subventions.json`);
    const body = json.json() as { schema: { version: string }; subventions: Record<string, unknown>[]; ecartees: unknown[] };
    assert.equal(body.schema.version, '2.1.1');
    assert.deepEqual(body.ecartees, []);
    assert.equal(body.subventions.length, 1);
    const s = body.subventions[0]!;
    assert.deepEqual(Object.keys(s), [...SCDL_FIELDS]);
    assert.equal(s.montant, 130000.5);
    assert.equal(s.conditionsVersement, 'échelonné');
    assert.equal(s.datesPeriodeVersement, '2021-12-01/2023-12-01');
    assert.equal(s.pourcentageSubvention, 1);
    assert.equal(s.referenceDecision, null);

    const [header, ...lines] = parseCsv((await csvOf(`/api/v1/appels/${amiId}/subventions.csv`)).body);
    const row = record(header!, lines[0]!);
    assert.equal(row.montant, '130000.50');
    assert.equal(row.datesPeriodeVersement, '2021-12-01/2023-12-01');
  });

  test('tous les appels : même en-tête, brouillons et non-lauréates absents, appels en préparation exclus', async () => {
    const csv = await csvOf('/api/v1/subventions.csv');
    assert.match(csv.headers['content-disposition'] as string, /maillage-subventions-\d{4}-\d{2}-\d{2}\.csv/);
    const [header, ...lines] = parseCsv(csv.body);
    assert.deepEqual(header, [...SCDL_FIELDS]);
    const objets = lines.map((cells) => record(header!, cells).objet);
    assert.equal(objets.filter((o) => o!.includes('Pôle coopératif')).length, 1);
    for (const absent of ['Retirée après convention', 'Brouillon jamais publié', 'Non retenue']) {
      assert.ok(!csv.body.includes(absent), absent);
    }
    const json = (await t.app.inject(`/api/v1/appels/${amiId}/subventions.json`)).body;
    for (const absent of ['Retirée après convention', 'Brouillon jamais publié', 'Non retenue']) assert.ok(!json.includes(absent), absent);

    // A call still in preparation is not public: 404, and its grants stay out of the national file.
    await db().execute(sql`update appel set statut = 'brouillon' where id = ${amiId}`);
    try {
      assert.equal((await t.app.inject(`/api/v1/appels/${amiId}/subventions.csv`)).statusCode, 404);
      assert.equal((await csvOf('/api/v1/subventions.csv')).body, `${SCDL_FIELDS.join(',')}\r\n`);
    } finally {
      await db().execute(sql`update appel set statut = 'publie' where id = ${amiId}`);
    }
  });

  test('la page publique de l’appel mène aux deux fichiers, qui répondent ; un appel en concertation n’en a pas encore', async () => {
    const page = (await t.app.inject(`/appels/${amiId}`)).body;
    assert.match(page, /<h2>Données ouvertes<\/h2>/);
    const links = [...page.matchAll(/href="(\/api\/v1\/appels\/\d+\/subventions\.(?:csv|json))"/g)].map((m) => m[1]!);
    assert.deepEqual(links, [`/api/v1/appels/${amiId}/subventions.csv`, `/api/v1/appels/${amiId}/subventions.json`]);
    for (const link of links) assert.equal((await t.app.inject(link)).statusCode, 200, link);

    await db().execute(sql`update appel set statut = 'brouillon_concertation' where id = ${amiId}`);
    try {
      assert.doesNotMatch((await t.app.inject(`/appels/${amiId}`)).body, /Données ouvertes|subventions\.csv/);
    } finally {
      await db().execute(sql`update appel set statut = 'publie' where id = ${amiId}`);
    }
  });

  test('identifiant invalide → 400, appel inconnu → 404, en problem+json français ; routes documentées dans OpenAPI', async () => {
    for (const [url, status, detail] of [
      ['/api/v1/appels/999999/subventions.csv', 404, /Aucun appel ne porte l'identifiant 999999/],
      ['/api/v1/appels/999999/subventions.json', 404, /Aucun appel/],
      ['/api/v1/appels/abc/subventions.csv', 400, /identifiant est un nombre entier positif/],
      ['/api/v1/appels/0/subventions.json', 400, /identifiant est un nombre entier positif/],
    ] as const) {
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, status, url);
      assert.match(response.headers['content-type'] as string, /application\/problem\+json/, url);
      assert.match((response.json() as { detail: string }).detail, detail, url);
    }
    const openapi = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, { get?: { summary?: string } }> };
    for (const path of ['/api/v1/appels/{id}/subventions.csv', '/api/v1/appels/{id}/subventions.json', '/api/v1/subventions.csv']) {
      assert.match(openapi.paths[path]?.get?.summary ?? '', /SCDL/, path);
    }
  });
});
