import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { OrientationInput } from '../orientation/schemas.ts';
import { describeIssues, parseSavedQuery, savedQueryString } from './schemas.ts';

z.config(z.locales.fr());

test('une recherche garde ses filtres, sans la pagination ni les champs vides', () => {
  const parsed = parseSavedQuery('recherche_cooperations', 'type=cooperations&region=84&modele=PTCE&q=&page=3');
  assert.ok(parsed.success);
  assert.deepEqual(JSON.parse(JSON.stringify(parsed.data)), { region: '84', modele: 'PTCE' });
});

test('un profil d’orientation retrouve ses listes et ses oui/non, aller et retour', () => {
  const query =
    'modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=26114' +
    '&formes_juridiques=92&formes_juridiques=5560&nouveaux_chantiers=true&agrement_esus=false';
  const parsed = parseSavedQuery('profil_orientation', query);
  assert.ok(parsed.success);
  const profile = parsed.data as OrientationInput;
  assert.deepEqual(profile.formes_juridiques, ['92', '5560']);
  assert.equal(profile.nouveaux_chantiers, true);
  assert.equal(profile.agrement_esus, false);
  const again = parseSavedQuery('profil_orientation', savedQueryString(profile));
  assert.ok(again.success);
  assert.deepEqual(again.data, parsed.data);
});

test('un paramètre invalide est dit en français, avec son nom', () => {
  const parsed = parseSavedQuery('recherche_dispositifs', 'region=Bretagne');
  assert.ok(!parsed.success);
  assert.match(describeIssues(parsed.error), /^« region » : un code de région compte 2 chiffres/);
  const profile = parseSavedQuery('profil_orientation', 'modele=PTCE&finalite=systemique&modele_economique=hybride&stade=emergence&commune=26114&inconnu=1');
  assert.ok(!profile.success, 'un champ inconnu d’un profil est refusé, comme par l’API');
});
