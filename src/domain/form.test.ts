import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, fieldLabel, formDefinitionSchema, validateForm, type FieldDefinition, type FormDefinition } from './form.ts';
import { nestFields } from './form-fields.ts';

const one = (field: FieldDefinition): FormDefinition => ({ sections: [{ titre: 'S', champs: [field] }] });
const ok = (def: FormDefinition, data: unknown, mode: 'brouillon' | 'depot' = 'depot') => {
  const result = validateForm(def, mode, data);
  assert.ok(result.ok, JSON.stringify(result));
  return result.data;
};
const errors = (def: FormDefinition, data: unknown, mode: 'brouillon' | 'depot' = 'depot') => {
  const result = validateForm(def, mode, data);
  assert.ok(!result.ok, `refus attendu pour ${JSON.stringify(data)}`);
  return result.errors;
};

/** Per kind: values accepted (with what they become) and values refused (with a French message). */
const KINDS: [FieldDefinition, [unknown, unknown][], [unknown, RegExp][]][] = [
  [
    { cle: 'a', type: 'texte', libelle: 'A', max: 5 },
    [['  abc ', 'abc']],
    [
      ['abcdef', /5 caractères au plus/],
      [12, /./],
    ],
  ],
  [{ cle: 'a', type: 'texte_long', libelle: 'A' }, [['ligne 1\nligne 2', 'ligne 1\nligne 2']], [['x'.repeat(10_001), /10000 caractères au plus/]]],
  [
    { cle: 'a', type: 'nombre', libelle: 'A', min: 1, max: 20 },
    [
      ['15', 15],
      [3, 3],
    ],
    [
      ['0', /minimale est 1/],
      ['vingt', /indiquez un nombre/],
      [21, /maximale est 20/],
    ],
  ],
  [
    { cle: 'a', type: 'montant', libelle: 'A' },
    [
      ['100 000', 100000],
      ['12 500,50 €', 12500.5],
      [99.99, 99.99],
    ],
    [
      ['-5', /négatif/],
      ['1,234', /2 décimales/],
      ['beaucoup', /montant en euros/],
    ],
  ],
  [
    { cle: 'a', type: 'date', libelle: 'A' },
    [['2021-06-23', '2021-06-23']],
    [
      ['2021-02-30', /AAAA-MM-JJ/],
      ['23/06/2021', /AAAA-MM-JJ/],
    ],
  ],
  [{ cle: 'a', type: 'choix_unique', libelle: 'A', options: [{ valeur: 'x', libelle: 'X' }] }, [['x', 'x']], [['y', /options proposées/]]],
  [
    {
      cle: 'a',
      type: 'choix_multiple',
      libelle: 'A',
      options: [
        { valeur: 'x', libelle: 'X' },
        { valeur: 'y', libelle: 'Y' },
      ],
    },
    [
      ['x', ['x']],
      [
        ['y', 'x', 'y'],
        ['y', 'x'],
      ],
    ],
    [[['z'], /parmi les options/]],
  ],
  [
    { cle: 'a', type: 'oui_non', libelle: 'A' },
    [
      ['oui', true],
      ['non', false],
      [true, true],
    ],
    [['peut-être', /oui ou par non/]],
  ],
  [
    { cle: 'a', type: 'fichier', libelle: 'A' },
    [
      [
        { id: 'f1', nom: 'statuts.pdf' },
        { id: 'f1', nom: 'statuts.pdf' },
      ],
    ],
    [['statuts.pdf', /fichier invalide/]],
  ],
  [
    { cle: 'a', type: 'siret', libelle: 'A' },
    [['732 829 320 00074', '73282932000074']],
    [
      ['73282932000075', /clé de contrôle/],
      ['123', /14 chiffres/],
    ],
  ],
  [
    { cle: 'a', type: 'territoire', libelle: 'A' },
    [
      ['26281', '26281'],
      ['2A', '2A'],
      ['84', '84'],
    ],
    [['Valence', /code officiel/]],
  ],
  [{ cle: 'a', type: 'adresse', libelle: 'A' }, [['1 rue de la Paix, 75002 Paris', '1 rue de la Paix, 75002 Paris']], [['x'.repeat(501), /500 caractères/]]],
  [{ cle: 'a', type: 'email', libelle: 'A' }, [[' Claude@Exemple.FR ', 'claude@exemple.fr']], [['claude@', /e-mail invalide/]]],
  [
    { cle: 'a', type: 'telephone', libelle: 'A' },
    [
      ['01 23 45 67 89', '0123456789'],
      ['+33 6 12 34 56 78', '+33612345678'],
    ],
    [['12 34', /téléphone invalide/]],
  ],
];

test('chaque type de champ : valeurs acceptées (telles que les envoie un formulaire HTML ou l’API) et refusées', () => {
  for (const [field, accepted, refused] of KINDS) {
    for (const [input, output] of accepted) assert.deepEqual(ok(one(field), { a: input }).a, output, `${field.type} ${JSON.stringify(input)}`);
    for (const [input, message] of refused) {
      const [error] = errors(one(field), { a: input }, 'brouillon');
      assert.equal(error!.field, 'a');
      assert.match(error!.message, message, `${field.type} ${JSON.stringify(input)}`);
    }
  }
});

test('brouillon : tout peut manquer ; dépôt : les champs obligatoires sont exigés, vides compris', () => {
  const def = one({ cle: 'a', type: 'texte', libelle: 'A', obligatoire: true });
  assert.deepEqual(ok(def, {}, 'brouillon'), {});
  assert.deepEqual(ok(def, { a: '' }, 'brouillon'), {});
  assert.deepEqual(errors(def, { a: '  ' }), [{ field: 'a', message: 'ce champ est obligatoire' }]);
  assert.deepEqual(errors(def, {}), [{ field: 'a', message: 'ce champ est obligatoire' }]);
  // Even a draft refuses a malformed value, and unknown keys are dropped.
  assert.deepEqual(ok(def, { a: 'x', inconnu: 'y' }, 'brouillon'), { a: 'x' });
  const multiple = one({ cle: 'a', type: 'choix_multiple', libelle: 'A', obligatoire: true, options: [{ valeur: 'x', libelle: 'X' }] });
  assert.equal(errors(multiple, { a: [] })[0]!.field, 'a');
});

test('affichage conditionnel : un champ masqué n’est pas exigé et sa valeur est retirée ; une section aussi', () => {
  const def: FormDefinition = {
    sections: [
      {
        titre: 'S1',
        champs: [
          { cle: 'phase2', type: 'oui_non', libelle: 'Phase 2 ?' },
          { cle: 'pourquoi', type: 'texte_long', libelle: 'Pourquoi', obligatoire: true, afficher_si: { champ: 'phase2', egal: true } },
          {
            cle: 'forme',
            type: 'choix_unique',
            libelle: 'Forme',
            options: [
              { valeur: 'asso', libelle: 'Association' },
              { valeur: 'scic', libelle: 'SCIC' },
            ],
          },
          { cle: 'societaires', type: 'nombre', libelle: 'Sociétaires', obligatoire: true, afficher_si: { champ: 'forme', parmi: ['scic'] } },
        ],
      },
      { titre: 'S2', afficher_si: { champ: 'phase2', egal: true }, champs: [{ cle: 'budget', type: 'montant', libelle: 'Budget', obligatoire: true }] },
    ],
  };
  assert.deepEqual(ok(def, { phase2: 'non', pourquoi: 'ancienne réponse', forme: 'asso', societaires: '3', budget: '100' }), { phase2: false, forme: 'asso' });
  assert.deepEqual(
    errors(def, { phase2: 'oui', forme: 'scic' })
      .map((e) => e.field)
      .sort(),
    ['budget', 'pourquoi', 'societaires'],
  );
  assert.deepEqual(ok(def, { phase2: 'oui', pourquoi: 'car', forme: 'scic', societaires: '12', budget: '100 000' }), {
    phase2: true,
    pourquoi: 'car',
    forme: 'scic',
    societaires: 12,
    budget: 100000,
  });
});

test('groupe répétable : lignes vides ignorées, nombre de lignes borné, erreurs situées par ligne', () => {
  const def = one({
    cle: 'membres',
    type: 'groupe',
    libelle: 'Membres',
    obligatoire: true,
    lignes_min: 2,
    lignes_max: 3,
    champs: [
      { cle: 'nom', type: 'texte', libelle: 'Nom', obligatoire: true },
      { cle: 'siret', type: 'siret', libelle: 'SIRET' },
      { cle: 'collectivite', type: 'oui_non', libelle: 'Collectivité ?' },
      { cle: 'echelon', type: 'texte', libelle: 'Échelon', obligatoire: true, afficher_si: { champ: 'collectivite', egal: true } },
    ],
  });
  const data = nestFields({
    'membres.0.nom': 'A',
    'membres.1.nom': '',
    'membres.1.siret': '',
    'membres.2.nom': 'B',
    'membres.2.collectivite': 'oui',
    'membres.2.echelon': 'EPCI',
  });
  assert.deepEqual(ok(def, data).membres, [{ nom: 'A' }, { nom: 'B', collectivite: true, echelon: 'EPCI' }]);
  assert.deepEqual(errors(def, { membres: [{ nom: 'A' }] }), [{ field: 'membres', message: 'indiquez au moins 2 lignes' }]);
  assert.deepEqual(ok(def, { membres: [{ nom: 'A' }] }, 'brouillon'), { membres: [{ nom: 'A' }] });
  assert.match(errors(def, { membres: [{ nom: 'A' }, { nom: 'B' }, { nom: 'C' }, { nom: 'D' }] }, 'brouillon')[0]!.message, /3 lignes au plus/);
  const rowErrors = errors(def, {
    membres: [
      { nom: 'A', siret: '123' },
      { siret: '73282932000074', collectivite: 'oui' },
    ],
  });
  assert.deepEqual(rowErrors.map((e) => e.field).sort(), ['membres.0.siret', 'membres.1.echelon', 'membres.1.nom']);
  assert.equal(fieldLabel(def, 'membres.1.nom'), 'Membres, ligne 2 : Nom');
});

test('dépôt : toutes les erreurs à la fois, dans l’ordre du formulaire (format, obligatoires, lignes)', () => {
  const def: FormDefinition = {
    sections: [
      {
        titre: 'S',
        champs: [
          { cle: 'nom', type: 'texte', libelle: 'Nom', obligatoire: true },
          { cle: 'montant', type: 'montant', libelle: 'Montant', obligatoire: true },
          { cle: 'courriel', type: 'email', libelle: 'Courriel', obligatoire: true },
          { cle: 'membres', type: 'groupe', libelle: 'Membres', lignes_min: 2, champs: [{ cle: 'nom', type: 'texte', libelle: 'Nom', obligatoire: true }] },
        ],
      },
    ],
  };
  assert.deepEqual(errors(def, { montant: 'abc', membres: [{ nom: 'A' }, { nom: '' }, { nom: '  ' }] }), [
    { field: 'nom', message: 'ce champ est obligatoire' },
    { field: 'montant', message: 'indiquez un montant en euros (ex. 12 500)' },
    { field: 'courriel', message: 'ce champ est obligatoire' },
    { field: 'membres', message: 'indiquez au moins 2 lignes' },
  ]);
  // A malformed row and a count too small are told together.
  assert.deepEqual(errors(def, { nom: 'N', montant: '12', courriel: 'a@b.fr', membres: [{ nom: 'x'.repeat(501) }] }), [
    { field: 'membres', message: 'indiquez au moins 2 lignes' },
    { field: 'membres.0.nom', message: '500 caractères au plus' },
  ]);
});

test('groupe répétable : son minimum de lignes vaut aussi quand aucun de ses champs n’est envoyé', () => {
  const group = (extra: Partial<FieldDefinition>) =>
    one({ cle: 'membres', type: 'groupe', libelle: 'Membres', champs: [{ cle: 'nom', type: 'texte', libelle: 'Nom' }], ...extra });
  assert.deepEqual(errors(group({ lignes_min: 2 }), {}), [{ field: 'membres', message: 'indiquez au moins 2 lignes' }]);
  assert.deepEqual(errors(group({ lignes_min: 1 }), nestFields({ autre: 'x' })), [{ field: 'membres', message: 'indiquez au moins une ligne' }]);
  assert.deepEqual(errors(group({ obligatoire: true }), {}), [{ field: 'membres', message: 'indiquez au moins une ligne' }]);
  assert.deepEqual(ok(group({ lignes_min: 2 }), {}, 'brouillon'), {});
  assert.deepEqual(ok(group({}), {}), {});
  // Hidden by its condition, a group asks for nothing.
  const hidden: FormDefinition = {
    sections: [
      {
        titre: 'S',
        champs: [
          { cle: 'groupement', type: 'oui_non', libelle: 'Groupement ?' },
          {
            cle: 'membres',
            type: 'groupe',
            libelle: 'Membres',
            lignes_min: 2,
            afficher_si: { champ: 'groupement', egal: true },
            champs: [{ cle: 'nom', type: 'texte', libelle: 'Nom' }],
          },
        ],
      },
    ],
  };
  assert.deepEqual(ok(hidden, { groupement: 'non' }), { groupement: false });
  assert.deepEqual(ok(hidden, { groupement: 'non', membres: [{ nom: 'A' }] }), { groupement: false });
  assert.deepEqual(errors(hidden, { groupement: 'oui' }), [{ field: 'membres', message: 'indiquez au moins 2 lignes' }]);
});

test('définition : forme vérifiée par Zod, règles croisées par checkDefinition', () => {
  assert.equal(formDefinitionSchema.safeParse({ sections: [{ titre: 'S', champs: [{ cle: 'A b', type: 'texte', libelle: 'x' }] }] }).success, false);
  assert.equal(formDefinitionSchema.safeParse({ sections: [{ titre: 'S', champs: [{ cle: 'a', type: 'inconnu', libelle: 'x' }] }] }).success, false);
  assert.deepEqual(
    checkDefinition({
      sections: [
        {
          titre: 'S',
          champs: [
            { cle: 'a', type: 'texte', libelle: 'A', afficher_si: { champ: 'b', egal: 'x' } },
            { cle: 'b', type: 'choix_unique', libelle: 'B' },
            { cle: 'b', type: 'groupe', libelle: 'G' },
          ],
        },
      ],
    }).length,
    4,
  );
  assert.deepEqual(
    checkDefinition({
      sections: [
        { titre: 'S', champs: [{ cle: 'a', type: 'oui_non', libelle: 'A' }] },
        { titre: 'T', afficher_si: { champ: 'a', egal: true }, champs: [] },
      ],
    }),
    [],
  );
});

test('nestFields : noms plats d’un formulaire HTML → données imbriquées ; noms étrangers ignorés', () => {
  assert.deepEqual(
    nestFields({ titre: 'T', 'm.0.a': '1', 'm.2.a': '3', 'm.0.b': ['x', 'y'], _csrf: 'jeton', '__proto__.x': 'y', action: 'deposer' }, ['action']),
    { titre: 'T', m: [{ a: '1', b: ['x', 'y'] }, { a: '3' }] },
  );
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
