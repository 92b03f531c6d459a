/**
 * Citizen campaigns and Cigales clubs in a real browser: a structure's member creates a campaign (an end before
 * the start first, its error beside its field), opens it; a visitor reads its progress (a labelled progress bar
 * and its text) and records an intention with the keyboard; the member follows it; a club declared and its
 * investment recorded show on the club's and the funded enterprise's pages. axe-core checks every page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../src/db/database.ts';
import { parisToday } from '../src/domain/campaign.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit, signedInPage } from './support/browser.ts';

const TIMEOUT = { timeout: 180_000 };

const dayFromToday = (days: number) => {
  const date = new Date(`${parisToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

describeE2E('Campagnes citoyennes et clubs Cigales (Chromium, axe-core)', (e2e) => {
  test('lancer, ouvrir, recevoir une intention, suivre ; un club Cigales et son investissement', TIMEOUT, async () => {
    const [enterprise, club] = await rows<{ id: number; siret: string }>(
      e2e.app.database.db,
      sql`insert into organisation (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000001800008', '100000018', 'Ressourcerie des collines', '26281', '26', '84', 'ess_de_droit'),
             ('10000002600007', '100000026', 'Cigales des collines', '26281', '26', '84', 'ess_de_droit')
      returning id::int as id, siret`,
    );
    const member = await signedInPage(
      e2e,
      [
        { role: 'organisation_member', scopeKind: 'organisation', scopeCode: enterprise!.siret },
        { role: 'organisation_admin', scopeKind: 'organisation', scopeCode: club!.siret },
      ],
      'Sacha Membre',
    );

    await visit(member, '/campagnes/nouvelle');
    await assertAccessible(member, 'nouvelle campagne');
    await member.getByLabel('Structure qui mène la campagne').selectOption({ label: 'Ressourcerie des collines' });
    await member.getByLabel('Titre').fill('Un camion pour la collecte');
    await member.getByLabel('Ce que la campagne finance').fill('Un camion électrique pour collecter les objets dans les villages.');
    await member.getByLabel('Montant recherché (en euros)').fill('20 000');
    await member.getByLabel('Prêt').check();
    await member.getByLabel('Premier jour').fill(dayFromToday(0));
    await member.getByLabel('Dernier jour').fill(dayFromToday(-1));
    await member.getByRole('button', { name: 'Créer le brouillon' }).click();
    await member.waitForSelector('#erreurs');
    await assertAccessible(member, 'campagne avec erreur');
    assert.match((await member.getByRole('alert').textContent()) ?? '', /Dernier jour : La date de fin précède la date de début/);
    assert.equal(await member.getByLabel('Dernier jour').getAttribute('aria-invalid'), 'true');
    await member.getByLabel('Dernier jour').fill(dayFromToday(60));
    await Promise.all([member.waitForURL(/\/campagnes\/\d+\/suivi$/), member.getByRole('button', { name: 'Créer le brouillon' }).click()]);
    await assertAccessible(member, 'suivi du brouillon');
    await Promise.all([member.waitForURL(/etat=ouverte$/), member.getByRole('button', { name: 'Ouvrir la campagne' }).click()]);
    assert.match((await member.getByRole('status').textContent()) ?? '', /La campagne est ouverte/);
    const id = Number(/\/campagnes\/(\d+)\//.exec(member.url())![1]);

    // A visitor, with the keyboard only.
    const visitor = await e2e.newPage();
    await visit(visitor, '/campagnes?instrument=pret');
    await assertAccessible(visitor, 'liste des campagnes');
    await visitor.getByRole('link', { name: 'Un camion pour la collecte' }).click();
    await visitor.waitForURL(new RegExp(`/campagnes/${id}$`));
    await assertAccessible(visitor, 'page publique de la campagne');
    const bar = visitor.getByRole('progressbar', { name: 'Intentions recueillies' });
    assert.equal(await bar.getAttribute('value'), '0');
    await visitor.getByLabel('Montant envisagé (en euros)').focus();
    await visitor.keyboard.type('500');
    await visitor.keyboard.press('Tab');
    await visitor.keyboard.type('Jo Citoyenne');
    await visitor.keyboard.press('Tab');
    await visitor.keyboard.type('jo@exemple.fr');
    await visitor.keyboard.press('Tab');
    await visitor.keyboard.type('Pour le camion.');
    await visitor.keyboard.press('Tab');
    await Promise.all([visitor.waitForURL(/intention=enregistree/), visitor.keyboard.press('Enter')]);
    await assertAccessible(visitor, 'intention enregistrée');
    assert.match((await visitor.getByRole('status').textContent()) ?? '', /Maillage ne reçoit aucun paiement/);
    assert.match((await visitor.locator('#progression-texte').textContent()) ?? '', /500,00\s€ sur 20\s000,00\s€ recherchés \(2 %\), 1 intention\./);

    await visit(member, `/campagnes/${id}/suivi`);
    await assertAccessible(member, 'suivi avec une intention');
    assert.match((await member.locator('table').textContent()) ?? '', /Jo Citoyenne/);

    // Cigales: the club is declared, then its investment in the enterprise recorded.
    await visit(member, `/organisations/${club!.id}/cigales`);
    await assertAccessible(member, 'club Cigales à déclarer');
    await Promise.all([member.waitForURL(/fait=declaree$/), member.getByRole('button', { name: 'Déclarer cette structure club Cigales' }).click()]);
    await assertAccessible(member, 'club Cigales déclaré');
    await member.getByLabel('SIRET de l’entreprise financée').fill(enterprise!.siret);
    await member.getByLabel('Montant investi (en euros)').fill('3 000');
    await member.getByLabel('Date de l’investissement').fill(dayFromToday(-3));
    await member.getByLabel('Parts sociales ou actions').check();
    await Promise.all([member.waitForURL(/fait=enregistre/), member.getByRole('button', { name: 'Enregistrer l’investissement' }).click()]);
    await assertAccessible(member, 'investissement enregistré');

    await visit(visitor, `/organisations/${enterprise!.id}`);
    await assertAccessible(visitor, 'fiche de l’entreprise financée');
    const section = visitor.getByRole('region', { name: 'Finance solidaire' });
    assert.match((await section.textContent()) ?? '', /Cigales des collines/);
    assert.match((await section.textContent()) ?? '', /Un camion pour la collecte/);
    await visit(visitor, `/organisations/${club!.id}`);
    await assertAccessible(visitor, 'fiche du club');
    assert.match((await visitor.getByRole('region', { name: 'Finance solidaire' }).textContent()) ?? '', /ont investi 3\s000,00\s€ dans 1 entreprise/);
    assertNoPageErrors(visitor);
    assertNoPageErrors(member);
  });
});
