/**
 * Orientation in a real browser, from a cooperation's page: prefilled form → completed by keyboard →
 * needs with their rule → schemes with « pourquoi » → uncovered needs → a form error shown beside its field.
 * A platform admin revises the needs rules: versions, the edit form (an error first), the new version, the old one.
 * axe-core checks every page: zero violations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 120_000 };

describeE2E('Orientation de bout en bout (Chromium, axe-core)', (e2e) => {
  test('depuis la fiche d’une coopération : formulaire prérempli, besoins, dispositifs expliqués', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?type=cooperations&q=Pole%20Sud%20Archer');
    await Promise.all([page.waitForURL(/\/cooperations\/\d+$/), page.getByRole('link', { name: 'Pôle Sud Archer' }).click()]);
    await Promise.all([page.waitForURL(/\/orientation\?/), page.getByRole('link', { name: /Orienter cette coopération/ }).click()]);
    await assertAccessible(page, 'formulaire d’orientation prérempli');
    assert.equal(await page.getByLabel('Modèle de coopération').inputValue(), 'PTCE');
    assert.equal(await page.getByLabel('Commune').inputValue(), '26281');

    // What the record does not say, the person completes.
    await page.getByLabel('Systémique').check();
    await page.getByLabel('Hybride').check();
    await page.getByLabel('Stade').selectOption('emergence');
    await Promise.all([page.waitForURL(/\/orientation\/resultat\?/), page.getByRole('button', { name: /Voir les besoins/ }).click()]);
    await assertAccessible(page, 'résultat de l’orientation');
    assertNoPageErrors(page);

    assert.match((await page.locator('h1').textContent()) ?? '', /Besoins et dispositifs/);
    const needs = await page.locator('.needs li').allTextContents();
    assert.ok(needs.some((n) => /Accompagnement par des pairs/.test(n) && /Coopération territoriale modélisée/.test(n)));
    assert.ok(needs.some((n) => /Appui stratégique/.test(n)));
    const recommendations = page.locator('.recommendations li');
    assert.ok((await recommendations.count()) > 0);
    assert.match((await recommendations.first().textContent()) ?? '', /Pourquoi ce dispositif : Répond à/);
  });

  test('une erreur est annoncée et reliée à son champ', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/orientation/resultat?modele=aucun&stade=emergence&commune=26281', 400);
    await assertAccessible(page, 'formulaire avec erreurs');
    const alert = page.getByRole('alert');
    assert.match((await alert.textContent()) ?? '', /Le formulaire contient 2 erreurs/);
    await alert.getByRole('link', { name: /Finalité/ }).click();
    assert.match(page.url(), /#finalite$/);
  });

  test('les règles et la cartographie des zones blanches sont accessibles', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/orientation/regles');
    await assertAccessible(page, 'règles');
    await visit(page, '/cartographie?stade=creation');
    await assertAccessible(page, 'cartographie');
    await visit(page, '/dispositifs');
    await assertAccessible(page, 'catalogue');
    await page.locator('.result-list a').first().click();
    await assertAccessible(page, 'fiche dispositif');
  });

  test('l’administration révise les règles : formulaire accessible, erreur annoncée, nouvelle version, l’ancienne lisible', TIMEOUT, async () => {
    const admin = await signedInAs(e2e.app.app, e2e.app.database.db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }], {
      displayName: 'Camille Admin',
    });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: admin.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    await visit(page, '/admin/regles-besoins');
    await assertAccessible(page, 'versions des règles');
    await Promise.all([page.waitForURL(/\/modifier$/), page.getByRole('link', { name: /Modifier les règles/ }).click()]);
    await assertAccessible(page, 'modification des règles');

    const rule = page.getByRole('group', { name: /Besoin 1 :/ });
    await rule.getByLabel('Libellé du besoin').fill('Animation interne continue, bénévole ou salariée');
    await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await page.waitForSelector('#erreurs');
    assert.match(await page.locator('#erreurs').innerText(), /Motif : Indiquez le motif/);
    assert.equal(await page.getByLabel(/Motif de la modification/).getAttribute('aria-invalid'), 'true');
    assert.equal(await rule.getByLabel('Libellé du besoin').inputValue(), 'Animation interne continue, bénévole ou salariée', 'la saisie est gardée');
    await assertAccessible(page, 'modification refusée');

    await page.getByLabel(/Motif de la modification/).fill('Libellé plus lisible');
    await Promise.all([page.waitForURL(/\/admin\/regles-besoins\?version=2$/), page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /La version 2 est enregistrée/);
    await assertAccessible(page, 'version enregistrée');
    await Promise.all([page.waitForURL(/\/versions\/1$/), page.getByRole('link', { name: 'Version 1' }).click()]);
    assert.match(await page.locator('main').innerText(), /Animation interne en continuité par des bénévoles ou des salarié-e-s/);
    await assertAccessible(page, 'version archivée');
    assertNoPageErrors(page);
  });
});
