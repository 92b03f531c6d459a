/**
 * The OIDC settings (config.ts: all three of issuer, client id and secret, or none; https except on loopback;
 * openid among the scopes) and what Maillage takes from the provider's claims (profileFromClaims).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { oidcSettings, profileFromClaims } from '../src/features/accounts/oidc.ts';

const ON = { OIDC_ISSUER: 'https://auth.exemple.gouv.fr/api/v2', OIDC_CLIENT_ID: 'maillage', OIDC_CLIENT_SECRET: 'secret' };

describe('Réglages OIDC', () => {
  test('désactivé par défaut ; activé avec les trois réglages, libellé ProConnect et portées de ProConnect', () => {
    assert.equal(oidcSettings(loadConfig({})), undefined);
    const settings = oidcSettings(loadConfig({ ...ON, BASE_URL: 'https://maillage.exemple.fr' }));
    assert.equal(settings?.label, 'ProConnect');
    assert.equal(settings?.scopes, 'openid email given_name usual_name');
    assert.equal(settings?.redirectUri, 'https://maillage.exemple.fr/compte/oidc/retour');
    assert.equal(settings?.postLogoutRedirectUri, 'https://maillage.exemple.fr/compte/deconnexion');
    const custom = oidcSettings(loadConfig({ ...ON, OIDC_LABEL: 'Mon fournisseur', OIDC_SCOPES: 'openid  email profile' }));
    assert.equal(custom?.label, 'Mon fournisseur');
    assert.equal(custom?.scopes, 'openid email profile');
  });

  test('réglages incomplets, http hors de la machine locale, portées sans openid : refusés en français', () => {
    assert.throws(() => loadConfig({ OIDC_ISSUER: ON.OIDC_ISSUER, OIDC_CLIENT_ID: 'maillage' }), /vont ensemble : renseignez les trois, ou aucun/);
    assert.throws(() => loadConfig({ OIDC_CLIENT_SECRET: 'secret' }), /vont ensemble/);
    assert.throws(() => loadConfig({ ...ON, OIDC_ISSUER: 'http://auth.exemple.gouv.fr' }), /doit être en https/);
    assert.throws(() => loadConfig({ ...ON, OIDC_ISSUER: 'pas une adresse' }), /OIDC_ISSUER doit être une URL/);
    assert.throws(() => loadConfig({ ...ON, OIDC_SCOPES: 'email' }), /doit contenir « openid »/);
    assert.ok(oidcSettings(loadConfig({ ...ON, OIDC_ISSUER: 'http://127.0.0.1:4000' })), 'http accepté sur la boucle locale');
    assert.ok(oidcSettings(loadConfig({ ...ON, OIDC_ISSUER: 'http://localhost:4000/oidc' })));
  });
});

describe('Profil tiré des claims du fournisseur', () => {
  test('nom : given_name + usual_name (ProConnect), sinon family_name, name, puis la partie locale de l’adresse', () => {
    assert.equal(profileFromClaims({ given_name: ' Camille ', usual_name: 'Durand', email: 'c@x.fr' }).displayName, 'Camille Durand');
    assert.equal(profileFromClaims({ given_name: 'Camille', family_name: 'Martin' }).displayName, 'Camille Martin');
    assert.equal(profileFromClaims({ name: 'Dominique Martin' }).displayName, 'Dominique Martin');
    assert.equal(profileFromClaims({ email: 'prenom.nom@exemple.fr' }).displayName, 'prenom.nom');
    assert.equal(profileFromClaims({}).displayName, undefined);
    assert.equal([...profileFromClaims({ name: 'é'.repeat(300) }).displayName!].length, 100, 'tronqué à 100 caractères');
    assert.equal(profileFromClaims({ name: 'A\u202Eb', email: 'x@exemple.fr' }).displayName, 'x', 'caractères de contrôle refusés');
  });

  test('adresse : normalisée comme à l’inscription ; confirmée seulement si email_verified vaut true', () => {
    assert.deepEqual(profileFromClaims({ email: ' Agent@Exemple.GOUV.fr ', email_verified: true, given_name: 'A' }), {
      email: 'agent@exemple.gouv.fr',
      emailVerified: true,
      displayName: 'A',
    });
    assert.equal(profileFromClaims({ email: 'agent@exemple.fr', email_verified: 'true' }).emailVerified, false);
    assert.equal(profileFromClaims({ email: 'agent@exemple.fr' }).emailVerified, false);
    assert.deepEqual(profileFromClaims({ email: 'pas-une-adresse', email_verified: true }), { emailVerified: false });
    assert.deepEqual(profileFromClaims({ email: 42 }), { emailVerified: false });
  });
});
