import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorText, retryDelaySeconds } from './retry.ts';

test('le délai entre deux tentatives grandit puis plafonne à 6 heures', () => {
  assert.deepEqual([1, 2, 3, 4].map(retryDelaySeconds), [30, 120, 480, 1920]);
  assert.equal(retryDelaySeconds(50), 6 * 3600);
  assert.equal(retryDelaySeconds(0), 30);
});

test('une erreur est gardée par son message seul, borné', () => {
  assert.equal(errorText(new Error('SMTP indisponible')), 'SMTP indisponible');
  assert.equal(errorText('texte'), 'texte');
  assert.equal(errorText(new Error('')), 'erreur sans message');
  assert.equal(errorText(new Error('x'.repeat(5000))).length, 2000);
});
