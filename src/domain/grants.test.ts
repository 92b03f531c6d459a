import assert from 'node:assert/strict';
import { test } from 'node:test';
import { role } from './authorization.ts';
import { parseScopeCodes, removesLastPlatformAdmin, SCOPE_HINTS, SCOPE_OF_ROLE } from './grants.ts';

test('chaque rôle a sa portée, et chaque portée son aide', () => {
  for (const code of role.codes) assert.ok(SCOPE_HINTS[SCOPE_OF_ROLE[code]], code);
  assert.equal(SCOPE_OF_ROLE.regional_moderator, 'region');
  assert.equal(SCOPE_OF_ROLE.platform_admin, 'platform');
  assert.equal(SCOPE_OF_ROLE.organisation_admin, 'organisation');
});

test('plateforme : portée vide seulement', () => {
  assert.deepEqual(parseScopeCodes('platform', '  '), { ok: true, codes: [''] });
  assert.equal(parseScopeCodes('platform', '84').ok, false);
});

test('régions : un ou plusieurs codes, dédoublonnés ; format vérifié', () => {
  assert.deepEqual(parseScopeCodes('region', '84'), { ok: true, codes: ['84'] });
  assert.deepEqual(parseScopeCodes('region', ' 84, 93 ;84 '), { ok: true, codes: ['84', '93'] });
  const bad = parseScopeCodes('region', '84, Bretagne');
  assert.deepEqual(bad, { ok: false, message: '« Bretagne » n’est pas un code de région : 2 chiffres, 3 pour l’outre-mer (ex. 84, 975).' });
  assert.equal(parseScopeCodes('region', '').ok, false);
});

test('structure : SIRET normalisé et clé de contrôle vérifiée', () => {
  assert.deepEqual(parseScopeCodes('organisation', '443 061 841 00047'), { ok: true, codes: ['44306184100047'] });
  assert.deepEqual(parseScopeCodes('organisation', '44306184100048'), { ok: false, message: 'Ce SIRET est invalide : sa clé de contrôle ne correspond pas.' });
  assert.equal(parseScopeCodes('organisation', '').ok, false);
});

test('coopération et appel : numéro entier positif', () => {
  assert.deepEqual(parseScopeCodes('cooperation', '12'), { ok: true, codes: ['12'] });
  for (const bad of ['0', '-3', '1.5', '012', 'douze', '']) assert.equal(parseScopeCodes('cooperation', bad).ok, false, bad);
  assert.deepEqual(parseScopeCodes('appel', ' 7 '), { ok: true, codes: ['7'] });
});

test('porteur : nom aux espaces normalisés, 300 caractères au plus', () => {
  assert.deepEqual(parseScopeCodes('dispositif', '  France   Active '), { ok: true, codes: ['France Active'] });
  assert.equal(parseScopeCodes('dispositif', 'x'.repeat(301)).ok, false);
  assert.equal(parseScopeCodes('dispositif', ' ').ok, false);
});

test('le dernier rôle d’administration de la plateforme ne peut partir', () => {
  assert.equal(removesLastPlatformAdmin('platform_admin', 1), true);
  assert.equal(removesLastPlatformAdmin('platform_admin', 2), false);
  assert.equal(removesLastPlatformAdmin('regional_moderator', 1), false);
});
