/**
 * Indicators reported against the due dates of a funding agreement, through HTTP on the demo data: the AMI's
 * instructors name what a due date expects (ETP and emplois en insertion for 2022); the funded cooperation's
 * admins report the values (API and page form), every error named at once and nothing half-written; the call's
 * instructors validate them, the due date's « remis » follows the values, the report is validated only once
 * they all are, and the published aggregates then include them. Also: the pages where a call's instructors and
 * a network's admins define and edit their own indicators.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { checkedRows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { depositedApplication, forceStatus, prepareCalls } from './support/instruction.ts';
import { z } from 'zod';

describe('Indicateurs des rapports de financement', () => {
  let t: TestApp;
  let amiId: number;
  let otherId: number;
  let poleSud: number;
  let candidature: number;
  let rapport: number;
  let instructor: TestAccount;
  let otherInstructor: TestAccount;
  let applicant: TestAccount;
  let stranger: TestAccount;
  let doc: { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { example: unknown } }> } }>> };

  const db = () => t.database.db;
  const one = async <T extends z.ZodType>(schema: T, query: ReturnType<typeof sql>) => (await checkedRows(db(), schema, query))[0]!;
  const count = async (table: string) => (await one(z.object({ n: z.number() }), sql`select count(*)::int as n from ${sql.identifier(table)}`)).n;
  const report = () =>
    one(
      z.object({ remis_le: z.string().nullable(), valide: z.boolean() }),
      sql`select remis_le::text as remis_le, valide from rapport_echeance where id = ${rapport}`,
    );
  const form = (who: TestAccount, url: string, fields: Record<string, string>) => who.client.post(url, { _csrf: who.csrf, ...fields });
  const json = (who: TestAccount, method: 'POST', url: string, body: unknown) =>
    t.app.inject({
      method,
      url,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': who.csrf, cookie: who.client.cookieHeader() },
    });
  const example = (path: string, method: string) => doc.paths[path]![method]!.requestBody.content['application/json']!.schema.example;
  const expect = (who: TestAccount, body: unknown) => json(who, 'POST', `/api/v1/candidatures/${candidature}/rapports/${rapport}/indicateurs`, body);
  const reportValues = (who: TestAccount, body: unknown) => json(who, 'POST', `/api/v1/candidatures/${candidature}/rapports/${rapport}/saisies`, body);
  const entryOf = async (code: string) =>
    (await one(z.object({ id: z.number() }), sql`select id::int as id from indicateur_saisie where rapport_id = ${rapport} and indicateur_code = ${code}`)).id;

  before(async () => {
    t = await buildTestApp();
    ({ amiId, otherId } = await prepareCalls(db()));
    poleSud = (await one(z.object({ id: z.number() }), sql`select id::int as id from cooperation where name = 'Pôle Sud Archer'`)).id;
    const grant = (role: Grant['role'], scopeKind: Grant['scopeKind'], scopeCode: number): Grant => ({ role, scopeKind, scopeCode: String(scopeCode) });
    instructor = await signedInAs(t.app, db(), [grant('instructor', 'appel', amiId)]);
    otherInstructor = await signedInAs(t.app, db(), [grant('instructor', 'appel', otherId)]);
    applicant = await signedInAs(t.app, db(), [grant('cooperation_admin', 'cooperation', poleSud)]);
    stranger = await signedInAs(t.app, db());
    candidature = await depositedApplication(db(), amiId, applicant, 'Pôle Sud Archer, lauréat');
    await db().execute(sql`update candidature set cooperation_id = ${poleSud} where id = ${candidature}`);
    await forceStatus(db(), candidature, 'laureate');
    const base = `/instruction/candidatures/${candidature}/financement`;
    assert.equal((await form(instructor, base, { debut: '2022-01-01' })).statusCode, 303);
    assert.equal((await form(instructor, `${base}/rapports`, { libelle: 'Rapport d’étape année 1', echeance: '2022-12-31' })).statusCode, 303);
    rapport = (
      await one(
        z.object({ id: z.number() }),
        sql`select r.id::int as id from rapport_echeance r join convention c on c.id = r.convention_id where c.candidature_id = ${candidature}`,
      )
    ).id;
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  });
  after(() => t.close());

  test('l’équipe d’instruction nomme les indicateurs attendus ; un code inconnu ou une période hors convention sont refusés en nommant le champ', async () => {
    const before = await count('rapport_indicateur');
    const unknown = await expect(instructor, { periode: '2022', indicateurs: ['etp', 'inconnu'] });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().errors[0].champ, 'indicateurs');
    assert.match(unknown.json().detail, /« inconnu » : ni un indicateur de référence ni un indicateur de cet appel/);
    const outside = await expect(instructor, { periode: '2025', indicateurs: ['etp'] });
    assert.equal(outside.statusCode, 400);
    assert.equal(outside.json().errors[0].champ, 'periode');
    assert.match(outside.json().detail, /hors de la convention, qui court du 01\/01\/2022 au 01\/01\/2024/);
    assert.equal((await expect(instructor, { periode: '2022-T7', indicateurs: ['etp'] })).json().errors[0].champ, 'periode');
    assert.equal((await expect(instructor, { periode: '2022', indicateurs: [] })).json().errors[0].champ, 'indicateurs');
    for (const who of [applicant, stranger, otherInstructor])
      assert.ok([403, 404].includes((await expect(who, { periode: '2022', indicateurs: ['etp'] })).statusCode));
    assert.equal(await count('rapport_indicateur'), before);

    const named = await expect(instructor, example('/api/v1/candidatures/{id}/rapports/{rapport}/indicateurs', 'post'));
    assert.equal(named.statusCode, 200, named.body);
    assert.equal(named.json().periode, '2022');
    assert.deepEqual(
      named.json().indicateurs.map((i: { code: string; etat: string }) => [i.code, i.etat]),
      [
        ['emplois_insertion', 'manquant'],
        ['etp', 'manquant'],
      ],
    );
    const page = await instructor.client.get(`/instruction/candidatures/${candidature}/financement`);
    assert.match(page.body, /Période 2022 : 0 saisi et 0 validé sur 2/);
    assert.match(page.body, /Emplois en insertion — <strong>Manquant<\/strong>/);
    // Received is not marked by hand while indicators are expected.
    const byHand = await form(instructor, `/instruction/candidatures/${candidature}/financement/rapports/${rapport}`, { action: 'remis' });
    assert.equal(byHand.statusCode, 409);
    assert.match(byHand.body, /il est remis quand le candidat les a tous saisis/);
  });

  test('le candidat remet ses valeurs : la mauvaise sorte et les codes inconnus ou non attendus sont refusés ensemble, sans rien écrire', async () => {
    const listed = await applicant.client.get(`/api/v1/candidatures/${candidature}/rapports`);
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json().cooperation.nom, 'Pôle Sud Archer');
    assert.equal(listed.json().rapports[0].progression.attendus, 2);
    assert.equal((await stranger.client.get(`/api/v1/candidatures/${candidature}/rapports`)).statusCode, 403);
    assert.equal((await instructor.client.get(`/api/v1/candidatures/${candidature}/rapports`)).statusCode, 200);

    const before = await count('indicateur_saisie');
    const wrong = await reportValues(applicant, {
      valeurs: [
        { indicateur: 'etp', valeur: 'beaucoup' },
        { indicateur: 'inconnu', valeur: 1 },
        { indicateur: 'benevoles', valeur: 3 },
        { indicateur: 'emplois_insertion', valeur: '4,5' },
      ],
    });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(
      wrong.json().errors.map((e: { champ: string }) => e.champ),
      ['valeurs.0.valeur', 'valeurs.1.indicateur', 'valeurs.2.indicateur', 'valeurs.3.valeur'],
    );
    assert.match(wrong.json().errors[2].message, /n’est pas attendu par cette échéance/);
    assert.match(wrong.json().errors[3].message, /« Emplois en insertion » attend un nombre entier/);
    // One good value beside a wrong one: nothing is written either.
    assert.equal(
      (
        await reportValues(applicant, {
          valeurs: [
            { indicateur: 'etp', valeur: 3 },
            { indicateur: 'emplois_insertion', valeur: -1 },
          ],
        })
      ).statusCode,
      400,
    );
    assert.equal((await reportValues(instructor, { valeurs: [{ indicateur: 'etp', valeur: 3 }] })).statusCode, 403);
    assert.equal(await count('indicateur_saisie'), before);
    assert.equal((await report()).remis_le, null);

    const partial = await reportValues(applicant, { valeurs: [{ indicateur: 'etp', valeur: '3,5' }] });
    assert.equal(partial.statusCode, 201, partial.body);
    assert.equal(partial.json().etat, 'en_retard');
    assert.equal((await report()).remis_le, null);
    const complete = await reportValues(applicant, example('/api/v1/candidatures/{id}/rapports/{rapport}/saisies', 'post'));
    assert.equal(complete.statusCode, 201, complete.body);
    assert.equal(complete.json().etat, 'remis');
    assert.deepEqual(complete.json().progression, { attendus: 2, saisis: 2, valides: 0 });
    assert.notEqual((await report()).remis_le, null);
    // Values reported once the period's report is in can no longer move to another period.
    const moved = await expect(instructor, { periode: '2023', indicateurs: ['etp', 'emplois_insertion'] });
    assert.equal(moved.statusCode, 400);
    assert.match(moved.json().detail, /déjà saisies pour la période 2022/);
  });

  test('l’équipe d’instruction valide ou refuse ; « remis » suit les valeurs ; le rapport se valide une fois tout validé ; les agrégats les comptent', async () => {
    const queue = await instructor.client.get('/indicateurs/validation');
    assert.match(queue.body, /Pôle Sud Archer<\/a> — Emplois en équivalent temps plein, 2022/);
    assert.doesNotMatch((await otherInstructor.client.get('/indicateurs/validation')).body, /Pôle Sud Archer/);
    const insertion = await entryOf('emplois_insertion');
    const etp = await entryOf('etp');
    assert.equal((await json(otherInstructor, 'POST', `/api/v1/indicateurs/saisies/${etp}/decision`, { decision: 'valider' })).statusCode, 403);
    const refused = await json(instructor, 'POST', `/api/v1/indicateurs/saisies/${insertion}/decision`, { decision: 'refuser', motif: 'Joindre les contrats' });
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal((await report()).remis_le, null, 'a refused value takes the report back');
    const early = await form(instructor, `/instruction/candidatures/${candidature}/financement/rapports/${rapport}`, { action: 'valide' });
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /Validez d’abord les indicateurs attendus : 0 sur 2/);

    // The applicant's page shows the refusal and takes the value again, its error beside its field.
    const url = `/candidatures/${candidature}/rapports`;
    const page = await applicant.client.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Motif : Joindre les contrats/);
    const bad = await form(applicant, `${url}/${rapport}`, { 'valeur.emplois_insertion': '4,5' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="rapport-\d+-valeur-emplois_insertion"[^>]*aria-invalid="true"/);
    assert.equal((await form(applicant, `${url}/${rapport}`, { 'valeur.emplois_insertion': '5', 'valeur.etp': '3,5' })).statusCode, 303);
    assert.notEqual((await report()).remis_le, null);
    assert.equal((await stranger.client.get(url)).statusCode, 403);

    assert.equal(
      (await json(instructor, 'POST', `/api/v1/indicateurs/saisies/${etp}/decision`, example('/api/v1/indicateurs/saisies/{id}/decision', 'post'))).statusCode,
      200,
    );
    assert.equal((await form(instructor, `/indicateurs/saisies/${insertion}/decision`, { decision: 'valider' })).statusCode, 303);
    assert.equal((await form(instructor, `/instruction/candidatures/${candidature}/financement/rapports/${rapport}`, { action: 'valide' })).statusCode, 303);
    assert.equal((await report()).valide, true);
    assert.match((await instructor.client.get(`/instruction/candidatures/${candidature}/financement`)).body, /2 saisis et 2 validés sur 2/);
    assert.equal((await reportValues(applicant, { valeurs: [{ indicateur: 'etp', valeur: 4 }] })).statusCode, 409);
    assert.equal((await expect(instructor, { periode: '2022', indicateurs: ['etp'] })).statusCode, 409);

    const aggregates = async (code: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/indicateurs/${code}/agregats?periode_debut=2022&periode_fin=2022&departement=26` })).json();
    assert.deepEqual((await aggregates('etp')).resultats, [{ periode: '2022', groupe: null, valeur: 3.5, cooperations: 1 }]);
    assert.deepEqual((await aggregates('emplois_insertion')).resultats, [{ periode: '2022', groupe: null, valeur: 5, cooperations: 1 }]);
  });

  test('les pages des indicateurs personnalisés : l’équipe d’instruction pour son appel, l’administration d’un réseau pour le sien', async () => {
    const path = '/indicateurs/personnalises';
    const page = await instructor.client.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<option value="appel:${amiId}"`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="appel:${otherId}"`));
    const fields = { porteur: `appel:${amiId}`, code: 'repas_servis', libelle: 'Repas servis', type: 'entier', unite: 'repas' };
    const badCode = await form(instructor, path, { ...fields, code: 'Repas Servis' });
    assert.equal(badCode.statusCode, 400);
    assert.match(badCode.body, /id="code"[^>]*aria-invalid="true"/);
    const notHis = await form(instructor, path, { ...fields, porteur: `appel:${otherId}` });
    assert.equal(notHis.statusCode, 400);
    assert.match(notHis.body, /Choisissez un appel ou un réseau de la liste/);
    assert.equal((await form(instructor, path, fields)).statusCode, 303);
    assert.equal((await form(instructor, path, fields)).statusCode, 400, 'code taken');
    assert.equal(
      (await form(applicant, path, { ...fields, porteur: `reseau:${poleSud}`, code: 'surface_partagee', unite: 'm²', type: 'decimal' })).statusCode,
      303,
    );
    assert.match((await applicant.client.get(path)).body, /Surface partagée|surface_partagee/);
    assert.equal((await stranger.client.get(path)).statusCode, 403);

    // The call's own indicator may now be expected by its due dates; the network's may not.
    const choices = await instructor.client.get(`/instruction/candidatures/${candidature}/financement`);
    assert.doesNotMatch(choices.body, /Rapport d’étape année 1[\s\S]*<h3>Indicateurs attendus/, 'a validated report is closed');
    assert.equal(
      (await form(instructor, `/instruction/candidatures/${candidature}/financement/rapports`, { libelle: 'Rapport final', echeance: '2023-12-31' }))
        .statusCode,
      303,
    );
    const last = (await one(z.object({ id: z.number() }), sql`select max(id)::int as id from rapport_echeance`)).id;
    const nameExpected = (codes: string[]) =>
      json(instructor, 'POST', `/api/v1/candidatures/${candidature}/rapports/${last}/indicateurs`, { periode: '2023', indicateurs: codes });
    assert.equal((await nameExpected(['repas_servis'])).statusCode, 200);
    assert.equal((await nameExpected(['surface_partagee'])).statusCode, 400);

    const edit = `${path}/repas_servis`;
    assert.equal((await instructor.client.get(edit)).statusCode, 200);
    assert.equal((await applicant.client.get(edit)).statusCode, 403);
    const emptied = await form(instructor, edit, { libelle: '', type: 'entier', unite: 'repas' });
    assert.equal(emptied.statusCode, 400);
    assert.equal((await form(instructor, edit, { libelle: 'Repas servis aux habitants', type: 'entier', unite: 'repas' })).statusCode, 303);
    const updated = await json(instructor, 'POST', '/api/v1/indicateurs/repas_servis', example('/api/v1/indicateurs/{code}', 'post'));
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().libelle, 'Repas servis');
    assert.equal((await json(applicant, 'POST', '/api/v1/indicateurs/repas_servis', { libelle: 'x', type: 'entier', unite: 'x' })).statusCode, 403);
    assert.equal((await json(instructor, 'POST', '/api/v1/indicateurs/etp', { libelle: 'x', type: 'entier', unite: 'x' })).statusCode, 409);
    // Once a value is in, the kind of value is fixed.
    assert.equal((await reportValuesOn(last, [{ indicateur: 'repas_servis', valeur: 1200 }])).statusCode, 201);
    const kind = await json(instructor, 'POST', '/api/v1/indicateurs/repas_servis', { libelle: 'Repas servis', type: 'decimal', unite: 'repas' });
    assert.equal(kind.statusCode, 409);
    assert.equal(kind.json().errors?.[0]?.champ ?? 'type', 'type');
    const actions = await checkedRows(db(), z.object({ action: z.string() }), sql`select action from audit_log where action = 'indicateur.update'`);
    assert.equal(actions.length, 2);
  });

  test('la page d’une candidature financée mène à ses rapports, pour qui peut les ouvrir ; pas celle d’une candidature sans convention', async () => {
    const link = (id: number) => new RegExp(`<a href="/candidatures/${id}/rapports">Rapports de financement</a>`);
    const funded = await applicant.client.get(`/candidatures/${candidature}`);
    assert.equal(funded.statusCode, 200);
    assert.match(funded.body, /<h2>Suivi du financement<\/h2>/);
    assert.match(funded.body, link(candidature));
    assert.equal((await applicant.client.get(`/candidatures/${candidature}/rapports`)).statusCode, 200);

    // A laureate without an agreement: no reports page, no link.
    const unfunded = await depositedApplication(db(), amiId, applicant, 'Pôle Sud Archer, sans convention');
    await db().execute(sql`update candidature set cooperation_id = ${poleSud} where id = ${unfunded}`);
    await forceStatus(db(), unfunded, 'laureate');
    const page = await applicant.client.get(`/candidatures/${unfunded}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /rapports|Suivi du financement/);

    // Funded, but its applicant is not an admin of the funded cooperation: the reports page refuses them, no link.
    const outsider = await signedInAs(t.app, db());
    const theirs = await depositedApplication(db(), amiId, outsider, 'Pôle Sud Archer, déposé par un tiers');
    await db().execute(sql`update candidature set cooperation_id = ${poleSud} where id = ${theirs}`);
    await forceStatus(db(), theirs, 'laureate');
    assert.equal((await form(instructor, `/instruction/candidatures/${theirs}/financement`, { debut: '2022-01-01' })).statusCode, 303);
    assert.equal((await outsider.client.get(`/candidatures/${theirs}/rapports`)).statusCode, 403);
    assert.doesNotMatch((await outsider.client.get(`/candidatures/${theirs}`)).body, link(theirs));
  });

  const reportValuesOn = (id: number, valeurs: unknown[]) => json(applicant, 'POST', `/api/v1/candidatures/${candidature}/rapports/${id}/saisies`, { valeurs });
});
