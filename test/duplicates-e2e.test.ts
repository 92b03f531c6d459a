/**
 * Duplicates in a real browser: a moderator goes from the queue to the likely duplicates, compares two records,
 * picks a value with the keyboard and merges them; the old address then leads to the kept record. axe-core
 * checks every page (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Doublons de bout en bout (Chromium, axe-core)', (e2e) => {
  test('file → doublons probables → comparaison → fusion au clavier → l’ancienne adresse mène à la fiche conservée', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const insert = async (name: string, website: string | null) =>
      (await firstRow<{ id: number }>(
        db,
        sql`insert into organisation
      (name, website, commune_code, departement_code, region_code) values (${name}, ${website}, '26281', '26', '84') returning id::int as id`,
      ))!.id;
    const first = await insert('Garage solidaire de Romans', 'https://garage-romans.fr');
    const second = await insert('Le garage solidaire de Romans', 'https://legarage.fr');
    const moderator = await signedInAs(e2e.app.app, db, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], {
      displayName: 'Modération AURA',
    });
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: moderator.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);

    await visit(page, '/moderation');
    await Promise.all([page.waitForURL(/\/moderation\/doublons$/), page.getByRole('link', { name: 'Doublons probables de vos régions' }).click()]);
    await assertAccessible(page, 'doublons probables');
    await Promise.all([
      page.waitForURL(new RegExp(`/moderation/doublons/organisations/${first}/${second}$`)),
      page.getByRole('link', { name: `Comparer les fiches n° ${first} et n° ${second}` }).click(),
    ]);
    await assertAccessible(page, 'comparaison de deux fiches');

    // Keyboard only: the second record's site web, then the merge button.
    const choice = page.getByRole('group', { name: 'Site web' }).getByRole('radio', { name: new RegExp(`Fiche n° ${second}`) });
    await choice.focus();
    await page.keyboard.press('Space');
    assert.equal(await choice.isChecked(), true);
    await page.getByRole('button', { name: 'Fusionner les deux fiches' }).focus();
    await Promise.all([page.waitForURL(/\/moderation\/doublons\?fait=fusion$/), page.keyboard.press('Enter')]);
    await assertAccessible(page, 'doublons après fusion');
    assert.match((await page.getByRole('status').textContent()) ?? '', /fusionnées/);

    await visit(page, `/organisations/${second}`);
    assert.equal(new URL(page.url()).pathname, `/organisations/${first}`);
    assert.match((await page.locator('main').textContent()) ?? '', /legarage\.fr/);
    assertNoPageErrors(page);
  });
});
