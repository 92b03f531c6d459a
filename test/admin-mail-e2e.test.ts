/**
 * The admins' list of failing mail in a real browser, axe-core checking each state (WCAG 2.1 A/AA): one mail
 * abandoned after its attempts and one waiting for its next attempt, reached from the administration's menu;
 * then the abandoned one retried with the button.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { enqueueMail, MAIL_ATTEMPTS } from '../src/platform/jobs/mail.ts';
import { verificationMail, resetMail } from '../src/platform/mail/templates.ts';
import { SESSION_COOKIE } from '../src/platform/http/sessions.ts';
import { signedInAs } from './support/accounts.ts';
import { assertAccessible, assertNoPageErrors, describeE2E, visit } from './support/browser.ts';

describeE2E('Courriels en échec de bout en bout (Chromium, axe-core)', (e2e) => {
  test('la liste des courriels en échec, puis la relance des abandonnés', { timeout: 180_000 }, async () => {
    const db = e2e.app.database.db;
    await db.transaction(async (tx) => {
      await enqueueMail(tx, verificationMail('abandon@exemple.fr', 'https://exemple.fr/compte/verification?jeton=x'));
      await enqueueMail(tx, resetMail('attente@exemple.fr', 'Camille', 'https://exemple.fr/compte/reinitialisation?jeton=y'));
    });
    await db.execute(sql`update job set attempts = ${MAIL_ATTEMPTS}, failed_at = now(), last_error = 'ECONNECTION'
      where kind = 'mail.send' and payload->>'to' = 'abandon@exemple.fr'`);
    await db.execute(sql`update job set attempts = 2, run_at = now() + interval '2 minutes', last_error = 'EENVELOPE 450'
      where kind = 'mail.send' and payload->>'to' = 'attente@exemple.fr'`);
    const admin = await signedInAs(e2e.app.app, db, [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    const page = await e2e.newPage();
    await page.context().addCookies([{ name: SESSION_COOKIE, value: admin.client.cookies.get(SESSION_COOKIE)!, url: e2e.baseUrl }]);

    await visit(page, '/admin');
    await Promise.all([page.waitForURL(/\/admin\/courriels$/), page.getByRole('link', { name: 'Courriels en échec' }).click()]);
    const rows = await page.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows.join('\n'), /Lien de réinitialisation du mot de passe[\s\S]*2 sur 8[\s\S]*EENVELOPE 450[\s\S]*Nouvel essai le/);
    assert.match(rows.join('\n'), /Confirmation d’adresse e-mail[\s\S]*8 sur 8[\s\S]*ECONNECTION[\s\S]*Abandonné le/);
    assert.doesNotMatch(await page.content(), /abandon@exemple\.fr|attente@exemple\.fr|jeton/);
    await assertAccessible(page, '/admin/courriels');

    await Promise.all([page.waitForURL(/relances=1$/), page.getByRole('button', { name: 'Réessayer les courriels abandonnés' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /1 courriel est de nouveau en file/);
    await assertAccessible(page, 'courriels relancés');
    assertNoPageErrors(page);
  });
});
