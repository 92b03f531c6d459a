/**
 * Property-based tests (fast-check) of every HTML form: the forms are read from the pages themselves (their
 * action, method and field names), so that a field added to a form is tried the day it appears. Whatever is
 * typed in any field — any Unicode, NUL, half a surrogate pair, control characters, markup, over-long text —
 * the answer is a page or a redirect, never a server error, never an internal detail, and never the typed markup
 * unescaped. The pages of calls (comments, an application, its messages, its instruction, the form builder) are
 * among them, and the file upload receives any multipart body, cut short or without a boundary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { firstRow } from '../src/db/database.ts';
import type { FormDefinition } from '../src/domain/form.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, csrfOf, signedInAs, type TestAccount } from './support/accounts.ts';
import { depositedApplication, prepareCalls } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

interface Form {
  page: string;
  action: string;
  method: 'get' | 'post';
  fields: string[];
  /** What the page fills in (a hidden stamp, a select's first option): tried too, so that a write is reached. */
  defaults: Record<string, string>;
}

const RUNS = 12;
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</textarea><b>x</b>'];
/** One character a client could send: any code point, and those PostgreSQL refuses (NUL, half a surrogate pair). */
const hostileUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u0001', '日本', 'é') },
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: hostileUnit, maxLength: 60 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.constantFrom(...MARKUP, '', ' ', '0', '-1', '99999999999999999999', '2A004', '26281', 'x'.repeat(5000), '\u0000', 'a\u202Eb\tc', '{"a":"\\u0000"}'),
);

/**
 * Percent-encodes as a form does, except half a surrogate pair, which no encoder writes: sent as the three
 * bytes a careless client sends (WTF-8, « %ED%A0%80 »), invalid UTF-8 for the server.
 */
function encodeHostile(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (c) => {
    const unit = c.charCodeAt(0);
    if (c.length === 2 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(c);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}
const encodeFields = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `${encodeHostile(name)}=${encodeHostile(value)}`)
    .join('&');
const unescapeAttribute = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The forms of a page: action, method and the names of their fields (the CSRF field apart). */
function formsOf(page: string, body: string): Form[] {
  return [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, inner]) => {
    const action = /action="([^"]*)"/.exec(attributes!)?.[1]?.replace(/&amp;/g, '&') ?? page;
    const method = /method="post"/i.test(attributes!) ? ('post' as const) : ('get' as const);
    const fields = [...new Set([...inner!.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!))].filter(
      (name) => name !== '_csrf',
    );
    const defaults: Record<string, string> = {};
    for (const [, name, value] of inner!.matchAll(/<input\b[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"/g)) defaults[name!] ??= unescapeAttribute(value!);
    for (const [, name, value] of inner!.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>\s*<option\b[^>]*\bvalue="([^"]*)"/g))
      defaults[name!] ??= unescapeAttribute(value!);
    return { page, action, method, fields, defaults };
  });
}

/** Posts a form the way a browser does, the fields encoded by encodeHostile, with the client's cookies. */
async function submitHostile(app: TestApp['app'], client: Client, page: string, action: string, fields: Record<string, string>) {
  const csrf = csrfOf((await client.get(page)).body);
  return app.inject({
    method: 'POST',
    url: action,
    remoteAddress: client.ip,
    payload: `_csrf=${encodeURIComponent(csrf)}&${encodeFields(fields)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

function assertSafeAnswer(status: number, body: string, values: Record<string, string>, what: string) {
  assert.ok([200, 303, 400, 401, 403, 404, 409, 413, 415, 429].includes(status), `${what} → ${status} ${body.slice(0, 200)}`);
  assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+|ZodError|TypeError|DrizzleQueryError|\bselect\b[^<]{0,80}\bfrom\b/, `${what} : détail interne`);
  for (const value of Object.values(values)) {
    if (MARKUP.some((payload) => value.includes(payload))) assert.ok(!body.includes(value), `${what} : « ${value.slice(0, 40)} » rendu sans échappement`);
  }
}

describe('Formulaires : propriétés de tous les champs de toutes les pages', () => {
  let t: TestApp;
  let moderator: TestAccount;
  let admin: TestAccount;
  let instructor: TestAccount;
  let pages: { path: string; as: () => Client }[];
  /** The moderator's draft application, whose form has a file field. */
  let draftId: number;
  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    moderator = await signedInAs(t.app, db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    admin = await signedInAs(t.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    // Calls: the AMI PTCE 2021 open (its form with a file field), a call in concertation, a deposited application.
    setCallsClock(() => new Date('2021-06-01T10:00:00Z'));
    const { amiId } = await prepareCalls(db);
    instructor = await signedInAs(t.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const v1 = await firstRow<{ definition: FormDefinition }>(db, sql`select definition from appel_formulaire where appel_id = ${amiId} and version = 1`);
    const files = { titre: 'Pièces', champs: [{ cle: 'budget', type: 'fichier', libelle: 'Budget' }] };
    await db.execute(
      sql`insert into appel_formulaire (appel_id, version, definition) values (${amiId}, 2, ${JSON.stringify({ sections: [...v1!.definition.sections, files] })}::jsonb)`,
    );
    const started = await moderator.client.postJson(
      `/api/v1/appels/${amiId}/candidatures`,
      {
        titre: 'Dynamique des propriétés',
        porteur: 'cooperation',
        chef_de_file: { siret: siretFrom(41), nom: 'Association' },
        profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
      },
      { 'x-csrf-token': moderator.csrf },
    );
    assert.equal(started.statusCode, 201, started.body);
    draftId = (started.json() as { id: number }).id;
    const deposited = await depositedApplication(db, amiId, moderator);
    const concertation = await firstRow<{ id: number }>(
      db,
      sql`insert into appel (key, title, statut) values ('concertation-proprietes', 'Projet d’appel', 'brouillon_concertation') returning id::int as id`,
    );
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
      ...[`/appels/${concertation!.id}`, `/candidatures/${draftId}`, `/candidatures/${deposited}/messages`].map((path) => ({ path, as: contributor })),
      ...[`/instruction/candidatures/${deposited}`, `/gestion/appels/${amiId}/formulaire`].map((path) => ({ path, as: () => instructor.client })),
    ];
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
  });

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
        const values = fc.record(
          Object.fromEntries(form.fields.map((name) => [name, name in form.defaults ? fc.oneof(anyText, fc.constant(form.defaults[name]!)) : anyText])),
        );
        await fc.assert(
          fc.asyncProperty(values, async (fieldValues) => {
            const client = as();
            const what = `${form.method.toUpperCase()} ${form.action} (depuis ${path})`;
            if (form.method === 'get') {
              const url = `${form.action}${form.action.includes('?') ? '&' : '?'}${encodeFields(fieldValues)}`;
              const response = await client.get(url);
              assertSafeAnswer(response.statusCode, response.body, fieldValues, what);
              return;
            }
            const response = await submitHostile(t.app, client, path, form.action, fieldValues);
            assertSafeAnswer(response.statusCode, response.body, fieldValues, what);
          }),
          { numRuns: RUNS },
        );
      }
    }
    for (const action of [
      'post /compte/inscription',
      'post /compte/alertes',
      'post /contributions/nouvelle/cooperation',
      'get /recherche',
      'post /appels/',
      `post /candidatures/${draftId}`,
      'post /instruction/candidatures/',
      'post /gestion/appels/',
    ]) {
      assert.ok(
        tried.some((form) => form.startsWith(action)),
        `formulaire essayé : ${action} (parmi ${tried.join(', ')})`,
      );
    }
  });

  test('tout corps multipart envoyé au dépôt d’un fichier : une page ou une redirection, jamais d’erreur serveur', async () => {
    const cookie = [...moderator.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const part = fc.record({
      name: fc.oneof(fc.constant('fichier'), anyText),
      filename: fc.oneof(fc.constant('budget.pdf'), anyText),
      type: fc.constantFrom('application/pdf', 'text/plain', ''),
      content: fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.constant(new TextEncoder().encode('%PDF-1.4\n%%EOF'))),
    });
    const bodies = fc.record({
      boundary: fc.oneof(fc.constant('----maillage'), fc.string({ unit: 'binary-ascii', maxLength: 80 })),
      declared: fc.boolean(),
      parts: fc.array(part, { maxLength: 4 }),
      /** Where the body is cut short, as a fraction of its length; 1 keeps it whole. */
      cut: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    });
    await fc.assert(
      fc.asyncProperty(bodies, async ({ boundary, declared, parts, cut }) => {
        const whole = Buffer.concat([
          ...parts.flatMap(({ name, filename, type, content }) => [
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
            Buffer.from(content),
            Buffer.from('\r\n'),
          ]),
          Buffer.from(`--${boundary}--\r\n`),
        ]);
        const payload = whole.subarray(0, Math.floor(whole.length * cut));
        const type = declared ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data';
        const response = await t.app.inject({
          method: 'POST',
          url: `/candidatures/${draftId}/fichiers/budget?_csrf=${encodeURIComponent(moderator.csrf)}`,
          payload,
          headers: { cookie, 'content-type': type },
        });
        assertSafeAnswer(response.statusCode, response.body, {}, `multipart (${payload.length} octets, ${parts.length} parties)`);
      }),
      { numRuns: 40 },
    );
  });
});
