import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { seedResources } from '../src/data/knowledge/resources.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

interface Answer {
  total: number;
  resultats: { id: number; titre: string; exemple: boolean; source: string | null; themes: string[] }[];
  facettes: Record<string, { valeur: string; libelle: string; nombre: number }[]>;
}

describe('Base de connaissances', () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject(url);
  const api = async (query = '') => {
    const response = await get(`/api/v1/ressources${query ? `?${query}` : ''}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Answer;
  };
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('amorcée avec les pratiques des documents sources, chacune avec sa source et marquée comme exemple', async () => {
    const all = await api('par_page=100');
    assert.equal(all.total, seedResources.length);
    for (const r of all.resultats) {
      assert.equal(r.exemple, true);
      assert.match(r.source ?? '', /^00[0-4] — /);
    }
  });

  test('texte intégral en français (sans accents, racines) et facettes comptées sur les mêmes résultats', async () => {
    // Plurals find their stem (« circuits courts »), a word without its accent finds it (« experience »).
    const circuit = await api('q=circuits%20courts');
    assert.ok(circuit.total >= 3, JSON.stringify(circuit.resultats.map((r) => r.titre)));
    assert.ok(circuit.resultats.every((r) => r.themes.includes('circuit_court')));
    assert.equal((await api('q=leviers%20territoire%20projet')).resultats[0]?.titre, 'Méthode : quatre leviers d’un territoire de projet pour l’ESS');
    assert.ok((await api('q=experience')).total >= 1, 'sans accent');
    const themes = Object.fromEntries(circuit.facettes.theme!.map((f) => [f.valeur, f.nombre]));
    assert.equal(themes.circuit_court, circuit.total);
    assert.equal(circuit.facettes.theme!.find((f) => f.valeur === 'achat_public')?.libelle, 'Achat public et commande publique');
    const fiche = await api('type=fiche_technique&theme=circuit_court');
    assert.deepEqual(
      fiche.resultats.map((r) => r.titre),
      ['Fiche technique : le circuit court au-delà de l’alimentation'],
    );
    assert.equal((await api('stade=changement_echelle')).total, 0);
    assert.equal((await api('q=zzzzqqq')).total, 0);
  });

  test('une ressource : son Markdown, ses liens, 404 sinon ; mauvais filtre : 400 en français', async () => {
    const [first] = (await api('type=outil')).resultats;
    const detail = (await get(`/api/v1/ressources/${first!.id}`)).json();
    assert.equal(detail.titre, 'Outil : la charte des acteurs du circuit court');
    assert.match(detail.corps, /^## Le choix d'une charte/);
    assert.deepEqual(detail.cooperations, []);
    assert.equal((await get('/api/v1/ressources/999999')).statusCode, 404);
    const wrong = await get('/api/v1/ressources?theme=cuisine');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.json().detail, /theme/);
  });

  test('les pages : la recherche et ses facettes, une ressource rendue sans balisage venu du contenu', async () => {
    const list = await get('/ressources?theme=circuit_court');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<h3 id="facette-theme">Thème<\/h3>/);
    assert.match(list.body, /aria-current="true" class="selected">Circuit court/);
    // A resource whose body tries markup: shown as text.
    const [hostile] = await rows<{ id: number }>(
      t.database.db,
      sql`insert into ressource (titre, type, resume, corps) values ('Essai', 'outil', 'Résumé',
        '<script>alert(1)</script> [lien](javascript:alert(1)) **gras**') returning id::int as id`,
    );
    const page = await get(`/ressources/${hostile!.id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert(1)'));
    assert.ok(!page.body.includes('href="javascript'));
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page.body, /<strong>gras<\/strong>/);
    assert.equal((await get('/ressources/999999')).statusCode, 404);
  });
});
