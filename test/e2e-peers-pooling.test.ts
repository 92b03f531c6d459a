/**
 * Peers and mutualisation in a real browser, axe-core checking each page (WCAG 2.1 A/AA): the peers section of a
 * cooperation's page and its meeting request (an empty message refused beside its field, then sent), the setting
 * page; the board and its search form, publishing for one's structure, the calendar's tables, a booking, an
 * overlapping one refused in French, the owner's confirmation. Forms are filled and sent from the keyboard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };
const SIRET = '98765432100015';

describeE2E('Pairs et mutualisation (Chromium, axe-core)', (e2e) => {
  const pageAs = async (grants: Grant[], displayName?: string): Promise<Page> => {
    const account = await signedInAs(e2e.app.app, e2e.app.database.db, grants, displayName ? { displayName } : {});
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: account.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    return page;
  };
  const cooperation = async (name: string, stade: string, open: boolean) =>
    (
      await rows<{ id: number }>(
        e2e.app.database.db,
        sql`insert into cooperation (name, modele, finalite, modele_economique, stade, secteur, commune_code, region_code, ouverte_transfert, ouverte_visites)
          values (${name}, 'PTCE', 'systemique', 'hybride', ${stade}, 'agriculture_alimentation', '26281', '84', ${open}, ${open}) returning id::int as id`,
      )
    )[0]!.id;

  test('pairs : la section de la fiche, la demande de rencontre, le réglage', TIMEOUT, async () => {
    const mine = await cooperation('Pôle e2e naissant', 'emergence', false);
    const peer = await cooperation('Pôle e2e consolidé', 'consolidation', true);
    await signedInAs(e2e.app.app, e2e.app.database.db, [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(peer) }]);
    const page = await pageAs([{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(mine) }]);

    await visit(page, `/cooperations/${mine}`);
    const section = page.getByRole('region', { name: /Pairs/ });
    assert.match(await section.innerText(), /Pôle e2e consolidé[\s\S]*Pourquoi : .*Plus avancée : consolidation/);
    await section.getByLabel('Pair à rencontrer').selectOption({ label: 'Pôle e2e consolidé' });
    await section.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.waitForURL(/\/pairs\/demande$/);
    await assertAccessible(page, 'demande sans message');
    assert.match(await page.getByRole('alert').first().innerText(), /Votre message : écrivez qui vous êtes/);
    await page.getByRole('alert').first().getByRole('link').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'demande-message', 'le lien de l’erreur mène au champ');
    await page.keyboard.type('Nous aimerions visiter votre légumerie partagée.');
    await Promise.all([page.waitForURL(/\/pairs\?fait=demande$/), page.getByRole('button', { name: 'Envoyer la demande' }).press('Enter')]);
    await assertAccessible(page, 'demande envoyée');
    assert.match(await page.getByRole('status').innerText(), /ni leur adresse ni la vôtre ne sont montrées/);

    await visit(page, `/cooperations/${mine}/pairs/ouverture`);
    await page.getByLabel('des visites apprenantes').check();
    await Promise.all([page.waitForURL(/fait=ouverture/), page.getByRole('button', { name: 'Enregistrer' }).click()]);
    await assertAccessible(page, 'réglage enregistré');
    assert.equal(await page.getByLabel('des visites apprenantes').isChecked(), true);
    await screenshot(page, 'pairs-reglage');
    assertNoPageErrors(page);
  });

  test('mutualisation : liste, publication, calendrier, réservation, chevauchement, confirmation', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    await db.execute(sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
      values (${SIRET}, ${SIRET.slice(0, 9)}, 'Ressourcerie e2e', '26281', '26', '84')`);
    const owner = await pageAs([{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: SIRET }]);
    await visit(owner, '/mutualisation');
    await visit(owner, '/mutualisation/publier');
    await owner.getByLabel('Une offre : nous proposons').check();
    await owner.getByLabel(/^Catégorie/).selectOption('equipement');
    await owner.getByLabel(/^Titre/).fill('Broyeur à végétaux e2e');
    await owner.getByLabel(/^Description/).fill('Thermique, à retirer sur place.');
    const commune = owner.getByLabel(/^Code de la commune/);
    await commune.fill('26281');
    await Promise.all([owner.waitForURL(/\/mutualisation\/\d+\?fait=publiee$/), commune.press('Enter')]);
    await assertAccessible(owner, 'offre publiée');
    const entryPath = new URL(owner.url()).pathname;

    const booker = await pageAs([], 'Dominique E2E');
    await visit(booker, entryPath);
    await booker.getByLabel(/^Date de début/).fill('2031-05-12');
    await booker.getByLabel('Heure de début').fill('09:00');
    await booker.getByLabel(/^Date de fin/).fill('2031-05-12');
    await booker.getByLabel('Heure de fin').fill('12:00');
    await Promise.all([booker.waitForURL(/fait=reservation/), booker.getByRole('button', { name: 'Demander ce créneau' }).click()]);
    await assertAccessible(booker, 'créneau demandé');
    assert.match(await booker.getByRole('table', { name: 'Réservations de mai 2031' }).innerText(), /Demandée, en attente de réponse/);

    await booker.getByLabel(/^Date de début/).fill('2031-05-12');
    await booker.getByLabel('Heure de début').fill('11:00');
    await booker.getByLabel(/^Date de fin/).fill('2031-05-12');
    const end = booker.getByLabel('Heure de fin');
    await end.fill('13:00');
    const [response] = await Promise.all([booker.waitForResponse((r) => r.url().endsWith('/reserver')), end.press('Enter')]);
    assert.equal(response.status(), 409);
    await booker.waitForLoadState('load');
    await assertAccessible(booker, 'chevauchement refusé');
    assert.match(await booker.getByRole('alert').innerText(), /Ce créneau chevauche une autre réservation/);

    await visit(owner, entryPath);
    const table = owner.getByRole('table', { name: 'Réservations de mai 2031' });
    assert.match(await table.innerText(), /Dominique E2E/);
    await Promise.all([owner.waitForURL(/fait=decision/), table.getByRole('button', { name: /^Confirmer/ }).click()]);
    await assertAccessible(owner, 'réservation confirmée');
    assert.match(await owner.getByRole('table', { name: 'Réservations de mai 2031' }).innerText(), /Confirmée/);

    await visit(owner, '/mutualisation?categorie=equipement&departement=26');
    assert.match(await owner.locator('#titre-resultats').innerText(), /^1 offre/);
    await visit(owner, '/mutualisation?rayon_km=5', 400);
    await screenshot(owner, 'mutualisation');
    for (const page of [owner, booker]) assertNoPageErrors(page);
  });
});
