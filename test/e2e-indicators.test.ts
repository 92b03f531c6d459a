/**
 * Indicators in a real browser, axe-core on every page: an AMI instructor defines the call's own indicator
 * (first with a wrong code, its error summary leading to the field), edits it, then names what a due date of
 * a laureate's agreement expects; the funded cooperation's admin reports against it (first a value of the
 * wrong kind). Keyboard only where a form is filled: labels, error links and buttons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit, type E2E } from './support/browser.ts';
import { depositedApplication, forceStatus, prepareCalls } from './support/instruction.ts';

const TIMEOUT = { timeout: 180_000 };

async function pageOf(e2e: E2E, who: TestAccount) {
  const page = await e2e.newPage();
  await page.context().addCookies([{ name: SESSION_COOKIE, value: who.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
  return page;
}

describeE2E('Indicateurs personnalisés et rapports de financement (Chromium, axe-core)', (e2e) => {
  test('définir un indicateur d’appel, nommer les indicateurs attendus, remettre les valeurs', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const { amiId } = await prepareCalls(db);
    const [poleSud] = await checkedRows(db, z.object({ id: z.number() }), sql`select id::int as id from cooperation where name = 'Pôle Sud Archer'`);
    const applicant = await signedInAs(e2e.app.app, db, [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(poleSud!.id) }]);
    const instructor = await signedInAs(e2e.app.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const id = await depositedApplication(db, amiId, applicant, 'Pôle Sud Archer, lauréat');
    await db.execute(sql`update candidature set cooperation_id = ${poleSud!.id} where id = ${id}`);
    await forceStatus(db, id, 'laureate');
    const base = `/instruction/candidatures/${id}/financement`;
    for (const [url, fields] of [
      [base, { debut: '2022-01-01' }],
      [`${base}/rapports`, { libelle: 'Rapport d’étape année 1', echeance: '2022-12-31' }],
    ] as const)
      assert.equal((await instructor.client.post(url, { _csrf: instructor.csrf, ...fields })).statusCode, 303);

    const page = await pageOf(e2e, instructor);
    await visit(page, '/indicateurs/personnalises');
    await assertAccessible(page, 'indicateurs personnalisés');
    await page.getByLabel(/^Porteur/).selectOption(`appel:${amiId}`);
    await page.getByLabel(/^Code/).fill('Repas servis');
    await page.getByLabel(/^Libellé/).fill('Repas servis');
    await page.getByLabel(/^Unité/).fill('repas');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Définir l’indicateur' }).press('Enter')]);
    await assertAccessible(page, 'définition refusée');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    await summary.getByRole('link').first().press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
    await page.getByLabel(/^Code/).fill('repas_servis');
    await Promise.all([page.waitForURL(/fait=cree/), page.getByRole('button', { name: 'Définir l’indicateur' }).press('Enter')]);
    await assertAccessible(page, 'indicateur défini');
    await Promise.all([page.waitForURL(/personnalises\/repas_servis$/), page.getByRole('link', { name: /Modifier « Repas servis »/ }).click()]);
    await assertAccessible(page, 'modifier un indicateur');
    await page.getByLabel(/^Libellé/).fill('Repas servis aux habitants');
    await Promise.all([page.waitForURL(/fait=modifie/), page.getByRole('button', { name: 'Enregistrer l’indicateur' }).press('Enter')]);
    assert.ok(await page.getByRole('rowheader', { name: 'Repas servis aux habitants' }).isVisible());

    await visit(page, base);
    await assertAccessible(page, 'financement avec une échéance');
    await page.getByLabel(/^Période couverte/).fill('2022');
    await page.getByRole('checkbox', { name: /^Emplois en équivalent temps plein/ }).check();
    await page.getByRole('checkbox', { name: /^Emplois en insertion/ }).check();
    await page.getByRole('checkbox', { name: /^Repas servis aux habitants/ }).check();
    await Promise.all([page.waitForURL(/fait=rapport/), page.getByRole('button', { name: 'Enregistrer les indicateurs attendus' }).press('Enter')]);
    await assertAccessible(page, 'indicateurs attendus');
    assert.ok(await page.getByText('Période 2022 : 0 saisi et 0 validé sur 3').isVisible());
    assertNoPageErrors(page);

    const own = await pageOf(e2e, applicant);
    // The funded application's page leads to its reports (by keyboard), as the cooperation's indicators page does.
    await visit(own, `/candidatures/${id}`);
    await assertAccessible(own, 'candidature financée');
    await Promise.all([own.waitForURL(/\/rapports$/), own.getByRole('link', { name: 'Rapports de financement', exact: true }).press('Enter')]);
    await visit(own, `/cooperations/${poleSud!.id}/indicateurs`);
    await Promise.all([own.waitForURL(/\/rapports$/), own.getByRole('link', { name: 'Pôle Sud Archer, lauréat' }).click()]);
    await assertAccessible(own, 'rapports du candidat');
    await own.getByLabel(/^Emplois en insertion/).fill('4,5');
    await own.getByLabel(/^Emplois en équivalent temps plein/).fill('3,5');
    await own.getByLabel(/^Repas servis aux habitants/).fill('1200');
    await Promise.all([own.waitForLoadState('load'), own.getByRole('button', { name: /^Remettre les valeurs/ }).press('Enter')]);
    await assertAccessible(own, 'valeur refusée');
    assert.ok(
      await own
        .getByRole('alert')
        .getByText(/« Emplois en insertion » attend un nombre entier/)
        .first()
        .isVisible(),
    );
    await own.getByLabel(/^Emplois en insertion/).fill('4');
    await Promise.all([own.waitForURL(/remis=ok/), own.getByRole('button', { name: /^Remettre les valeurs/ }).press('Enter')]);
    await assertAccessible(own, 'valeurs remises');
    assert.ok(
      await own
        .getByText(/remis le/)
        .first()
        .isVisible(),
    );
    assertNoPageErrors(own);
  });
});
