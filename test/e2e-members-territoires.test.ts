/**
 * The members of a cooperation and a territoire de projet, proposed in a real browser: a person adds a member
 * with a wrong role line first (its error beside the line, linked from the summary), then sends the edit; a
 * moderator accepts it and the cooperation's page lists the member. The same person proposes a territoire de
 * projet (an unknown commune first), a moderator of its région accepts it, and its page shows the schemes
 * available and the needs left without any. axe-core checks every page (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit, signedInPage } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Membres et territoires de projet (Chromium, axe-core)', (e2e) => {
  test('ajouter un membre à une coopération, proposer un territoire de projet : modération, pages publiques', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const author = await signedInPage(e2e, [], 'Noa Contributrice');
    const moderator = await signedInPage(e2e, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], 'Modération AURA');
    const demo = await firstRow<{ id: number }>(db, sql`select id::int as id from cooperation where is_example and region_code = '84' order by id limit 1`);
    assert.ok(demo);
    const lines = (await firstRow<{ n: number }>(db, sql`select count(*)::int as n from cooperation_member where cooperation_id = ${demo.id}`))!.n;

    await visit(author, `/cooperations/${demo.id}/modifier`);
    await assertAccessible(author, 'formulaire de modification avec membres');
    const line = lines + 1;
    const row = author.getByRole('group', { name: `Membre ${line}`, exact: true });
    await row.getByLabel('Nom').fill('Université Grenoble Alpes');
    await author.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await author.waitForSelector('#erreurs');
    await assertAccessible(author, 'membre sans rôle');
    assert.match((await author.getByRole('alert').textContent()) ?? '', /Choisissez le rôle de ce membre dans la coopération\./);
    const role = author.getByRole('group', { name: `Membre ${line} : Université Grenoble Alpes` }).getByLabel('Rôle');
    assert.equal(await role.getAttribute('aria-invalid'), 'true');
    await role.selectOption('recherche');
    await Promise.all([author.waitForURL(/\/contributions\/\d+\?envoyee=1$/), author.getByRole('button', { name: 'Envoyer la proposition' }).click()]);
    await assertAccessible(author, 'modification envoyée');

    await visit(moderator, '/moderation');
    await assertAccessible(moderator, 'file avec la modification');
    const queued = moderator.getByRole('row').filter({ hasText: 'Modification' }).first();
    await Promise.all([moderator.waitForURL(/\/moderation\/contributions\/\d+$/), queued.getByRole('link').first().click()]);
    assert.match((await moderator.locator('table.diff').textContent()) ?? '', /Université Grenoble Alpes — Recherche/);
    await assertAccessible(moderator, 'modification des membres à décider');
    await Promise.all([moderator.waitForURL(/fait=acceptee$/), moderator.getByRole('button', { name: 'Accepter et publier' }).click()]);
    await visit(author, `/cooperations/${demo.id}`);
    assert.match((await author.locator('main').textContent()) ?? '', /Université Grenoble Alpes/);

    // A territoire de projet.
    await visit(author, '/territoires');
    await Promise.all([author.waitForURL(/\/territoires\/proposer$/), author.getByRole('link', { name: 'Proposer un territoire de projet' }).click()]);
    await assertAccessible(author, 'formulaire de territoire de projet');
    await author.getByLabel('Nom du territoire de projet').fill('Pays de la Drôme des collines');
    await author.getByLabel('Type de territoire').selectOption('pays');
    await author.getByLabel('Communes (codes INSEE)').fill('26281, 99999');
    await author.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await author.waitForSelector('#erreurs');
    await assertAccessible(author, 'territoire avec erreur');
    assert.match((await author.getByRole('alert').textContent()) ?? '', /ne sont pas des communes du Code officiel géographique : 99999/);
    await author.getByLabel('Communes (codes INSEE)').fill('26281, 26362');
    await Promise.all([author.waitForLoadState('load'), author.getByRole('button', { name: 'Envoyer la proposition' }).click()]);
    await assertAccessible(author, 'territoire proposé');
    assert.match((await author.getByRole('status').textContent()) ?? '', /transmise à la modération/);

    await visit(moderator, '/moderation');
    const proposed = moderator.getByRole('row').filter({ hasText: 'Pays de la Drôme des collines' });
    await Promise.all([moderator.waitForURL(/\/moderation\/territoires-projet\/\d+$/), proposed.getByRole('link').first().click()]);
    await assertAccessible(moderator, 'territoire de projet à décider');
    await Promise.all([moderator.waitForURL(/fait=projet_accepte$/), moderator.getByRole('button', { name: 'Accepter et publier' }).click()]);
    await assertAccessible(moderator, 'file après le territoire');

    await visit(author, '/territoires');
    await Promise.all([author.waitForURL(/\/territoires\/projet\//), author.getByRole('link', { name: 'Pays de la Drôme des collines' }).click()]);
    await assertAccessible(author, 'page du territoire de projet');
    assert.ok(await author.getByRole('heading', { name: 'Dispositifs disponibles' }).isVisible());
    assert.ok(await author.getByRole('heading', { name: 'Besoins sans dispositif ici' }).isVisible());

    assertNoPageErrors(author);
    assertNoPageErrors(moderator);
  });
});
