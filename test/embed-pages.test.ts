/**
 * Embeds for partners' sites: the same filters as the Atlas, the partner's title escaped, open to framing by
 * any site (and only they), no cookie, no form, readable French errors; the « Intégrer » page writing their code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { signedInAs } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const frameAncestors = (csp: string | string[] | number | undefined) => /frame-ancestors ([^;]+)/.exec(String(csp))?.[1];
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>"];
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '?')),
  fc.constantFrom(...MARKUP, '', ' ', '0', '-1', '99999999999999999999', '2A', '84', 'x'.repeat(3000), '\u0000', 'a\u202Eb', 'javascript:alert(1)'),
);
const h1s = (body: string) => [...body.matchAll(/<h1[^>]*>([\s\S]*?)<\/h1>/g)].map((m) => m[1]!.trim());
const resultNames = (body: string) => [...body.matchAll(/<li class="result">\s*<h3><a [^>]*>([^<]*)</g)].map((m) => m[1]!);

describe(`Intégrations chez les partenaires`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('frame-ancestors ouvert sur /integration/liste et /integration/carte, fermé partout ailleurs', async () => {
    for (const url of ['/integration/liste', '/integration/carte?type=organisations', '/integration/liste?region=999']) {
      const response = await t.app.inject(url);
      assert.equal(frameAncestors(response.headers['content-security-policy']), '*', url);
      assert.equal(response.headers['x-frame-options'], undefined, url);
    }
    for (const url of ['/', '/recherche', '/integration', '/integration?titre=x', '/compte/connexion', '/api/v1/cooperations', '/integration/inconnue']) {
      const response = await t.app.inject(url);
      assert.equal(frameAncestors(response.headers['content-security-policy']), "'self'", url);
    }
  });

  test('la liste applique les filtres de l’Atlas, sans en-tête du site, sans formulaire ni cookie', async () => {
    const api = (await t.app.inject('/api/v1/cooperations?region=84&par_page=100')).json() as { total: number; resultats: { nom: string }[] };
    assert.ok(api.total > 0 && api.total < 100, 'la démo compte des coopérations en Auvergne-Rhône-Alpes');
    const response = await t.app.inject('/integration/liste?region=84&par_page=100');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['set-cookie'], undefined);
    assert.deepEqual(resultNames(response.body).sort(), api.resultats.map((r) => r.nom).sort());
    const all = (await t.app.inject('/api/v1/cooperations')).json() as { total: number };
    assert.ok(all.total > api.total, 'le filtre retire des coopérations');

    assert.deepEqual(h1s(response.body), ['Coopérations de l’ESS']);
    assert.doesNotMatch(response.body, /<form/i);
    assert.doesNotMatch(response.body, /Navigation principale|Se connecter/);
    assert.match(response.body, /<base target="_blank">/);
    assert.match(response.body, /href="\/recherche\?type=cooperations&amp;region=84"[^>]*rel="noopener">Voir sur Maillage/);
    assert.match(response.body, /Licence Ouverte Etalab 2\.0/);
    assert.match(response.body, /<main id="contenu">/);
    assert.match(response.body, /<footer/);
    assert.doesNotMatch(response.body, /id="carte"/, 'la liste seule n’a pas de carte');
  });

  test('structures, texte libre, pagination dans le cadre', async () => {
    const api = (await t.app.inject('/api/v1/organisations?par_page=2')).json() as { total: number; resultats: { nom: string }[] };
    const list = await t.app.inject('/integration/liste?type=organisations&par_page=2');
    assert.deepEqual(
      resultNames(list.body),
      api.resultats.map((r) => r.nom),
    );
    if (api.total > 2) assert.match(list.body, /href="\/integration\/liste\?type=organisations&amp;par_page=2&amp;page=2" target="_self" rel="next"/);
    const q = (await t.app.inject('/api/v1/cooperations?q=ressourcerie')).json() as { resultats: { nom: string }[] };
    assert.deepEqual(
      resultNames((await t.app.inject('/integration/liste?q=ressourcerie')).body),
      q.resultats.map((r) => r.nom),
    );
  });

  test('la carte reprend le paquet MapLibre et l’API des regroupements, avec la liste', async () => {
    const response = await t.app.inject('/integration/carte?departement=26&titre=Drôme%20coopérative');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<div class="map" id="carte" data-kind="cooperations" data-query="departement=26"/);
    assert.match(response.body, /<script type="module" src="\/assets\/map[^"]*\.js">/);
    assert.match(response.body, /<ol class="result-list"/);
    assert.deepEqual(h1s(response.body), ['Drôme coopérative']);
    assert.match(response.body, /<title>Drôme coopérative — Maillage<\/title>/);
  });

  test('le titre est échappé : aucune injection de script ni d’attribut', async () => {
    for (const titre of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "</title><script>alert('x')</script>"]) {
      const response = await t.app.inject(`/integration/liste?titre=${encodeURIComponent(titre)}`);
      assert.equal(response.statusCode, 200, titre);
      assert.doesNotMatch(response.body, /<script>alert|<img /, titre);
      assert.equal(h1s(response.body).length, 1);
      assert.ok(
        response.body.includes(titre.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')),
        titre,
      );
    }
    const long = await t.app.inject(`/integration/liste?titre=${'a'.repeat(121)}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /le titre ne peut dépasser 120 caractères/);
  });

  test('mauvais filtres : page 400 lisible en français, dans la mise en page légère, toujours intégrable', async () => {
    const cases: [string, RegExp][] = [
      ['/integration/liste?region=999', /Région inconnue dans le Code officiel géographique : 999/],
      ['/integration/carte?modele=inconnu', /« modele »/],
      ['/integration/liste?type=licornes', /« type »/],
      ['/integration/liste?page=0', /numéro de page/],
      ['/integration/liste?titre=a%00b', /caractère invisible/],
    ];
    for (const [url, detail] of cases) {
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      assert.match(response.body, detail, url);
      assert.match(response.body, /role="alert"/, url);
      assert.doesNotMatch(response.body, /Navigation principale|at [\w.]+ \(|select /i, url);
      assert.equal(frameAncestors(response.headers['content-security-policy']), '*', url);
    }
  });

  test('connecté, l’intégration ne montre rien du compte', async () => {
    const { client } = await signedInAs(t.app, t.database.db, []);
    const response = await client.get('/integration/liste');
    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, /Se déconnecter|Mon compte|csrf/i);
    assert.doesNotMatch(response.body, /<form/i);
    const search = await client.get('/recherche');
    assert.match(search.body, /Se déconnecter/, 'témoin : la page de recherche montre bien le compte');
  });

  test('page « Intégrer » : code de l’iframe échappé et aperçu ; liens depuis la recherche', async () => {
    const search = await t.app.inject('/recherche?type=cooperations&region=84');
    assert.match(search.body, /href="\/integration\?type=cooperations&amp;region=84">Intégrer cette recherche/);

    const empty = await t.app.inject('/integration');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<form method="get" action="\/integration"/);
    assert.doesNotMatch(empty.body, /<iframe/);

    const titre = 'Réseau "<ESS>" & co';
    const response = await t.app.inject(`/integration?vue=carte&type=cooperations&region=84&titre=${encodeURIComponent(titre)}&hauteur=500&largeur=640`);
    assert.equal(response.statusCode, 200);
    const code = /<code id="code-integration">([\s\S]*?)<\/code>/.exec(response.body)?.[1];
    assert.ok(code, 'le code à copier est affiché');
    const decoded = code
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.equal(
      decoded,
      '<iframe src="http://localhost:3000/integration/carte?type=cooperations&amp;region=84&amp;titre=R%C3%A9seau+%22%3CESS%3E%22+%26+co" ' +
        'title="Réseau &quot;&lt;ESS&gt;&quot; &amp; co" width="640" height="500" style="border:0;max-width:100%" loading="lazy"></iframe>',
    );
    assert.match(
      response.body,
      /<iframe src="\/integration\/carte\?type=cooperations&amp;region=84&amp;titre=R%C3%A9seau[^"]*" title="Aperçu : Réseau &quot;&lt;ESS&gt;&quot; &amp; co" width="640"/,
    );

    // A search address pasted from the Atlas gives its filters and its kind.
    const pasted = await t.app.inject(`/integration?adresse=${encodeURIComponent('http://localhost:3000/recherche?type=organisations&departement=26&q=cafe')}`);
    assert.match(pasted.body, /\/integration\/liste\?type=organisations&amp;q=cafe&amp;departement=26/);
  });

  test('page « Intégrer » : erreurs reliées à leurs champs, sans code', async () => {
    const cases: [string, string, RegExp][] = [
      ['hauteur=20', 'hauteur', /la hauteur est un nombre entier de pixels/],
      ['largeur=abc', 'largeur', /la largeur est un nombre entier/],
      ['region=999', 'region', /Région inconnue/],
      ['departement=99', 'departement', /Département inconnu/],
      ['adresse=https%3A%2F%2Fexemple.fr%2Fautre', 'adresse', /collez l’adresse d’une page de recherche/],
      ['adresse=%2Frecherche%3Fregion%3Dabc', 'adresse', /« region »/],
    ];
    for (const [query, field, message] of cases) {
      const response = await t.app.inject(`/integration?${query}`);
      assert.equal(response.statusCode, 200, query);
      assert.match(response.body, new RegExp(`<a href="#${field}">[^<]*: `), query);
      assert.match(response.body, message, query);
      assert.match(
        response.body,
        new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"|<input [^>]*id="${field}"[^>]*aria-invalid`),
        query,
      );
      assert.doesNotMatch(response.body, /<iframe/, query);
    }
  });

  test('propriété : toute valeur de tout paramètre donne une page (200 ou 400), jamais d’erreur serveur ni de balise injectée', async () => {
    const builderFields = ['vue', 'type', 'adresse', 'q', 'region', 'departement', 'modele', 'secteur', 'titre', 'largeur', 'hauteur'];
    const embedFields = ['type', 'titre', 'q', 'region', 'departement', 'commune', 'modele', 'secteur', 'page', 'par_page'];
    const cases = [
      ...builderFields.map((field) => ['/integration', field] as const),
      ...embedFields.flatMap((field) => [['/integration/liste', field] as const, ['/integration/carte', field] as const]),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), anyText, async ([path, field], value) => {
        const response = await t.app.inject({ url: path, query: { [field]: value } });
        assert.ok([200, 400].includes(response.statusCode), `${path} ${field}=${JSON.stringify(value.slice(0, 40))} → ${response.statusCode}`);
        assert.doesNotMatch(response.body, /\bat .+\.(ts|js):\d+|ZodError|TypeError|\bselect\b[^<]{0,80}\bfrom\b/);
        if (MARKUP.some((payload) => value.includes(payload))) assert.ok(!response.body.includes(value), `${path} ${field} : balise rendue`);
      }),
      { numRuns: 150 },
    );
  });
});
