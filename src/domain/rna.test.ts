import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sirenColumn, sirenFromCell, statutEssFromList } from './ess-list.ts';
import { isDissolved, isValidRna, rnaProblem, waldecAddress, waldecText, waldecWebsite } from './rna.ts';

test('identifiant RNA : W, le greffe sur 3 caractères, 6 chiffres', () => {
  for (const id of ['W751234567', 'W2A1000001', 'W9T1002867', 'W353000123']) assert.ok(isValidRna(id), id);
  for (const id of ['751234567', 'W75123456', 'W7512345678', 'w751234567', 'W75A234567', 'X751234567', '']) assert.equal(isValidRna(id), false, id);
  assert.equal(rnaProblem(''), 'identifiant RNA absent');
  assert.match(rnaProblem('W12') ?? '', /W suivi de 9 caractères attendu \(W12\)/);
  assert.equal(rnaProblem('W751234567'), null);
});

test('dissoute : position D ou S, ou une date de dissolution', () => {
  assert.equal(isDissolved('A', '0001-01-01'), false);
  assert.equal(isDissolved('A', ''), false);
  assert.equal(isDissolved('D', '0001-01-01'), true);
  assert.equal(isDissolved('S', ''), true);
  assert.equal(isDissolved('A', '2020-09-30'), true);
});

test('adresse waldec : « _ » des parties vides retiré', () => {
  assert.equal(waldecText('_Tsoundzou 2'), 'Tsoundzou 2');
  assert.equal(waldecText('_'), '');
  assert.equal(
    waldecAddress({
      complement: 'Immeuble douka',
      number: '12',
      repetition: 'B',
      streetType: 'RUE',
      street: 'du stade',
      distribution: 'B.P. 1328_',
      postcode: '97600',
      town: 'Mamoudzou',
    }),
    'Immeuble douka, 12 B RUE du stade, B.P. 1328, 97600 Mamoudzou',
  );
  const empty = { complement: '', number: '', repetition: '', streetType: '', street: '_', distribution: '_', postcode: '', town: '' };
  assert.equal(waldecAddress(empty), null);
});

test('site web : URL http(s), ou adresse sans schéma complétée', () => {
  assert.equal(waldecWebsite('https://asso.example'), 'https://asso.example');
  assert.equal(waldecWebsite('www.asso.example/accueil'), 'https://www.asso.example/accueil');
  assert.equal(waldecWebsite('néant'), null);
  assert.equal(waldecWebsite(''), null);
});

test('liste ESS : colonne SIREN et ses variantes, zéros de tête rendus', () => {
  assert.equal(sirenColumn(['SIREN', 'Nom']), 0);
  assert.equal(sirenColumn(['Raison sociale', 'N° SIREN']), 1);
  assert.equal(sirenColumn(['numero_siren']), 0);
  assert.equal(sirenColumn(['Numéro SIREN']), 0);
  assert.equal(sirenColumn(['siret']), -1);
  assert.deepEqual(sirenFromCell('732 829 320'), { siren: '732829320' });
  assert.deepEqual(sirenFromCell('5480090'), { siren: '005480090' });
  assert.deepEqual(sirenFromCell('732829321'), { problem: 'SIREN invalide (clé de contrôle) : 732829321' });
  assert.deepEqual(sirenFromCell('12'), { problem: 'SIREN invalide : 9 chiffres attendus (12)' });
  assert.deepEqual(sirenFromCell(' '), { problem: 'SIREN absent' });
});

test('liste ESS : statut ESS déduit de la forme juridique, un statut de l’ESS gardé', () => {
  assert.equal(statutEssFromList(null, '9220'), 'ess_de_droit');
  assert.equal(statutEssFromList('hors_ess', '5710'), 'ess_commerciale');
  assert.equal(statutEssFromList('agrement_esus', '5710'), 'agrement_esus');
  assert.equal(statutEssFromList('ess_de_droit', null), 'ess_de_droit');
  assert.equal(statutEssFromList('hors_ess', null), null);
});
