import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  callTiming, DepotHorsDelai, ensureSubmissionOpen, parisEndOfDay, parisOffsetMinutes, parisStartOfDay, toParisIso,
  type PhaseTiming,
} from './call.ts';

const at = (iso: string) => new Date(iso);
const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

test('« le 23 juin 2021 minuit, délai de rigueur » : 23:59:59.999 heure d’été, écrit avec son décalage', () => {
  const deadline = parisEndOfDay('2021-06-23');
  assert.equal(deadline.toISOString(), '2021-06-23T21:59:59.999Z');
  assert.equal(toParisIso(deadline), '2021-06-23T23:59:59.999+02:00');
  assert.equal(toParisIso(parisStartOfDay('2021-05-12')), '2021-05-12T00:00:00.000+02:00');
  assert.equal(toParisIso(parisEndOfDay('2021-11-30')), '2021-11-30T23:59:59.999+01:00');
});

test('échéance à 23:59:59.999 : dans les temps ; 1 ms plus tard : hors délai, de part et d’autre des changements d’heure', () => {
  // The two days the clocks change in 2021 (28 March: 23 h long; 31 October: 25 h long), and ordinary days.
  const days = [['2021-03-27', 60, '+01:00'], ['2021-03-28', 120, '+02:00'], ['2021-06-23', 120, '+02:00'],
    ['2021-10-30', 120, '+02:00'], ['2021-10-31', 60, '+01:00'], ['2021-12-31', 60, '+01:00']] as const;
  for (const [day, offset, nextOffset] of days) {
    const deadline = parisEndOfDay(day);
    assert.equal(parisOffsetMinutes(deadline), offset, day);
    const phases: PhaseTiming[] = [{ ouverture: at('2021-01-01T00:00:00+01:00'), cloture: deadline, depot: true }];
    assert.equal(ensureSubmissionOpen(phases, deadline), phases[0], `${day} à l’échéance`);
    assert.throws(() => ensureSubmissionOpen(phases, ms(deadline, 1)), (error: unknown) =>
      error instanceof DepotHorsDelai && /Le dépôt est clos depuis le .* à 23:59:59 \(heure de Paris, délai de rigueur\)/.test(error.message));
    // The next Paris day starts exactly 1 ms later.
    assert.equal(toParisIso(ms(deadline, 1)).slice(11), `00:00:00.000${nextOffset}`);
  }
});

test('ouverture : la veille n’est pas ouverte, le message dit quand ça ouvre', () => {
  const phases: PhaseTiming[] = [{ ouverture: parisStartOfDay('2021-05-12'), cloture: parisEndOfDay('2021-06-23'), depot: true }];
  assert.throws(() => ensureSubmissionOpen(phases, ms(parisStartOfDay('2021-05-12'), -1)), /n’est pas encore ouvert : il ouvre le 12 mai 2021 à 00:00:00/);
  assert.ok(ensureSubmissionOpen(phases, parisStartOfDay('2021-05-12')));
});

test('statut public : ouvert, à venir, passé, selon l’horloge du serveur et les seules phases de dépôt', () => {
  const phases: PhaseTiming[] = [
    { ouverture: parisStartOfDay('2021-05-12'), cloture: parisEndOfDay('2021-06-23'), depot: true },
    { ouverture: parisStartOfDay('2021-07-01'), cloture: parisEndOfDay('2021-11-30'), depot: false },
  ];
  assert.equal(callTiming('publie', phases, at('2021-05-01T12:00:00Z')), 'a_venir');
  assert.equal(callTiming('publie', phases, at('2021-06-01T12:00:00Z')), 'ouvert');
  assert.equal(callTiming('publie', phases, at('2021-09-01T12:00:00Z')), 'passe'); // phase 2: selection, not submission
  assert.equal(callTiming('brouillon_concertation', phases, at('2021-06-01T12:00:00Z')), 'a_venir');
  assert.equal(callTiming('clos', phases, at('2021-06-01T12:00:00Z')), 'passe');
  assert.throws(() => ensureSubmissionOpen([{ ...phases[1]!, depot: false }], at('2021-09-01T12:00:00Z')), /ne reçoit pas de candidatures/);
});
