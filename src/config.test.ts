import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('sans BASE_URL, les liens suivent le port choisi', () => {
  assert.equal(loadConfig({ PORT: '3320' }).BASE_URL, 'http://localhost:3320');
  assert.equal(loadConfig({}).BASE_URL, 'http://localhost:3000');
  assert.equal(loadConfig({ PORT: '3320', BASE_URL: 'https://maillage.exemple.fr' }).BASE_URL, 'https://maillage.exemple.fr');
});

test('une réserve de connexions ou un délai hors bornes est refusé en français', () => {
  assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: '0' }), /Configuration invalide :\n {2}DATABASE_POOL_SIZE/);
  assert.throws(() => loadConfig({ STATEMENT_TIMEOUT_SECONDS: 'beaucoup' }), /STATEMENT_TIMEOUT_SECONDS/);
});

test('en production, l’adresse publique en https, le serveur de courriel et un mandataire précis sont exigés', () => {
  const production = {
    NODE_ENV: 'production',
    BASE_URL: 'https://maillage.exemple-cress.fr',
    SMTP_URL: 'smtp://utilisateur:motdepasse@smtp.exemple.fr:587',
    TRUST_PROXY: '127.0.0.1',
  };
  assert.equal(loadConfig(production).BASE_URL, 'https://maillage.exemple-cress.fr');
  assert.throws(() => loadConfig({ ...production, BASE_URL: '' }), /BASE_URL : obligatoire en production/);
  assert.throws(() => loadConfig({ ...production, BASE_URL: 'http://maillage.exemple-cress.fr' }), /BASE_URL : doit être en https/);
  assert.throws(() => loadConfig({ ...production, SMTP_URL: undefined }), /SMTP_URL : obligatoire en production/);
  assert.throws(() => loadConfig({ ...production, TRUST_PROXY: 'true' }), /TRUST_PROXY : « true » n’est sûr que/);
  assert.doesNotThrow(() => loadConfig({ ...production, TRUST_PROXY: 'true', HOST: '127.0.0.1' }));
  // Outside production, a development machine needs none of them.
  assert.doesNotThrow(() => loadConfig({ BASE_URL: 'http://maillage.exemple-cress.fr', TRUST_PROXY: 'true' }));
});
