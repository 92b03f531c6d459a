/**
 * An instructor's path in a real browser: the calls they instruct → the AMI PTCE's applications → one
 * application → a score sheet (first out of scale, then right) → the comparison table → a decision with its
 * motivation, then laureate and its funding agreement. axe-core checks every page on the way (error summaries included); no script error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';
import { depositedApplication, prepareCalls } from './support/instruction.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Instruction de bout en bout (Chromium, axe-core)', (e2e) => {
  test('liste → candidature → notation → comparatif → décision', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const { amiId, grid } = await prepareCalls(db);
    const applicant = await signedInAs(e2e.app.app, db, [], { displayName: 'Camille Candidate' });
    const id = await depositedApplication(db, amiId, applicant, 'Pôle coopératif du Royans');
    const instructor = await signedInAs(e2e.app.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }], {
      displayName: 'Inès Instructrice',
    });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: instructor.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);

    await visit(page, '/instruction');
    await Promise.all([page.waitForURL(/\/instruction\/appels\/\d+$/), page.getByRole('link', { name: /AMI national PTCE 2021/ }).click()]);
    await assertAccessible(page, 'candidatures de l’appel');
    await Promise.all([page.waitForURL(/\/instruction\/candidatures\/\d+$/), page.getByRole('link', { name: 'Pôle coopératif du Royans' }).click()]);
    await assertAccessible(page, 'candidature en instruction');
    assert.ok(await page.getByText('Coopérations du Val de Drôme').isVisible());

    // A note out of scale: the error summary links to the field, nothing is written.
    const labels = ['Dynamique locale', 'Passerelles entre', 'Animation territoriale', 'Coopération avec les collectivités', 'Caractère décisif'];
    for (const [i, label] of labels.entries()) await page.getByLabel(new RegExp(`^${label}`)).fill(String(i === 0 ? 9 : 4));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enregistrer ma fiche' }).click()]);
    await assertAccessible(page, 'fiche avec une erreur');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    assert.ok(await summary.isVisible());
    await summary.getByRole('link').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), `notation-note_${grid[0]!.id}`);
    await page.getByLabel(/^Dynamique locale/).fill('5');
    await page.getByLabel('Commentaire (facultatif)').fill('Une dynamique déjà bien engagée.');
    await Promise.all([page.waitForURL(/fait=notation/), page.getByRole('button', { name: 'Enregistrer ma fiche' }).click()]);
    await assertAccessible(page, 'fiche enregistrée');
    assert.ok(await page.getByRole('status').getByText('Votre fiche de notation est enregistrée.').isVisible());

    await visit(page, `/instruction/appels/${amiId}/comparaison`);
    const row = page.getByRole('row').filter({ hasText: 'Pôle coopératif du Royans' });
    assert.ok(await row.getByRole('cell', { name: '84', exact: true }).isVisible()); // (5/5 + 4 × 4/5) / 5 × 100
    await page.goto(`/instruction/candidatures/${id}`);

    await page.getByLabel('En instruction').check();
    await Promise.all([page.waitForURL(/fait=decision/), page.getByRole('button', { name: 'Enregistrer la décision' }).click()]);
    await page.getByLabel('Retenue', { exact: true }).check();
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enregistrer la décision' }).click()]);
    await assertAccessible(page, 'décision sans motivation');
    assert.ok(
      await page
        .getByRole('alert')
        .getByText(/Indiquez la motivation du passage à « retenue »/)
        .isVisible(),
    );
    await page.getByLabel('Retenue', { exact: true }).check();
    await page.getByLabel(/^Motivation/).fill('Dynamique territoriale solide, collectivités engagées.');
    await Promise.all([page.waitForURL(/fait=decision/), page.getByRole('button', { name: 'Enregistrer la décision' }).click()]);
    await assertAccessible(page, 'décision enregistrée');
    const stored = await firstRow<{ statut: string }>(db, sql`select statut from candidature where id = ${id}`);
    assert.equal(stored!.statut, 'retenue');

    // Then laureate: its funding page, the AMI's tranches taken up at creation.
    await page.getByLabel('Lauréate').check();
    await page.getByLabel(/^Motivation/).fill('Retenue par le comité.');
    await Promise.all([page.waitForURL(/fait=decision/), page.getByRole('button', { name: 'Enregistrer la décision' }).click()]);
    await Promise.all([page.waitForURL(/financement$/), page.getByRole('link', { name: /Convention, tranches/ }).click()]);
    await assertAccessible(page, 'financement sans convention');
    await page.getByLabel('Date de début de la convention').fill('2021-12-01');
    await Promise.all([page.waitForURL(/fait=convention/), page.getByRole('button', { name: 'Créer la convention' }).click()]);
    await assertAccessible(page, 'convention');
    assert.ok(await page.getByRole('rowheader', { name: 'Année 3 : aide complémentaire' }).isVisible());
    assertNoPageErrors(page);

    // The applicant's side of the thread.
    const own = await e2e.newPage();
    await own.context().addCookies([{ name: SESSION_COOKIE, value: applicant.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    await visit(own, `/candidatures/${id}/messages`);
    await own.getByLabel('Écrire à l’instruction').fill('Merci pour votre retour.');
    await Promise.all([own.waitForURL(/fait=message/), own.getByRole('button', { name: 'Envoyer le message' }).click()]);
    await assertAccessible(own, 'fil du candidat');
    assert.ok(await own.getByText('Merci pour votre retour.').isVisible());
    assertNoPageErrors(own);
  });
});
