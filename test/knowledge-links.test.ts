/**
 * The knowledge base's links shown where they point: a cooperation's page and a dispositif's
 * page list the resources linked to them, with the way to all of them; the resource list takes the same
 * `cooperation` and `dispositif` filters as the API and says which one is in force; seeded resources have their
 * first version from their loading.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { ORIGINAL_VERSION_LABEL } from '../src/data/knowledge/load.ts';
import { seedResources } from '../src/data/knowledge/resources.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const escaped = (text: string) => text.replace(/'/g, '&#39;');

describe('Ressources liées aux coopérations et aux dispositifs', () => {
  let t: TestApp;
  let resources: { id: number; titre: string }[];
  let cooperation: { id: number; name: string };
  let bare: { id: number };
  let dispositif: { id: number; name: string };
  const page = async (url: string) => {
    const response = await t.app.inject(url);
    assert.equal(response.statusCode, 200, `${url} : ${response.body.slice(0, 500)}`);
    return response.body;
  };
  /** The part of a page after the section's heading (up to its end). */
  const section = (body: string) => /<section aria-labelledby="ressources-liees">[\s\S]*?<\/section>/.exec(body)?.[0];

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    resources = await rows(db, sql`select id::int as id, titre from ressource where is_example order by id`);
    const cooperations = await rows<{ id: number; name: string }>(db, sql`select id::int as id, name from cooperation order by id limit 2`);
    [cooperation, bare] = [cooperations[0]!, cooperations[1]!];
    dispositif = (await firstRow<{ id: number; name: string }>(db, sql`select id::int as id, name from dispositif order by id limit 1`))!;
    // Every seeded resource names the first cooperation; the two first name the dispositif.
    await db.execute(sql`insert into ressource_cooperation (ressource_id, cooperation_id) select id, ${cooperation.id} from ressource where is_example`);
    await db.execute(sql`insert into ressource_dispositif (ressource_id, dispositif_id)
      select id, ${dispositif.id} from ressource where id = any(${`{${resources[0]!.id},${resources[1]!.id}}`}::bigint[])`);
  });
  after(() => t.close());

  test('la page d’une coopération liste ses dernières ressources (titre, type et thèmes, lien) et mène à toutes', async () => {
    assert.equal(resources.length, seedResources.length);
    const shown = section(await page(`/cooperations/${cooperation.id}`));
    assert.ok(shown, 'la section des ressources');
    assert.match(shown, /<h2 id="ressources-liees">Ressources sur cette coopération<\/h2>/);
    // Five shown, in the order of the list (the latest, then by number); the sixth through the link.
    for (const r of resources.slice(0, 5)) assert.ok(shown.includes(`<a href="/ressources/${r.id}">${escaped(r.titre)}</a>`), r.titre);
    assert.ok(!shown.includes(`/ressources/${resources[5]!.id}"`), 'la sixième est derrière le lien');
    assert.match(shown, /<p class="hint">Fiche technique · Circuit court<\/p>/);
    assert.match(shown, /<span class="badge">Exemple<\/span>/);
    assert.match(shown, new RegExp(`<a href="/ressources\\?cooperation=${cooperation.id}">Toutes les ressources de cette coopération</a> \\(6\\)`));
    // A cooperation no resource names has no such section.
    assert.equal(section(await page(`/cooperations/${bare.id}`)), undefined);
  });

  test('la page d’un dispositif liste les ressources qui le nomment', async () => {
    const shown = section(await page(`/dispositifs/${dispositif.id}`));
    assert.ok(shown, 'la section des ressources');
    assert.match(shown, /Ressources sur ce dispositif/);
    assert.deepEqual(
      [...shown.matchAll(/<a href="\/ressources\/(\d+)">/g)].map((m) => Number(m[1])),
      [resources[0]!.id, resources[1]!.id],
    );
    assert.match(shown, new RegExp(`<a href="/ressources\\?dispositif=${dispositif.id}">Toutes les ressources de ce dispositif</a> \\(2\\)`));
    const other = (await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from dispositif where id <> ${dispositif.id} limit 1`))!;
    assert.equal(section(await page(`/dispositifs/${other.id}`)), undefined);
  });

  test('la liste des ressources filtrée par coopération ou dispositif : le filtre nommé, gardé par la recherche, retirable', async () => {
    const byDispositif = await page(`/ressources?dispositif=${dispositif.id}&theme=circuit_court`);
    assert.match(byDispositif, /<h2 id="titre-resultats" aria-live="polite">2 ressources<\/h2>/);
    assert.ok(byDispositif.includes(`Dispositif : <a href="/dispositifs/${dispositif.id}">${escaped(dispositif.name)}</a>`));
    // Removing it keeps the other filters; the search form and the facets keep it.
    assert.match(
      byDispositif,
      /<a class="tag" href="\/ressources\?theme=circuit_court">Retirer ce filtre<span class="visually-hidden"> \(dispositif\)<\/span>/,
    );
    assert.ok(byDispositif.includes(`<input type="hidden" name="dispositif" value="${dispositif.id}">`));
    const facet = /href="(\/ressources\?[^"]*type=methode[^"]*)"/.exec(byDispositif)?.[1];
    assert.ok(facet?.includes(`dispositif=${dispositif.id}`), `une facette garde le filtre : ${facet}`);

    const byCooperation = await page(`/ressources?cooperation=${cooperation.id}&q=circuit`);
    const api = (await t.app.inject(`/api/v1/ressources?cooperation=${cooperation.id}&q=circuit`)).json() as { total: number };
    assert.match(byCooperation, new RegExp(`<h2 id="titre-resultats" aria-live="polite">${api.total} ressource`));
    assert.ok(byCooperation.includes(`Coopération : <a href="/cooperations/${cooperation.id}">${escaped(cooperation.name)}</a>`));
    assert.match(byCooperation, /<a class="tag" href="\/ressources\?q=circuit">Retirer ce filtre/);

    // Not linked to anything: no resource; unknown: said so; not a number: a French 400, as the API says.
    assert.match(await page(`/ressources?cooperation=${bare.id}`), /0 ressource<\/h2>[\s\S]*Aucune ressource/);
    assert.match(await page('/ressources?cooperation=999999999'), /Coopération : <a href="\/cooperations\/999999999">n° 999999999 \(introuvable\)<\/a>/);
    const wrong = await t.app.inject('/ressources?dispositif=abc');
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /nombre entier positif/);
    // Without either filter, nothing is said of them.
    assert.doesNotMatch(await page('/ressources'), /Retirer ce filtre/);
  });

  test('les ressources d’exemple ont leur première version dès leur chargement : leur historique a une origine', async () => {
    const versions = await rows<{ object_id: number; version: number; source_label: string | null; titre: string }>(
      t.database.db,
      sql`select v.object_id::int as object_id, v.version, v.source_label, v.snapshot->>'titre' as titre
      from object_version v join ressource r on r.id = v.object_id where v.kind = 'ressource' and r.is_example order by v.object_id, v.version`,
    );
    assert.deepEqual(
      versions.map((v) => [v.object_id, v.version, v.source_label, v.titre]),
      resources.map((r) => [r.id, 1, ORIGINAL_VERSION_LABEL, r.titre]),
    );
    const history = await page(`/ressources/${resources[2]!.id}/historique`);
    assert.match(history, /<h2>Version 1<\/h2>\s*<p>Version d’origine \(source citée sur la ressource\), le <time/);
    assert.doesNotMatch(history, /pas encore d’historique/);
  });
});
