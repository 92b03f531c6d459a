import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, type FieldDefinition, type FormDefinition } from './form.ts';
import {
  addField,
  addSection,
  buildField,
  buildSection,
  conditionFrom,
  conditionProblems,
  conditionValues,
  FormEditError,
  keyFromLabel,
  moveField,
  moveSection,
  optionsText,
  parseOptions,
  platformProblems,
  precedingFields,
  removeField,
  removeSection,
  slugify,
  updateField,
  updateSection,
} from './form-editing.ts';

const form = (): FormDefinition => ({
  sections: [
    {
      titre: 'Projet',
      champs: [
        { cle: 'nom', type: 'texte', libelle: 'Nom' },
        { cle: 'phase2', type: 'oui_non', libelle: 'Phase 2 ?' },
        { cle: 'motivation', type: 'texte_long', libelle: 'Motivation', afficher_si: { champ: 'phase2', egal: true } },
      ],
    },
    {
      titre: 'Membres',
      afficher_si: { champ: 'phase2', egal: true },
      champs: [
        {
          cle: 'membres',
          type: 'groupe',
          libelle: 'Membres',
          champs: [
            { cle: 'siret', type: 'siret', libelle: 'SIRET' },
            {
              cle: 'role',
              type: 'choix_unique',
              libelle: 'Rôle',
              options: [
                { valeur: 'chef', libelle: 'Chef de file' },
                { valeur: 'co', libelle: 'Co-candidat' },
              ],
            },
            { cle: 'part', type: 'montant', libelle: 'Part', afficher_si: { champ: 'role', egal: 'chef' } },
          ],
        },
      ],
    },
  ],
});

const refused = (run: () => unknown, pattern: RegExp, input?: string) =>
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof FormEditError);
    assert.match(error.message, pattern);
    if (input) assert.equal(error.input, input);
    return true;
  });

test('clés : tirées du libellé, en minuscules sans accents, toujours valides et uniques', () => {
  assert.equal(slugify('Chiffre d’affaires 2020 (€) — Œuvre'), 'chiffre_d_affaires_2020_oeuvre');
  assert.equal(keyFromLabel('Année de création', []), 'annee_de_creation');
  assert.equal(keyFromLabel('Nom', ['nom', 'nom_2']), 'nom_3');
  assert.equal(keyFromLabel('2e adresse', []), 'champ_2e_adresse');
  assert.equal(keyFromLabel('€€€', []), 'champ');
  const long = keyFromLabel('a'.repeat(200), []);
  assert.ok(long.length <= 60 && /^[a-z][a-z0-9_]*$/.test(long));
});

test('options : une par ligne, « valeur | libellé » ou le libellé seul ; doublons et libellés vides refusés', () => {
  assert.deepEqual(parseOptions('ptce | Pôle territorial\n\n  Tiers-lieu  \r\nSCIC'), [
    { valeur: 'ptce', libelle: 'Pôle territorial' },
    { valeur: 'tiers_lieu', libelle: 'Tiers-lieu' },
    { valeur: 'scic', libelle: 'SCIC' },
  ]);
  assert.equal(optionsText(parseOptions('a | A\nb | B')), 'a | A\nb | B');
  assert.deepEqual(parseOptions(''), []);
  refused(() => parseOptions('Oui\noui'), /même valeur « oui »/, 'options');
  refused(() => parseOptions('x |  '), /libellé/, 'options');
});

test('conditions : un champ précédent et une valeur, ou plusieurs ; oui/non en booléen ; libellé d’option accepté', () => {
  const def = form();
  const before = precedingFields(def, { section: 0 });
  assert.deepEqual(conditionFrom('phase2', 'Oui', before), { champ: 'phase2', egal: true });
  const group = precedingFields(def, { section: 1, groupe: 'membres' });
  assert.deepEqual(conditionFrom('role', 'Chef de file', group), { champ: 'role', egal: 'chef' });
  assert.deepEqual(conditionFrom('role', 'chef\nco\nchef', group), { champ: 'role', parmi: ['chef', 'co'] });
  assert.equal(conditionFrom(undefined, 'x', before), undefined);
  assert.equal(conditionValues({ champ: 'role', parmi: ['chef', 'co'] }), 'chef\nco');
  assert.equal(conditionValues({ champ: 'phase2', egal: false }), 'non');
  refused(() => conditionFrom('motivation', 'x', precedingFields(def, { section: 0, cle: 'phase2' })), /placée avant/, 'condition_champ');
  refused(() => conditionFrom('phase2', '', before), /Indiquez la réponse/, 'condition_valeurs');
  refused(() => conditionFrom('phase2', 'peut-être', before), /oui ou par non/, 'condition_valeurs');
  refused(() => conditionFrom('role', 'autre', group), /n’est pas une option/, 'condition_valeurs');
  // A section's condition names a field of an earlier section only.
  assert.deepEqual(
    precedingFields(def, { beforeSection: 1 }).map((f) => f.cle),
    ['nom', 'phase2', 'motivation'],
  );
});

test('construire un champ : réglages du type, clé générée ou choisie, refus nommant l’entrée en faute', () => {
  const def = form();
  const level = def.sections.flatMap((s) => s.champs);
  const context = { level, preceding: level, maxMb: 10 };
  assert.deepEqual(
    buildField({ type: 'montant', libelle: 'Budget total', obligatoire: true, min: 0, max: 500000, options: 'ignorée', source: '004' }, context),
    { cle: 'budget_total', type: 'montant', libelle: 'Budget total', obligatoire: true, min: 0, max: 500000, source: '004' },
  );
  assert.deepEqual(buildField({ type: 'fichier', libelle: 'Statuts', types: ['pdf', 'pdf'], taille_max_mo: 5 }, context), {
    cle: 'statuts',
    type: 'fichier',
    libelle: 'Statuts',
    types: ['pdf'],
    taille_max_mo: 5,
  });
  assert.equal(buildField({ type: 'texte', libelle: 'Nom' }, context).cle, 'nom_2');
  const kept = buildField({ type: 'texte', libelle: 'Nom de la dynamique' }, { ...context, existing: level[0] });
  assert.equal(kept.cle, 'nom');
  const group = buildField({ type: 'groupe', libelle: 'Partenaires', lignes_min: 1, lignes_max: 5, premier_libelle: 'Nom du partenaire' }, context);
  assert.deepEqual(group.champs, [{ cle: 'nom_du_partenaire', type: 'texte', libelle: 'Nom du partenaire' }]);
  const edited = buildField({ type: 'groupe', libelle: 'Membres du groupement' }, { ...context, existing: level[3] });
  assert.equal(edited.champs?.length, 3);
  refused(() => buildField({ type: 'choix_unique', libelle: 'Statut' }, context), /au moins une option/, 'options');
  refused(() => buildField({ type: 'texte', libelle: 'X', cle: 'phase2' }, context), /déjà celle d’un autre champ/, 'cle');
  refused(() => buildField({ type: 'texte', libelle: 'X', cle: 'Pas Valide' }, context), /lettre minuscule/, 'cle');
  refused(() => buildField({ type: 'nombre', libelle: 'X', min: 5, max: 1 }, context), /minimum dépasse/, 'min');
  refused(() => buildField({ type: 'fichier', libelle: 'X', taille_max_mo: 50 }, context), /10 Mo/, 'taille_max_mo');
  refused(() => buildField({ type: 'groupe', libelle: 'X' }, context), /premier champ/, 'premier_libelle');
  refused(() => buildField({ type: 'groupe', libelle: 'X', premier_libelle: 'Y', premier_type: 'fichier' }, context), /ni fichier/, 'premier_type');
  refused(() => buildField({ type: 'groupe', libelle: 'X', lignes_min: 4, lignes_max: 2, premier_libelle: 'Y' }, context), /lignes/, 'lignes_min');
  assert.deepEqual(buildSection({ titre: 'Annexes', condition_champ: 'phase2', condition_valeurs: 'non' }, level), {
    titre: 'Annexes',
    afficher_si: { champ: 'phase2', egal: false },
  });
});

test('sections : ajouter, modifier, déplacer (bornes refusées), supprimer (pas la dernière, pas si on en dépend)', () => {
  let def = addSection(form(), { titre: 'Annexes' });
  assert.deepEqual(
    def.sections.map((s) => s.titre),
    ['Projet', 'Membres', 'Annexes'],
  );
  def = updateSection(def, 2, { titre: 'Pièces jointes', description: 'Les documents' });
  assert.equal(def.sections[2]!.description, 'Les documents');
  def = moveSection(def, 2, 'monter');
  assert.deepEqual(
    def.sections.map((s) => s.titre),
    ['Projet', 'Pièces jointes', 'Membres'],
  );
  refused(() => moveSection(def, 0, 'monter'), /déjà la première/);
  refused(() => moveSection(def, 2, 'descendre'), /déjà la dernière/);
  refused(() => moveSection(def, 7, 'monter'), /n’existe pas/);
  refused(() => removeSection(def, 0), /dépend d’un de ses champs/);
  def = removeSection(def, 1);
  assert.deepEqual(
    def.sections.map((s) => s.titre),
    ['Projet', 'Membres'],
  );
  refused(() => removeSection({ sections: [{ titre: 'Seule', champs: [] }] }, 0), /au moins une section/);
  assert.deepEqual(checkDefinition(def), []);
});

test('champs : ajouter en fin de section ou de groupe, modifier (la nouvelle clé suit dans les conditions)', () => {
  const ville: FieldDefinition = { cle: 'ville', type: 'territoire', libelle: 'Commune' };
  let def = addField(form(), { section: 0 }, ville);
  assert.deepEqual(
    def.sections[0]!.champs.map((f) => f.cle),
    ['nom', 'phase2', 'motivation', 'ville'],
  );
  def = addField(def, { section: 1, groupe: 'membres' }, { cle: 'email', type: 'email', libelle: 'Courriel' });
  assert.deepEqual(
    def.sections[1]!.champs[0]!.champs!.map((f) => f.cle),
    ['siret', 'role', 'part', 'email'],
  );
  refused(() => addField(def, { section: 0 }, { ...ville }), /déjà celle/, 'cle');
  refused(() => addField(def, { section: 0, groupe: 'nom' }, ville), /groupe « nom » n’existe pas/);
  def = updateField(def, { cle: 'phase2' }, { cle: 'candidat_phase2', type: 'oui_non', libelle: 'Candidat à la phase 2 ?' });
  assert.equal(def.sections[0]!.champs[2]!.afficher_si?.champ, 'candidat_phase2');
  assert.equal(def.sections[1]!.afficher_si?.champ, 'candidat_phase2');
  def = updateField(
    def,
    { cle: 'role', groupe: 'membres' },
    { cle: 'qualite', type: 'choix_unique', libelle: 'Qualité', options: [{ valeur: 'chef', libelle: 'Chef' }] },
  );
  assert.equal(def.sections[1]!.champs[0]!.champs![2]!.afficher_si?.champ, 'qualite');
  refused(() => updateField(def, { cle: 'nom' }, { cle: 'ville', type: 'texte', libelle: 'Nom' }), /déjà celle/, 'cle');
  refused(() => updateField(def, { cle: 'inconnu' }, ville), /n’existe pas/);
  assert.deepEqual(checkDefinition(def), []);
});

test('déplacer un champ : d’une section à l’autre aux bornes, dans son groupe seulement, refus au bout du formulaire', () => {
  let def = moveField(form(), { cle: 'membres' }, 'monter');
  assert.deepEqual(
    def.sections.map((s) => s.champs.map((f) => f.cle)),
    [['nom', 'phase2', 'motivation', 'membres'], []],
  );
  def = moveField(def, { cle: 'membres' }, 'descendre');
  assert.deepEqual(
    def.sections.map((s) => s.champs.map((f) => f.cle)),
    [['nom', 'phase2', 'motivation'], ['membres']],
  );
  def = moveField(def, { cle: 'nom' }, 'descendre');
  assert.deepEqual(
    def.sections[0]!.champs.map((f) => f.cle),
    ['phase2', 'nom', 'motivation'],
  );
  refused(() => moveField(def, { cle: 'phase2' }, 'monter'), /déjà le premier du formulaire/);
  refused(() => moveField(def, { cle: 'membres' }, 'descendre'), /déjà le dernier du formulaire/);
  def = moveField(def, { cle: 'siret', groupe: 'membres' }, 'descendre');
  assert.deepEqual(
    def.sections[1]!.champs[0]!.champs!.map((f) => f.cle),
    ['role', 'siret', 'part'],
  );
  refused(() => moveField(def, { cle: 'role', groupe: 'membres' }, 'monter'), /premier de son groupe/);
  refused(() => moveField(def, { cle: 'part', groupe: 'membres' }, 'descendre'), /dernier de son groupe/);
  // Moving a condition's source after its dependent is caught by checkDefinition before any save.
  const broken = moveField(form(), { cle: 'phase2' }, 'descendre');
  assert.match(checkDefinition(broken).join(' '), /dépend de « phase2 », qui doit le précéder/);
});

test('supprimer un champ : refusé en français quand une condition le nomme, sinon retiré avec ses sous-champs', () => {
  refused(() => removeField(form(), { cle: 'phase2' }), /Impossible de supprimer « Phase 2 \? » : le champ « Motivation », la section 2 « Membres »/);
  refused(() => removeField(form(), { cle: 'role', groupe: 'membres' }), /le champ « Part »/);
  let def = removeField(form(), { cle: 'motivation' });
  def = removeField(def, { cle: 'part', groupe: 'membres' });
  def = removeField(def, { cle: 'role', groupe: 'membres' });
  assert.deepEqual(
    def.sections[1]!.champs[0]!.champs!.map((f) => f.cle),
    ['siret'],
  );
  def = removeField(def, { cle: 'membres' });
  assert.deepEqual(
    def.sections.map((s) => s.champs.length),
    [2, 0],
  );
  assert.deepEqual(checkDefinition(def), []);
});

test('limite de la plateforme : un fichier ne demande jamais plus que MAX_UPLOAD_MB', () => {
  const def: FormDefinition = {
    sections: [
      {
        titre: 'Pièces',
        champs: [
          { cle: 'a', type: 'fichier', libelle: 'Budget', taille_max_mo: 20 },
          { cle: 'b', type: 'fichier', libelle: 'Statuts', taille_max_mo: 2 },
        ],
      },
    ],
  };
  assert.deepEqual(platformProblems(def, 10), ['Le fichier « Budget » demande 20 Mo : la plateforme accepte 10 Mo au plus.']);
  assert.deepEqual(platformProblems(def, 20), []);
});

test('conditions impossibles : une valeur qui n’est plus une option, autre chose que oui/non', () => {
  assert.deepEqual(conditionProblems(form()), []);
  let def = updateField(
    form(),
    { cle: 'role', groupe: 'membres' },
    { cle: 'role', type: 'choix_unique', libelle: 'Rôle', options: [{ valeur: 'co', libelle: 'Co' }] },
  );
  def = updateSection(def, 1, { titre: 'Membres', afficher_si: { champ: 'phase2', parmi: ['oui'] } });
  assert.deepEqual(conditionProblems(def), [
    'La section 2 « Membres » dépend de « Phase 2 ? », qui se répond par oui ou par non.',
    'Le champ « Part » du groupe « Membres » dépend de la réponse « chef » à « Rôle », qui n’est pas une de ses options.',
  ]);
});
