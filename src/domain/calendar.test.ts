import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatParisDate, isOpenAt, nextOpening, type Calendar } from './calendar.ts';

// AMI PTCE 2021, phase 1 (004): from 12 May 2021 to 23 June 2021 at midnight, Paris time (UTC+2 in summer).
const phase1: Calendar = { type: 'date', ouverture: '2021-05-12T00:00:00+02:00', cloture: '2021-06-23T23:59:59.999+02:00' };

test('la clôture « à minuit » : 23:59:59 heure de Paris est dans les temps, 00:00:00 le lendemain ne l’est plus', () => {
  assert.equal(isOpenAt(phase1, new Date('2021-06-23T21:59:59Z')), true); // 23:59:59 à Paris
  assert.equal(isOpenAt(phase1, new Date('2021-06-23T22:00:00Z')), false); // 00:00:00 le 24 à Paris
});

test("l'ouverture est comprise, la veille ne l'est pas", () => {
  assert.equal(isOpenAt(phase1, new Date('2021-05-11T22:00:00Z')), true);
  assert.equal(isOpenAt(phase1, new Date('2021-05-11T21:59:59.999Z')), false);
  assert.deepEqual(nextOpening(phase1, new Date('2021-05-01T00:00:00Z')), new Date('2021-05-11T22:00:00Z'));
});

test("l'heure d'hiver est respectée (UTC+1)", () => {
  const winter: Calendar = { type: 'date', cloture: '2021-12-31T23:59:59.999+01:00' };
  assert.equal(isOpenAt(winter, new Date('2021-12-31T22:59:59Z')), true);
  assert.equal(isOpenAt(winter, new Date('2021-12-31T23:00:00Z')), false);
});

test('par vagues : ouvert pendant une vague, prochaine vague annoncée entre deux', () => {
  const waves: Calendar = {
    type: 'vagues',
    vagues: [
      { nom: 'Vague 1', ouverture: '2021-05-12T00:00:00+02:00', cloture: '2021-06-23T23:59:59.999+02:00' },
      { nom: 'Vague 2', ouverture: '2022-01-10T00:00:00+01:00', cloture: '2022-03-01T23:59:59.999+01:00' },
    ],
  };
  assert.equal(isOpenAt(waves, new Date('2021-06-01T10:00:00Z')), true);
  assert.equal(isOpenAt(waves, new Date('2021-09-01T10:00:00Z')), false);
  assert.equal(formatParisDate(nextOpening(waves, new Date('2021-09-01T10:00:00Z'))!), '10 janvier 2022');
  assert.equal(isOpenAt({ type: 'permanent' }, new Date()), true);
});
