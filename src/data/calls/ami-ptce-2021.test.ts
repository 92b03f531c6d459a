import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, formDefinitionSchema, validateForm, type FieldDefinition } from '../../domain/form.ts';
import { amiPtce2021 } from './ami-ptce-2021.ts';

test('AMI PTCE 2021 : phases de 004 en heure de Paris, formulaire valide', () => {
  const [phase1, phase2] = amiPtce2021.phases;
  assert.equal(phase1!.ouverture, '2021-05-12T00:00:00.000+02:00');
  assert.equal(phase1!.cloture, '2021-06-23T23:59:59.999+02:00');
  assert.equal(phase2!.cloture, '2021-11-30T23:59:59.999+01:00');
  assert.equal(phase2!.depot, false);
  assert.ok(formDefinitionSchema.safeParse(amiPtce2021.formulaire).success);
  assert.deepEqual(checkDefinition(amiPtce2021.formulaire), []);
});

test('chaque question reprise de l’appel cite 004 ; les autres sont celles de Maillage', () => {
  const fields = (list: FieldDefinition[]): FieldDefinition[] => list.flatMap((f) => [f, ...fields(f.champs ?? [])]);
  const all = fields(amiPtce2021.formulaire.sections.flatMap((s) => s.champs));
  const cited = all.filter((f) => f.source);
  assert.ok(cited.length >= 8);
  for (const field of cited) assert.match(field.source!, /^004_37a44aab6c3ef982\.txt — /, field.cle);
  // The phase-2 questions are required only for those who want phase 2.
  const answers = { nom_dynamique: 'N', territoire: '26281', description: 'D', contact_nom: 'C', contact_email: 'c@exemple.fr' };
  assert.ok(validateForm(amiPtce2021.formulaire, 'depot', { ...answers, candidat_phase2: false }).ok);
  const phase2 = validateForm(amiPtce2021.formulaire, 'depot', { ...answers, candidat_phase2: true });
  assert.deepEqual(!phase2.ok && phase2.errors.map((e) => e.field), ['appui_decisif', 'animation']);
  // 004 names no document to join: the one file field is Maillage's, and optional.
  const files = all.filter((f) => f.type === 'fichier');
  assert.deepEqual(
    files.map((f) => [f.cle, f.obligatoire ?? false, f.source]),
    [['pieces_complementaires', false, undefined]],
  );
});
