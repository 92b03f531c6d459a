/**
 * The AMI PTCE path in a real browser, with the server clock on 1 June 2021 (phase 1 open): the calls list →
 * the AMI's page → sign in → start a groupement application → fill the form (a conditional question appears,
 * the draft saves itself) → join a file (a refused one first) → submit → the printable receipt, and the
 * receipt mail (.eml) with its PDF. The AMI gets a form version 2 with a required PDF file field for this.
 * axe-core checks every page on the way; no script error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { firstRow } from '../src/db/database.ts';
import type { FormDefinition } from '../src/domain/form.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { signedInAs, TEST_PASSWORD } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';
import { siretFrom } from './support/siret.ts';
import { emlFor } from './support/mail-files.ts';

const TIMEOUT = { timeout: 180_000 };

describeE2E('Appels et candidatures de bout en bout (Chromium, axe-core)', (e2e) => {
  test('AMI PTCE 2021 : fiche → candidature en groupement → brouillon automatique → dépôt → récépissé', TIMEOUT, async () => {
    const started = Date.now();
    setCallsClock(() => new Date('2021-06-01T08:00:00Z'));
    const db = e2e.app.database.db;
    const ami = await firstRow<{ id: number; definition: FormDefinition }>(
      db,
      sql`select a.id::int as id, f.definition from appel a
      join appel_formulaire f on f.appel_id = a.id and f.version = 1 where a.key = 'ami-ptce-2021'`,
    );
    const withFile = {
      sections: [
        ...ami!.definition.sections,
        {
          titre: 'Pièces jointes',
          champs: [{ cle: 'statuts', type: 'fichier', libelle: 'Statuts de la structure cheffe de file', obligatoire: true, types: ['pdf'] }],
        },
      ],
    };
    await db.execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${ami!.id}, 2, ${JSON.stringify(withFile)}::jsonb)`);
    const who = await signedInAs(e2e.app.app, db, [], { email: `e2e.appel.${Date.now()}@exemple.fr`, displayName: 'Camille Durand' });
    const page = await e2e.newPage();

    await visit(page, '/appels?statut=ouvert');
    await Promise.all([page.waitForURL(/\/appels\/\d+$/), page.getByRole('link', { name: /AMI national PTCE 2021/ }).click()]);
    await assertAccessible(page, 'fiche de l’appel');
    assert.ok(await page.getByText('23 juin 2021 à 23:59:59 (heure de Paris)').isVisible());

    // « Candidater » leads to sign-in, then back to the start form.
    await Promise.all([page.waitForURL(/\/compte\/connexion/), page.getByRole('link', { name: 'Candidater' }).click()]);
    await page.getByLabel('Adresse e-mail').fill(who.email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/candidater$/), page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click()]);
    await assertAccessible(page, 'commencer une candidature');

    // An error first: announced and linked to its field.
    await page.getByLabel('Titre de la candidature (obligatoire)').fill('Dynamique PTCE du Val de Drôme');
    await page.getByLabel('Un groupement (chef de file et co-candidats)').check();
    await page.getByLabel('SIRET (obligatoire)').fill('123');
    await page.getByLabel('Nom (obligatoire)').fill('Association Pilote');
    await page.getByRole('button', { name: 'Commencer la candidature' }).click();
    await page.waitForSelector('#erreurs');
    await assertAccessible(page, 'erreurs au départ');
    await page.getByLabel('SIRET (obligatoire)').fill(siretFrom(501));
    await page.getByLabel('Co-candidat 1 : SIRET').fill(siretFrom(502));
    await page.getByLabel('Co-candidat 1 : nom').fill('SCIC Partenaire');
    // The profile the AMI's eligibility reads (émergence, PTCE), in the orientation form's words.
    await page.getByLabel('Stade (obligatoire)').selectOption('emergence');
    await page.getByLabel('Modèle de coopération (obligatoire)').selectOption('PTCE');
    await page.getByRole('group', { name: 'Finalité (obligatoire)' }).getByLabel('Systémique').check();
    await page.getByRole('group', { name: 'Modèle économique (obligatoire)' }).getByLabel('Hybride').check();
    await Promise.all([page.waitForURL(/\/candidatures\/\d+$/), page.getByRole('button', { name: 'Commencer la candidature' }).click()]);
    await assertAccessible(page, 'formulaire de candidature');
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    await page.getByLabel('Nom de la dynamique ou du futur PTCE (obligatoire)').fill('Coopérations du Val de Drôme');
    await page.getByLabel(/Territoire de la dynamique/).fill('26281');
    await page.getByLabel(/Décrivez la dynamique locale/).fill('Une dynamique de coopération entre l’ESS et les entreprises du bassin de Romans.');
    await page.getByRole('group', { name: 'Membres — ligne 1' }).getByLabel('Nom de la structure (obligatoire)').fill('Mairie de Romans');
    await page.getByRole('group', { name: 'Membres — ligne 1' }).getByLabel('Collectivité territoriale').check();
    // The phase-2 questions show only after « Oui ».
    const decisive = page.getByLabel(/appui financier de l’État serait-il particulièrement décisif/);
    assert.equal(await decisive.isVisible(), false);
    await page
      .getByRole('group', { name: /Souhaitez-vous être retenu pour la phase 2/ })
      .getByLabel('Oui')
      .check();
    await decisive.waitFor({ state: 'visible' });
    await decisive.fill('Le financement de l’animation territoriale manque aujourd’hui.');
    await page.getByLabel(/Quelle animation territoriale des coopérations/).fill('Une personne à mi-temps pour animer le pôle.');
    await page.getByLabel(/Budget prévisionnel de l’animation/).fill('100 000');
    await page.getByLabel('Mobilisation et animation du territoire').check();
    await page.getByLabel('Nom de la personne à contacter (obligatoire)').fill('Camille Durand');
    await page.getByLabel('Adresse e-mail (obligatoire)').fill('camille.durand@exemple.fr');
    // The draft saves itself through the API.
    await page.getByText(/Brouillon enregistré automatiquement/).waitFor({ timeout: 15_000 });
    const saved = await firstRow<{ donnees: Record<string, unknown>; version: number }>(db, sql`select donnees, version from candidature where id = ${id}`);
    assert.ok(saved!.version > 1);
    assert.equal(saved!.donnees.contact_email, 'camille.durand@exemple.fr');
    assert.equal(saved!.donnees.budget_animation, 100000);
    await assertAccessible(page, 'formulaire rempli');

    // A file: a text named .pdf is refused (judged on its content), then a real PDF is kept and linked.
    const fileInput = page.getByLabel('Statuts de la structure cheffe de file (obligatoire)');
    await fileInput.setInputFiles({ name: 'statuts.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') });
    await Promise.all([page.waitForURL(/\/fichiers\/statuts/), page.getByRole('button', { name: /Envoyer le fichier — Statuts/ }).click()]);
    await page.waitForSelector('#erreurs');
    assert.ok(await page.getByRole('link', { name: /Statuts de la structure cheffe de file : Ce fichier n’est pas accepté/ }).isVisible());
    await assertAccessible(page, 'fichier refusé');
    const pdf = await PDFDocument.create();
    pdf.addPage([200, 200]);
    const statuts = Buffer.from(await pdf.save());
    await page
      .getByLabel('Statuts de la structure cheffe de file (obligatoire)')
      .setInputFiles({ name: 'Statuts signés.pdf', mimeType: 'application/pdf', buffer: statuts });
    await Promise.all([page.waitForURL(/fichier=envoye/), page.getByRole('button', { name: /Envoyer le fichier — Statuts/ }).click()]);
    assert.ok(await page.getByText('Fichier envoyé.').isVisible());
    const link = page.getByRole('link', { name: 'Statuts signés.pdf' });
    assert.ok(await link.isVisible());
    await assertAccessible(page, 'fichier envoyé');
    const download = await page.request.get(new URL((await link.getAttribute('href'))!, page.url()).toString());
    assert.equal(download.status(), 200);
    assert.deepEqual(Buffer.from(await download.body()), statuts);
    // The answers typed before the upload were saved: the page shows them again.
    assert.equal(await page.getByLabel('Adresse e-mail (obligatoire)').inputValue(), 'camille.durand@exemple.fr');

    await Promise.all([page.waitForURL(/\/recepisse$/), page.getByRole('button', { name: 'Déposer la candidature' }).click()]);
    await assertAccessible(page, 'récépissé');
    assert.ok(await page.getByRole('heading', { name: 'Récépissé de dépôt' }).isVisible());
    assert.ok(await page.getByText('1 juin 2021 à 10:00:00 (heure de Paris)').first().isVisible());
    assert.ok(await page.getByText(/100\s000,00\s€/).isVisible());
    // The receipt links the file it lists.
    assert.ok(await page.getByRole('link', { name: 'Statuts signés.pdf' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'Imprimer' }).isVisible());
    const row = await firstRow<{ statut: string; numero_depot: string }>(db, sql`select statut, numero_depot from candidature where id = ${id}`);
    assert.equal(row!.statut, 'deposee');
    const mail = (await emlFor(who.email, started, /Récépissé de dépôt/)).parsed;
    assert.match(mail.subject ?? '', new RegExp(row!.numero_depot));
    assert.ok(mail.attachments.some((a) => a.contentType === 'application/pdf' && a.content.subarray(0, 5).toString() === '%PDF-'));

    await visit(page, '/candidatures');
    assert.ok(await page.getByRole('cell', { name: row!.numero_depot }).isVisible());
    assertNoPageErrors(page);
    setCallsClock(() => new Date());
  });

  test('concertation : un acteur commente le projet d’appel, l’organisatrice répond (clavier, axe-core)', TIMEOUT, async () => {
    const db = e2e.app.database.db;
    const call = await firstRow<{ id: number }>(
      db,
      sql`insert into appel (key, title, statut, eligibilite)
      values (${`concertation-e2e-${Date.now()}`}, 'Projet d’appel Coopérations rurales', 'brouillon_concertation', '{"stades": ["emergence"]}') returning id::int as id`,
    );
    const url = `/appels/${call!.id}`;
    const actor = await signedInAs(e2e.app.app, db, [], { email: `e2e.concertation.${Date.now()}@exemple.fr`, displayName: 'Alex Acteur' });
    const manager = await signedInAs(e2e.app.app, db, [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(call!.id) }], {
      email: `e2e.organisatrice.${Date.now()}@exemple.fr`,
      displayName: 'Olga Organisatrice',
    });
    const signIn = async (who: { email: string }) => {
      const page = await e2e.newPage();
      await visit(page, url);
      await Promise.all([page.waitForURL(/\/compte\/connexion/), page.getByRole('link', { name: 'Connectez-vous' }).click()]);
      await page.getByLabel('Adresse e-mail').fill(who.email);
      await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
      await Promise.all([page.waitForURL(new RegExp(`${url}$`)), page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click()]);
      return page;
    };

    const page = await signIn(actor);
    await assertAccessible(page, 'projet d’appel en concertation');
    assert.ok(await page.getByRole('heading', { name: 'Concertation' }).isVisible());
    await page.getByRole('button', { name: 'Publier le commentaire' }).click();
    await page.waitForSelector('#erreurs');
    await assertAccessible(page, 'commentaire vide');
    await page.getByRole('link', { name: /Commentaire : écrivez votre commentaire/ }).click();
    await page.getByLabel('Partie de l’appel commentée').selectOption('eligibilite');
    await page.getByLabel('Votre commentaire (obligatoire)').fill('Les dynamiques en création pourraient-elles candidater ?');
    await Promise.all([page.waitForURL(/commentaire=publie/), page.getByRole('button', { name: 'Publier le commentaire' }).click()]);
    assert.ok(await page.getByText('Merci : votre commentaire est publié.').isVisible());
    assert.ok(await page.getByText('Les dynamiques en création pourraient-elles candidater ?').isVisible());
    await assertAccessible(page, 'commentaire publié');

    const organiser = await signIn(manager);
    await organiser.getByText(/Répondre ou masquer/).click();
    await assertAccessible(organiser, 'formulaires de l’organisatrice');
    await organiser.getByLabel('Réponse de l’organisateur (obligatoire)').fill('Non : l’appel vise l’émergence ; une vague « création » suivra.');
    await Promise.all([organiser.waitForURL(/commentaire=repondu/), organiser.getByRole('button', { name: 'Publier la réponse' }).click()]);
    assert.ok(await organiser.getByText('Réponse de l’organisateur', { exact: false }).first().isVisible());
    await assertAccessible(organiser, 'réponse publiée');
    await page.reload();
    assert.ok(await page.getByText('Non : l’appel vise l’émergence ; une vague « création » suivra.').isVisible());
    assertNoPageErrors(page);
    assertNoPageErrors(organiser);
  });
});
