/**
 * Property-based tests (fast-check) of every HTML form: the forms are read from the pages themselves (their
 * action, method and field names), so that a field added to a form is tried the day it appears. Whatever is
 * typed in any field — any Unicode, control characters, markup, over-long text — the answer is a page or a
 * redirect, never a server error, never an internal detail, and never the typed markup unescaped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { firstRow } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, signedInAs, type TestAccount } from './support/accounts.ts';

interface Form {
  page: string;
  action: string;
  method: 'get' | 'post';
  fields: string[];
}

const RUNS = 12;
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</textarea><b>x</b>'];
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '?')),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.constantFrom(...MARKUP, '', ' ', '0', '-1', '99999999999999999999', '2A004', '26281', 'x'.repeat(5000), '\u0000', 'a\u202Eb\tc'),
);

/** The forms of a page: action, method and the names of their fields (the CSRF field apart). */
function formsOf(page: string, body: string): Form[] {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, inner]) => {
    const action = /action="([^"]*)"/.exec(attributes!)?.[1]?.replace(/&amp;/g, '&') ?? page;
    const method = /method="post"/i.test(attributes!) ? ('post' as const) : ('get' as const);
    const fields = [...new Set([...inner!.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!))].filter(
      (name) => name !== '_csrf',
    );
    return { page, action, method, fields };
  });
}

function assertSafeAnswer(status: number, body: string, values: Record<string, string>, what: string) {
  assert.ok([200, 303, 400, 401, 403, 404, 409, 413, 429].includes(status), `${what} → ${status} ${body.slice(0, 200)}`);
  assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+|ZodError|TypeError|DrizzleQueryError|\bselect\b[^<]{0,80}\bfrom\b/, `${what} : détail interne`);
  for (const value of Object.values(values)) {
    if (MARKUP.some((payload) => value.includes(payload))) assert.ok(!body.includes(value), `${what} : « ${value.slice(0, 40)} » rendu sans échappement`);
  }
}

describe('Formulaires : propriétés de tous les champs de toutes les pages', () => {
  let t: TestApp;
  let moderator: TestAccount;
  let admin: TestAccount;
  let pages: { path: string; as: () => Client }[];
  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    moderator = await signedInAs(t.app, db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    admin = await signedInAs(t.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    const organisation = await firstRow<{ id: number }>(
      db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
      values ('10000000900009', '100000009', 'Structure des propriétés', '26362', '26', '84') returning id::int as id`,
    );
    const cooperation = await firstRow<{ id: number }>(db, sql`select id::int as id from cooperation where region_code = '84' order by id limit 1`);
    const dispositif = await firstRow<{ id: number }>(db, sql`select id::int as id from dispositif order by id limit 1`);
    const contribution = await firstRow<{ id: number }>(
      db,
      sql`insert into contribution (kind, action, data, region_codes, author_id)
      values ('cooperation', 'creation', '{"nom": "Proposition", "modele": "PTCE", "commune": "26362"}'::jsonb, '{84}', ${admin.id}) returning id::int as id`,
    );
    const visitor = () => new Client(t.app);
    const contributor = () => moderator.client;
    pages = [
      ...[
        '/',
        '/recherche',
        '/dispositifs',
        '/orientation',
        '/territoires',
        '/cartographie',
        '/compte/inscription',
        '/compte/connexion',
        '/compte/mot-de-passe-oublie',
        `/organisations/${organisation!.id}/signaler`,
        `/cooperations/${cooperation!.id}/signaler`,
        `/dispositifs/${dispositif!.id}/signaler`,
      ].map((path) => ({ path, as: visitor })),
      ...[
        '/compte',
        '/compte/alertes',
        '/recherche?region=84',
        '/contributions/nouvelle/structure',
        '/contributions/nouvelle/cooperation',
        '/contributions/nouvelle/dispositif',
        `/organisations/${organisation!.id}/modifier`,
        `/cooperations/${cooperation!.id}/modifier`,
        `/dispositifs/${dispositif!.id}/modifier`,
        `/organisations/${organisation!.id}/revendiquer`,
        `/moderation/contributions/${contribution!.id}`,
        `/moderation/contributions/${contribution!.id}/modifier`,
      ].map((path) => ({ path, as: contributor })),
      ...['/admin', `/admin/comptes/${moderator.id}`, '/admin/journal'].map((path) => ({ path, as: () => admin.client })),
    ];
  });
  after(() => t.close());

  test('les pages portent les formulaires attendus', async () => {
    let forms = 0;
    for (const { path, as } of pages) {
      const response = await as().get(path);
      assert.equal(response.statusCode, 200, path);
      forms += formsOf(path, response.body).length;
    }
    assert.ok(forms >= pages.length, `${forms} formulaires`);
  });

  test('toute valeur dans tout champ : une page ou une redirection, jamais d’erreur serveur ni de balise injectée', async () => {
    const tried: string[] = [];
    for (const { path, as } of pages) {
      for (const form of formsOf(path, (await as().get(path)).body)) {
        // Deleting the account or signing out would end the session the next runs need: tried elsewhere.
        if (/\/compte\/(suppression|deconnexion)/.test(form.action) || form.fields.length === 0) continue;
        tried.push(`${form.method} ${form.action}`);
        const values = fc.record(Object.fromEntries(form.fields.map((name) => [name, anyText])));
        await fc.assert(
          fc.asyncProperty(values, async (fieldValues) => {
            const client = as();
            const what = `${form.method.toUpperCase()} ${form.action} (depuis ${path})`;
            if (form.method === 'get') {
              const url = `${form.action}${form.action.includes('?') ? '&' : '?'}${new URLSearchParams(fieldValues)}`;
              const response = await client.get(url);
              assertSafeAnswer(response.statusCode, response.body, fieldValues, what);
              return;
            }
            const response = await client.submit(path, form.action, fieldValues);
            assertSafeAnswer(response.statusCode, response.body, fieldValues, what);
          }),
          { numRuns: RUNS },
        );
      }
    }
    for (const action of ['post /compte/inscription', 'post /compte/alertes', 'post /contributions/nouvelle/cooperation', 'get /recherche']) {
      assert.ok(
        tried.some((form) => form.startsWith(action)),
        `formulaire essayé : ${action} (parmi ${tried.join(', ')})`,
      );
    }
  });
});
