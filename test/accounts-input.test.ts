/**
 * Bad input on the account forms, on each real database: a clear French message, the values kept (never the
 * password), nothing written, no stack trace or SQL shown. Property-based tests (fast-check): arbitrary strings
 * never cause a server error, valid inputs are always accepted. Script injection in every text field, and in
 * the text fields of the other pages: never rendered unescaped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { firstRow, type Db } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, linkIn, startSmtpCapture, type SmtpCapture } from './support/accounts.ts';

const PASSWORD = 'une phrase de passe assez longue';
const XSS_NAME = '<script>alert(1)</script>"\'';
const PAYLOADS = [
  XSS_NAME,
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(2)</script>',
  'javascript:alert(3)//<b>x</b>',
];

async function counts(db: Db) {
  return firstRow<Record<string, number>>(
    db,
    sql`select
    (select count(*)::int from account) as account, (select count(*)::int from session) as session,
    (select count(*)::int from one_time_token) as one_time_token, (select count(*)::int from account_role) as account_role,
    (select count(*)::int from rate_limit) as rate_limit, (select coalesce(sum(count), 0)::int from rate_limit) as attempts,
    (select count(*) filter (where used_at is not null)::int from one_time_token) as used_tokens,
    (select coalesce(sum(failures), 0)::int from sign_in_throttle) as failures`,
  );
}

/** Nothing a person should never see: a stack trace, SQL, an internal error name. */
function assertNothingInternal(body: string, what: string) {
  assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+/, `${what} : trace de pile`);
  assert.doesNotMatch(body, /\b(select|insert into|update \w+ set|delete from)\b/i, `${what} : SQL`);
  assert.doesNotMatch(body, /ZodError|TypeError|PostgresError|error: /, `${what} : erreur interne`);
}

/** No payload appears as such: whatever the page shows of it is escaped. */
function assertEscaped(body: string, payload: string, what: string) {
  if (/[<>"']/.test(payload)) assert.ok(!body.includes(payload), `${what} : « ${payload} » rendu sans échappement`);
  assert.doesNotMatch(body, /<script>alert|<img src=x|<svg onload/i, `${what} : balise injectée`);
}

const NAME_FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F]/u;
/** A valid display name: 1–100 characters once trimmed, no control character. */
const validName = fc
  .string({ minLength: 1, maxLength: 100, unit: 'grapheme' })
  .filter((s) => s.trim().length > 0 && [...s.trim().normalize('NFC')].length <= 100 && !NAME_FORBIDDEN.test(s));
/** A valid password: 12–256 characters, any of them but NUL (refused in every request, input-guard.ts). */
const validPassword = fc
  .string({ minLength: 12, maxLength: 200, unit: 'binary' })
  .map((s) => s.replace(/[\uD800-\uDFFF\u0000]/g, 'x')) // lone surrogates cannot travel in a form (the browser replaces them)
  .filter((s) => [...s].length >= 12);
const validEmail = fc.emailAddress().filter((e) => e.length <= 254);

describe(`Comptes : entrées invalides, propriétés, injection`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  /** Posts raw fields (repeated ones allowed) with a valid anonymous CSRF token. */
  async function postRaw(url: string, pairs: [string, string][], client = new Client(t.app)) {
    const params = new URLSearchParams([['_csrf', await client.csrf()], ...pairs]);
    return t.app.inject({
      method: 'POST',
      url,
      remoteAddress: client.ip,
      payload: params.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader() },
    });
  }

  test('entrées invalides : 400, message français à côté du champ, valeurs gardées, rien d’écrit', async () => {
    const long = `${'a'.repeat(250)}@exemple.fr`;
    const cases: { url: string; pairs: [string, string][]; message: RegExp; keeps?: string }[] = [
      { url: '/compte/inscription', pairs: [], message: /Indiquez votre adresse e-mail\./ },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'pas-une-adresse'],
          ['nom', 'Alex'],
          ['mot_de_passe', PASSWORD],
        ],
        message: /Indiquez une adresse e-mail valide, par exemple nom@exemple\.fr\./,
        keeps: 'value="pas-une-adresse"',
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'a b@exemple.fr'],
          ['nom', 'Alex'],
          ['mot_de_passe', PASSWORD],
        ],
        message: /adresse e-mail valide/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', long],
          ['nom', 'Alex'],
          ['mot_de_passe', PASSWORD],
        ],
        message: /trop longue/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', 'Alex'],
          ['mot_de_passe', 'onze-chiffr'],
        ],
        message: /Le mot de passe doit contenir au moins 12 caractères/,
        keeps: 'value="Alex"',
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', 'Alex'],
          ['mot_de_passe', 'é'.repeat(257)],
        ],
        message: /au plus 256 caractères/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', '   '],
          ['mot_de_passe', PASSWORD],
        ],
        message: /Indiquez votre nom ou un pseudonyme/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', 'x'.repeat(101)],
          ['mot_de_passe', PASSWORD],
        ],
        message: /au plus 100 caractères/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', 'Alex\u0000'],
          ['mot_de_passe', PASSWORD],
        ],
        // Refused for every form before it is read (platform/http/input-guard.ts), naming the field.
        message: /« nom » contient un caractère invisible/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['nom', 'Alex\u202Egnp.exe'],
          ['mot_de_passe', PASSWORD],
        ],
        message: /caractères non autorisés/,
      },
      {
        url: '/compte/inscription',
        pairs: [
          ['email', 'long.adresse@exemple.fr'],
          ['nom', 'Alex'],
          ['mot_de_passe', 'Long.Adresse@exemple.fr'],
        ],
        message: /ne doit pas être votre adresse e-mail/,
      },
      {
        url: '/compte/connexion',
        pairs: [
          ['email', ''],
          ['mot_de_passe', ''],
        ],
        message: /Indiquez votre adresse e-mail\./,
      },
      {
        url: '/compte/connexion',
        pairs: [
          ['email', 'alex@exemple.fr'],
          ['mot_de_passe', ''],
        ],
        message: /Indiquez votre mot de passe\./,
      },
      { url: '/compte/mot-de-passe-oublie', pairs: [['email', '@@']], message: /adresse e-mail valide/ },
      {
        url: '/compte/reinitialisation',
        pairs: [
          ['jeton', 'court'],
          ['mot_de_passe', PASSWORD],
        ],
        message: /Ce lien n’est plus valable/,
      },
      {
        url: '/compte/reinitialisation',
        pairs: [
          ['jeton', 'B'.repeat(43)],
          ['mot_de_passe', PASSWORD],
        ],
        message: /Ce lien n’est plus valable/,
      },
      {
        url: '/compte/reinitialisation',
        pairs: [
          ['jeton', 'B'.repeat(43)],
          ['mot_de_passe', 'court'],
        ],
        message: /au moins 12 caractères/,
      },
    ];
    const before = await counts(t.database.db);
    for (const { url, pairs, message, keeps } of cases) {
      const what = `${url} ${JSON.stringify(pairs).slice(0, 80)}`;
      const response = await postRaw(url, pairs);
      assert.equal(response.statusCode, 400, what);
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.match(response.body, message, what);
      if (keeps) assert.ok(response.body.includes(keeps), `${what} : valeur gardée`);
      assert.ok(!/type="password"[^>]*value=/.test(response.body), `${what} : le mot de passe n’est jamais renvoyé`);
      if (/<form/.test(response.body) && url !== '/compte/reinitialisation') {
        assert.match(response.body, /role="alert"/, `${what} : résumé des erreurs`);
        assert.match(response.body, /aria-invalid="true"/, `${what} : champ en erreur signalé`);
      }
      assert.match(response.body, /<title>(Erreur — |Lien invalide|Requête invalide)/, `${what} : titre`);
      assertNothingInternal(response.body, what);
    }
    // Repeated fields, JSON of the wrong types, an unknown content type, a verification link of garbage.
    const odd = [
      await postRaw('/compte/inscription', [
        ['email', 'a@exemple.fr'],
        ['email', 'b@exemple.fr'],
        ['nom', 'A'],
        ['mot_de_passe', 'court'],
      ]),
      await t.app.inject({ method: 'POST', url: '/compte/connexion', payload: 'x', headers: { 'content-type': 'text/plain' } }),
      await t.app.inject({ url: '/compte/verification?jeton=%00%27%22' }),
      await t.app.inject({ url: `/compte/verification?jeton=${'C'.repeat(43)}` }),
      await t.app.inject({ url: `/compte/reinitialisation?jeton=${'C'.repeat(43)}` }),
      await t.app.inject({ url: '/compte/verification?jeton=a&jeton=b' }),
    ];
    for (const response of odd) {
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode}`);
      assertNothingInternal(response.body, 'requête étrange');
    }
    const client = new Client(t.app);
    const csrf = await client.csrf();
    const json = await t.app.inject({
      method: 'POST',
      url: '/compte/inscription',
      remoteAddress: client.ip,
      headers: { cookie: client.cookieHeader(), 'content-type': 'application/json' },
      payload: { _csrf: csrf, email: 42, nom: { a: 1 }, mot_de_passe: ['x'] },
    });
    assert.equal(json.statusCode, 400);
    assertNothingInternal(json.body, 'JSON');
    assert.deepEqual(await counts(t.database.db), before);
  });

  test('propriété : des chaînes quelconques dans les formulaires ne causent jamais d’erreur serveur', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      fc.constantFrom(...PAYLOADS),
      validEmail,
    );
    const before = await counts(t.database.db);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/compte/inscription', '/compte/connexion', '/compte/mot-de-passe-oublie', '/compte/reinitialisation'),
        fc.record({ email: text, nom: text, mot_de_passe: text, jeton: text, retour: text }, { requiredKeys: [] }),
        async (url, fields) => {
          const response = await postRaw(url, Object.entries(fields) as [string, string][]);
          assert.ok([303, 400, 401, 429].includes(response.statusCode), `${url} ${JSON.stringify(fields)} → ${response.statusCode}`);
          assertNothingInternal(response.body, url);
          for (const value of Object.values(fields)) if (value && PAYLOADS.includes(value)) assertEscaped(response.body, value, url);
        },
      ),
      { numRuns: 150 },
    );
    // Whatever was accepted went through the rules: every address stored is normalised.
    const bad = await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from account where email <> lower(trim(email))`);
    assert.equal(bad?.n, 0);
    assert.ok((await counts(t.database.db))!.account! >= before!.account!);
  });

  test('propriété : toute inscription valable est acceptée, l’adresse enregistrée normalisée', async () => {
    await fc.assert(
      fc.asyncProperty(validEmail, validName, validPassword, fc.boolean(), async (email, nom, password, shout) => {
        fc.pre(password.trim().toLowerCase() !== email.toLowerCase());
        await t.database.db.execute(sql`delete from rate_limit`);
        const typed = shout ? ` ${email.toUpperCase()} ` : email;
        const response = await postRaw('/compte/inscription', [
          ['email', typed],
          ['nom', nom],
          ['mot_de_passe', password],
        ]);
        assert.equal(response.statusCode, 303, `${typed} / ${nom} → ${response.statusCode} ${response.body.match(/<li>.*?<\/li>/)?.[0] ?? ''}`);
        const stored = await firstRow<{ email: string }>(
          t.database.db,
          sql`select email from account where lower(email) = ${email.normalize('NFC').toLowerCase()}`,
        );
        assert.equal(stored?.email, email.normalize('NFC').toLowerCase());
      }),
      { numRuns: 60 },
    );
  });

  test('injection de script : le nom et l’adresse sont échappés partout où ils apparaissent', async () => {
    const email = `o'hara+{test}@exemple.fr`;
    const client = new Client(t.app);
    assert.equal((await client.submit('/compte/inscription', '/compte/inscription', { email, nom: XSS_NAME, mot_de_passe: PASSWORD })).statusCode, 303);
    const verify = await smtp.next(email);
    await client.submit('/compte/connexion', '/compte/connexion', { email, mot_de_passe: PASSWORD });
    const mine = await client.get('/compte');
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;'), 'nom échappé sur « Mon compte »');
    assert.ok(mine.body.includes('o&#39;hara+{test}'), 'adresse échappée');
    assertEscaped(mine.body, XSS_NAME, '/compte');
    // Every page a signed-in person sees carries the header: none shows the name unescaped.
    for (const url of [
      '/',
      '/compte/deconnexion',
      '/compte/mot-de-passe-oublie',
      '/dispositifs',
      '/territoires',
      '/orientation',
      '/page-inexistante',
      linkIn(verify, '/compte/verification'),
    ]) {
      const response = await client.get(url);
      assertEscaped(response.body, XSS_NAME, url);
    }
    // The mail that repeats the name escapes it in HTML.
    await new Client(t.app).submit('/compte/inscription', '/compte/inscription', { email, nom: 'Autre', mot_de_passe: PASSWORD });
    const existing = await smtp.next(email);
    assert.ok(existing.text.includes(XSS_NAME), 'texte brut : le nom tel quel');
    assertEscaped(existing.html, XSS_NAME, 'courriel HTML');
    assert.ok(existing.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  test('injection de script dans chaque champ texte de chaque formulaire : jamais rendue telle quelle', async () => {
    const forms: { url: string; fields: Record<string, string> }[] = [
      { url: '/compte/inscription', fields: { email: 'x@exemple.fr', nom: 'Alex', mot_de_passe: 'court' } },
      { url: '/compte/connexion', fields: { email: 'x@exemple.fr', mot_de_passe: 'faux', retour: '/' } },
      { url: '/compte/mot-de-passe-oublie', fields: { email: 'x@exemple.fr' } },
      { url: '/compte/reinitialisation', fields: { jeton: 'D'.repeat(43), mot_de_passe: 'court' } },
    ];
    for (const { url, fields } of forms) {
      for (const name of Object.keys(fields)) {
        for (const payload of PAYLOADS) {
          await t.database.db.execute(sql`delete from rate_limit`);
          const response = await postRaw(url, Object.entries({ ...fields, [name]: payload }));
          assert.ok(response.statusCode < 500, `${url} ${name}`);
          assertEscaped(response.body, payload, `${url} ${name}`);
        }
      }
    }
    // Query strings reflected by pages, here and in the other features' forms.
    const gets = [
      '/compte/connexion?retour=',
      '/compte/verification?jeton=',
      '/compte/reinitialisation?jeton=',
      '/recherche?type=cooperations&q=',
      '/recherche?type=organisations&q=',
      '/dispositifs?q=',
      '/territoires?q=',
      '/orientation?commune=',
      '/orientation/resultat?modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=',
      '/carte?type=cooperations&q=',
    ];
    for (const prefix of gets) {
      for (const payload of PAYLOADS) {
        const url = prefix + encodeURIComponent(payload);
        const response = await t.app.inject({ url });
        assert.ok(response.statusCode < 500, `${url} → ${response.statusCode}`);
        assertEscaped(response.body, payload, url);
      }
    }
  });
});
