/**
 * Local currencies in a real browser, axe-core checking each page (WCAG 2.1 A/AA): a regional moderator adds a
 * currency, a structure's admin ticks it from the keyboard on the acceptance form, the structure's page shows it, and
 * the Atlas search narrowed to it finds the structure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit, signedInPage } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Monnaies locales (Chromium, axe-core)', (e2e) => {
  test('la modération ajoute une monnaie, la structure l’accepte, la fiche et la recherche la montrent', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const organisation = (await firstRow<{ id: number; siret: string }>(
      db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000006700004', '100000067', 'Boulangerie des Monts', '26281', '26', '84', 'ess_de_droit') returning id::int as id, siret`,
    ))!;

    const moderator = await signedInPage(e2e, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
    await visit(moderator, '/monnaies-locales');
    await assertAccessible(moderator, 'monnaies locales (vide)');
    await moderator.getByLabel(/^Nom de la monnaie/).fill('La Pêche des Monts');
    await moderator.getByLabel(/^Territoire où elle circule/).fill('Pays des Monts (Drôme)');
    await Promise.all([moderator.waitForLoadState('load'), moderator.getByRole('button', { name: 'Ajouter la monnaie' }).click()]);
    assert.match(await moderator.getByRole('status').innerText(), /La monnaie « La Pêche des Monts » est ajoutée/);
    await assertAccessible(moderator, 'monnaies locales (une monnaie)');

    const admin = await signedInPage(e2e, [{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: organisation.siret }]);
    await visit(admin, `/organisations/${organisation.id}`);
    await Promise.all([admin.waitForURL(/\/monnaies-locales$/), admin.getByRole('link', { name: 'Indiquer les monnaies locales acceptées' }).click()]);
    await assertAccessible(admin, 'monnaies acceptées par la structure');
    await admin.getByLabel('La Pêche des Monts (Pays des Monts (Drôme))').focus();
    await admin.keyboard.press('Space');
    await Promise.all([admin.waitForURL(new RegExp(`/organisations/${organisation.id}$`)), admin.getByRole('button', { name: 'Enregistrer' }).click()]);
    await assertAccessible(admin, 'fiche de la structure');
    assert.equal(await admin.getByRole('link', { name: 'La Pêche des Monts' }).count(), 1);
    await screenshot(admin, 'monnaies-locales-fiche');

    await Promise.all([admin.waitForURL(/monnaie_locale=la-peche-des-monts/), admin.getByRole('link', { name: 'La Pêche des Monts' }).click()]);
    await assertAccessible(admin, 'recherche filtrée par monnaie');
    assert.match(await admin.locator('#titre-resultats').innerText(), /^1\s+structure/);
    assert.equal(await admin.getByRole('link', { name: 'Boulangerie des Monts' }).count(), 1);
    assertNoPageErrors(admin);
    assertNoPageErrors(moderator);
  });
});
