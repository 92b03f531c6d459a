import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AppelIncomplet,
  callKeyFrom,
  callTiming,
  DepotHorsDelai,
  ensureSubmissionOpen,
  missingFor,
  parisEndOfDay,
  parisInputs,
  parisInstant,
  parisOffsetMinutes,
  parisStartOfDay,
  publishedPhaseProblems,
  toParisIso,
  TransitionAppelInterdite,
  transitionAppel,
  type CallContent,
  type PhaseTiming,
  type StatutAppel,
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
  const days = [
    ['2021-03-27', 60, '+01:00'],
    ['2021-03-28', 120, '+02:00'],
    ['2021-06-23', 120, '+02:00'],
    ['2021-10-30', 120, '+02:00'],
    ['2021-10-31', 60, '+01:00'],
    ['2021-12-31', 60, '+01:00'],
  ] as const;
  for (const [day, offset, nextOffset] of days) {
    const deadline = parisEndOfDay(day);
    assert.equal(parisOffsetMinutes(deadline), offset, day);
    const phases: PhaseTiming[] = [{ ouverture: at('2021-01-01T00:00:00+01:00'), cloture: deadline, depot: true }];
    assert.equal(ensureSubmissionOpen(phases, deadline), phases[0], `${day} à l’échéance`);
    assert.throws(
      () => ensureSubmissionOpen(phases, ms(deadline, 1)),
      (error: unknown) =>
        error instanceof DepotHorsDelai && /Le dépôt est clos depuis le .* à 23:59:59 \(heure de Paris, délai de rigueur\)/.test(error.message),
    );
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

const ready: CallContent = { title: 'Appel', organisers: 1, submissionPhases: 1, formFields: 3, eligibilite: { stades: ['emergence'] } };

test('un appel en préparation n’est jamais ouvert, quelles que soient ses dates', () => {
  const phases: PhaseTiming[] = [{ ouverture: parisStartOfDay('2021-05-12'), cloture: parisEndOfDay('2021-06-23'), depot: true }];
  assert.equal(callTiming('brouillon', phases, at('2021-06-01T12:00:00Z')), 'a_venir');
  assert.equal(callTiming('publie', phases, at('2021-06-01T12:00:00Z')), 'ouvert');
});

test('transitions d’un appel : celles permises, les autres refusées par leur nom', () => {
  const allowed: [StatutAppel, StatutAppel][] = [
    ['brouillon', 'brouillon_concertation'],
    ['brouillon', 'publie'],
    ['brouillon_concertation', 'publie'],
    ['brouillon_concertation', 'brouillon'],
    ['publie', 'clos'],
  ];
  const all: StatutAppel[] = ['brouillon', 'brouillon_concertation', 'publie', 'clos'];
  for (const from of all) {
    for (const to of all) {
      const ok = allowed.some(([f, t]) => f === from && t === to);
      if (ok) assert.deepEqual(transitionAppel(from, to, ready), { from, to }, `${from} → ${to}`);
      else assert.throws(() => transitionAppel(from, to, ready), TransitionAppelInterdite, `${from} → ${to}`);
    }
  }
  assert.throws(() => transitionAppel('publie', 'brouillon', ready), /Un appel « publié » ne peut pas passer à « en préparation »/);
});

test('publier demande titre, organisateur, phase de dépôt, formulaire et éligibilité valide ; la concertation moins', () => {
  const empty: CallContent = { title: ' ', organisers: 0, submissionPhases: 0, formFields: 0, eligibilite: { stades: ['inconnu'] } };
  assert.deepEqual(missingFor('publie', empty), [
    'un titre',
    'au moins un organisateur',
    'une éligibilité valide',
    'au moins une phase de dépôt des candidatures',
    'un formulaire de candidature comptant au moins un champ',
  ]);
  assert.deepEqual(missingFor('brouillon_concertation', { ...ready, submissionPhases: 0, formFields: 0 }), []);
  assert.deepEqual(missingFor('brouillon_concertation', { ...ready, organisers: 0 }), ['au moins un organisateur']);
  assert.throws(
    () => transitionAppel('brouillon', 'publie', { ...ready, formFields: 0 }),
    (error: unknown) =>
      error instanceof AppelIncomplet &&
      error.kind === 'conflict' &&
      /complétez d’abord ce qui manque/.test(error.message) &&
      error.details.join() === 'un formulaire de candidature comptant au moins un champ',
  );
  assert.deepEqual(missingFor('clos', empty), []);
});

test('dates saisies en heure de Paris : minuit délai de rigueur, heure exacte, changements d’heure 2027', () => {
  assert.equal(toParisIso(parisInstant('2027-03-28', '', 'cloture')!), '2027-03-28T23:59:59.999+02:00');
  assert.equal(toParisIso(parisInstant('2027-10-31', '', 'cloture')!), '2027-10-31T23:59:59.999+01:00');
  assert.equal(toParisIso(parisInstant('2027-03-28', '', 'ouverture')!), '2027-03-28T00:00:00.000+01:00');
  assert.equal(toParisIso(parisInstant('2027-06-15', '12:30', 'cloture')!), '2027-06-15T12:30:00.000+02:00');
  for (const [date, time] of [
    ['2027-02-30', ''],
    ['2027-02-32', ''],
    ['15/06/2027', ''],
    ['2027-06-15', '24:00'],
    ['2027-06-15', '9h'],
  ]) {
    assert.equal(parisInstant(date!, time!, 'cloture'), undefined, `${date} ${time}`);
  }
  assert.deepEqual(parisInputs(parisEndOfDay('2027-03-28'), 'cloture'), { date: '2027-03-28', time: '' });
  assert.deepEqual(parisInputs(parisInstant('2027-06-15', '12:30', 'cloture')!, 'cloture'), { date: '2027-06-15', time: '12:30' });
  assert.deepEqual(parisInputs(parisStartOfDay('2027-10-31'), 'ouverture'), { date: '2027-10-31', time: '' });
});

test('phases d’un appel publié : le passé est figé, le futur libre, une phase en cours se prolonge', () => {
  const now = at('2027-06-01T12:00:00Z');
  const closed = { id: 1, ouverture: parisStartOfDay('2027-01-01'), cloture: parisEndOfDay('2027-03-01'), depot: true };
  const running = { id: 2, ouverture: parisStartOfDay('2027-05-01'), cloture: parisEndOfDay('2027-06-30'), depot: true };
  const future = { id: 3, ouverture: parisStartOfDay('2027-09-01'), cloture: parisEndOfDay('2027-10-31'), depot: true };
  const stored = [closed, running, future];
  const same = stored.map((p) => ({ ...p, label: `Phase ${p.id}` }));
  assert.deepEqual(publishedPhaseProblems(stored, same, now), []);
  // Extend the running phase, move the future one, add a new future one: fine.
  assert.deepEqual(
    publishedPhaseProblems(
      stored,
      [
        same[0]!,
        { ...same[1]!, cloture: parisEndOfDay('2027-07-15') },
        { ...same[2]!, ouverture: parisStartOfDay('2027-09-15') },
        { label: 'Vague 2', ouverture: parisStartOfDay('2028-01-01'), cloture: parisEndOfDay('2028-02-01'), depot: true },
      ],
      now,
    ),
    [],
  );
  // Remove only the future phase: fine; remove a phase that has opened: refused.
  assert.deepEqual(publishedPhaseProblems(stored, [same[0]!, same[1]!], now), []);
  assert.match(publishedPhaseProblems(stored, [same[1]!, same[2]!], now).join(' '), /déjà ouverte .* ne peut pas être retirée/);
  // Change a closed phase, close the running one in the past, move its opening, add a phase in the past: refused.
  assert.match(
    publishedPhaseProblems(stored, [{ ...same[0]!, cloture: parisEndOfDay('2027-03-02') }, same[1]!, same[2]!], now).join(' '),
    /« Phase 1 » : la clôture est passée/,
  );
  assert.match(
    publishedPhaseProblems(stored, [same[0]!, { ...same[1]!, cloture: parisEndOfDay('2027-05-15') }, same[2]!], now).join(' '),
    /« Phase 2 » : la clôture ne peut pas être fixée dans le passé/,
  );
  assert.match(
    publishedPhaseProblems(stored, [same[0]!, { ...same[1]!, ouverture: parisStartOfDay('2027-05-02') }, same[2]!], now).join(' '),
    /« Phase 2 » : l’ouverture est passée/,
  );
  assert.match(
    publishedPhaseProblems(
      stored,
      [...same, { label: 'Rétro', ouverture: parisStartOfDay('2027-01-01'), cloture: parisEndOfDay('2027-12-01'), depot: true }],
      now,
    ).join(' '),
    /« Rétro » : l’ouverture ne peut pas être fixée dans le passé/,
  );
  assert.match(publishedPhaseProblems(stored, [same[0]!, { ...same[1]!, depot: false }, same[2]!], now).join(' '), /« Phase 2 » : cette phase a commencé/);
});

test('clé d’un appel tirée de son titre', () => {
  assert.equal(callKeyFrom('AMI « Pôles territoriaux » 2027 — Île-de-France'), 'ami-poles-territoriaux-2027-ile-de-france');
  assert.equal(callKeyFrom('  !!! '), 'appel');
  assert.ok(callKeyFrom('a'.repeat(100)).length <= 60);
});
