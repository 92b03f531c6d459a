/**
 * An applicant fills a funder's own form (built and imported through the form builder), through HTTP on a real
 * database: no question of the funder is labelled as Maillage's, a submission is told every error at once
 * (a malformed amount with the missing required answers), a repeatable group's minimum of rows holds even
 * when none of its inputs is posted, and the receipt names the commune answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import type { FormDefinition } from '../src/domain/form.ts';
import { currentForm } from '../src/features/calls/form-builder/service.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { csrfOf, signedInAs, type TestAccount } from './support/accounts.ts';
import { siretFrom } from './support/siret.ts';

const FORM: FormDefinition = {
  sections: [
    {
      titre: 'Le projet',
      champs: [
        { cle: 'nom_projet', type: 'texte', libelle: 'Nom du projet', obligatoire: true },
        { cle: 'montant', type: 'montant', libelle: 'Montant demandé', obligatoire: true },
        { cle: 'commune', type: 'territoire', libelle: 'Commune principale', obligatoire: true },
        { cle: 'reglement', type: 'oui_non', libelle: 'Acceptez-vous le règlement ?', obligatoire: true, source: 'Règlement de l’appel, article 3' },
      ],
    },
    {
      titre: 'Les partenaires',
      champs: [
        {
          cle: 'partenaires',
          type: 'groupe',
          libelle: 'Partenaires',
          lignes_min: 2,
          lignes_max: 5,
          champs: [{ cle: 'nom', type: 'texte', libelle: 'Nom du partenaire', obligatoire: true }],
        },
      ],
    },
  ],
};

const cookieOf = (who: TestAccount) => [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** The links of a page's error summary, in order: « Libellé : message ». */
const summaryOf = (body: string) => [...(body.match(/id="erreurs"[\s\S]*?<\/ul>/)?.[0] ?? '').matchAll(/<a href="#[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

/** The lines a PDF of pdf-lib draws (its content streams inflated, its hex strings read as WinAnsi ≈ Latin-1). */
function pdfLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const [, body] of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(body!, 'latin1')).toString('latin1');
    } catch {
      continue; // not a compressed content stream
    }
    for (const [, hex] of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) lines.push(Buffer.from(hex!, 'hex').toString('latin1'));
  }
  return lines;
}

describe('Candidature au formulaire d’un financeur', () => {
  let t: TestApp;
  let funder: TestAccount;
  let callId: number;
  let applicant: TestAccount;
  let url: string;
  const db = () => t.database.db;

  /** Posts the application's form as a browser does, with the page's CSRF field and version. */
  const post = async (fields: Record<string, string>) => {
    const page = await applicant.client.get(url);
    const version = page.body.match(/name="version" value="(\d+)"/)![1]!;
    return t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ _csrf: csrfOf(page.body), version, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(applicant) },
    });
  };

  before(async () => {
    t = await buildTestApp();
    const created = await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut) values ('appel-financeur', 'Appel d’un financeur', 'publie') returning id::int as id`,
    );
    callId = created!.id;
    await db().execute(sql`insert into appel_phase (appel_id, position, label, ouverture, cloture, depot)
      values (${callId}, 0, 'Dépôt', '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z', true)`);
    // The funder writes the form with the form builder (its import of a definition).
    funder = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(callId) }]);
    const form = await currentForm(db(), callId);
    const imported = await funder.client.post(`/gestion/appels/${callId}/formulaire/import`, {
      _csrf: funder.csrf,
      version: String(form.version),
      revision: form.revision,
      definition: JSON.stringify(FORM),
    });
    assert.equal(imported.statusCode, 303, imported.body.match(/role="alert"[\s\S]*?<\/div>/)?.[0]);

    applicant = await signedInAs(t.app, db());
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/appels/${callId}/candidatures`,
      payload: {
        titre: 'Projet partagé',
        porteur: 'groupement',
        chef_de_file: { siret: siretFrom(21), nom: 'Chef' },
        co_candidats: [{ siret: siretFrom(22), nom: 'Co' }],
      },
      headers: { cookie: cookieOf(applicant), 'x-csrf-token': applicant.csrf },
    });
    assert.equal(started.statusCode, 201, started.body);
    url = `/candidatures/${started.json().id}`;
  });
  after(async () => t.close());

  test('les questions du financeur ne sont pas dites « ajoutées par Maillage » ; sa source est rappelée', async () => {
    const page = await applicant.client.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Nom du projet/);
    assert.doesNotMatch(page.body, /ajoutée par Maillage/);
    assert.match(page.body, /Question reprise de l’appel \(Règlement de l’appel, article 3\)\./);
  });

  test('dépôt avec montant=abc et des réponses obligatoires manquantes : toutes les erreurs en une fois', async () => {
    const refused = await post({ action: 'deposer', montant: 'abc' });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(summaryOf(refused.body), [
      'Nom du projet : ce champ est obligatoire',
      'Montant demandé : indiquez un montant en euros (ex. 12 500)',
      'Commune principale : ce champ est obligatoire',
      'Acceptez-vous le règlement ? : ce champ est obligatoire',
      'Partenaires : indiquez au moins 2 lignes',
    ]);
    assert.match(refused.body, /id="champ-montant" name="montant" value="abc"/);
  });

  test('groupe répétable : moins de lignes que son minimum, ou aucun de ses champs envoyé, refusé en français', async () => {
    const answers = { action: 'deposer', nom_projet: 'Tiers-lieu', montant: '12 500', commune: '26281', reglement: 'oui' };
    const none = await post(answers);
    assert.equal(none.statusCode, 400);
    assert.deepEqual(summaryOf(none.body), ['Partenaires : indiquez au moins 2 lignes']);
    const one = await post({ ...answers, 'partenaires.0.nom': 'Partenaire A', 'partenaires.1.nom': ' ' });
    assert.equal(one.statusCode, 400);
    assert.deepEqual(summaryOf(one.body), ['Partenaires : indiquez au moins 2 lignes']);
    const draft = await post({ ...answers, action: 'enregistrer' });
    assert.equal(draft.statusCode, 303, 'un brouillon peut attendre ses lignes');

    const submitted = await post({ ...answers, 'partenaires.0.nom': 'Partenaire A', 'partenaires.1.nom': 'Partenaire B' });
    assert.equal(submitted.statusCode, 303, summaryOf(submitted.body).join('\n'));
    const receipt = await applicant.client.get(submitted.headers.location as string);
    assert.equal(receipt.statusCode, 200);
    assert.match(receipt.body, /<strong>Commune principale :<\/strong> Romans-sur-Isère \(commune 26281\)/);
    assert.doesNotMatch(receipt.body, /Commune principale :<\/strong> 26281/);
    const pdf = await applicant.client.get(`${url}/recepisse.pdf`);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.ok(pdfLines(pdf.rawPayload).includes('Commune principale : Romans-sur-Isère (commune 26281)'), pdfLines(pdf.rawPayload).join('\n'));
    const instruction = await funder.client.get(url.replace('/candidatures/', '/instruction/candidatures/'));
    assert.equal(instruction.statusCode, 200);
    assert.match(instruction.body, /Romans-sur-Isère \(commune 26281\)/, 'l’instruction lit le nom de la commune');
  });
});
