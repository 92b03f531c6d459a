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
