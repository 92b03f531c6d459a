/**
 * The Atlas in a real browser: from the home page to a search with a typo, a facet, a shareable URL, a
 * cooperation and its members, an organisation, the map, the keyboard, the error pages, a territory page.
 * Every page visited is checked with axe-core (WCAG 2.1 A/AA): zero violations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertNoPageErrors, describeE2E, screenshot, visit } from './support/browser.ts';

/** Playwright's own waits are bounded; this only stops a hung browser from hanging the run. */
const TIMEOUT = { timeout: 120_000 };

const SEARCH_LABEL = 'Rechercher par nom, activité ou territoire';

/** The names in the results list, in order. */
async function resultNames(page: Page): Promise<string[]> {
  return (await page.locator('.result-list .result h3 a').allTextContents()).map((name) => name.trim());
}

/** Types a query in the labelled search box of the current page and submits it (as a person would). */
async function searchFor(page: Page, query: string) {
  const box = page.getByLabel(SEARCH_LABEL);
  await box.fill(query);
  await Promise.all([page.waitForURL(/\/recherche\?/), box.press('Enter')]);
  await assertAccessible(page, `recherche « ${query} »`);
}

describeE2E('Atlas de bout en bout (Chromium, axe-core)', (e2e) => {
  test('accueil → recherche sans accents avec une faute → facette région → URL partageable → coopération → structure', TIMEOUT, async (t) => {
    const page = await e2e.newPage();

    // Home: a labelled search box and the key figures.
    await visit(page, '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await assert.doesNotReject(page.getByRole('searchbox', { name: SEARCH_LABEL }).waitFor());
    const figures = page.getByRole('region', { name: 'Chiffres clés' }).locator('.figures li');
    assert.equal(await figures.count(), 3);
    for (const figure of await figures.locator('strong').allTextContents()) {
      assert.ok(Number(figure.replace(/\D/g, '')) > 0, `chiffre clé nul ou illisible : « ${figure} »`);
    }

    // No accents, one letter missing: « Pôle Sud Archer » is still found (trigrams on names).
    await searchFor(page, 'pole sud archr');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'pole sud archr');
    assert.ok((await resultNames(page)).includes('Pôle Sud Archer'), `résultats : ${(await resultNames(page)).join(', ')}`);
    await screenshot(page, 'recherche');

    // A facet link narrows the search; the whole state is in the URL.
    const regionFacet = page.getByRole('region', { name: 'Région', exact: true });
    await Promise.all([page.waitForURL(/[?&]region=84(&|$)/), regionFacet.getByRole('link', { name: /Auvergne-Rhône-Alpes/ }).click()]);
    await assertAccessible(page, 'recherche filtrée par région');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'pole sud archr');
    assert.equal(url.searchParams.get('region'), '84');
    const heading = await page.locator('#titre-resultats').textContent();
    const names = await resultNames(page);
    assert.ok(names.includes('Pôle Sud Archer'));
    assert.ok(
      await page
        .locator('.active-filters')
        .getByRole('link', { name: /Région : Auvergne-Rhône-Alpes/ })
        .isVisible(),
    );

    // Reloading (or sharing the link) gives the same page.
    await page.reload();
    assert.equal(page.url(), url.toString());
    assert.equal(await page.locator('#titre-resultats').textContent(), heading);
    assert.deepEqual(await resultNames(page), names);
    assert.equal(await page.getByLabel(SEARCH_LABEL).inputValue(), 'pole sud archr');

    // The cooperation page: its members table and its source.
    await Promise.all([page.waitForURL(/\/cooperations\/\d+$/), page.getByRole('link', { name: 'Pôle Sud Archer' }).click()]);
    await assertAccessible(page, 'fiche coopération');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent())?.trim(), 'Pôle Sud Archer');
    const members = page.getByRole('table', { name: 'Membres de la coopération et leur rôle' });
    assert.ok(await members.isVisible(), 'le tableau des membres est affiché');
    assert.ok((await members.locator('tbody tr').count()) > 1);
    assert.match((await members.textContent()) ?? '', /Groupe Archer/);
    assert.ok(await page.getByRole('heading', { name: 'Source', exact: true, level: 2 }).isVisible());
    const source = await page.locator('h2:text-is("Source") + p').textContent();
    assert.match(source ?? '', /003_b2746d46d32e7dc5\.txt/);

    // The organisation page of a member: the demo links Groupe Archer to its cooperation.
    const organisationLinks = members.locator('a[href^="/organisations/"]');
    assert.ok((await organisationLinks.count()) > 0, 'un membre au moins renvoie vers sa fiche structure');
    await t.test('fiche d’une structure membre', async () => {
      const link = organisationLinks.first();
      const name = (await link.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/organisations\/\d+$/), link.click()]);
      await assertAccessible(page, `fiche structure ${name}`);
      assert.equal((await page.getByRole('heading', { level: 1 }).textContent())?.trim(), name);
      assert.ok(await page.getByRole('link', { name: 'Pôle Sud Archer' }).isVisible(), 'la structure renvoie vers sa coopération');
      assert.ok(await page.getByRole('heading', { name: 'Source', exact: true, level: 2 }).isVisible());
    });
    assertNoPageErrors(page);
  });

  test('recherche « eoliennes » : accents et majuscules ignorés', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?type=cooperations');
    await searchFor(page, 'eoliennes');
    assert.ok((await resultNames(page)).includes('Éoliennes en Pays de Vilaine'), `résultats : ${(await resultNames(page)).join(', ')}`);
    assertNoPageErrors(page);
  });

  test('clavier : le premier Tab atteint le lien d’évitement, qui mène au contenu', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?type=cooperations');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal((await focused.textContent())?.trim(), 'Aller au contenu');
    assert.equal(await focused.getAttribute('href'), '#contenu');
    const box = await focused.boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, 'le lien d’évitement est visible quand il a le focus');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'contenu');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
    // The next Tab goes on inside the main content, not back to the header.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('main'))), 'le Tab suivant reste dans le contenu');
    assertNoPageErrors(page);
  });

  test('carte : conteneur présent, liste des résultats en alternative', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?type=cooperations');
    const map = page.locator('#carte');
    assert.equal(await map.count(), 1, 'le conteneur de carte est présent');
    assert.match((await map.getAttribute('aria-label')) ?? '', /liste/i);
    assert.ok((await page.locator('.result-list .result').count()) > 0, 'la liste des résultats, alternative à la carte, est présente');
    assertNoPageErrors(page);
  });

  test('carte MapLibre : un canvas .maplibregl-canvas apparaît', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?type=cooperations');
    await page.locator('#carte .maplibregl-canvas').waitFor({ state: 'visible' });
    await assertAccessible(page, 'recherche avec la carte dessinée');
    assertNoPageErrors(page);
  });

  test('page d’erreur : paramètre invalide, message en français lisible', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/recherche?region=99', 400);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent())?.trim(), 'Requête invalide');
    const alert = page.getByRole('alert');
    assert.ok(await alert.isVisible());
    assert.match((await alert.textContent()) ?? '', /Région inconnue.*99/);
    assert.ok(await page.getByRole('link', { name: 'Retour à l’accueil' }).isVisible());
    assertNoPageErrors(page);
  });

  test('page d’erreur : fiche inexistante (404)', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/cooperations/999999', 404);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Aucune coopération ne porte l'identifiant 999999/);
    await visit(page, '/cette-page-n-existe-pas', 404);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Cette adresse n'existe pas/);
    assertNoPageErrors(page);
  });

  // The territory pages exist: a 404 here is a failure, never a reason to skip.
  test('territoire : page du département de la Drôme (26)', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/territoires/departement/26');
    assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /Drôme/);
    // What exists here: the demo cooperation of Romans-sur-Isère, one click away.
    await Promise.all([page.waitForURL(/\/cooperations\/\d+$/), page.getByRole('link', { name: 'Pôle Sud Archer' }).first().click()]);
    await assertAccessible(page, 'fiche coopération depuis le territoire');
    assertNoPageErrors(page);
  });

  test('territoires : la page d’index', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await visit(page, '/territoires');
    assert.ok(await page.getByRole('link', { name: 'Auvergne-Rhône-Alpes' }).first().isVisible());
    assertNoPageErrors(page);
  });

  test('contrôle du banc : axe-core signale bien une page inaccessible', TIMEOUT, async () => {
    const page = await e2e.newPage();
    await page.setContent(
      '<!doctype html><html><head><title>Témoin</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>',
    );
    await assert.rejects(assertAccessible(page, 'page témoin'), (error: Error) => {
      assert.match(error.message, /html-has-lang/);
      assert.match(error.message, /image-alt/);
      assert.match(error.message, /button-name/);
      return true;
    });
  });
});
