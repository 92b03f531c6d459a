/**
 * An instructor builds a small form in a real browser: a section, a text question, a choice, a question shown
 * only for one answer of the choice (first refused with an error summary leading to the input), then reads the
 * preview as applicants see it and moves a question. axe-core checks every page on the way; no script error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { currentForm } from '../src/features/calls/form-builder/service.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Constructeur de formulaires de bout en bout (Chromium, axe-core)', (e2e) => {
  test('section → texte → choix → question conditionnelle → aperçu', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const call = (await firstRow<{ id: number }>(
      db,
      sql`insert into appel (key, title) values ('appel-e2e-formulaire', 'Appel des tiers-lieux')
      returning id::int as id`,
    ))!;
    const instructor = await signedInAs(e2e.app.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(call.id) }], {
      displayName: 'Inès Instructrice',
    });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: instructor.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);
    const builder = `/gestion/appels/${call.id}/formulaire`;
    const submit = (name: string, url: RegExp = /fait=/) => Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);

    await visit(page, builder);
    assert.ok(await page.getByText('pas encore de formulaire').isVisible());
    await Promise.all([page.waitForURL(/formulaire\/section$/), page.getByRole('link', { name: 'Ajouter une section' }).click()]);
    await assertAccessible(page, 'nouvelle section');
    await page.getByLabel(/^Titre de la section/).fill('Votre tiers-lieu');
    await submit('Enregistrer la section', /fait=section/);
    await assertAccessible(page, 'formulaire avec une section');
    assert.ok(
      await page
        .getByRole('status')
        .getByText(/La section est enregistrée\. Formulaire en version 1\./)
        .isVisible(),
    );

    const addField = async (kind: string) => {
      await page.getByLabel('Type du champ à ajouter à la section 1').selectOption({ label: kind });
      await Promise.all([page.waitForURL(/formulaire\/champ\?/), page.getByRole('button', { name: 'Ajouter un champ à la section 1' }).click()]);
      await assertAccessible(page, `nouveau champ ${kind}`);
    };
    await addField('Texte court');
    await page.getByLabel(/^Libellé de la question/).fill('Nom du tiers-lieu');
    await page.getByLabel('Réponse obligatoire pour déposer').check();
    await submit('Enregistrer le champ');

    // A choice without options: the summary links to the options, nothing is saved.
    await addField('Choix unique (une réponse)');
    await page.getByLabel(/^Libellé de la question/).fill('Statut du lieu');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enregistrer le champ' }).click()]);
    await assertAccessible(page, 'choix sans options');
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    assert.ok(await summary.isVisible());
    await summary.getByRole('link').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-options');
    await page.getByLabel(/^Options/).fill('association | Association\nSCIC\nAutre');
    await submit('Enregistrer le champ');

    await addField('Texte long');
    await page.getByLabel(/^Libellé de la question/).fill('Précisez le statut');
    await page.getByLabel('Afficher si la question').selectOption({ label: 'Statut du lieu (statut_du_lieu)' });
    await page.getByLabel('a pour réponse').fill('Autre');
    await screenshot(page, 'form-builder-champ');
    await submit('Enregistrer le champ');
    await assertAccessible(page, 'formulaire complet');
    await screenshot(page, 'form-builder');

    // The preview: the applicants' form, the conditional question saying when it applies.
    const preview = page.locator('.preview');
    assert.ok(await preview.getByLabel(/^Nom du tiers-lieu \(obligatoire\)/).isVisible());
    assert.ok(await preview.getByRole('radio', { name: 'SCIC' }).isVisible());
    assert.ok(await preview.getByLabel(/^Précisez le statut/).isVisible());
    assert.ok(
      await preview
        .getByText(/Statut du lieu/)
        .first()
        .isVisible(),
    );

    // Moving the text question down: the order is saved.
    await submit('Descendre le champ « Nom du tiers-lieu »', /fait=ordre/);
    await assertAccessible(page, 'après déplacement');
    const form = await currentForm(db, call.id);
    assert.deepEqual(
      form.definition.sections[0]!.champs.map((f) => f.cle),
      ['statut_du_lieu', 'nom_du_tiers_lieu', 'precisez_le_statut'],
    );
    assert.deepEqual(form.definition.sections[0]!.champs[2]!.afficher_si, { champ: 'statut_du_lieu', egal: 'autre' });
    assertNoPageErrors(page);
  });
});
