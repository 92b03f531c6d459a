/**
 * Likely duplicates on each real database: close names in the same commune are listed to the moderators of
 * their région (not in another commune, not to other régions), a dismissed pair is not listed again, the
 * database's trigram similarity agrees with the domain's, a proposed new record shows its likely duplicates to
 * its moderator (same SIRET too) and warns its author, who may propose it all the same, and every name is
 * shown escaped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { nameSimilarity } from '../src/domain/duplicates.ts';
import { importCsv, parseColumnMapping } from '../src/features/import/generic-csv.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, signedInAs, type TestAccount } from './support/accounts.ts';
import { validSiret } from './support/siret.ts';

const moderatorOf = (region: string) => [{ role: 'regional_moderator' as const, scopeKind: 'region', scopeCode: region }];
const XSS = '<script>alert("x")</script> Ressourcerie';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ressourcerie';

describe(`Doublons probables : détection`, () => {
  let t: TestApp;
  let moderator84: TestAccount;
  let moderator53: TestAccount;
  const db = () => t.database.db;
  const ids: Record<string, number> = {};

  async function organisation(key: string, name: string, commune: string, departement: string, region: string, siret: string | null = null) {
    const row = await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
      values (${siret}, ${siret?.slice(0, 9) ?? null}, ${name}, ${commune}, ${departement}, ${region}) returning id::int as id`,
    );
    ids[key] = row!.id;
  }

  before(async () => {
    t = await buildTestApp();
    moderator84 = await signedInAs(t.app, db(), moderatorOf('84'));
    moderator53 = await signedInAs(t.app, db(), moderatorOf('53'));
    await organisation('romans', 'Ressourcerie de Romans', '26281', '26', '84');
    await organisation('laRomans', 'La ressourcerie de Romans', '26281', '26', '84');
    await organisation('grenoble', 'La ressourcerie de Romans', '38185', '38', '84');
    await organisation('regie', 'Régie de quartier de Romans', '26281', '26', '84');
    await organisation('rennes1', 'Atelier vélo solidaire de Rennes', '35238', '35', '53');
    await organisation('rennes2', 'L’atelier vélo solidaire (Rennes)', '35238', '35', '53');
  });
  after(() => t.close());

  const pairOf = (body: string, a: number, b: number) => body.includes(`/moderation/doublons/organisations/${Math.min(a, b)}/${Math.max(a, b)}`);

  test('« Ressourcerie de Romans » et « La ressourcerie de Romans » de la même commune sont listées, pas celle de Grenoble', async () => {
    const page = await moderator84.client.get('/moderation/doublons');
    assert.equal(page.statusCode, 200);
    assert.ok(pairOf(page.body, ids.romans!, ids.laRomans!));
    assert.ok(!pairOf(page.body, ids.romans!, ids.grenoble!));
    assert.ok(!pairOf(page.body, ids.laRomans!, ids.grenoble!));
    assert.ok(!pairOf(page.body, ids.romans!, ids.regie!), 'noms éloignés');
    assert.match(page.body, /noms proches dans la même commune \(similarité \d+ %\)/);
    assert.ok(!pairOf(page.body, ids.rennes1!, ids.rennes2!), 'paire d’une autre région');
    assert.ok(pairOf((await moderator53.client.get('/moderation/doublons')).body, ids.rennes1!, ids.rennes2!));
    assert.match((await moderator84.client.get('/moderation')).body, /href="\/moderation\/doublons"/);
  });

  test('la similarité de la base est celle du domaine (pg_trgm)', async () => {
    const names = ['Ressourcerie de Romans', 'La ressourcerie de Romans', 'Régie de quartier de Romans', 'L’Œuvre d’Émilie — SCIC', 'Œuvre Emilie scic'];
    for (const a of names) {
      for (const b of names) {
        const row = await firstRow<{ s: number }>(db(), sql`select similarity(immutable_unaccent(lower(${a})), immutable_unaccent(lower(${b})))::float8 as s`);
        assert.ok(Math.abs(row!.s - nameSimilarity(a, b)) < 1e-6, `${a} / ${b} : ${row!.s} ≠ ${nameSimilarity(a, b)}`);
      }
    }
  });

  test('« pas un doublon » écarte la paire pour de bon (journal), sans toucher aux fiches', async () => {
    const url = `/moderation/doublons/organisations/${ids.laRomans}/${ids.romans}/pas-un-doublon`;
    assert.equal((await moderator53.client.post(url, { _csrf: moderator53.csrf })).statusCode, 403);
    const dismissed = await moderator84.client.post(url, { _csrf: moderator84.csrf });
    assert.equal(dismissed.statusCode, 303);
    assert.equal(dismissed.headers.location, '/moderation/doublons?fait=ecartee');
    assert.equal((await moderator84.client.post(url, { _csrf: moderator84.csrf })).statusCode, 303, 'deux fois : sans effet');
    const page = await moderator84.client.get('/moderation/doublons?fait=ecartee');
    assert.ok(!pairOf(page.body, ids.romans!, ids.laRomans!));
    assert.match(page.body, /ne sera plus proposée/);
    const audit = await rows(db(), sql`select 1 from audit_log where action = 'duplicate.dismiss' and actor_id = ${moderator84.id}`);
    assert.equal(audit.length, 1);
    const left = await rows(db(), sql`select id from organisation where id in (${ids.romans!}, ${ids.laRomans!})`);
    assert.equal(left.length, 2);
  });

  test('une proposition de nouvelle structure proche d’une fiche : signalée à la modération et à l’auteur, pas bloquée', async () => {
    const author = await signedInAs(t.app, db());
    const sent = await author.client.post('/contributions/nouvelle/structure', {
      _csrf: author.csrf,
      siret: validSiret('5550000000001'),
      nom: 'Atelier velo solidaire de Rennes',
      commune: '35238',
    });
    assert.equal(sent.statusCode, 303);
    const confirmation = await author.client.get(sent.headers.location as string);
    assert.match(confirmation.body, /Des fiches proches existent déjà/);
    assert.match(confirmation.body, new RegExp(`href="/organisations/${ids.rennes1}"`));
    const contribution = await firstRow<{ id: number }>(db(), sql`select id::int as id from contribution where author_id = ${author.id}`);
    const decision = await moderator53.client.get(`/moderation/contributions/${contribution!.id}`);
    assert.equal(decision.statusCode, 200);
    assert.match(decision.body, /<h2>Doublons probables<\/h2>/);
    assert.match(decision.body, new RegExp(`href="/organisations/${ids.rennes1}"`));
  });

  test('une proposition de nouvelle coopération proche d’une coopération de la commune : signalée', async () => {
    const existing = await firstRow<{ id: number }>(
      db(),
      sql`insert into cooperation (name, modele, commune_code, departement_code, region_code)
      values ('Tiers-lieu La Fabrique de Romans', 'tiers_lieu', '26281', '26', '84') returning id::int as id`,
    );
    const author = await signedInAs(t.app, db());
    const sent = await author.client.post('/contributions/nouvelle/cooperation', {
      _csrf: author.csrf,
      nom: 'La Fabrique de Romans (tiers-lieu)',
      modele: 'tiers_lieu',
      commune: '26281',
    });
    assert.equal(sent.statusCode, 303);
    const confirmation = await author.client.get(sent.headers.location as string);
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, new RegExp(`href="/cooperations/${existing!.id}"`));
    const contribution = await firstRow<{ id: number }>(db(), sql`select id::int as id from contribution where author_id = ${author.id}`);
    assert.match((await moderator84.client.get(`/moderation/contributions/${contribution!.id}`)).body, new RegExp(`href="/cooperations/${existing!.id}"`));
    const far = await author.client.post('/contributions/nouvelle/cooperation', {
      _csrf: author.csrf,
      nom: 'Coopérative d’activités',
      modele: 'CAE',
      commune: '26281',
    });
    assert.doesNotMatch((await author.client.get(far.headers.location as string)).body, /Des fiches proches existent déjà/);
  });

  test('même SIRET : une structure importée depuis la proposition est signalée à la modération', async () => {
    const author = await signedInAs(t.app, db());
    const siret = validSiret('5550000000002');
    const sent = await author.client.post('/contributions/nouvelle/structure', { _csrf: author.csrf, siret, nom: 'Épicerie participative', commune: '26281' });
    assert.equal(sent.statusCode, 303);
    assert.doesNotMatch((await author.client.get(sent.headers.location as string)).body, /Des fiches proches existent déjà/);
    await organisation('imported', 'EPICERIE PART. THORE', '41258', '41', '24', siret);
    const contribution = await firstRow<{ id: number }>(db(), sql`select id::int as id from contribution where author_id = ${author.id}`);
    const decision = await moderator84.client.get(`/moderation/contributions/${contribution!.id}`);
    assert.match(decision.body, new RegExp(`href="/organisations/${ids.imported}"[^<]*</a>[^<]*: *\\s*même SIRET`));
  });

  test('un import CSV n’est pas bloqué par un doublon probable, qui est listé à la modération', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doublons-'));
    try {
      const file = join(dir, 'structures.csv');
      writeFileSync(file, `siret;nom;commune\n${validSiret('5550000000003')};RESSOURCERIE ROMANS;26281\n`);
      const summary = await importCsv(t.database, {
        file,
        mapping: parseColumnMapping('siret=siret,name=nom,commune_code=commune'),
        reportPath: join(dir, 'rejets.csv'),
      });
      assert.equal(summary.counts.inserted, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const imported = await firstRow<{ id: number }>(db(), sql`select id::int as id from organisation where name = 'RESSOURCERIE ROMANS'`);
    const page = await moderator84.client.get('/moderation/doublons');
    assert.ok(pairOf(page.body, ids.romans!, imported!.id));
  });

  test('les noms sont échappés dans la liste et la comparaison', async () => {
    await organisation('xss1', XSS, '26281', '26', '84');
    await organisation('xss2', `${XSS} !`, '26281', '26', '84');
    const list = await moderator84.client.get('/moderation/doublons');
    assert.ok(list.body.includes(ESCAPED));
    assert.ok(!list.body.includes('<script>alert'));
    const compare = await moderator84.client.get(`/moderation/doublons/organisations/${ids.xss1}/${ids.xss2}`);
    assert.equal(compare.statusCode, 200);
    assert.ok(compare.body.includes(ESCAPED));
    assert.ok(!compare.body.includes('<script>alert'));
  });

  test('autorisations : visiteur renvoyé à la connexion, contributeur 403, modération d’une autre région 403', async () => {
    const compare = `/moderation/doublons/organisations/${ids.romans}/${ids.laRomans}`;
    const visitor = new Client(t.app);
    const list = await visitor.get('/moderation/doublons');
    assert.equal(list.statusCode, 303);
    assert.match(list.headers.location as string, /^\/compte\/connexion\?retour=/);
    assert.equal((await visitor.get(compare)).statusCode, 303);
    assert.equal((await visitor.post(`${compare}/fusionner`, {})).statusCode, 403, 'sans jeton CSRF ni session');
    const contributor = await signedInAs(t.app, db());
    assert.equal((await contributor.client.get('/moderation/doublons')).statusCode, 403);
    assert.equal((await contributor.client.get(compare)).statusCode, 403);
    assert.equal((await contributor.client.post(`${compare}/fusionner`, { _csrf: contributor.csrf })).statusCode, 403);
    const other = await moderator53.client.get(compare);
    assert.equal(other.statusCode, 403);
    assert.match(other.body, /autre région/);
    // One record in each région: only a moderator of both may compare them.
    assert.equal((await moderator84.client.get(`/moderation/doublons/organisations/${ids.romans}/${ids.rennes1}`)).statusCode, 403);
  });
});
