/**
 * Usage statistics: searches, page views, orientations and applications are counted per day and kind, with
 * no cookie set and nothing about the person stored; /admin/statistiques shows them to platform admins only
 * (checked on the server), with charts, their tables and the CSV; a wrong period is a French 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { parisDayOf } from '../src/features/usage-stats/counter.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const PLATFORM_ADMIN: Grant = { role: 'platform_admin', scopeKind: 'platform', scopeCode: '' };
const profile = { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26281' };

describe('Statistiques d’usage respectueuses de la vie privée', () => {
  let t: TestApp;
  let admin: TestAccount;
  before(async () => {
    t = await buildTestApp();
    admin = await signedInAs(t.app, t.database.db, [PLATFORM_ADMIN]);
  });
  after(() => t.close());

  test('les recherches, pages vues et orientations sont comptées par jour, sans cookie ni donnée de personne', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/v1/cooperations?q=jardin' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/cooperations?q=phares' }),
      await t.app.inject({ method: 'GET', url: '/recherche?type=cooperations&q=ressourcerie' }),
      await t.app.inject({ method: 'GET', url: `/orientation/resultat?${new URLSearchParams(profile)}` }),
      await t.app.inject({ method: 'POST', url: '/api/v1/orientation', payload: profile }),
      await t.app.inject({ method: 'GET', url: '/api/v1/cooperations?region=abc' }),
    ];
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200, 200, 200, 400],
    );
    for (const answer of answers.slice(0, 2)) assert.equal(answer.headers['set-cookie'], undefined, 'aucun cookie pour l’API');
    const page = await admin.client.get('/admin/statistiques');
    assert.equal(page.statusCode, 200);
    const today = parisDayOf(new Date());
    const counts = await rows<{ kind: string; count: number }>(
      t.database.db,
      sql`select kind, count::int as count from usage_daily where day = ${today}::date order by kind`,
    );
    const byKind = Object.fromEntries(counts.map((row) => [row.kind, row.count]));
    assert.equal(byKind.recherche, 3, 'deux recherches par l’API, une par la page ; la recherche refusée ne compte pas');
    assert.equal(byKind.orientation, 2);
    assert.equal(byKind.vue_recherche, 1);
    assert.equal(byKind.vue_orientation, 1);
    const columns = await rows<{ column_name: string }>(
      t.database.db,
      sql`select column_name from information_schema.columns where table_name = 'usage_daily' order by column_name`,
    );
    assert.deepEqual(
      columns.map((c) => c.column_name),
      ['count', 'day', 'kind'],
      'la table ne garde que le jour, la sorte et le nombre',
    );
  });

  test('la page montre graphiques, tableaux et CSV aux administrateurs', async () => {
    const page = await admin.client.get('/admin/statistiques');
    assert.match(page.body, /<svg class="bar-chart" id="actions-graphique"[^>]*role="img"/);
    assert.match(page.body, /<table class="table" id="actions-tableau">/);
    assert.match(page.body, /Recherches dans l’Atlas \(pages et API\)<\/th><td class="number">\d+/);
    const today = parisDayOf(new Date());
    const csv = await admin.client.get(`/admin/statistiques.csv?du=${today}&au=${today}`);
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'jour,sorte,nombre');
    assert.ok(lines.includes(`${today},orientation,2`), csv.body);
  });

  test('une période fausse est refusée en français, sans rien montrer', async () => {
    const backwards = await admin.client.get('/admin/statistiques?du=2026-03-02&au=2026-03-01');
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /finit \(2026-03-01\) avant de commencer/);
    const tooLong = await admin.client.get('/admin/statistiques.csv?du=2024-01-01&au=2026-01-01');
    assert.equal(tooLong.statusCode, 400);
    const impossible = await admin.client.get('/admin/statistiques?du=2026-02-30');
    assert.equal(impossible.statusCode, 400);
    assert.match(impossible.body, /cette date n’existe pas/);
  });

  test('réservée aux administrateurs de la plateforme, vérifié par le serveur', async () => {
    const visitor = await t.app.inject({ method: 'GET', url: '/admin/statistiques.csv' });
    assert.ok([302, 303, 401].includes(visitor.statusCode), String(visitor.statusCode));
    const moderator = await signedInAs(t.app, t.database.db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    assert.equal((await moderator.client.get('/admin/statistiques')).statusCode, 403);
    assert.equal((await moderator.client.get('/admin/statistiques.csv')).statusCode, 403);
  });
});
