/**
 * The treasury pages in a real browser, axe-core checking each (WCAG 2.1 A/AA): a structure's member creates a plan
 * from the keyboard's form (a line added with « Ajouter des lignes », a wrong amount refused beside its line, linked
 * from the summary), reads its forecast — the months of tension said in words, their causes, the schemes and why —
 * and edits it; a visitor runs the public simulation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

/** 000's case: 10 000 € in the bank, 2 000 € more out than in each month, a 24 000 € grant paid six months late. */
async function fillPlan(page: Page) {
  await page.getByLabel(/^Premier mois/).fill('2027-01');
  await page.getByLabel('Durée en mois').fill('12');
  await page.getByLabel('Solde de trésorerie au début du premier mois').fill('10 000');
  const receipt = page.getByRole('group', { name: 'Encaissement 1', exact: true });
  await receipt.getByLabel('Libellé').fill('Ventes');
  await receipt.getByLabel('Montant en euros').fill('6 000');
  await receipt.getByLabel(/^Mois \(AAAA-MM\)/).fill('2027-01');
  await receipt.getByLabel('Répété chaque mois jusqu’à').fill('2027-12');
  const expense = page.getByRole('group', { name: 'Décaissement 1', exact: true });
  await expense.getByLabel('Libellé').fill('Salaires et loyer');
  await expense.getByLabel('Montant en euros').fill('8 000');
  await expense.getByLabel(/^Mois \(AAAA-MM\)/).fill('2027-01');
  await expense.getByLabel('Répété chaque mois jusqu’à').fill('2027-12');
  const tranche = page.getByRole('group', { name: 'Tranche 1', exact: true });
  await tranche.getByLabel('Libellé').fill('Région, tranche 1');
  await tranche.getByLabel('Montant en euros').fill('24 000');
  await tranche.getByLabel('Date convenue').fill('2027-03-15');
  await tranche.getByLabel('Date réellement attendue').fill('2027-09-15');
  await page.getByLabel('Modèle de coopération').selectOption('PTCE');
  await page.getByLabel('Finalité').selectOption('systemique');
  await page.getByLabel('Modèle économique').selectOption('hybride');
  await page.getByLabel('Stade').selectOption('consolidation');
  await page.getByLabel('Département').selectOption('26');
}

describeE2E('Trésorerie : plans d’une structure et simulation (Chromium, axe-core)', (e2e) => {
  test('un membre crée, lit et modifie un plan ; les mois en tension disent leurs causes et les dispositifs', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const organisation = (await firstRow<{ id: number; siret: string }>(
      db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000003400005', '100000034', 'Coopérative de la vallée', '26281', '26', '84', 'ess_de_droit') returning id::int as id, siret`,
    ))!;
    const member = await signedInAs(e2e.app.app, db, [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]);
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: member.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);

    await visit(page, `/organisations/${organisation.id}/tresorerie`);
    await assertAccessible(page, 'liste des plans');
    await Promise.all([page.waitForURL(/\/tresorerie\/nouveau$/), page.getByRole('link', { name: 'Nouveau plan de trésorerie' }).click()]);
    await assertAccessible(page, 'nouveau plan');
    await page.getByLabel('Nom du plan').fill('Budget 2027');
    await fillPlan(page);
    // A third receipt line is asked for, without script: the form comes back with what was typed.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Ajouter des lignes' }).click()]);
    const third = page.getByRole('group', { name: 'Encaissement 3', exact: true });
    await third.getByLabel('Libellé').fill('Adhésions');
    await third.getByLabel('Montant en euros').fill('douze');
    await third.getByLabel(/^Mois \(AAAA-MM\)/).fill('2027-02');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enregistrer le plan' }).click()]);
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    assert.match(await summary.innerText(), /Encaissement 3 — Montant en euros : écrivez un montant en euros/);
    await assertAccessible(page, 'plan refusé');
    await summary.getByRole('link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'encaissements-2-montant');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('120');
    await Promise.all([page.waitForURL(/\/tresorerie\/\d+$/), page.getByRole('button', { name: 'Enregistrer le plan' }).click()]);

    await assertAccessible(page, 'prévision du plan');
    assert.match(await page.locator('#tensions').innerText(), /Mois en tension : 2027-06 à 2027-08\./);
    const june = page.getByRole('row', { name: /juin 2027/ });
    assert.match(await june.innerText(), /En tension[\s\S]*Solde de fin de mois négatif[\s\S]*6 mois de retard/);
    assert.match(await page.locator('.schemes').innerText(), /France Active\s+Pourquoi : Mois en tension/);
    assert.equal(await page.getByRole('link', { name: 'XLSX (Excel)' }).count(), 1);
    await screenshot(page, 'tresorerie-prevision');

    await Promise.all([page.waitForURL(/\/modifier$/), page.getByRole('link', { name: 'Modifier ce plan' }).click()]);
    await assertAccessible(page, 'modifier le plan');
    await page.getByRole('group', { name: 'Tranche 1', exact: true }).getByLabel('Date réellement attendue').fill('');
    await Promise.all([page.waitForURL(/\/tresorerie\/\d+$/), page.getByRole('button', { name: 'Enregistrer les modifications' }).click()]);
    assert.match(await page.locator('#tensions').innerText(), /Aucun mois en tension/);
    assertNoPageErrors(page);
  });

  test('simulation publique sans compte', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/tresorerie/simulation');
    await assertAccessible(page, 'simulation');
    await fillPlan(page);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Calculer la prévision' }).click()]);
    assert.match(await page.locator('#tensions').innerText(), /Mois en tension : 2027-06 à 2027-08\./);
    await assertAccessible(page, 'résultat de la simulation');
    await screenshot(page, 'tresorerie-simulation');
    assertNoPageErrors(page);
  });
});
