/**
 * Merging two records on each real database: the moderator's choices field by field, members, reports, claims
 * and roles moved onto the kept record (no member twice), a version by the moderator whose diff the history
 * shows, the old address answering 301, search and facets without the merged record, the audit entry; and the
 * refusals (itself, unknown, already merged, bad choices, another région) that write nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { validSiret } from './support/siret.ts';

const moderatorOf = (region: string) => [{ role: 'regional_moderator' as const, scopeKind: 'region', scopeCode: region }];

interface Facets {
  total: number;
  facettes: Record<string, { valeur: string; nombre: number }[]>;
}

describe(`Doublons : fusion`, () => {
  let t: TestApp;
  let moderator84: TestAccount;
  let moderator53: TestAccount;
  const db = () => t.database.db;
  const siret = validSiret('4440000000001');
  let kept: number;
  let other: number;
  let both: number;
  let onlyOther: number;

  const insertOrganisation = async (name: string, values: { siret?: string; website?: string; description?: string; statut?: string }) =>
    (await firstRow<{ id: number }>(
      db(),
      sql`insert into organisation (siret, siren, name, website, description, statut_ess, commune_code, departement_code, region_code)
      values (${values.siret ?? null}, ${values.siret?.slice(0, 9) ?? null}, ${name}, ${values.website ?? null}, ${values.description ?? null},
        ${values.statut ?? null}, '26281', '26', '84') returning id::int as id`,
    ))!.id;
  const insertCooperation = async (name: string, members: { name: string; organisation?: number }[]) => {
    const id = (await firstRow<{ id: number }>(
      db(),
      sql`insert into cooperation (name, modele, commune_code, departement_code, region_code)
      values (${name}, 'PTCE', '26281', '26', '84') returning id::int as id`,
    ))!.id;
    for (const m of members) {
      await db().execute(
        sql`insert into cooperation_member (cooperation_id, organisation_id, name, role) values (${id}, ${m.organisation ?? null}, ${m.name}, 'entreprise_ess')`,
      );
    }
    return id;
  };
  const count = async (query: ReturnType<typeof sql>) => (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from (${query}) x`))!.n;
  const written = () =>
    Promise.all([
      count(sql`select 1 from audit_log where action = 'duplicate.merge'`),
      count(sql`select 1 from object_version`),
      count(sql`select 1 from merged_record`),
      count(sql`select 1 from organisation`),
      count(sql`select 1 from cooperation`),
    ]);

  before(async () => {
    t = await buildTestApp();
    moderator84 = await signedInAs(t.app, db(), moderatorOf('84'), { displayName: 'Camille Modératrice' });
    moderator53 = await signedInAs(t.app, db(), moderatorOf('53'));
    kept = await insertOrganisation('Ressourcerie de Romans', { website: 'https://ressourcerie-romans.fr', statut: 'ess_de_droit' });
    other = await insertOrganisation('La Ressourcerie de Romans', { siret, description: 'Réemploi et réparation.', website: 'https://autre.fr' });
    both = await insertCooperation('PTCE Romans', [
      { name: 'Ressourcerie', organisation: kept },
      { name: 'La Ressourcerie', organisation: other },
    ]);
    onlyOther = await insertCooperation('Pôle réemploi', [{ name: 'La Ressourcerie', organisation: other }]);
    const claimant = await signedInAs(t.app, db());
    await db().execute(sql`insert into organisation_claim (organisation_id, siret, account_id, role, justification, region_codes)
      values (${other}, ${siret}, ${claimant.id}, 'organisation_admin', 'Je la dirige.', '{84}')`);
    await db().execute(sql`insert into error_report (kind, object_id, message, region_codes) values ('organisation', ${other}, 'Adresse fausse', '{84}')`);
    // Both accept « La Gonette »; the merged one accepts « Le Sol-violette » too.
    await db().execute(
      sql`insert into monnaie_locale (slug, nom, territoire) values ('la-gonette', 'La Gonette', 'Lyon'), ('le-sol-violette', 'Le Sol-violette', 'Toulouse')`,
    );
    await db().execute(sql`insert into organisation_monnaie_locale (organisation_id, monnaie_locale_id)
      select o.id, m.id from (values (${kept}::bigint, 'la-gonette'), (${other}::bigint, 'la-gonette'), (${other}::bigint, 'le-sol-violette')) o (id, slug)
      join monnaie_locale m on m.slug = o.slug`);
  });
  after(() => t.close());

  const url = (a: number, b: number, action = '') => `/moderation/doublons/organisations/${a}/${b}${action}`;

  test('refus sans rien écrire : elle-même (400), inconnue (404), choix invalides (400), autre région (403)', async () => {
    const before = await written();
    const self = await moderator84.client.post(url(kept, kept, '/fusionner'), { _csrf: moderator84.csrf });
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /ne peut pas être comparée ni fusionnée avec elle-même/);
    assert.equal((await moderator84.client.get(url(kept, kept))).statusCode, 400);
    const unknown = await moderator84.client.post(url(kept, 99_999_999, '/fusionner'), { _csrf: moderator84.csrf });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /Aucune structure ne porte l&#39;identifiant 99999999|Aucune structure ne porte l'identifiant 99999999/);
    const badKept = await moderator84.client.post(url(kept, other, '/fusionner'), { _csrf: moderator84.csrf, conserver: '12' });
    assert.equal(badKept.statusCode, 400);
    assert.match(badKept.body, /Choisissez la fiche conservée/);
    const badChoice = await moderator84.client.post(url(kept, other, '/fusionner'), { _csrf: moderator84.csrf, conserver: String(kept), choix_nom: 'x' });
    assert.equal(badChoice.statusCode, 400);
    assert.match(badChoice.body, /Pour le champ « Nom de la structure »/);
    assert.equal((await moderator53.client.post(url(kept, other, '/fusionner'), { _csrf: moderator53.csrf })).statusCode, 403);
    const api = await moderator84.client.post(url(kept, kept, '/fusionner'), { _csrf: moderator84.csrf }, { accept: 'application/json' });
    assert.doesNotMatch(api.body, /select |stack|at async/i);
    assert.deepEqual(await written(), before);
  });

  test('la comparaison propose le plan par défaut : la fiche avec SIRET conservée, chaque champ vide pris de l’autre', async () => {
    const page = await moderator84.client.get(url(kept, other));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Doublon probable : noms proches dans la même commune/);
    assert.match(page.body, new RegExp(`name="conserver" value="${other}" checked`));
    assert.match(page.body, new RegExp(`name="choix_statut_ess" value="${kept}" checked`));
    assert.match(page.body, /Romans-sur-Isère \(26281\) <span class="hint">\(identique sur les deux fiches\)/);
  });

  test('fusion : champs choisis, membres et liens déplacés, version et historique, 301, recherche et facettes, journal', async () => {
    const searchBefore = (await moderator84.client.get('/api/v1/organisations?commune=26281')).json() as Facets;
    const found = (await moderator84.client.get('/api/v1/organisations?q=ressourcerie&commune=26281')).json() as Facets;
    assert.equal(found.total, 2);

    const merged = await moderator84.client.post(url(kept, other, '/fusionner'), {
      _csrf: moderator84.csrf,
      conserver: String(kept),
      choix_siret: String(other),
      choix_description: String(other),
      choix_site_web: String(kept),
    });
    assert.equal(merged.statusCode, 303);
    assert.equal(merged.headers.location, '/moderation/doublons?fait=fusion');

    const row = await firstRow<Record<string, unknown>>(db(), sql`select name, siret, website, description, statut_ess from organisation where id = ${kept}`);
    assert.deepEqual(row, {
      name: 'Ressourcerie de Romans',
      siret,
      website: 'https://ressourcerie-romans.fr',
      description: 'Réemploi et réparation.',
      statut_ess: 'ess_de_droit',
    });
    assert.equal(await count(sql`select 1 from organisation where id = ${other}`), 0);
    const members = await rows<{ cooperation_id: number; organisation_id: number }>(
      db(),
      sql`select cooperation_id::int as cooperation_id,
        organisation_id::int as organisation_id from cooperation_member where cooperation_id in (${both}, ${onlyOther}) order by cooperation_id`,
    );
    assert.deepEqual(members, [
      { cooperation_id: both, organisation_id: kept },
      { cooperation_id: onlyOther, organisation_id: kept },
    ]);
    assert.equal(await count(sql`select 1 from organisation_claim where organisation_id = ${kept}`), 1);
    assert.equal(await count(sql`select 1 from error_report where kind = 'organisation' and object_id = ${kept}`), 1);
    const currencies = await rows<{ slug: string }>(
      db(),
      sql`select m.slug from organisation_monnaie_locale a join monnaie_locale m on m.id = a.monnaie_locale_id where a.organisation_id = ${kept} order by 1`,
    );
    assert.deepEqual(
      currencies.map((c) => c.slug),
      ['la-gonette', 'le-sol-violette'],
      'la fiche gardée accepte les monnaies des deux',
    );

    const versions = await rows<{ version: number; author_id: number | null }>(
      db(),
      sql`select version, author_id::int as author_id from object_version
      where kind = 'organisation' and object_id = ${kept} order by version`,
    );
    assert.deepEqual(versions, [
      { version: 1, author_id: null },
      { version: 2, author_id: moderator84.id },
    ]);
    const history = await moderator84.client.get(`/organisations/${kept}/historique`);
    assert.match(history.body, /Camille Modératrice/);
    assert.ok(history.body.includes(siret) && history.body.includes('Réemploi et réparation.'));

    const old = await moderator84.client.get(`/organisations/${other}`);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/organisations/${kept}`);
    assert.equal((await moderator84.client.get(`/organisations/${kept}`)).statusCode, 200);
    const oldApi = await moderator84.client.get(`/api/v1/organisations/${other}`);
    assert.equal(oldApi.statusCode, 301, 'l’API mène aussi à la fiche gardée');
    assert.equal(oldApi.headers.location, `/api/v1/organisations/${kept}`);

    assert.equal(((await moderator84.client.get('/api/v1/organisations?q=ressourcerie&commune=26281')).json() as Facets).total, 1);
    const searchAfter = (await moderator84.client.get('/api/v1/organisations?commune=26281')).json() as Facets;
    assert.equal(searchAfter.total, searchBefore.total - 1);
    const facet = (s: Facets) => s.facettes.departement?.find((v) => v.valeur === '26')?.nombre;
    assert.equal(facet(searchAfter), facet(searchBefore)! - 1);

    const audit = await firstRow<{ object_id: string; details: { fiche_fusionnee: number; champs_repris: string[] } }>(
      db(),
      sql`select object_id, details
      from audit_log where action = 'duplicate.merge' and actor_id = ${moderator84.id}`,
    );
    assert.equal(audit!.object_id, String(kept));
    assert.equal(audit!.details.fiche_fusionnee, other);
    assert.deepEqual(audit!.details.champs_repris, ['siret', 'description']);
  });

  test('une fiche déjà fusionnée : 409 sur la comparaison et la fusion, rien d’écrit', async () => {
    const before = await written();
    const again = await moderator84.client.post(url(other, kept, '/fusionner'), { _csrf: moderator84.csrf });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, new RegExp(`La fiche n° ${other} a déjà été fusionnée dans la fiche n° ${kept}`));
    assert.equal((await moderator84.client.get(url(kept, other))).statusCode, 409);
    assert.equal((await moderator53.client.post(url(other, kept, '/fusionner'), { _csrf: moderator53.csrf })).statusCode, 403, 'autre région : 403 avant 409');
    assert.deepEqual(await written(), before);
  });

  test('coopérations : fusion par défaut (la plus ancienne), membres sans doublon, rôles et ancienne adresse', async () => {
    const first = await insertCooperation('Tiers-lieu des Monts du Matin', [{ name: 'Café associatif' }]);
    const second = await insertCooperation('Le tiers-lieu des Monts du Matin', [{ name: 'café associatif' }, { name: 'Fablab' }]);
    const admin = await signedInAs(t.app, db(), [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(second) }]);
    assert.match((await moderator84.client.get('/moderation/doublons')).body, new RegExp(`/moderation/doublons/cooperations/${first}/${second}`));
    const merged = await moderator84.client.post(`/moderation/doublons/cooperations/${second}/${first}/fusionner`, { _csrf: moderator84.csrf });
    assert.equal(merged.statusCode, 303);
    const members = await rows<{ name: string }>(db(), sql`select name from cooperation_member where cooperation_id = ${first} order by name`);
    assert.deepEqual(
      members.map((m) => m.name),
      ['Café associatif', 'Fablab'],
    );
    assert.equal(await count(sql`select 1 from cooperation where id = ${second}`), 0);
    const role = await firstRow<{ scope_code: string }>(
      db(),
      sql`select scope_code from account_role where account_id = ${admin.id} and role = 'cooperation_admin'`,
    );
    assert.equal(role!.scope_code, String(first));
    const old = await moderator84.client.get(`/cooperations/${second}`);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/cooperations/${first}`);
    const oldApi = await moderator84.client.get(`/api/v1/cooperations/${second}`);
    assert.equal(oldApi.statusCode, 301);
    assert.equal(oldApi.headers.location, `/api/v1/cooperations/${first}`);
    assert.doesNotMatch((await moderator84.client.get('/moderation/doublons')).body, new RegExp(`/moderation/doublons/cooperations/${first}/${second}`));
  });
});
