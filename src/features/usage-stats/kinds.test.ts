import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usageKinds, type FinishedRequest } from './kinds.ts';

const get = (route: string | undefined, extra: Partial<FinishedRequest> = {}): FinishedRequest => ({ method: 'GET', route, status: 200, html: true, ...extra });
const post = (route: string, status: number, location?: string): FinishedRequest => ({ method: 'POST', route, status, location, html: false });

describe('Statistiques d’usage : ce que compte une requête', () => {
  test('une recherche, page ou API, est une recherche ; la page est aussi une page vue', () => {
    assert.deepEqual(usageKinds(get('/recherche')), ['recherche', 'vue_recherche']);
    assert.deepEqual(usageKinds(get('/api/v1/cooperations', { html: false })), ['recherche']);
    assert.deepEqual(usageKinds(get('/api/v1/dispositifs', { html: false })), ['recherche_dispositifs']);
  });

  test('une recherche refusée (400) ou une fiche introuvable ne compte pas', () => {
    assert.deepEqual(usageKinds(get('/api/v1/cooperations', { status: 400, html: false })), []);
    assert.deepEqual(usageKinds(get('/cooperations/:id', { status: 404 })), []);
    assert.deepEqual(usageKinds(get(undefined, { status: 404 })), []);
  });

  test('les pages vues par sorte, les autres pages en « autre », les fichiers jamais', () => {
    assert.deepEqual(usageKinds(get('/')), ['vue_accueil']);
    assert.deepEqual(usageKinds(get('/cooperations/:id')), ['vue_cooperation']);
    assert.deepEqual(usageKinds(get('/observatoire')), ['vue_observatoire']);
    assert.deepEqual(usageKinds(get('/compte')), ['vue_autre']);
    assert.deepEqual(usageKinds(get('/assets/*', { html: false })), []);
  });

  test('orientations et candidatures commencées ou déposées, seulement quand elles ont réussi', () => {
    assert.deepEqual(usageKinds(get('/orientation/resultat')), ['orientation', 'vue_orientation']);
    assert.deepEqual(usageKinds(post('/api/v1/orientation', 200)), ['orientation']);
    assert.deepEqual(usageKinds(post('/appels/:id/candidater', 303, '/candidatures/4')), ['candidature_commencee']);
    assert.deepEqual(usageKinds(post('/appels/:id/candidater', 400)), []);
    assert.deepEqual(usageKinds(post('/api/v1/appels/:id/candidatures', 201)), ['candidature_commencee']);
    assert.deepEqual(usageKinds(post('/candidatures/:id', 303, '/candidatures/4/recepisse')), ['candidature_deposee']);
    assert.deepEqual(usageKinds(post('/candidatures/:id', 303, '/candidatures/4?enregistre=1')), []);
    assert.deepEqual(usageKinds(post('/api/v1/candidatures/:id/depot', 200)), ['candidature_deposee']);
  });
});
