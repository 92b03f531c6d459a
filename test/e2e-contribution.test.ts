/**
 * A contribution in a real browser, from the start: a person signs up, confirms their address from the mail,
 * signs in, proposes a cooperation (with an error first); a moderator of its région (session set in the
 * browser) reviews it in the queue and accepts it; the author is told by mail; the cooperation's page, its
 * history and its report form are then public. axe-core checks every page (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { emlFor, pathOfLink } from './support/mail-files.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit, signedInPage } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Contribution de bout en bout (Chromium, axe-core)', (e2e) => {
  test('proposer une coopération → la modération de la région l’accepte → la fiche est publique', TIMEOUT, async () => {
    const start = Date.now();
    const email = `alex-${start}@exemple.test`;
    const password = 'une phrase de passe pour contribuer';
    const author = await e2e.newPage();
    await visit(author, '/compte/inscription');
    await author.getByLabel('Adresse e-mail').fill(email);
    await author.getByLabel('Nom ou pseudonyme').fill('Alex Contributeur');
    await author.getByLabel('Mot de passe').fill(password);
    await Promise.all([author.waitForURL(/\/compte\/inscription\/confirmation$/), author.getByRole('button', { name: 'Créer mon compte' }).click()]);
    await visit(author, pathOfLink((await emlFor(email, start, /Confirmez votre adresse/)).text, '/compte/verification'));
    await visit(author, '/compte/connexion');
    await author.getByLabel('Adresse e-mail').fill(email);
    await author.getByLabel('Mot de passe').fill(password);
    await Promise.all([author.waitForURL(/\/compte$/), author.getByRole('button', { name: 'Se connecter' }).click()]);
    await Promise.all([author.waitForURL(/\/contributions\/nouvelle$/), author.getByRole('link', { name: 'proposer une fiche' }).click()]);
    await Promise.all([author.waitForURL(/\/contributions\/nouvelle\/cooperation$/), author.getByRole('link', { name: 'Proposer une coopération' }).click()]);
    await assertAccessible(author, 'formulaire de proposition');

    // An error first: announced, linked to its field, the values kept.
    await author.locator('#modele').selectOption('tiers_lieu');
    await author.getByLabel('Commune du siège (code INSEE)').fill('26281');
    await author.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await author.waitForSelector('#erreurs');
    await assertAccessible(author, 'formulaire avec erreur');
    assert.match((await author.getByRole('alert').textContent()) ?? '', /Indiquez le nom de la coopération/);
    assert.equal(await author.getByLabel('Nom de la coopération').getAttribute('aria-invalid'), 'true');
    assert.equal(await author.getByLabel('Commune du siège (code INSEE)').inputValue(), '26281');

    await author.getByLabel('Nom de la coopération').fill('La Manufacture partagée');
    await author.locator('#stade').selectOption('creation');
    await author.locator('#description').fill('Un tiers-lieu de fabrication ouvert aux habitants.');
    await Promise.all([author.waitForURL(/\/contributions\/\d+\?envoyee=1$/), author.getByRole('button', { name: 'Envoyer la proposition' }).click()]);
    await assertAccessible(author, 'contribution envoyée');
    assert.match((await author.getByRole('status').textContent()) ?? '', /transmise à la modération/);

    const moderator = await signedInPage(e2e, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], 'Modération AURA');
    await visit(moderator, '/moderation');
    const row = moderator.getByRole('row').filter({ hasText: 'La Manufacture partagée' });
    await Promise.all([moderator.waitForURL(/\/moderation\/contributions\/\d+$/), row.getByRole('link').first().click()]);
    await assertAccessible(moderator, 'contribution à décider');
    assert.match((await moderator.locator('table.diff').textContent()) ?? '', /Création/);
    await Promise.all([moderator.waitForURL(/\/modifier$/), moderator.getByRole('link', { name: 'Modifier la proposition avant de l’accepter' }).click()]);
    await assertAccessible(moderator, 'modifier puis accepter');
    await moderator.goBack();
    await Promise.all([moderator.waitForURL(/\/moderation\?fait=acceptee$/), moderator.getByRole('button', { name: 'Accepter et publier' }).click()]);
    await assertAccessible(moderator, 'file après décision');
    assert.match((await moderator.getByRole('status').textContent()) ?? '', /acceptée et publiée/);
    const decision = await emlFor(email, start, /votre contribution est publiée/);
    assert.match(decision.text, /La Manufacture partagée/);

    const created = await firstRow<{ id: number }>(e2e.app.database.db, sql`select id::int as id from cooperation where name = 'La Manufacture partagée'`);
    assert.ok(created);
    await visit(author, `/cooperations/${created.id}`);
    assert.equal(await author.locator('h1').textContent(), 'La Manufacture partagée');
    await Promise.all([author.waitForURL(/\/historique$/), author.getByRole('link', { name: 'Historique' }).click()]);
    await assertAccessible(author, 'historique');
    assert.match((await author.locator('table.diff').first().textContent()) ?? '', /Un tiers-lieu de fabrication ouvert aux habitants\./);
    await author.goBack();
    await Promise.all([author.waitForURL(/\/signaler$/), author.getByRole('link', { name: 'Signaler une erreur' }).click()]);
    await assertAccessible(author, 'signaler une erreur');
    await Promise.all([author.waitForURL(/\/modifier$/), visit(author, `/cooperations/${created.id}/modifier`)]);
    assert.equal(await author.getByLabel('Nom de la coopération').inputValue(), 'La Manufacture partagée');

    await visit(author, '/contributions');
    assert.match((await author.locator('table').textContent()) ?? '', /La Manufacture partagée\s*Acceptée/);

    // A claim and an error report, then the queue that lists them (with their forms).
    const organisation = await firstRow<{ id: number }>(
      e2e.app.database.db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code)
      values ('73282932000074', '732829320', 'Atelier coopératif de Romans', '26281', '26', '84') returning id::int as id`,
    );
    await visit(author, `/organisations/${organisation!.id}/revendiquer`);
    await author.getByLabel('Membre : je fais partie de la structure').check();
    await author.getByLabel('Votre lien avec la structure').fill('Salariée depuis 2019.');
    await Promise.all([author.waitForLoadState('load'), author.getByRole('button', { name: 'Envoyer la demande' }).click()]);
    await assertAccessible(author, 'revendication envoyée');
    await visit(author, `/organisations/${organisation!.id}/signaler`);
    await author.getByLabel('Erreur constatée').fill('Le site web manque.');
    await Promise.all([author.waitForLoadState('load'), author.getByRole('button', { name: 'Envoyer le signalement' }).click()]);
    await assertAccessible(author, 'signalement envoyé');
    await visit(moderator, '/moderation');
    const queue = (await moderator.locator('main').textContent()) ?? '';
    assert.match(queue, /Le site web manque\./);
    assert.match(queue, /Salariée depuis 2019\./);
    await Promise.all([moderator.waitForURL(/fait=validee$/), moderator.getByRole('button', { name: /^Valider la demande/ }).click()]);
    await assertAccessible(moderator, 'file après validation');

    assertNoPageErrors(author);
    assertNoPageErrors(moderator);
  });
});
