import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { secondsUntilAllowed, type RateRule } from './rate-limit.ts';

const rule: RateRule = { name: 'essai', limit: 5, windowSeconds: 900 };
const estimate = (current: number, previous: number, elapsed: number) => current + previous * (1 - elapsed);

/** The estimate after waiting `seconds` with no attempt, windows rolling over as they do in hit(). */
function estimateAfter(current: number, previous: number, elapsed: number, seconds: number): number {
  const at = elapsed + seconds / rule.windowSeconds;
  if (at < 1) return estimate(current, previous, at);
  if (at < 2) return estimate(0, current, at - 1);
  return 0;
}

test('Retry-After : attendre le délai annoncé suffit, et un peu moins ne suffit pas', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 40 }),
      fc.double({ min: 0, max: 0.999, noNaN: true }),
      (current, previous, elapsed) => {
        fc.pre(estimate(current, previous, elapsed) > rule.limit);
        const wait = secondsUntilAllowed(rule, current, previous, elapsed);
        assert.ok(estimateAfter(current, previous, elapsed, wait + 1e-6) <= rule.limit + 1e-9);
        if (wait > 2) assert.ok(estimateAfter(current, previous, elapsed, wait - 1) > rule.limit);
      },
    ),
    { numRuns: 2000 },
  );
});

test('Retry-After : six essais d’affilée dans une fenêtre neuve attendent la fenêtre suivante et son effacement', () => {
  // 6 attempts at the start of a window: the next window must fade 1/6 of them: 900 s + 150 s.
  assert.equal(secondsUntilAllowed(rule, 6, 0, 0), 1050);
});
