/**
 * Needs rules edited on the site: platform admins only (checked on the server, CSRF on the post); each save is
 * a new version in one transaction with its audit entry, the previous ones stay readable (list and view), a
 * stale form is refused (409) and a wrong one shown again with its errors (400), nothing written either way;
 * orientation uses the new version at once and cites the version it used (API and page).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { firstRow, rows } from '../src/db/database.ts';
import { needsRules } from '../src/data/catalogue/regles-besoins.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const PLATFORM_ADMIN: Grant = { role: 'platform_admin', scopeKind: 'platform', scopeCode: '' };
const PATH = '/admin/regles-besoins';
const NEW_LABEL = 'Accompagnement par des pairs et visites apprenantes';
const ptce = { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'emergence', commune: '26281' };

/** The form as the edit page posts it: every rule, one entry per ticked box; `change` rewrites some entries. */
function formEntries(base: number, motif: string, change: (code: string, entries: [string, string][]) => [string, string][] = (_c, e) => e) {
  const entries: [string, string][] = [
    ['version_de_depart', String(base)],
    ['motif', motif],
  ];
  for (const rule of needsRules) {
    const own: [string, string][] = [
      [`${rule.code}.libelle`, rule.libelle],
      ...rule.couvert_par.accompagnement.map((k): [string, string] => [`${rule.code}.accompagnement`, k]),
      ...rule.couvert_par.financement.map((k): [string, string] => [`${rule.code}.financement`, k]),
    ];
    entries.push(...change(rule.code, own));
  }
  return entries;
}

describe(`Règles de besoins modifiées sur le site`, () => {
  let t: TestApp;
  let admin: TestAccount;
  let someone: TestAccount;
  const db = () => t.database.db;
  const post = (account: TestAccount, entries: [string, string][], csrf: string | null = account.csrf): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'POST',
      url: PATH,
      payload: new URLSearchParams([...(csrf === null ? [] : [['_csrf', csrf] as [string, string]]), ...entries]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: account.client.cookieHeader() },
    });
  const state = async () =>
    (await firstRow<{ versions: number; active: number; audit: number }>(
      db(),
      sql`select (select count(*)::int from regle_besoin_version) as versions,
        (select version from regle_besoin_version where active) as active,
        (select count(*)::int from audit_log where action = 'regles_besoins.version') as audit`,
    ))!;
  const orientation = async () => (await t.app.inject({ method: 'POST', url: '/api/v1/orientation', payload: ptce })).json();

  before(async () => {
    t = await buildTestApp({ demo: false });
    admin = await signedInAs(t.app, db(), [PLATFORM_ADMIN], { displayName: 'Alex Admin' });
    someone = await signedInAs(t.app, db(), []);
  });
  after(() => t.close());

  test('réservé à l’administration de la plateforme, jeton CSRF exigé', async () => {
    for (const url of [PATH, `${PATH}/modifier`, `${PATH}/versions/1`]) {
      assert.equal((await someone.client.get(url)).statusCode, 403, url);
      assert.equal((await t.app.inject(url)).statusCode, 303, `${url} : un visiteur est envoyé vers la connexion`);
      assert.equal((await admin.client.get(url)).statusCode, 200, url);
    }
    assert.equal((await post(someone, formEntries(1, 'Essai'))).statusCode, 403);
    assert.equal((await post(admin, formEntries(1, 'Essai'), null)).statusCode, 403);
    assert.deepEqual(await state(), { versions: 1, active: 1, audit: 0 });
  });

  test('formulaire refusé : erreurs à côté des champs, rien d’écrit', async () => {
    const noKinds = await post(
      admin,
      formEntries(1, '', (code, entries) => (code === 'tiers_de_confiance' ? entries.filter(([name]) => name.endsWith('.libelle')) : entries)),
    );
    assert.equal(noKinds.statusCode, 400);
    assert.match(noKinds.body, /Motif : Indiquez le motif de la modification/);
    assert.match(noKinds.body, /id="motif-erreur"/);
    const unchanged = await post(admin, formEntries(1, 'Rien'));
    assert.equal(unchanged.statusCode, 400);
    assert.match(unchanged.body, /Aucune règle n’a changé/);
    const empty = await post(
      admin,
      formEntries(1, 'Essai', (code, entries) => (code === 'tiers_de_confiance' ? entries.filter(([name]) => name.endsWith('.libelle')) : entries)),
    );
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Cochez au moins une sorte de dispositif qui répond au besoin « Tiers de confiance »/);
    assert.match(empty.body, /id="tiers_de_confiance-accompagnement-erreur"/);
    assert.deepEqual(await state(), { versions: 1, active: 1, audit: 0 });
  });

  test('chaque enregistrement crée une version active, avec son entrée au journal ; les précédentes restent lisibles ; l’orientation cite sa version', async () => {
    const before = await orientation();
    assert.equal(before.version_regles, 1);
    const form = await admin.client.get(`${PATH}/modifier`);
    assert.match(form.body, /name="version_de_depart" value="1"/);
    assert.match(
      form.body,
      /<input type="checkbox" id="accompagnement_pairs-accompagnement(-\d+)?" name="accompagnement_pairs.accompagnement" value="accompagnement_pairs" checked>/,
    );

    const saved = await post(
      admin,
      formEntries(1, 'Libellé plus précis ; le transfert de savoir-faire répond au partage de ressources', (code, entries) =>
        code === 'accompagnement_pairs'
          ? entries
              .map(([name, value]): [string, string] => [name, name.endsWith('.libelle') ? NEW_LABEL : value])
              .filter(([, v]) => v !== 'transfert_savoir_faire')
          : entries,
      ),
    );
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    assert.equal(saved.headers.location, `${PATH}?version=2`);
    assert.deepEqual(await state(), { versions: 2, active: 2, audit: 1 });
    const [audit] = await rows<{ actor_label: string; object_id: string; details: { depuis: number; regles_modifiees: string[] } }>(
      db(),
      sql`select actor_label, object_id, details from audit_log where action = 'regles_besoins.version'`,
    );
    assert.deepEqual([audit!.actor_label, audit!.object_id, audit!.details], ['Alex Admin', '2', { depuis: 1, regles_modifiees: ['accompagnement_pairs'] }]);
    const stored = await rows<{ version: number; libelle: string; couvert_par: { accompagnement: string[] } }>(
      db(),
      sql`select version, libelle, couvert_par from regle_besoin where code = 'accompagnement_pairs' order by version`,
    );
    assert.deepEqual(
      stored.map((r) => [r.version, r.libelle, r.couvert_par.accompagnement]),
      [
        [1, 'Accompagnement par des pairs, visites apprenantes, etc.', ['accompagnement_pairs', 'transfert_savoir_faire']],
        [2, NEW_LABEL, ['accompagnement_pairs']],
      ],
    );

    // Orientation uses it at once, and says which version it used.
    const after = await orientation();
    assert.equal(after.version_regles, 2);
    assert.equal(after.besoins.find((b: { code: string }) => b.code === 'accompagnement_pairs').libelle, NEW_LABEL);
    const page = await t.app.inject(`/orientation/resultat?${new URLSearchParams(ptce)}`);
    assert.match(page.body, /<a href="\/orientation\/regles\?version=2">règles de besoins, version 2<\/a>/);

    // The previous version stays readable: in the list, on its own page, and on the public rules page.
    const list = await admin.client.get(`${PATH}?version=2`);
    assert.match(list.body, /La version 2 est enregistrée/);
    assert.match(list.body, /Version 2<\/a>.*Alex Admin.*Libellé plus précis.*<strong>Active<\/strong>/s);
    assert.match(list.body, /Version 1<\/a>.*Chargement initial \(document 001\).*Archivée/s);
    const old = await admin.client.get(`${PATH}/versions/1`);
    assert.match(old.body, /Accompagnement par des pairs, visites apprenantes, etc\./);
    assert.match(old.body, /Version archivée/);
    assert.match((await t.app.inject('/orientation/regles?version=1')).body, /Accompagnement par des pairs, visites apprenantes, etc\./);
    assert.match((await t.app.inject('/orientation/regles')).body, new RegExp(NEW_LABEL));
    assert.equal((await t.app.inject('/orientation/regles?version=9')).statusCode, 404);
    assert.equal((await admin.client.get(`${PATH}/versions/9`)).statusCode, 404);

    // A form opened on version 1 can no longer be saved: it would undo version 2.
    const stale = await post(
      admin,
      formEntries(1, 'Ancien formulaire', (code, entries) => (code === 'partage_ressources' ? entries.slice(0, 2) : entries)),
    );
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /la version 2 est désormais active/);
    assert.deepEqual(await state(), { versions: 2, active: 2, audit: 1 });
  });
});
