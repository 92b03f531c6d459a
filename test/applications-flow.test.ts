/**
 * Applications to the AMI PTCE 2021 through HTTP, on each real database: starting as a groupement, drafts
 * with optimistic concurrency, submission checked on the server clock (the deadline to the millisecond), the
 * receipt by mail (SMTP, PDF attached), the history of transitions, privacy between applicants, bad input,
 * and 200 concurrent submissions that lose nothing and submit nothing twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { firstRow } from '../src/db/database.ts';
import { setCallsClock } from '../src/features/calls/applications/clock.ts';
import { applicationsErasure, applicationsPersonalData } from '../src/features/calls/applications/personal-data.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { csrfOf, signedInAs, startSmtpCapture, type SmtpCapture, type TestAccount } from './support/accounts.ts';
import { siretFrom } from './support/siret.ts';

const DEADLINE = '2021-06-23T21:59:59.999Z'; // 23 June 2021, 23:59:59.999 in Paris (UTC+2)
const LATE = '2021-06-23T22:00:00.000Z';
const IN_TIME = '2021-06-01T10:00:00Z';

const COMPLETE = {
  nom_dynamique: 'Coopérations du Val de Drôme',
  territoire: '26281',
  description: 'Une dynamique de coopération entre structures de l’ESS et entreprises du bassin de Romans.',
  candidat_phase2: 'non',
  contact_nom: 'Claude Martin',
  contact_email: 'claude.martin@exemple.fr',
};

describe(`Candidatures`, () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let amiId: number;
  const at = (iso: string) => setCallsClock(() => new Date(iso));

  /** A JSON API call with the account's session and CSRF token. */
  const api = (who: TestAccount | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      payload: payload as object,
      headers: who ? { cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': who.csrf } : {},
    });
  const count = async (table: string) => (await firstRow<{ n: number }>(t.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))!.n;
  const start = async (who: TestAccount, body: object = {}) => {
    const response = await api(who, 'POST', `/api/v1/appels/${amiId}/candidatures`, {
      titre: 'Dynamique PTCE du Val de Drôme',
      porteur: 'groupement',
      chef_de_file: { siret: siretFrom(1), nom: 'Association Pilote' },
      co_candidats: [{ siret: siretFrom(2), nom: 'SCIC Partenaire' }],
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
      ...body,
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: number; version: number; statut: string };
  };

  before(async () => {
    smtp = await startSmtpCapture();
    t = await buildTestApp({ mailer: smtp.mailer });
    at(IN_TIME);
    amiId = (await t.app.inject('/api/v1/appels?q=ami%20ptce').then((r) => r.json())).resultats[0].id;
  });
  after(async () => {
    setCallsClock(() => new Date());
    await t.close();
    await smtp.close();
  });

  test('commencer en groupement : chef de file, co-candidats, version du formulaire gardée, création tracée', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db, [], { displayName: 'Claude Martin' });
    const c = await start(who);
    assert.equal(c.statut, 'brouillon');
    const full = (await api(who, 'GET', `/api/v1/candidatures/${c.id}`)).json();
    assert.equal(full.formulaire_version, 1);
    assert.equal(full.porteur, 'groupement');
    assert.deepEqual(
      full.membres.map((m: { role: string }) => m.role),
      ['chef_de_file', 'co_candidat'],
    );
    assert.deepEqual(
      full.historique.map((h: { de: string | null; vers: string; par: string }) => [h.de, h.vers, h.par]),
      [[null, 'brouillon', 'Claude Martin']],
    );
    assert.equal(full.historique[0].le, '2021-06-01T12:00:00.000+02:00');
  });

  test('mauvaises entrées : 400 en français, rien n’est écrit ; visiteur 401, adresse non vérifiée 403, appel fermé 409', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db);
    const before = await count('candidature');
    const base = { titre: 'T', porteur: 'groupement', chef_de_file: { siret: siretFrom(1), nom: 'A' } };
    for (const [body, detail] of [
      [{ ...base, chef_de_file: { siret: '12345678901234', nom: 'A' } }, /clé de contrôle/],
      [{ ...base, co_candidats: [] }, /au moins un co-candidat/],
      [{ ...base, co_candidats: [{ siret: siretFrom(1), nom: 'B' }] }, /deux fois/],
      [{ ...base, porteur: 'association' }, /coopération.*groupement/],
      [{ ...base, titre: '', co_candidats: [{ siret: siretFrom(3), nom: 'B' }] }, /titre/],
      [{ ...base, porteur: 'cooperation', cooperation_id: 999999 }, /Aucune coopération/],
    ] as const) {
      const response = await api(who, 'POST', `/api/v1/appels/${amiId}/candidatures`, body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.match(response.headers['content-type'] as string, /problem\+json/);
      assert.match(response.json().detail, detail);
    }
    assert.equal((await api(null, 'POST', `/api/v1/appels/${amiId}/candidatures`, { ...base, porteur: 'cooperation' })).statusCode, 401);
    const unverified = await signedInAs(t.app, t.database.db, [], { verified: false });
    assert.equal((await api(unverified, 'POST', `/api/v1/appels/${amiId}/candidatures`, { ...base, porteur: 'cooperation' })).statusCode, 403);
    const noToken = await t.app.inject({
      method: 'POST',
      url: `/api/v1/appels/${amiId}/candidatures`,
      payload: { ...base, porteur: 'cooperation' },
      headers: { cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(noToken.statusCode, 403);
    at(LATE);
    const closed = await api(who, 'POST', `/api/v1/appels/${amiId}/candidatures`, { ...base, porteur: 'cooperation' });
    assert.equal(closed.statusCode, 409);
    assert.match(closed.json().detail, /ne reçoit pas de candidatures/);
    assert.equal(await count('candidature'), before);
  });

  test('brouillon : enregistrement partiel, concurrence optimiste, valeur mal formée refusée sans rien écrire', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db);
    const c = await start(who);
    const saved = await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, {
      version: c.version,
      donnees: { nom_dynamique: 'Brouillon', budget_animation: '12 500' },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, c.version + 1);
    const stale = await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, { version: c.version, donnees: { nom_dynamique: 'Autre onglet' } });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.json().detail, /modifiée entre-temps/);
    const bad = await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, {
      version: c.version + 1,
      donnees: { contact_email: 'pas une adresse', membres: [{ nom: 'X', siret: '123' }] },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /« contact_email » : adresse e-mail invalide/);
    assert.match(bad.json().detail, /« membres\.0\.siret » : Le SIRET doit compter exactement 14 chiffres/);
    const current = (await api(who, 'GET', `/api/v1/candidatures/${c.id}`)).json();
    assert.equal(current.version, c.version + 1);
    // Hidden by its condition (candidat_phase2 not « oui »): the amount is not kept.
    assert.deepEqual(current.donnees, { nom_dynamique: 'Brouillon' });
  });

  test('une autre personne ne voit ni ne touche la candidature : 404 partout', async () => {
    at(IN_TIME);
    const owner = await signedInAs(t.app, t.database.db);
    const other = await signedInAs(t.app, t.database.db);
    const c = await start(owner);
    assert.equal((await api(other, 'GET', `/api/v1/candidatures/${c.id}`)).statusCode, 404);
    assert.equal((await api(other, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, { version: c.version, donnees: {} })).statusCode, 404);
    assert.equal((await api(other, 'POST', `/api/v1/candidatures/${c.id}/depot`, {})).statusCode, 404);
    for (const url of [`/candidatures/${c.id}`, `/candidatures/${c.id}/recepisse`, `/candidatures/${c.id}/recepisse.pdf`]) {
      assert.equal((await other.client.get(url)).statusCode, 404, url);
    }
    const page = await other.client.get('/candidatures');
    assert.doesNotMatch(page.body, new RegExp(`/candidatures/${c.id}"`));
    assert.equal((await api(null, 'GET', `/api/v1/candidatures/${c.id}`)).statusCode, 401);
    assert.equal((await owner.client.get(`/candidatures/${c.id}`)).statusCode, 200);
  });

  test('dépôt à 23:59:59.999 (heure de Paris) accepté, récépissé PDF par courriel ; 1 ms plus tard refusé sans rien écrire', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db, [], { displayName: 'Dominique Petit' });
    const late = await start(who, { titre: 'Trop tard' });
    const onTime = await start(who, { titre: 'Juste à temps' });
    for (const c of [late, onTime]) {
      assert.equal((await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, { version: c.version, donnees: COMPLETE })).statusCode, 200);
    }
    const incomplete = await start(who, { titre: 'Incomplète' });
    at(DEADLINE);
    const missing = await api(who, 'POST', `/api/v1/candidatures/${incomplete.id}/depot`, {});
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().detail, /« nom_dynamique » : ce champ est obligatoire/);
    assert.match(missing.json().detail, /« candidat_phase2 » : ce champ est obligatoire/);

    const transitionsBefore = await count('candidature_transition');
    at(LATE);
    const refused = await api(who, 'POST', `/api/v1/candidatures/${late.id}/depot`, {});
    assert.equal(refused.statusCode, 409);
    assert.equal(
      refused.json().detail,
      'Le dépôt est clos depuis le 23 juin 2021 à 23:59:59 (heure de Paris, délai de rigueur) : la candidature n’a pas été déposée.',
    );
    assert.equal((await api(who, 'GET', `/api/v1/candidatures/${late.id}`)).json().statut, 'brouillon');
    assert.equal(await count('candidature_transition'), transitionsBefore);

    at(DEADLINE);
    const accepted = await api(who, 'POST', `/api/v1/candidatures/${onTime.id}/depot`, {});
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().depose_le, '2021-06-23T23:59:59.999+02:00');
    const numero = accepted.json().numero_depot as string;
    assert.match(numero, new RegExp(`^2021-${amiId}-\\d{6}$`));
    const after = (await api(who, 'GET', `/api/v1/candidatures/${onTime.id}`)).json();
    assert.equal(after.statut, 'deposee');
    assert.deepEqual(
      after.historique.map((h: { de: string | null; vers: string }) => [h.de, h.vers]),
      [
        [null, 'brouillon'],
        ['brouillon', 'deposee'],
      ],
    );
    assert.equal(after.historique[1].par, 'Dominique Petit');
    const again = await api(who, 'POST', `/api/v1/candidatures/${onTime.id}/depot`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.json().detail, /déjà « déposée » : elle n’est pas déposée une seconde fois/);
    const edit = await api(who, 'POST', `/api/v1/candidatures/${onTime.id}/brouillon`, { version: after.version, donnees: COMPLETE });
    assert.equal(edit.statusCode, 409);

    const mail = await smtp.next(who.email);
    assert.match(mail.subject, new RegExp(`Récépissé de dépôt ${numero}`));
    assert.match(mail.text, /a bien été déposée le 23 juin 2021 à 23:59:59 \(heure de Paris\)/);
    assert.match(mail.html, /Numéro de dépôt/);
    const pdf = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(pdf, 'récépissé PDF joint');
    assert.equal(pdf.content.subarray(0, 5).toString(), '%PDF-');
    const audit = await firstRow<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log
      where action = 'candidature.submit' and object_id = ${String(onTime.id)}`,
    );
    assert.equal(audit!.n, 1);
  });

  test('pages : formulaire de l’appel, enregistrement, erreurs liées aux champs, dépôt, récépissé imprimable et PDF', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db);
    const form = await who.client.get(`/appels/${amiId}/candidater`);
    assert.equal(form.statusCode, 200);
    const bad = await who.client.post(`/appels/${amiId}/candidater`, {
      _csrf: csrfOf(form.body),
      titre: '',
      porteur: 'groupement',
      chef_siret: '123',
      chef_nom: 'A',
    });
    const badRow = await who.client.post(`/appels/${amiId}/candidater`, {
      _csrf: csrfOf(form.body),
      titre: 'T',
      porteur: 'groupement',
      chef_siret: siretFrom(10),
      chef_nom: 'A',
      'co.3.siret': '123',
      'co.3.nom': 'D',
    });
    assert.equal(badRow.statusCode, 400);
    assert.match(badRow.body, /<a href="#co-3-siret">Co-candidat 4, SIRET : Le SIRET doit compter exactement 14 chiffres\.<\/a>/);
    assert.match(badRow.body, /id="co-3-siret" name="co\.3\.siret" value="123"/);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="erreurs"/);
    assert.match(bad.body, /href="#chef_siret"/);
    assert.match(bad.body, /un groupement compte au moins un co-candidat/);
    const created = await who.client.post(`/appels/${amiId}/candidater`, {
      _csrf: csrfOf(form.body),
      titre: 'Par le formulaire',
      porteur: 'groupement',
      chef_siret: siretFrom(10),
      chef_nom: 'Chef',
      'co.2.siret': siretFrom(11),
      'co.2.nom': 'Co',
      'profil.stade': 'emergence',
      'profil.modele': 'PTCE',
      'profil.finalite': 'systemique',
      'profil.modele_economique': 'hybride',
    });
    assert.equal(created.statusCode, 303, created.body.match(/id="erreurs"[\s\S]*?<\/ul>/)?.[0]);
    const url = created.headers.location as string;
    const edit = await who.client.get(url);
    assert.match(edit.body, /Question ajoutée par Maillage/);
    assert.match(edit.body, /Question reprise de l’appel/);
    assert.match(edit.body, /data-autosave="\/api\/v1\/candidatures\/\d+\/brouillon"/);
    const version = edit.body.match(/name="version" value="(\d+)"/)![1]!;
    const saved = await who.client.post(url, {
      _csrf: csrfOf(edit.body),
      version,
      action: 'enregistrer',
      nom_dynamique: 'Formulaire',
      'membres.1.nom': 'Membre B',
    });
    assert.equal(saved.statusCode, 303);
    const reloaded = await who.client.get(saved.headers.location as string);
    assert.match(reloaded.body, /Brouillon enregistré/);
    assert.match(reloaded.body, /value="Membre B"/);
    const version2 = reloaded.body.match(/name="version" value="(\d+)"/)![1]!;
    const invalid = await who.client.post(url, { _csrf: csrfOf(reloaded.body), version: version2, action: 'deposer', ...COMPLETE, contact_email: 'faux' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /<a href="#champ-contact_email">Adresse e-mail : adresse e-mail invalide<\/a>/);
    assert.match(invalid.body, /aria-invalid="true"/);
    // Two ticked boxes: the same name twice, as a browser posts them.
    const entries = [
      ...Object.entries({ _csrf: csrfOf(reloaded.body), version: version2, action: 'deposer', ...COMPLETE }),
      ['groupes_travail', 'theme_1'],
      ['groupes_travail', 'theme_5'],
    ];
    const submitted = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(entries).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    assert.equal(submitted.statusCode, 303, submitted.body);
    const receipt = await who.client.get(submitted.headers.location as string);
    assert.equal(receipt.statusCode, 200);
    assert.match(receipt.body, /Récépissé de dépôt/);
    assert.match(receipt.body, /1 juin 2021 à 12:00:00 \(heure de Paris\)/);
    assert.match(receipt.body, /Mobilisation et animation du territoire ; Construction de coopérations avec les collectivités territoriales/);
    // A territory answer is named, not left as its code.
    assert.match(receipt.body, /Romans-sur-Isère \(commune 26281\)/);
    const pdf = await who.client.get(`${url}/recepisse.pdf`);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const view = await who.client.get(url);
    assert.match(view.body, /Déposée/);
    assert.doesNotMatch(view.body, /data-autosave/);
  });

  test('une panne au milieu du dépôt laisse l’ancien état : ni dépôt, ni trace, ni courriel', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db);
    const c = await start(who);
    assert.equal((await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, { version: c.version, donnees: COMPLETE })).statusCode, 200);
    // The transition row is written after the UPDATE: a failure there must take the UPDATE back with it.
    await t.database.db.execute(
      sql.raw(`create function panne_simulee() returns trigger language plpgsql as $$
      begin raise exception 'panne simulée'; end $$`),
    );
    await t.database.db.execute(
      sql.raw(`create trigger panne_simulee before insert on candidature_transition for each row
      when (new.candidature_id = ${c.id} and new.to_statut = 'deposee') execute function panne_simulee()`),
    );
    try {
      const crashed = await api(who, 'POST', `/api/v1/candidatures/${c.id}/depot`, {});
      assert.equal(crashed.statusCode, 500);
      assert.doesNotMatch(crashed.body, /panne simulée|insert|candidature_transition/);
    } finally {
      await t.database.db.execute(sql.raw('drop trigger panne_simulee on candidature_transition'));
      await t.database.db.execute(sql.raw('drop function panne_simulee()'));
    }
    const row = await firstRow<{ statut: string; numero_depot: string | null; version: number; submitted_at: Date | null }>(
      t.database.db,
      sql`select statut, numero_depot, version, submitted_at from candidature where id = ${c.id}`,
    );
    assert.deepEqual(row, { statut: 'brouillon', numero_depot: null, version: c.version + 1, submitted_at: null });
    const audit = await firstRow<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'candidature.submit' and object_id = ${String(c.id)}`,
    );
    assert.equal(audit!.n, 0);
    assert.equal(smtp.all(who.email).length, 0);
    // Once the failure is gone, the same submission goes through.
    assert.equal((await api(who, 'POST', `/api/v1/candidatures/${c.id}/depot`, {})).statusCode, 200);
  });

  test('RGPD : l’export donne ses seules candidatures ; l’effacement retire les brouillons et garde les dépôts, anonymisés', async () => {
    at(IN_TIME);
    const who = await signedInAs(t.app, t.database.db, [], { displayName: 'Alix Personne' });
    const other = await signedInAs(t.app, t.database.db);
    const draft = await start(who, { titre: 'Brouillon à effacer' });
    const submitted = await start(who, { titre: 'Dossier déposé' });
    await start(other, { titre: 'Celle d’un autre' });
    assert.equal((await api(who, 'POST', `/api/v1/candidatures/${submitted.id}/brouillon`, { version: submitted.version, donnees: COMPLETE })).statusCode, 200);
    assert.equal((await api(who, 'POST', `/api/v1/candidatures/${submitted.id}/depot`, {})).statusCode, 200);
    const exported = (await applicationsPersonalData[0]!.query(t.database.db, who.id)) as { titre: string; membres: unknown[] }[];
    assert.deepEqual(
      exported.map((c) => c.titre),
      ['Brouillon à effacer', 'Dossier déposé'],
    );
    assert.equal(exported[0]!.membres.length, 2);
    await t.database.db.transaction(async (tx) => {
      for (const step of applicationsErasure) await step.run(tx, who.id);
    });
    const left = await firstRow<{ drafts: number; kept: number; named: number }>(
      t.database.db,
      sql`select
      (select count(*)::int from candidature where id = ${draft.id}) as drafts,
      (select count(*)::int from candidature where id = ${submitted.id} and statut = 'deposee') as kept,
      (select count(*)::int from candidature_transition where actor_label = 'Alix Personne') as named`,
    );
    assert.deepEqual(left, { drafts: 0, kept: 1, named: 0 });
  });

  test('200 dépôts simultanés : chaque candidature déposée une seule fois, aucune perdue, transitions exactes', async () => {
    at(IN_TIME);
    const APPLICANTS = 25;
    const PER_APPLICANT = 4;
    const accounts = await Promise.all(Array.from({ length: APPLICANTS }, () => signedInAs(t.app, t.database.db)));
    const applications: { who: TestAccount; id: number }[] = [];
    for (const who of accounts) {
      for (let i = 0; i < PER_APPLICANT; i++) {
        const c = await start(who, { titre: `Charge ${i}` });
        assert.equal((await api(who, 'POST', `/api/v1/candidatures/${c.id}/brouillon`, { version: c.version, donnees: COMPLETE })).statusCode, 200);
        applications.push({ who, id: c.id });
      }
    }
    const transitionsBefore = await count('candidature_transition');
    at(DEADLINE);
    // Each application submitted twice at once (a double click): 200 requests in flight together.
    const requests = applications.flatMap((a) => [a, a]).map((a) => api(a.who, 'POST', `/api/v1/candidatures/${a.id}/depot`, {}));
    const responses = await Promise.all(requests);
    assert.equal(responses.length, 200);
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(
      statuses.filter((s) => s === 200).length,
      applications.length,
      JSON.stringify(responses.filter((r) => r.statusCode !== 200 && r.statusCode !== 409).map((r) => r.body)),
    );
    assert.equal(statuses.filter((s) => s === 409).length, applications.length);
    const ids = applications.map((a) => a.id);
    const summary = await firstRow<{ deposees: number; numeros: number; transitions: number; audits: number }>(
      t.database.db,
      sql`select
      (select count(*)::int from candidature where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) and statut = 'deposee') as deposees,
      (select count(distinct numero_depot)::int from candidature where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})) as numeros,
      (select count(*)::int from candidature_transition where to_statut = 'deposee' and candidature_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})) as transitions,
      (select count(*)::int from audit_log where action = 'candidature.submit' and object_id in (${sql.join(
        ids.map((id) => sql`${String(id)}`),
        sql`, `,
      )})) as audits`,
    );
    assert.deepEqual(summary, { deposees: 100, numeros: 100, transitions: 100, audits: 100 });
    assert.equal(await count('candidature_transition'), transitionsBefore + 100);
    // Every applicant gets one receipt per application.
    for (const who of accounts) {
      for (let i = 0; i < PER_APPLICANT; i++) await smtp.next(who.email);
    }
  });
});
