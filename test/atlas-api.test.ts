import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

describe(`API de l'Atlas`, () => {
  let t: TestApp;
  const get = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    return { status: response.statusCode, type: String(response.headers['content-type']), body: response.body, json: () => response.json() };
  };

  before(async () => {
    t = await buildTestApp();
    // Three structures of our own, to check counts exactly (the demo has few structures with a commune).
    await t.database.db.execute(sql`insert into organisation (siret, siren, name, legal_form, statut_ess, naf_code, secteur,
        commune_code, departement_code, region_code, epci_code, latitude, longitude, source)
      select v.siret, left(v.siret, 9), v.name, v.cj, v.statut, v.naf, v.secteur, c.code, c.departement_code, c.region_code, c.epci_code,
        45.0, 5.0, 'test'
      from (values
        ('73282932000074', 'Recyclerie des Monts du Lyonnais', '9220', 'ess_de_droit', '38.32Z', 'energie_environnement', '69135'),
        ('35600000000047', 'Épicerie solidaire de Valence', '9220', 'ess_de_droit', '47.11B', 'commerce', '26362'),
        ('44306184100047', 'Garage Martin', '5499', 'hors_ess', '45.20A', 'commerce', '26362')
      ) as v(siret, name, cj, statut, naf, secteur, commune)
      join commune c on c.code = v.commune`);
  });
  after(() => t.close());

  test('recherche plein texte sans accents et avec faute de frappe sur le nom', async () => {
    const accents = (await get('/api/v1/cooperations?q=eoliennes')).json();
    assert.ok(accents.resultats.some((r: { nom: string }) => r.nom === 'Éoliennes en Pays de Vilaine'));
    const typo = (await get('/api/v1/cooperations?q=pole%20sud%20archr')).json();
    assert.equal(typo.resultats[0].nom, 'Pôle Sud Archer');
    assert.deepEqual(typo.resultats[0].commune, { code: '26281', nom: 'Romans-sur-Isère' });
    const stem = (await get('/api/v1/organisations?q=epiceries%20solidaires')).json();
    assert.deepEqual(
      stem.resultats.map((r: { nom: string }) => r.nom),
      ['Épicerie solidaire de Valence'],
    );
  });

  test('une faute sur un mot est corrigée par le dictionnaire des noms, tenu à jour à chaque écriture', async () => {
    const before = (await get('/api/v1/organisations?q=ressoucerie%20valentinoise')).json();
    assert.equal(before.total, 0);
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code)
      values ('Ressourcerie valentinoise', '26362', '26', '84')`);
    const after = (await get('/api/v1/organisations?q=ressoucerie%20valentinoise')).json();
    assert.deepEqual(
      after.resultats.map((r: { nom: string }) => r.nom),
      ['Ressourcerie valentinoise'],
    );
    const words = await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from search_word where word in ('ressourcerie', 'valentinoise')`);
    assert.equal(words!.n, 2);
    await t.database.db.execute(sql`update organisation set name = 'Bricothèque valentinoise' where name = 'Ressourcerie valentinoise'`);
    const renamed = (await get('/api/v1/organisations?q=bricotheqe')).json();
    assert.deepEqual(
      renamed.resultats.map((r: { nom: string }) => r.nom),
      ['Bricothèque valentinoise'],
    );
    await t.database.db.execute(sql`delete from organisation where name = 'Bricothèque valentinoise'`);
  });

  test('fautes de frappe sur les noms de la démonstration : lettres inversées, oubliées, remplacées ou ajoutées', async () => {
    const misspellings: [kind: 'cooperations' | 'organisations', typed: string, expected: string][] = [
      ['cooperations', 'Phraes', 'Le Phares'],
      ['cooperations', 'le pahres', 'Le Phares'],
      ['cooperations', 'Ecosloies', 'Ecosolies'],
      ['cooperations', 'Pollnes', 'POLLENS'],
      ['cooperations', 'Ruhce', 'La Ruche'],
      ['cooperations', 'Passerelels theatre', 'Passerelles-Théâtre'],
      ['cooperations', 'conciergeire', 'Conciergerie de mobilité rurale'],
      ['cooperations', 'Incubatuer haute-vienne', 'Incubateur départemental de la Haute-Vienne'],
      ['cooperations', 'epicrie participative', 'Épicerie participative de Thoré-la-Rochette'],
      ['cooperations', 'Lorrainne', 'Terres de Lorraine'],
      ['cooperations', 'eoliennes en pyas de vilaine', 'Éoliennes en Pays de Vilaine'],
      ['organisations', 'Halgae', 'Halage'],
      ['organisations', 'potagres du telegarphe', 'Les Potagers du Télégraphe'],
      ['organisations', 'Crecsendo', 'CAE Crescendo'],
      ['organisations', 'Koncetperie', 'La Koncepterie'],
      ['organisations', 'ecovalroisn', 'Cuma Ecovaloris'],
    ];
    const missed: string[] = [];
    for (const [kind, typed, expected] of misspellings) {
      const found = (await get(`/api/v1/${kind}?q=${encodeURIComponent(typed)}`)).json();
      const names = found.resultats.map((r: { nom: string }) => r.nom);
      if (names[0] !== expected) missed.push(`${typed} → ${names.slice(0, 3).join(', ') || 'rien'} (attendu : ${expected})`);
    }
    assert.deepEqual(missed, []);
  });

  test('filtres territoriaux à tous les niveaux et facettes comptées', async () => {
    const drome = (await get('/api/v1/organisations?departement=26')).json();
    assert.equal(
      drome.total,
      (await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from organisation where departement_code = '26'`))!.n,
    );
    const valence = (await get('/api/v1/organisations?commune=26362')).json();
    assert.equal(valence.total, 2);
    assert.deepEqual(valence.facettes.statut_ess.map((f: { valeur: string; nombre: number }) => [f.valeur, f.nombre]).sort(), [
      ['ess_de_droit', 1],
      ['hors_ess', 1],
    ]);
    assert.equal(valence.facettes.secteur[0].libelle, 'Commerce');
    assert.equal(valence.facettes.secteur[0].nombre, 2);
    const region = (await get('/api/v1/organisations?region=84&statut_ess=ess_de_droit')).json();
    assert.ok(region.resultats.every((r: { statut_ess: string }) => r.statut_ess === 'ess_de_droit'));
    assert.ok(region.facettes.departement.some((f: { valeur: string; libelle: string }) => f.valeur === '69' && f.libelle === 'Rhône'));
    const epci = (await get('/api/v1/organisations?epci=200068781&forme_juridique=92')).json(); // CA Valence Romans Agglo
    assert.deepEqual(
      epci.resultats.map((r: { nom: string }) => r.nom),
      ['Épicerie solidaire de Valence'],
    );
  });

  test('recherche plein texte : facettes comptées sur les mêmes lignes, pages dans l’ordre de pertinence', async () => {
    // Without a territory, the EPCI and commune facets are not shown: each facet must still count its own column.
    const solidaire = (await get('/api/v1/organisations?q=solidaire')).json();
    assert.ok(solidaire.total >= 1);
    assert.equal(solidaire.facettes.epci, undefined);
    assert.ok(
      solidaire.facettes.statut_ess.some((f: { valeur: string; libelle: string }) => f.valeur === 'ess_de_droit' && f.libelle.startsWith('ESS de droit')),
    );
    assert.ok(solidaire.facettes.secteur.some((f: { valeur: string; libelle: string }) => f.valeur === 'commerce' && f.libelle === 'Commerce'));
    const byStatut = solidaire.facettes.statut_ess.reduce((sum: number, f: { nombre: number }) => sum + f.nombre, 0);
    assert.ok(byStatut <= solidaire.total);

    const all = (await get('/api/v1/cooperations?q=cooperation&par_page=100')).json();
    assert.ok(all.total >= 4, 'assez de résultats pour paginer');
    const pages = await Promise.all([1, 2].map(async (page) => (await get(`/api/v1/cooperations?q=cooperation&par_page=2&page=${page}`)).json()));
    assert.deepEqual(
      pages.flatMap((p) => p.resultats.map((r: { id: number }) => r.id)),
      all.resultats.slice(0, 4).map((r: { id: number }) => r.id),
    );
    assert.equal(pages[1].total, all.total);
    assert.deepEqual(pages[1].facettes, all.facettes);
  });

  test('une commune à arrondissements inclut ceux-ci', async () => {
    await t.database.db.execute(sql`insert into organisation (name, commune_code, departement_code, region_code)
      values ('Structure du 11e', '75111', '75', '11')`);
    const paris = (await get('/api/v1/organisations?commune=75056')).json();
    assert.ok(paris.resultats.some((r: { nom: string }) => r.nom === 'Structure du 11e'));
  });

  test('coopérations filtrées par modèle, facette modèle', async () => {
    const ptce = (await get('/api/v1/cooperations?modele=PTCE&par_page=100')).json();
    assert.ok(ptce.total > 5);
    assert.ok(ptce.resultats.every((r: { modele: string }) => r.modele === 'PTCE'));
    assert.deepEqual(ptce.facettes.modele, [{ valeur: 'PTCE', libelle: 'Pôle territorial de coopération économique (PTCE)', nombre: ptce.total }]);
  });

  test('pagination', async () => {
    const first = (await get('/api/v1/cooperations?par_page=2')).json();
    const second = (await get('/api/v1/cooperations?par_page=2&page=2')).json();
    assert.equal(first.resultats.length, 2);
    assert.notDeepEqual(first.resultats[0].id, second.resultats[0].id);
    assert.equal(first.total, second.total);
  });

  test('pages d’un territoire seul (requête sans barrière) = pages du même territoire avec un filtre de plus (avec barrière)', async () => {
    const pages = async (query: string) => {
      const ids: number[] = [];
      for (let page = 1; ; page++) {
        const body = (await get(`/api/v1/organisations?${query}&par_page=2&page=${page}`)).json();
        ids.push(...body.resultats.map((r: { id: number }) => r.id));
        if (page * 2 >= body.total) return { total: body.total, ids };
      }
    };
    // The Drôme is in Auvergne-Rhône-Alpes: the same structures, by the unfenced query and by the fenced one.
    const alone = await pages('departement=26');
    const withRegion = await pages('departement=26&region=84');
    assert.ok(alone.total >= 3, `assez de structures dans la Drôme pour paginer (${alone.total})`);
    assert.deepEqual(alone, withRegion);
    assert.equal(new Set(alone.ids).size, alone.total);
  });

  test('fiches détaillées avec membres, source et territoires', async () => {
    const list = (await get('/api/v1/cooperations?q=Pole%20Sud%20Archer')).json();
    const detail = (await get(`/api/v1/cooperations/${list.resultats[0].id}`)).json();
    assert.equal(detail.nom, 'Pôle Sud Archer');
    assert.equal(detail.territoires.departement.nom, 'Drôme');
    assert.equal(detail.territoires.region.code, '84');
    assert.match(detail.source, /00\d_[0-9a-f]+\.txt/);
    assert.equal(detail.exemple, true);
    const organisation = (await get('/api/v1/organisations?q=Garage%20Martin')).json().resultats[0];
    const orgDetail = (await get(`/api/v1/organisations/${organisation.id}`)).json();
    assert.equal(orgDetail.libelle_naf, 'Entretien et réparation de véhicules automobiles légers');
    assert.equal(orgDetail.siret, '44306184100047');
  });

  test('mauvaises entrées : message clair en français, 400 ou 404', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/v1/cooperations?region=99', 400, /Région inconnue/],
      ['/api/v1/organisations?commune=99999', 400, /Commune inconnue/],
      ['/api/v1/organisations?departement=ABC', 400, /code de département/],
      ['/api/v1/cooperations?modele=inconnu', 400, /modele/],
      ['/api/v1/cooperations?par_page=500', 400, /par_page/],
      ['/api/v1/cooperations?page=0', 400, /page/],
      ['/api/v1/cooperations?page=500', 400, /n'existe pas/],
      [`/api/v1/cooperations?q=${'x'.repeat(201)}`, 400, /200 caractères/],
      ['/api/v1/cooperations/999999', 404, /Aucune coopération/],
      ['/api/v1/organisations/abc', 400, /id/],
      ['/api/v1/territoires/commune/99999', 404, /Commune inconnue/],
      ['/api/v1/territoires/pays/26', 400, /type/],
      ['/api/v1/inexistant', 404, /n'existe pas/],
    ];
    for (const [url, status, detail] of cases) {
      const response = await get(url);
      assert.equal(response.status, status, url);
      assert.match(response.type, /application\/problem\+json/, url);
      const problem = response.json();
      assert.equal(problem.status, status);
      assert.match(problem.detail, detail, url);
    }
  });

  test('exports CSV (Excel français et RFC 4180), JSON et GeoJSON', async () => {
    const excel = await get('/api/v1/organisations.csv?commune=26362');
    assert.match(excel.type, /text\/csv/);
    assert.ok(excel.body.startsWith('\uFEFFid;nom;siret;'));
    const lines = excel.body.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.some((line) => line.includes('Épicerie solidaire de Valence;35600000000047')));
    const plain = await get('/api/v1/organisations.csv?commune=26362&separateur=virgule');
    assert.ok(plain.body.startsWith('id,nom,siret,'));
    const json = (await get('/api/v1/cooperations.json?modele=PTCE')).json();
    assert.ok(json.length > 5 && json.every((c: { modele: string }) => c.modele === 'PTCE'));
    const geojson = (await get('/api/v1/organisations.geojson?commune=26362')).json();
    assert.equal(geojson.type, 'FeatureCollection');
    assert.deepEqual(geojson.features[0].geometry, { type: 'Point', coordinates: [5, 45] });
    const bad = await get('/api/v1/organisations.csv?region=99');
    assert.equal(bad.status, 400);
  });

  test('page de territoire : décompte par modèle et par sous-territoire', async () => {
    const drome = (await get('/api/v1/territoires/departement/26')).json();
    assert.equal(drome.nom, 'Drôme');
    assert.deepEqual(drome.parents, [{ type: 'region', code: '84', nom: 'Auvergne-Rhône-Alpes' }]);
    assert.ok(drome.cooperations.liste.some((c: { nom: string }) => c.nom === 'Pôle Sud Archer'));
    const valenceRomans = drome.sous_territoires.find((s: { code: string }) => s.code === '200068781');
    assert.equal(valenceRomans.organisations, 3); // Groupe Archer (demo) + our two in Valence
    const region = (await get('/api/v1/territoires/region/84')).json();
    assert.equal(region.sous_territoires.length, 12);
    assert.equal(
      region.sous_territoires.reduce((sum: number, s: { organisations: number }) => sum + s.organisations, 0),
      region.organisations.total,
    );
  });

  test('le document OpenAPI 3.1 décrit les routes publiques et leurs paramètres', async () => {
    const document = (await get('/api/openapi.json')).json();
    assert.equal(document.openapi, '3.1.0');
    for (const path of [
      '/api/v1/cooperations',
      '/api/v1/organisations',
      '/api/v1/cooperations/{id}',
      '/api/v1/organisations/{id}',
      '/api/v1/territoires/{type}/{code}',
      '/api/v1/organisations.csv',
    ]) {
      assert.ok(document.paths[path], path);
    }
    const params = document.paths['/api/v1/cooperations'].get.parameters.map((p: { name: string }) => p.name);
    for (const name of [
      'q',
      'region',
      'departement',
      'epci',
      'commune',
      'modele',
      'stade',
      'finalite',
      'modele_economique',
      'secteur',
      'forme_juridique',
      'statut_ess',
      'page',
      'par_page',
    ]) {
      assert.ok(params.includes(name), name);
    }
  });
});
