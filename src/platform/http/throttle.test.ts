import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { delayAfterFailures, failuresAfterOneMore, SIGN_IN_THROTTLES, type ThrottleRule } from './throttle.ts';

const rule: ThrottleRule = SIGN_IN_THROTTLES.perAccountAndAddress;

test('délais : rien avant le seuil, puis le double à chaque échec, plafonné', () => {
  assert.deepEqual(
    Array.from({ length: 14 }, (_, i) => delayAfterFailures(rule, i + 1)),
    [0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600],
  );
  assert.equal(delayAfterFailures(rule, 100_000), 3600, 'pas de débordement');
  assert.equal(delayAfterFailures(SIGN_IN_THROTTLES.perAddress, 19), 0);
  assert.equal(delayAfterFailures(SIGN_IN_THROTTLES.perAddress, 20), 60);
});

test('délais : jamais plus courts quand les échecs s’accumulent', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 500 }), (failures) => delayAfterFailures(rule, failures + 1) >= delayAfterFailures(rule, failures)));
});

test('une série oubliée (un jour sans échec) repart de 1 ; sinon elle continue', () => {
  assert.equal(failuresAfterOneMore(rule, 0, null), 1);
  assert.equal(failuresAfterOneMore(rule, 7, 3600), 8);
  assert.equal(failuresAfterOneMore(rule, 7, rule.forgetAfterSeconds - 1), 8);
  assert.equal(failuresAfterOneMore(rule, 7, rule.forgetAfterSeconds), 1);
  // Forgetting must come after the longest wait, or waiting out a delay would start a fresh run.
  for (const r of Object.values(SIGN_IN_THROTTLES)) assert.ok(r.forgetAfterSeconds > r.maxDelaySeconds, r.name);
});
