/**
 * The form builder through HTTP, on each real database: a form with every kind of field, a repeatable group
 * with sub-fields and conditional questions, built page by page, then accepted by the applicants' validator;
 * the versioning rule (an application keeps its version, and still validates and renders with it); a stale
 * edit (409) and bad input (400), French messages, nothing written; export and import; who may use it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { firstRow, rows } from '../src/db/database.ts';
import { FIELD_KINDS, validateForm, type FormDefinition } from '../src/domain/form.ts';
import { currentForm } from '../src/features/calls/form-builder/service.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { count, getAs, prepareCalls } from './support/instruction.ts';
import { siretFrom } from './support/siret.ts';

const cookieOf = (who: TestAccount) => [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A form post with repeated fields (checkboxes) as a browser sends it. */
function postAs(app: FastifyInstance, who: TestAccount | null, url: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams(who ? { _csrf: who.csrf } : {});
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: cookieOf(who) } : {}) },
  });
}

describe(`Constructeur de formulaires`, () => {
  let t: TestApp;
  let callId: number;
  let amiId: number;
  let instructor: TestAccount;
  const db = () => t.database.db;
  const url = (path = '', id = callId) => `/gestion/appels/${id}/formulaire${path}`;
  const stamp = async (id = callId) => {
    const form = await currentForm(db(), id);
    return { version: String(form.version), revision: form.revision };
  };
  /** Posts with the current stamp, by the instructor unless told. */
  const edit = async (path: string, fields: Record<string, string | string[]>, who = instructor, id = callId) =>
    postAs(t.app, who, url(path, id), { ...(await stamp(id)), ...fields });
  const definition = async (id = callId) => (await currentForm(db(), id)).definition;
  const written = async () => ({
    form: JSON.stringify(await rows(db(), sql`select version, definition from appel_formulaire where appel_id = ${callId} order by version`)),
    audit: await count(db(), 'audit_log'),
  });

  before(async () => {
    t = await buildTestApp();
    ({ amiId } = await prepareCalls(db()));
    const created = await firstRow<{ id: number }>(
      db(),
      sql`insert into appel (key, title, statut) values ('appel-formulaire', 'Appel à construire', 'publie') returning id::int as id`,
    );
    callId = created!.id;
    instructor = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(callId) }], { displayName: 'Inès Instructrice' });
  });
  after(async () => t.close());

  test('un formulaire avec les 15 types, un groupe et des conditions, construit page par page, accepté par le validateur des candidatures', async () => {
    const empty = await getAs(t.app, instructor, url());
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /pas encore de formulaire/);
    assert.equal((await edit('/section', { titre: 'Le projet', description: 'Ce que vous proposez' })).statusCode, 303);
    assert.equal((await edit('/section', { titre: 'Les membres' })).statusCode, 303);

    const page = await getAs(t.app, instructor, `${url('/champ')}?section=0&type=fichier`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Formats acceptés/);

    const add = async (type: string, libelle: string, extra: Record<string, string | string[]> = {}, section = '0') => {
      const response = await edit('/champ', { section, type, libelle, ...extra });
      assert.equal(response.statusCode, 303, `${type} : ${response.body.match(/role="alert"[\s\S]*?<\/div>/)?.[0] ?? response.statusCode}`);
    };
    await add('texte', 'Nom de la dynamique', { obligatoire: 'oui', max: '200', source: '004 — cahier des charges' });
    await add('texte_long', 'Description', { min: '10', max: '4 000', aide: 'En quelques lignes.' });
    await add('nombre', 'Nombre de salariés', { min: '0' });
    await add('montant', 'Budget demandé', { max: '100 000', obligatoire: 'oui' });
    await add('date', 'Date de création');
    await add('choix_unique', 'Stade', { options: 'emergence | En émergence\nDéveloppement' });
    await add('choix_multiple', 'Secteurs', { options: 'Alimentation\nMobilité\nÉnergie' });
    await add('oui_non', 'Candidat à la phase 2 ?', { cle: 'phase2' });
    await add('texte_long', 'Pourquoi la phase 2', { condition_champ: 'phase2', condition_valeurs: 'oui', obligatoire: 'oui' });
    await add('fichier', 'Statuts', { types: ['pdf', 'odt'], taille_max_mo: '5' });
    await add('siret', 'SIRET du porteur');
    await add('territoire', 'Commune');
    await add('adresse', 'Adresse');
    await add('email', 'Courriel de contact');
    await add('telephone', 'Téléphone');
    await add('groupe', 'Membres', { lignes_min: '1', lignes_max: '10', premier_libelle: 'Nom du membre' }, '1');
    for (const [type, libelle, extra] of [
      ['siret', 'SIRET du membre', {}],
      ['choix_unique', 'Rôle', { options: 'chef | Chef de file\nco | Co-candidat' }],
      ['montant', 'Part du budget', { condition_champ: 'role', condition_valeurs: 'Chef de file' }],
    ] as const) {
      const response = await edit('/champ', { groupe: 'membres', type, libelle, ...extra });
      assert.equal(response.statusCode, 303, libelle);
    }

    const def = await definition();
    const top = def.sections.flatMap((s) => s.champs);
    assert.deepEqual(new Set(top.map((f) => f.type)), new Set(FIELD_KINDS));
    assert.deepEqual(
      top.map((f) => f.cle),
      [
        'nom_de_la_dynamique',
        'description',
        'nombre_de_salaries',
        'budget_demande',
        'date_de_creation',
        'stade',
        'secteurs',
        'phase2',
        'pourquoi_la_phase_2',
        'statuts',
        'siret_du_porteur',
        'commune',
        'adresse',
        'courriel_de_contact',
        'telephone',
        'membres',
      ],
    );
    const byKey = Object.fromEntries(top.map((f) => [f.cle, f]));
    assert.deepEqual(byKey.stade!.options, [
      { valeur: 'emergence', libelle: 'En émergence' },
      { valeur: 'developpement', libelle: 'Développement' },
    ]);
    assert.deepEqual(byKey.pourquoi_la_phase_2!.afficher_si, { champ: 'phase2', egal: true });
    assert.deepEqual([byKey.statuts!.types, byKey.statuts!.taille_max_mo], [['pdf', 'odt'], 5]);
    assert.deepEqual([byKey.description!.min, byKey.description!.max, byKey.budget_demande!.max], [10, 4000, 100000]);
    assert.equal(byKey.nom_de_la_dynamique!.source, '004 — cahier des charges');
    assert.deepEqual(
      byKey.membres!.champs!.map((f) => f.cle),
      ['nom_du_membre', 'siret_du_membre', 'role', 'part_du_budget'],
    );
    assert.deepEqual(byKey.membres!.champs![3]!.afficher_si, { champ: 'role', egal: 'chef' });

    const answer = {
      nom_de_la_dynamique: 'Coopérations du Royans',
      description: 'Une dynamique de coopération locale.',
      nombre_de_salaries: '12',
      budget_demande: '85 000,50',
      date_de_creation: '2019-03-01',
      stade: 'emergence',
      secteurs: ['alimentation', 'energie'],
      phase2: 'oui',
      pourquoi_la_phase_2: 'Pour changer d’échelle.',
      statuts: { id: 'abc123', nom: 'statuts.pdf' },
      siret_du_porteur: siretFrom(1),
      commune: '26281',
      adresse: '1 place de la Mairie, 26190 Saint-Jean-en-Royans',
      courriel_de_contact: 'contact@exemple.fr',
      telephone: '04 75 00 00 00',
      membres: [{ nom_du_membre: 'Association A', siret_du_membre: siretFrom(2), role: 'chef', part_du_budget: '40 000' }],
    };
    const checked = validateForm(def, 'depot', answer);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    assert.equal(checked.data.budget_demande, 85000.5);
    const missing = validateForm(def, 'depot', { ...answer, pourquoi_la_phase_2: undefined });
    assert.ok(!missing.ok && missing.errors.some((e) => e.field === 'pourquoi_la_phase_2'));

    // The page: every field with its actions, the version, and the preview drawn by the applicants' renderer.
    const shown = await getAs(t.app, instructor, url());
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Version 1 du formulaire — aucune candidature ne l’utilise encore/);
    assert.match(shown.body, /Règle des versions/);
    assert.equal(shown.body.match(/value="supprimer"/g)?.length, 2 + 16 + 4);
    assert.match(shown.body, /<h2 id="apercu">Aperçu<\/h2>/);
    assert.match(shown.body, /id="champ-membres-0-siret_du_membre"/);
    assert.match(shown.body, /Question reprise de l’appel \(004 — cahier des charges\)/);
    const audit = await rows<{ action: string }>(db(), sql`select action from audit_log where object_kind = 'appel' and object_id = ${String(callId)}`);
    assert.ok(audit.length >= 21 && audit.every((a) => a.action === 'appel.formulaire'));
  });

  test('monter, descendre, supprimer ; bornes et dépendances refusées en français, rien n’est écrit', async () => {
    const move = (cible: string, operation: string) => edit('/element', { cible, operation });
    assert.equal((await move('champ:description', 'monter')).statusCode, 303);
    assert.deepEqual(
      (await definition()).sections[0]!.champs.slice(0, 2).map((f) => f.cle),
      ['description', 'nom_de_la_dynamique'],
    );
    assert.equal((await move('champ:description', 'descendre')).statusCode, 303);
    assert.equal((await move('champ:membres/role', 'monter')).statusCode, 303);
    assert.deepEqual(
      (await definition()).sections[1]!.champs[0]!.champs!.map((f) => f.cle),
      ['nom_du_membre', 'role', 'siret_du_membre', 'part_du_budget'],
    );

    for (const [cible, operation, message] of [
      ['champ:nom_de_la_dynamique', 'monter', /déjà le premier du formulaire/],
      ['section:0', 'monter', /déjà la première/],
      ['champ:phase2', 'supprimer', /Impossible de supprimer « Candidat à la phase 2 \? » : le champ « Pourquoi la phase 2 »/],
      ['champ:membres/role', 'supprimer', /le champ « Part du budget »/],
      ['champ:phase2', 'descendre', /dépend de « phase2 », qui doit le précéder/],
      ['champ:inconnu', 'supprimer', /n’existe pas/],
    ] as const) {
      const before = await written();
      const response = await move(cible, operation);
      assert.equal(response.statusCode, 400, cible);
      assert.match(response.body, message);
      assert.deepEqual(await written(), before);
    }
    const removable = await edit('/champ', { section: '0', type: 'texte', libelle: 'À retirer' });
    assert.equal(removable.statusCode, 303);
    assert.equal((await move('champ:a_retirer', 'supprimer')).statusCode, 303);
    assert.ok(!(await definition()).sections[0]!.champs.some((f) => f.cle === 'a_retirer'));
  });

  test('mauvaise saisie → 400, message français lié au champ, rien n’est écrit', async () => {
    const cases: [string, Record<string, string | string[]>, string, RegExp][] = [
      ['/champ', { section: '0', type: 'texte', libelle: '  ' }, 'f-libelle', /Indiquez le libellé de la question/],
      ['/champ', { section: '0', type: 'texte', libelle: 'Doublon', cle: 'phase2' }, 'f-cle', /La clé « phase2 » est déjà celle d’un autre champ/],
      [
        '/champ',
        { cle_actuelle: 'description', libelle: 'Description', condition_champ: 'phase2', condition_valeurs: 'oui' },
        'f-condition_champ',
        /placée avant/,
      ],
      ['/champ', { section: '0', type: 'choix_unique', libelle: 'Statut', options: '\n' }, 'f-options', /au moins une option/],
      ['/champ', { section: '0', type: 'fichier', libelle: 'Budget', taille_max_mo: '50' }, 'f-taille_max_mo', /10 Mo sur cette plateforme/],
      ['/champ', { section: '0', type: 'nombre', libelle: 'Effectif', min: 'beaucoup' }, 'f-min', /Indiquez un nombre pour le minimum/],
      ['/champ', { groupe: 'membres', type: 'fichier', libelle: 'Pièce' }, 'erreurs', /ni fichier ni autre groupe/],
      [
        '/champ',
        { cle_actuelle: 'role', groupe: 'membres', libelle: 'Rôle', options: 'co | Co-candidat' },
        'f-libelle',
        /dépend de la réponse « chef » à « Rôle », qui n’est pas une de ses options/,
      ],
      ['/section', { titre: '' }, 'f-titre', /Indiquez le titre de la section/],
      ['/section', { titre: 'Annexes', condition_champ: 'phase2', condition_valeurs: 'peut-être' }, 'f-condition_valeurs', /oui ou par non/],
      ['/import', { definition: '{ pas du json' }, 'f-definition', /pas du JSON valide/],
      [
        '/import',
        {
          definition: JSON.stringify({
            sections: [
              {
                titre: 'A',
                champs: [
                  { cle: 'x', type: 'texte', libelle: 'X' },
                  { cle: 'x', type: 'texte', libelle: 'Y' },
                ],
              },
            ],
          }),
        },
        'f-definition',
        /la clé « x » est en double/,
      ],
      [
        '/import',
        { definition: JSON.stringify({ sections: [{ titre: 'A', champs: [{ cle: 'f', type: 'fichier', libelle: 'F', taille_max_mo: 40 }] }] }) },
        'f-definition',
        /la plateforme accepte 10 Mo au plus/,
      ],
      ['/import', { definition: JSON.stringify({ sections: [{ titre: '', champs: [] }] }) }, 'f-definition', /Section 1, « titre »/],
    ];
    for (const [path, fields, anchor, message] of cases) {
      const before = await written();
      const response = await edit(path, fields);
      assert.equal(response.statusCode, 400, `${path} ${JSON.stringify(fields)}`);
      assert.match(response.body, message);
      if (anchor !== 'erreurs') assert.match(response.body, new RegExp(`href="#${anchor}"`));
      assert.doesNotMatch(response.body, /at .+\.ts:\d+|appel_formulaire|\bSQL\b/);
      assert.deepEqual(await written(), before);
    }
    // What was typed comes back in the page.
    const again = await edit('/champ', { section: '0', type: 'choix_unique', libelle: 'Statut gardé', options: '' });
    assert.match(again.body, /value="Statut gardé"/);
  });

  test('modification périmée (version ou révision lue dépassée) → 409 en français, rien n’est écrit', async () => {
    const old = await stamp();
    assert.equal((await edit('/champ', { cle_actuelle: 'commune', libelle: 'Commune du siège' })).statusCode, 303);
    const before = await written();
    const stale = await postAs(t.app, instructor, url('/champ'), { ...old, cle_actuelle: 'commune', libelle: 'Commune principale' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /modifié entre-temps/);
    const staleMove = await postAs(t.app, instructor, url('/element'), { ...old, cible: 'section:1', operation: 'monter' });
    assert.equal(staleMove.statusCode, 409);
    assert.deepEqual(await written(), before);
  });

  test('versions : en place tant qu’aucune candidature ne l’utilise, puis v2 ; la candidature garde sa v1, la valide et l’affiche', async () => {
    const v1 = await currentForm(db(), callId);
    assert.equal(v1.version, 1);
    const applicant = await signedInAs(t.app, db(), [], { displayName: 'Camille Candidate' });
    const draft = await firstRow<{ id: number }>(
      db(),
      sql`insert into candidature (appel_id, formulaire_version, account_id, porteur_type, title, donnees)
      values (${callId}, 1, ${applicant.id}, 'cooperation', 'Dynamique du Royans', ${JSON.stringify({ nom_de_la_dynamique: 'Royans' })}::jsonb)
      returning id::int as id`,
    );
    await db().execute(sql`insert into candidature_membre (candidature_id, position, role, siret, name)
      values (${draft!.id}, 0, 'chef_de_file', ${siretFrom(3)}, 'Association du Royans')`);
    const page = await getAs(t.app, instructor, url());
    assert.match(page.body, /Version 1 du formulaire — 1 candidature l’utilise/);
    assert.match(page.body, /Le prochain enregistrement créera la version 2/);

    const added = await edit('/champ', { section: '0', type: 'texte', libelle: 'Question de la version 2', obligatoire: 'oui' });
    assert.equal(added.statusCode, 303);
    assert.match(added.headers.location as string, /version=2/);
    const versions = await rows<{ version: number; definition: FormDefinition }>(
      db(),
      sql`select version, definition from appel_formulaire where appel_id = ${callId} order by version`,
    );
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2],
    );
    assert.deepEqual(versions[0]!.definition, v1.definition);
    assert.ok(versions[1]!.definition.sections[0]!.champs.some((f) => f.cle === 'question_de_la_version_2'));
    // A second save while v2 is unused rewrites v2 in place.
    assert.equal((await edit('/champ', { cle_actuelle: 'question_de_la_version_2', libelle: 'Question ajoutée en v2', obligatoire: 'oui' })).statusCode, 303);
    assert.equal(
      await count(db(), 'appel_formulaire'),
      versions.length + (await firstRow<{ n: number }>(db(), sql`select count(*)::int as n from appel_formulaire where appel_id <> ${callId}`))!.n,
    );
    assert.equal((await currentForm(db(), callId)).version, 2);

    // The application: still on v1, which validates its answers (the v2 question is not asked) and draws its page.
    const kept = await firstRow<{ formulaire_version: number }>(db(), sql`select formulaire_version from candidature where id = ${draft!.id}`);
    assert.equal(kept!.formulaire_version, 1);
    const answers = { nom_de_la_dynamique: 'Royans', budget_demande: '1000', pourquoi_la_phase_2: 'x', phase2: 'non', membres: [{ nom_du_membre: 'A' }] };
    const onV1 = validateForm(versions[0]!.definition, 'depot', answers);
    assert.ok(onV1.ok, JSON.stringify(onV1));
    assert.ok(!validateForm((await currentForm(db(), callId)).definition, 'depot', answers).ok);
    const shown = await getAs(t.app, applicant, `/candidatures/${draft!.id}`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /formulaire version 1/);
    assert.match(shown.body, /Nom de la dynamique/);
    assert.doesNotMatch(shown.body, /Question ajoutée en v2/);
  });

  test('export JSON et import dans un autre appel : la même définition', async () => {
    const exported = await getAs(t.app, instructor, url('.json'));
    assert.equal(exported.statusCode, 200);
    assert.match(exported.headers['content-type'] as string, /application\/json/);
    assert.deepEqual(JSON.parse(exported.body), await definition());
    const copy = await firstRow<{ id: number }>(db(), sql`insert into appel (key, title) values ('appel-copie', 'Appel copié') returning id::int as id`);
    const both = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(copy!.id) }]);
    const imported = await edit('/import', { definition: exported.body }, both, copy!.id);
    assert.equal(imported.statusCode, 303);
    assert.deepEqual(await definition(copy!.id), await definition());
    assert.equal((await currentForm(db(), copy!.id)).version, 1);
  });

  test('droits : l’instructeur d’un autre appel → 404, un candidat → 403, un visiteur → connexion', async () => {
    const other = await signedInAs(t.app, db(), [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(amiId) }]);
    const applicant = await signedInAs(t.app, db(), []);
    const before = await written();
    for (const path of ['', '.json', '/section', '/champ?section=0&type=texte']) {
      assert.equal((await getAs(t.app, other, url(path))).statusCode, 404, path);
      assert.equal((await getAs(t.app, applicant, url(path))).statusCode, 403, path);
      const visitor = await getAs(t.app, null, url(path));
      assert.equal(visitor.statusCode, 303, path);
      assert.match(visitor.headers.location as string, /^\/compte\/connexion/);
    }
    for (const path of ['/section', '/champ', '/element', '/import']) {
      assert.equal(
        (
          await edit(
            path,
            { titre: 'Intrus', section: '0', type: 'texte', libelle: 'Intrus', cible: 'section:0', operation: 'supprimer', definition: '{"sections":[]}' },
            other,
          )
        ).statusCode,
        404,
        path,
      );
      assert.equal((await edit(path, { titre: 'Intrus', libelle: 'Intrus' }, applicant)).statusCode, 403, path);
      assert.ok([401, 403].includes((await postAs(t.app, null, url(path), { titre: 'Intrus' })).statusCode), path);
    }
    assert.deepEqual(await written(), before);
    // The AMI's own instructor reaches its form; an unknown call is not found.
    assert.equal((await getAs(t.app, other, url('', amiId))).statusCode, 200);
    const admin = await signedInAs(t.app, db(), [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
    assert.equal((await getAs(t.app, admin, url('', 999_999))).statusCode, 404);
  });
});
