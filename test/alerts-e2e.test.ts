/**
 * Alerts in Chromium: a signed-in person creates an alert from the search page with the keyboard, finds it on
 * « Mes alertes », changes its frequency and deletes it; every page passes axe-core (WCAG 2.1 AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Alertes de bout en bout (Chromium, axe-core)', (e2e) => {
  test('créer une alerte depuis la recherche, la retrouver, changer sa fréquence, la supprimer', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const account = await signedInAs(e2e.app.app, db, [], { displayName: 'Alix' });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: account.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);

    await visit(page, '/recherche?type=cooperations&region=84');
    const form = page.locator('form[action="/compte/alertes"]');
    await form.getByLabel('Nom de l’alerte (facultatif)').fill('PTCE de ma région');
    await form.getByLabel('Fréquence').selectOption('quotidienne');
    await form.getByRole('button', { name: 'Créer une alerte' }).focus();
    await Promise.all([page.waitForURL(/\/compte\/alertes\?creee=1$/), page.keyboard.press('Enter')]);
    await assertAccessible(page, 'mes alertes');
    await page.getByRole('status').getByText('Votre alerte est créée').waitFor();
    const row = page.getByRole('row', { name: /PTCE de ma région/ });
    assert.equal(await row.getByRole('combobox').inputValue(), 'quotidienne');

    await row.getByRole('combobox', { name: 'Fréquence de l’alerte « PTCE de ma région »' }).selectOption('hebdomadaire');
    await Promise.all([page.waitForURL(/modifiee=1$/), row.getByRole('button', { name: 'Modifier la fréquence de « PTCE de ma région »' }).click()]);
    await assertAccessible(page, 'fréquence modifiée');
    const saved = await firstRow<{ frequency: string }>(db, sql`select frequency from alert where account_id = ${account.id}`);
    assert.equal(saved!.frequency, 'hebdomadaire');

    await Promise.all([page.waitForURL(/supprimee=1$/), page.getByRole('button', { name: 'Supprimer l’alerte « PTCE de ma région »' }).click()]);
    await page.getByText('Vous n’avez aucune alerte.').waitFor();
    await assertAccessible(page, 'alerte supprimée');

    await visit(page, '/dispositifs?region=53');
    await visit(page, '/orientation/resultat?modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=26114');
    assert.equal(await page.locator('form[action="/compte/alertes"] button', { hasText: 'Créer une alerte' }).count(), 1);
    assertNoPageErrors(page);
  });
});
