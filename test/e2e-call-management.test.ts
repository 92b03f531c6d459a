/**
 * A funder's path in a real browser: a scheme publisher creates a call (an error first), fills its
 * informations, a second organiser, a phase in Paris time, its eligibility; publishing is refused while the call
 * has no form (the list says so); with a form version (written by SQL: the form builder is another feature's
 * subject) it is published and its public page opens. axe-core checks every page on the way; no script error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };
const PROVIDER = 'Fondation Coopérer Ensemble';

describeE2E('Gestion d’un appel à projets de bout en bout (Chromium, axe-core)', (e2e) => {
  test('créer → informations → organisateurs → phase → éligibilité → publication refusée puis faite', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const publisher = await signedInAs(e2e.app.app, db, [{ role: 'scheme_publisher', scopeKind: 'dispositif', scopeCode: PROVIDER }], {
      displayName: 'Paule Publie',
    });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: publisher.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    const submit = (button: string, url: RegExp = /./) => Promise.all([page.waitForURL(url), page.getByRole('button', { name: button, exact: true }).click()]);

    await visit(page, '/gestion/appels');
    await assertAccessible(page, 'mes appels');
    await Promise.all([page.waitForURL(/\/gestion\/appels\/nouveau$/), page.getByRole('link', { name: 'Créer un appel' }).click()]);
    await assertAccessible(page, 'créer un appel');
    await submit('Créer l’appel');
    await assertAccessible(page, 'créer un appel : erreur');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    await summary.getByRole('link').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'nouveau-titre');
    await page.getByLabel('Titre (obligatoire)').fill('Appel Coopérations naissantes 2027');
    await submit('Créer l’appel', /fait=cree/);
    await assertAccessible(page, 'gestion de l’appel');
    const id = Number(/\/gestion\/appels\/(\d+)/.exec(page.url())![1]);
    assert.ok(await page.getByRole('link', { name: 'Formulaire de candidature' }).isVisible());

    await page.locator('#informations-budget').fill('100 000');
    await page.locator('#informations-couverture_niveau').selectOption('region');
    await page.locator('#informations-couverture_codes').fill('84, 999');
    await submit('Enregistrer les informations');
    await assertAccessible(page, 'informations : erreur');
    assert.ok(
      await page
        .getByRole('alert')
        .getByText(/niveau région : 999/)
        .isVisible(),
    );
    await page.locator('#informations-couverture_codes').fill('84');
    await submit('Enregistrer les informations', /fait=informations/);

    await page.locator('#organisateurs-organisateurs-1-nom').fill('Région Auvergne-Rhône-Alpes');
    await submit('Enregistrer les organisateurs', /fait=organisateurs/);
    await assertAccessible(page, 'organisateurs enregistrés');

    await page.locator('#phases-phases-0-label').fill('Dépôt des candidatures');
    await page.locator('#phases-phases-0-ouverture_date').fill('2027-03-01');
    await page.locator('#phases-phases-0-cloture_date').fill('2027-03-28');
    await submit('Enregistrer les phases', /fait=phases/);
    await assertAccessible(page, 'phase enregistrée');
    assert.ok(await page.getByText(/clôture 2027-03-28T23:59:59\.999\+02:00/).isVisible());

    await page.getByLabel('Émergence').check();
    await page.getByLabel('Pôle territorial de coopération économique (PTCE)').check();
    await submit('Enregistrer l’éligibilité', /fait=eligibilite/);

    const publish = page.locator('form').filter({ has: page.getByRole('button', { name: 'Publier l’appel' }) });
    await publish.getByLabel(/Je confirme/).check();
    await submit('Publier l’appel');
    await assertAccessible(page, 'publication refusée');
    await screenshot(page, 'gestion-appel-publication-refusee');
    assert.ok(await page.getByRole('alert').getByText('un formulaire de candidature comptant au moins un champ').isVisible());
    assert.equal((await firstRow<{ statut: string }>(db, sql`select statut from appel where id = ${id}`))!.statut, 'brouillon');

    await db.execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${id}, 1,
      ${JSON.stringify({ sections: [{ titre: 'Le projet', champs: [{ cle: 'projet', type: 'texte_long', libelle: 'Votre projet', obligatoire: true }] }] })}::jsonb)`);
    await visit(page, `/gestion/appels/${id}`);
    await page
      .locator('form')
      .filter({ has: page.getByRole('button', { name: 'Publier l’appel' }) })
      .getByLabel(/Je confirme/)
      .check();
    await submit('Publier l’appel', /fait=statut/);
    await assertAccessible(page, 'appel publié');
    assert.equal((await firstRow<{ statut: string }>(db, sql`select statut from appel where id = ${id}`))!.statut, 'publie');

    await Promise.all([page.waitForURL(new RegExp(`/appels/${id}$`)), page.getByRole('link', { name: 'Fiche publique de l’appel' }).click()]);
    await assertAccessible(page, 'fiche publique');
    assert.ok(await page.getByText('Région Auvergne-Rhône-Alpes').isVisible());
    assertNoPageErrors(page);
  });
});
