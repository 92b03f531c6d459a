/**
 * The contributed knowledge base in a real browser: a person proposes a resource (an empty form first, its
 * errors linked from the summary) and joins a PDF to it (a text file first, refused beside the field), a
 * moderator of its région finds it in the moderation queue, reads the file, accepts it (the file is then on
 * the resource's page), attaches another PDF to it and reads its history. A cooperation's page and a dispositif's page list the resources
 * linked to them and lead to the filtered list. axe-core checks every page (WCAG 2.1 A/AA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit, signedInPage } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Base de connaissances contributive (Chromium, axe-core)', (e2e) => {
  test('proposer une ressource avec un fichier, la modérer, y joindre un autre fichier, lire son historique', TIMEOUT, async () => {
    const author = await signedInPage(e2e, [], 'Camille Contributrice');
    const moderator = await signedInPage(e2e, [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }], 'Modération AURA');

    await visit(author, '/ressources');
    await Promise.all([author.waitForURL(/\/ressources\/proposer$/), author.getByRole('link', { name: 'Proposer une ressource' }).click()]);
    await assertAccessible(author, 'formulaire de proposition');
    await author.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await author.waitForSelector('#erreurs');
    await assertAccessible(author, 'proposition avec erreurs');
    assert.match((await author.getByRole('alert').textContent()) ?? '', /Titre : Indiquez le titre de la ressource/);
    assert.equal(await author.getByLabel('Titre (obligatoire)').getAttribute('aria-invalid'), 'true');

    await author.getByLabel('Titre (obligatoire)').fill('Méthode : un atelier de vélos partagé');
    await author.getByLabel('Type de ressource (obligatoire)').selectOption('methode');
    await author.getByLabel('Résumé (obligatoire)').fill('Comment deux associations partagent un atelier de réparation de vélos.');
    await author.getByLabel('Contenu (Markdown) (obligatoire)').fill('## Les étapes\n- un inventaire commun\n- un planning partagé');
    await author.getByRole('checkbox', { name: 'Mutualisation' }).check();
    await author.getByLabel('Région d’origine').selectOption('84');
    await Promise.all([
      author.waitForURL(/\/ressources\/propositions\/\d+\?envoyee=1$/),
      author.getByRole('button', { name: 'Envoyer la proposition' }).click(),
    ]);
    assert.match((await author.getByRole('status').textContent()) ?? '', /transmise à la modération/);
    await assertAccessible(author, 'proposition envoyée');

    const pdf = Buffer.from(await (await PDFDocument.create()).save({ useObjectStreams: false }));
    await author.getByLabel('Fichier à joindre').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('du texte') });
    await author.getByRole('button', { name: 'Joindre le fichier' }).click();
    await author.waitForSelector('#erreurs');
    assert.match((await author.getByRole('alert').textContent()) ?? '', /Fichier à joindre : Ce fichier n’est pas accepté/);
    assert.equal(await author.getByLabel('Fichier à joindre').getAttribute('aria-invalid'), 'true');
    await assertAccessible(author, 'fichier de proposition refusé');
    await author.getByLabel('Fichier à joindre').setInputFiles({ name: 'atelier.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([author.waitForURL(/fichier=ajoute/), author.getByRole('button', { name: 'Joindre le fichier' }).click()]);
    assert.match((await author.getByRole('status').textContent()) ?? '', /Le fichier est joint à la proposition/);
    assert.equal(await author.getByRole('button', { name: 'Retirer le fichier atelier.pdf' }).count(), 1);
    await assertAccessible(author, 'proposition avec son fichier');

    await visit(moderator, '/moderation');
    await assertAccessible(moderator, 'file avec la ressource proposée');
    const row = moderator.getByRole('row').filter({ hasText: 'Méthode : un atelier de vélos partagé' });
    assert.match((await row.textContent()) ?? '', /Camille Contributrice\s*1/);
    await Promise.all([moderator.waitForURL(/\/ressources\/propositions\/\d+$/), row.getByRole('link').first().click()]);
    assert.equal(await moderator.getByRole('link', { name: 'atelier.pdf' }).count(), 1);
    const proposed = await moderator
      .context()
      .request.get(new URL((await moderator.getByRole('link', { name: 'atelier.pdf' }).getAttribute('href'))!, moderator.url()).toString());
    assert.equal(proposed.status(), 200);
    assert.equal(proposed.headers()['content-type'], 'application/pdf');
    await assertAccessible(moderator, 'proposition à décider');
    await Promise.all([moderator.waitForURL(/decision=acceptee$/), moderator.getByRole('button', { name: 'Accepter et publier' }).click()]);
    await Promise.all([moderator.waitForURL(/\/ressources\/\d+$/), moderator.getByRole('link', { name: 'voir la ressource' }).click()]);
    assert.match((await moderator.locator('main h2').first().textContent()) ?? '', /Les étapes/);
    // The proposal's file is the resource's now, public.
    assert.equal(await moderator.getByRole('link', { name: 'atelier.pdf' }).count(), 1);
    const published = await e2e.newPage();
    await visit(published, moderator.url());
    assert.equal(await published.getByRole('link', { name: 'atelier.pdf' }).count(), 1);
    await published.close();
    await assertAccessible(moderator, 'ressource publiée, formulaire de fichier');

    await moderator.getByLabel('Fichier à joindre').setInputFiles({ name: 'fiche-atelier.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([moderator.waitForURL(/fichier=ajoute/), moderator.getByRole('button', { name: 'Joindre le fichier' }).click()]);
    assert.match((await moderator.getByRole('status').textContent()) ?? '', /Le fichier est joint/);
    assert.equal(await moderator.getByRole('link', { name: 'fiche-atelier.pdf' }).count(), 1);
    await assertAccessible(moderator, 'ressource avec ses fichiers');

    await Promise.all([moderator.waitForURL(/\/historique$/), moderator.getByRole('link', { name: 'Historique des versions' }).click()]);
    assert.match((await moderator.locator('ol.history').textContent()) ?? '', /Version 1\s*Camille Contributrice[\s\S]*Fichier ajouté : atelier\.pdf/);
    await assertAccessible(moderator, 'historique de la ressource');
    assertNoPageErrors(author);
    assertNoPageErrors(moderator);
  });

  test('les ressources liées sur la page d’une coopération et d’un dispositif, jusqu’à la liste filtrée', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const cooperation = (await firstRow<{ id: number; name: string }>(db, sql`select id::int as id, name from cooperation order by id limit 1`))!;
    const dispositif = (await firstRow<{ id: number }>(db, sql`select id::int as id from dispositif order by id limit 1`))!;
    await db.execute(sql`insert into ressource_cooperation (ressource_id, cooperation_id)
      select id, ${cooperation.id} from ressource where is_example on conflict do nothing`);
    await db.execute(sql`insert into ressource_dispositif (ressource_id, dispositif_id)
      select id, ${dispositif.id} from ressource where is_example and 'circuit_court' = any(themes) on conflict do nothing`);
    const page = await e2e.newPage();

    await visit(page, `/cooperations/${cooperation.id}`);
    const section = page.getByRole('region', { name: 'Ressources sur cette coopération' });
    assert.equal(await section.getByRole('listitem').count(), 5);
    await assertAccessible(page, 'coopération avec ses ressources');
    await Promise.all([
      page.waitForURL(new RegExp(`/ressources\\?cooperation=${cooperation.id}$`)),
      section.getByRole('link', { name: 'Toutes les ressources de cette coopération' }).click(),
    ]);
    assert.match((await page.locator('#titre-resultats').textContent()) ?? '', /^6 ressources$/);
    assert.equal(await page.getByRole('link', { name: cooperation.name }).count(), 1);
    await assertAccessible(page, 'ressources filtrées par coopération');
    await Promise.all([page.waitForURL(/\/ressources$/), page.getByRole('link', { name: 'Retirer ce filtre (coopération)' }).click()]);

    await visit(page, `/dispositifs/${dispositif.id}`);
    await assertAccessible(page, 'dispositif avec ses ressources');
    await Promise.all([
      page.waitForURL(new RegExp(`/ressources\\?dispositif=${dispositif.id}$`)),
      page.getByRole('link', { name: 'Toutes les ressources de ce dispositif' }).click(),
    ]);
    // Refining by keyboard keeps the dispositif: the search form carries it.
    await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption('outil');
    await page.getByLabel('Rechercher', { exact: true }).press('Enter');
    await page.waitForURL(/type=outil/);
    assert.match(page.url(), new RegExp(`dispositif=${dispositif.id}`));
    assert.match((await page.locator('#titre-resultats').textContent()) ?? '', /^1 ressource$/);
    await assertAccessible(page, 'ressources filtrées par dispositif et par type');
    assertNoPageErrors(page);
  });
});
