/**
 * The PTCE self-diagnostic through HTTP on the demo data: the API contract (fields, 404
 * problem+json), the printable page linked from the cooperation, the AMI PTCE call and the orientation of a
 * PTCE; declarations by the cooperation's admins (multipart, CSRF, evidence text, link and file), refused
 * for others and refused beside their field when wrong, with nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
}

function multipart(parts: Part[]) {
  const boundary = `----maillage${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('Autodiagnostic PTCE', () => {
  let t: TestApp;
  let poleSud: number;
  let admin: TestAccount;
  let stranger: TestAccount;

  before(async () => {
    t = await buildTestApp();
    poleSud = (await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from cooperation where name = 'Pôle Sud Archer'`))!.id;
    const grant: Grant = { role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(poleSud) };
    admin = await signedInAs(t.app, t.database.db, [grant]);
    stranger = await signedInAs(t.app, t.database.db);
  });
  after(() => t.close());

  const declare = (who: TestAccount, code: string, parts: Part[], csrf: string | null = who.csrf) =>
    t.app.inject({
      method: 'POST',
      url: `/cooperations/${poleSud}/diagnostic-ptce/criteres/${code}${csrf ? `?_csrf=${encodeURIComponent(csrf)}` : ''}`,
      headers: { cookie: who.client.cookieHeader(), 'content-type': multipart(parts).contentType },
      payload: multipart(parts).payload,
    });
  const send = (who: TestAccount, code: string, parts: Part[]) => {
    const body = multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: `/cooperations/${poleSud}/diagnostic-ptce/criteres/${code}?_csrf=${encodeURIComponent(who.csrf)}`,
      headers: { cookie: who.client.cookieHeader(), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const declarations = () => rows<{ critere_code: string }>(t.database.db, sql`select critere_code from ptce_declaration where cooperation_id = ${poleSud}`);

  test('l’API donne les 19 critères avec statut, raison et source, et la synthèse, sous les noms du contrat', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/cooperations/${poleSud}/diagnostic-ptce` });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['cooperation', 'criteres', 'synthese']);
    assert.deepEqual(body.cooperation, { id: poleSud, nom: 'Pôle Sud Archer' });
    assert.equal(body.criteres.length, 19);
    assert.deepEqual(Object.keys(body.criteres[0]), ['code', 'famille', 'libelle', 'statut', 'raison', 'source']);
    const byCode = Object.fromEntries(body.criteres.map((c: { code: string }) => [c.code, c]));
    // Seven recorded members, all ESS: the data settles these two; the shared place and 2007 settle two more.
    assert.equal(byCode.regroupement_significatif.statut, 'non_rempli');
    assert.equal(byCode.engagement_economique.statut, 'rempli');
    assert.equal(byCode.engagement_longue_duree.statut, 'rempli');
    assert.equal(byCode.partenariat_collectivite.statut, 'a_confirmer');
    assert.deepEqual(Object.keys(body.synthese), ['incontournables_remplis', 'incontournables_total', 'exclusions_constatees', 'conclusion']);
    assert.equal(body.synthese.incontournables_total, 8);
    assert.equal(body.synthese.exclusions_constatees, 0);
  });

  test('un identifiant inconnu ou invalide : 404 ou 400 problem+json en français', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/cooperations/999999/diagnostic-ptce' });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.headers['content-type'] as string, /application\/problem\+json/);
    assert.match(unknown.json().detail, /Aucune coopération ne porte l'identifiant 999999/);
    const invalid = await t.app.inject({ method: 'GET', url: '/api/v1/cooperations/abc/diagnostic-ptce' });
    assert.equal(invalid.statusCode, 400);
    const page = await t.app.inject({ method: 'GET', url: '/cooperations/999999/diagnostic-ptce' });
    assert.equal(page.statusCode, 404);
  });

  test('la page imprimable est liée de la fiche, de l’AMI PTCE et de l’orientation d’un PTCE', async () => {
    const fiche = await t.app.inject({ method: 'GET', url: `/cooperations/${poleSud}` });
    assert.match(fiche.body, new RegExp(`href="/cooperations/${poleSud}/diagnostic-ptce"`));
    const page = await t.app.inject({ method: 'GET', url: `/cooperations/${poleSud}/diagnostic-ptce` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Autodiagnostic PTCE : Pôle Sud Archer<\/h1>/);
    assert.match(page.body, /data-print/);
    assert.match(page.body, /Source : Document 003/);
    assert.doesNotMatch(page.body, /Déclarer ce critère/); // a visitor does not declare
    const ami = (await firstRow<{ id: number }>(t.database.db, sql`select id::int as id from appel where eligibilite -> 'modeles' ? 'PTCE' limit 1`))!;
    const call = await t.app.inject({ method: 'GET', url: `/appels/${ami.id}` });
    assert.match(call.body, /href="\/diagnostic-ptce"/);
    const orientation = await t.app.inject({
      method: 'GET',
      url: '/orientation/resultat?modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=26281',
    });
    assert.equal(orientation.statusCode, 200);
    assert.match(orientation.body, /href="\/diagnostic-ptce"/);
    const criteria = await t.app.inject({ method: 'GET', url: '/diagnostic-ptce' });
    assert.equal(criteria.statusCode, 200);
    assert.match(criteria.body, /Un partenariat avec au moins une collectivité locale/);
  });

  test('l’administration de la coopération déclare un critère avec texte, lien et fichier : le rapport et l’API le disent', async () => {
    const form = await t.app.inject({
      method: 'GET',
      url: `/cooperations/${poleSud}/diagnostic-ptce/criteres/partenariat_collectivite`,
      headers: { cookie: admin.client.cookieHeader() },
    });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    const saved = await send(admin, 'partenariat_collectivite', [
      { name: 'rempli', value: 'oui' },
      { name: 'texte', value: 'Convention de partenariat avec la ville de Romans-sur-Isère' },
      { name: 'lien', value: 'https://example.org/convention.pdf' },
      { name: 'fichier', value: PDF, filename: 'convention.pdf' },
    ]);
    assert.equal(saved.statusCode, 303, saved.body);
    assert.match(saved.headers.location as string, /diagnostic-ptce\?declare=partenariat_collectivite/);
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/cooperations/${poleSud}/diagnostic-ptce` })).json();
    const critere = api.criteres.find((c: { code: string }) => c.code === 'partenariat_collectivite');
    assert.equal(critere.statut, 'rempli');
    assert.match(critere.raison, /Convention de partenariat .*preuve : https:\/\/example.org\/convention.pdf.*pièce jointe : convention.pdf/);
    const page = await t.app.inject({ method: 'GET', url: `/cooperations/${poleSud}/diagnostic-ptce`, headers: { cookie: admin.client.cookieHeader() } });
    assert.match(page.body, /Déclarer ce critère/);
    const link = page.body.match(/href="(\/cooperations\/\d+\/diagnostic-ptce\/criteres\/partenariat_collectivite\/fichiers\/[^"]+)"/);
    assert.ok(link, 'lien vers la pièce jointe');
    const file = await t.app.inject({ method: 'GET', url: link[1]! });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.deepEqual(file.rawPayload, PDF);
    const audit = await firstRow<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'ptce.declare' and object_id = ${String(poleSud)}`,
    );
    assert.equal(audit!.n, 1);
  });

  test('une déclaration fautive est refusée champ par champ, sans rien écrire', async () => {
    const before = (await declarations()).length;
    const refused = await send(admin, 'utilite_sociale', [
      { name: 'rempli', value: 'peut-être' },
      { name: 'texte', value: '   ' },
      { name: 'lien', value: 'ftp://exemple' },
    ]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Le formulaire contient 3 erreurs/);
    assert.match(refused.body, /Répondez par oui ou par non/);
    assert.match(refused.body, /Décrivez la preuve/);
    assert.match(refused.body, /commençant par https:\/\//);
    const wrongKind = await send(admin, 'utilite_sociale', [
      { name: 'rempli', value: 'oui' },
      { name: 'texte', value: 'Rapport d’activité' },
      { name: 'fichier', value: Buffer.from('#!/bin/sh\necho bonjour\n'), filename: 'rapport.pdf' },
    ]);
    assert.equal(wrongKind.statusCode, 400);
    assert.match(wrongKind.body, /Ce fichier n’est pas accepté/);
    assert.equal((await declarations()).length, before);
    const unknownCode = await send(admin, 'pas_un_critere', [{ name: 'rempli', value: 'oui' }]);
    assert.equal(unknownCode.statusCode, 400);
  });

  test('une autre personne, un visiteur ou un envoi sans jeton CSRF ne déclarent rien', async () => {
    const parts = [
      { name: 'rempli', value: 'oui' },
      { name: 'texte', value: 'Preuve' },
    ];
    const before = (await declarations()).length;
    assert.equal((await send(stranger, 'utilite_sociale', parts)).statusCode, 403);
    assert.equal((await declare(admin, 'utilite_sociale', parts, null)).statusCode, 403);
    const visitor = await t.app.inject({ method: 'GET', url: `/cooperations/${poleSud}/diagnostic-ptce/criteres/utilite_sociale` });
    assert.equal(visitor.statusCode, 303);
    assert.equal((await declarations()).length, before);
  });

  test('une déclaration sans fichier peut venir d’un formulaire ordinaire (url-encoded), avec son jeton CSRF', async () => {
    const fields = { rempli: 'non', texte: 'Nous ne sommes pas une agence de développement' };
    assert.equal((await admin.client.post(`/cooperations/${poleSud}/diagnostic-ptce/criteres/agence_developpement_cci`, fields)).statusCode, 403);
    const saved = await admin.client.post(`/cooperations/${poleSud}/diagnostic-ptce/criteres/agence_developpement_cci`, { ...fields, _csrf: admin.csrf });
    assert.equal(saved.statusCode, 303);
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/cooperations/${poleSud}/diagnostic-ptce` })).json();
    const critere = api.criteres.find((c: { code: string }) => c.code === 'agence_developpement_cci');
    assert.equal(critere.statut, 'non_rempli');
    assert.equal(api.synthese.exclusions_constatees, 0);
  });
});
