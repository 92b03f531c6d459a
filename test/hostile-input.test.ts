/**
 * Hostile input through HTTP, on a real database: a NUL byte or a lone surrogate in any
 * string of a request, a JSON document nested thousands of levels deep, a broken multipart body, a return path
 * outside Latin-1. Each answer is a French 4xx (problem+json under /api), nothing is written, no session is
 * opened for nothing, and no header carries a raw byte.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { firstRow } from '../src/db/database.ts';
import type { FormDefinition } from '../src/domain/form.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { currentForm } from '../src/features/calls/form-builder/service.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { Client, signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';
import { count, depositedApplication, postForm, prepareCalls } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

const NUL = 'avant\u0000après';
const FILE_SECTION = { titre: 'Pièces jointes', champs: [{ cle: 'budget', type: 'fichier', libelle: 'Budget prévisionnel' }] };

const cookie = (who: TestAccount) => [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A French 400 page (or problem+json under /api) that names `field` and leaks nothing. */
function assertFrenchRefusal(response: LightMyRequestResponse, field: string, status = 400) {
  assert.equal(response.statusCode, status, response.body.slice(0, 300));
  const api = /^application\/problem\+json/.test(String(response.headers['content-type']));
  const text = api ? (response.json() as { detail: string }).detail : response.body;
  assert.match(text, new RegExp(field.replace(/[.[\]]/g, '\\$&')), `le champ « ${field} » est nommé`);
  assert.match(text, /caractère|imbriqu|multipart|envoi|fichier/i, 'un message français');
  assert.doesNotMatch(text, /\bat .+\.(ts|js):\d+|ZodError|TypeError|DrizzleQueryError|\bselect\b[^<]{0,80}\bfrom\b/);
  assert.ok(response.headers['content-security-policy'], 'en-têtes de sécurité');
}

describe('Entrées hostiles : une erreur française, jamais une erreur serveur', () => {
  let t: TestApp;
  let dataDir: string;
  let amiId: number;
  let applicant: TestAccount;
  let instructor: TestAccount;
  const db = () => t.database.db;
  const api = (who: TestAccount, url: string, payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie: cookie(who), 'x-csrf-token': who.csrf, 'content-type': 'application/json', ...headers },
    });
  const startApplication = async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/appels/${amiId}/candidatures`,
      payload: {
        titre: 'Dynamique hostile',
        porteur: 'cooperation',
        chef_de_file: { siret: siretFrom(21), nom: 'Association Pilote' },
        profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
      },
      headers: { cookie: cookie(applicant), 'x-csrf-token': applicant.csrf },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: number; version: number };
  };
  const versionOf = async (id: number) => (await firstRow<{ v: number }>(db(), sql`select version::int as v from candidature where id = ${id}`))!.v;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'maillage-hostile-'));
    t = await buildTestApp({ config: { MAILLAGE_DATA_DIR: dataDir } });
    setCallsClock(() => new Date('2021-06-01T10:00:00Z'));
    ({ amiId } = await prepareCalls(db()));
    const v1 = await firstRow<{ definition: FormDefinition }>(db(), sql`select definition from appel_formulaire where appel_id = ${amiId} and version = 1`);
    const v2 = { sections: [...v1!.definition.sections, FILE_SECTION] };
    await db().execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${amiId}, 2, ${JSON.stringify(v2)}::jsonb)`);
    applicant = await signedInAs(t.app, db(), [], { displayName: 'Camille Candidate' });
    instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('un octet NUL dans le brouillon d’une candidature (API et formulaire) : 400 qui nomme le champ, rien d’écrit', async () => {
    const c = await startApplication();
    const byApi = await api(applicant, `/api/v1/candidatures/${c.id}/brouillon`, JSON.stringify({ version: c.version, donnees: { description: NUL } }));
    assertFrenchRefusal(byApi, 'donnees.description');
    const key = await api(applicant, `/api/v1/candidatures/${c.id}/brouillon`, JSON.stringify({ version: c.version, donnees: { 'a\u0000b': 'x' } }));
    assertFrenchRefusal(key, 'donnees');
    const byForm = await postForm(t.app, applicant, `/candidatures/${c.id}`, { version: String(c.version), description: NUL });
    assertFrenchRefusal(byForm, 'description');
    assert.equal(await versionOf(c.id), c.version, 'rien d’écrit');
  });

  test('un octet NUL dans un paramètre de requête ou de chemin : 400 français', async () => {
    assertFrenchRefusal(await t.app.inject(`/api/v1/organisations?q=${encodeURIComponent(NUL)}`), 'q');
    assertFrenchRefusal(await t.app.inject(`/recherche?q=${encodeURIComponent(NUL)}`), 'q');
    assertFrenchRefusal(await t.app.inject('/api/v1/territoires/commune/26%00'), 'code');
  });

  test('un commentaire de concertation, un message et une annotation d’instruction avec NUL : 400, rien d’écrit', async () => {
    const call = await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut) values ('concertation-hostile', 'Projet hostile', 'brouillon_concertation') returning id::int as id`,
    );
    const before = await count(db(), 'appel_commentaire');
    assertFrenchRefusal(await postForm(t.app, applicant, `/appels/${call!.id}/commentaires`, { section: 'phases', texte: NUL }), 'texte');
    assert.equal(await count(db(), 'appel_commentaire'), before);

    const id = await depositedApplication(db(), amiId, applicant);
    const messages = await count(db(), 'candidature_message');
    const annotations = await count(db(), 'candidature_annotation');
    assertFrenchRefusal(await postForm(t.app, instructor, `/instruction/candidatures/${id}/annotations`, { texte: NUL }), 'texte');
    assertFrenchRefusal(await postForm(t.app, instructor, `/instruction/candidatures/${id}/messages`, { texte: NUL }), 'texte');
    assertFrenchRefusal(await postForm(t.app, applicant, `/candidatures/${id}/messages`, { texte: NUL }), 'texte');
    assert.equal(await count(db(), 'candidature_message'), messages);
    assert.equal(await count(db(), 'candidature_annotation'), annotations);
  });

  test('une surrogate isolée (\\ud800) dans du JSON : 400 français, rien d’écrit', async () => {
    const c = await startApplication();
    const lone = `{"version": ${c.version}, "donnees": {"description": "a\\ud800b"}}`;
    assertFrenchRefusal(await api(applicant, `/api/v1/candidatures/${c.id}/brouillon`, lone), 'donnees.description');
    assertFrenchRefusal(await api(applicant, '/api/v1/orientation', '{"modele": "\\udfff"}'), 'modele');
    assert.equal(await versionOf(c.id), c.version);
  });

  test('du JSON imbriqué sur 3 000 niveaux : 400 français, à l’API comme à l’import d’un formulaire', async () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const c = await startApplication();
    const response = await api(applicant, `/api/v1/candidatures/${c.id}/brouillon`, `{"version": ${c.version}, "donnees": {"x": ${deep}}}`);
    assertFrenchRefusal(response, 'imbriqu');

    const form = await currentForm(db(), amiId);
    const stamp = { version: String(form.version), revision: form.revision };
    const deepForm = `{"sections": [{"titre": "A", "champs": [{"cle": "x", "type": "texte", "libelle": ${'['.repeat(3000)}${']'.repeat(3000)}}]}]}`;
    const before = await count(db(), 'appel_formulaire');
    assertFrenchRefusal(await postForm(t.app, instructor, `/gestion/appels/${amiId}/formulaire/import`, { ...stamp, definition: deepForm }), 'definition');
    const nul = JSON.stringify({ sections: [{ titre: NUL, champs: [{ cle: 'x', type: 'texte', libelle: 'X' }] }] });
    assertFrenchRefusal(await postForm(t.app, instructor, `/gestion/appels/${amiId}/formulaire/import`, { ...stamp, definition: nul }), 'definition');
    assert.equal(await count(db(), 'appel_formulaire'), before);
  });

  test('un corps multipart tronqué ou sans boundary : 400 français, aucun fichier gardé', async () => {
    const c = await startApplication();
    const url = `/candidatures/${c.id}/fichiers/budget?_csrf=${encodeURIComponent(applicant.csrf)}`;
    const boundary = '----maillagehostile';
    const truncated = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="budget.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 début sans fin`,
    );
    const cut = await t.app.inject({
      method: 'POST',
      url,
      payload: truncated,
      headers: { cookie: cookie(applicant), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assertFrenchRefusal(cut, 'budget');
    const unbounded = await t.app.inject({
      method: 'POST',
      url,
      payload: truncated,
      headers: { cookie: cookie(applicant), 'content-type': 'multipart/form-data' },
    });
    assertFrenchRefusal(unbounded, 'budget');
    assert.equal(await count(db(), 'candidature_fichier'), 0);
  });

  test('retour hors Latin-1 à la connexion : redirection encodée, session ouverte avec son cookie', async () => {
    const who = await signedInAs(t.app, db(), [], { email: `retour-${process.pid}@exemple.test` });
    for (const [retour, location] of [
      ['/日本', '/%E6%97%A5%E6%9C%AC'],
      ['/é?x=ü', '/%C3%A9?x=%C3%BC'],
      ['/a\u0001b', '/a%01b'],
    ] as const) {
      const signedIn = await who.client.get(`/compte/connexion?retour=${encodeURIComponent(retour)}`);
      assert.equal(signedIn.statusCode, 303, signedIn.body.slice(0, 200));
      assert.equal(signedIn.headers.location, location);

      const visitor = new Client(t.app);
      const form = await visitor.get(`/compte/connexion?retour=${encodeURIComponent(retour)}`);
      assert.equal(form.statusCode, 200);
      const posted = await visitor.submit(`/compte/connexion?retour=${encodeURIComponent(retour)}`, '/compte/connexion', {
        email: who.email,
        mot_de_passe: TEST_PASSWORD,
        retour,
      });
      assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
      assert.equal(posted.headers.location, location);
      assert.ok(posted.headers['set-cookie'], 'la session ouverte a son cookie');
    }
  });
});
