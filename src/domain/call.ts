/**
 * Calls for proposals (AMI, AAP): their phases in Europe/Paris time and what the server clock makes of them.
 *
 * A phase closing « le 23 juin à minuit, délai de rigueur » closes at the end of that day: its `cloture` is the
 * last instant accepted, 23:59:59.999 Paris time, written with its offset (2021-06-23T23:59:59.999+02:00, as
 * calendar.ts does for schemes). A submission at 00:00:00.000 the next day is late. Instants are compared in
 * absolute time; the offset only says how a person in Paris reads them, summer or winter.
 */
import { z } from 'zod';
import { isOpenAt } from './calendar.ts';
import { finalite, modele, modeleEconomique, stade } from './cooperation.ts';
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

/** A call is prepared privately (brouillon), may be shown for comments (concertation), then published and closed. */
export const statutAppel = defineEnum({
  brouillon: 'En préparation',
  brouillon_concertation: 'Projet soumis à concertation',
  publie: 'Publié',
  clos: 'Clos',
});
export type StatutAppel = EnumCode<typeof statutAppel>;

/**
 * Who may apply, in the words of the orientation profile (the same restrictions a scheme carries): an absent or
 * empty list does not restrict. Legal forms are INSEE codes (level II, two digits, or level III, four).
 */
export const eligibiliteSchema = z
  .object({
    stades: z.array(stade.schema).optional(),
    modeles: z.array(modele.schema).optional(),
    finalites: z.array(finalite.schema).optional(),
    modeles_economiques: z.array(modeleEconomique.schema).optional(),
    formes_juridiques: z.array(z.string().regex(/^\d{2}(\d{2})?$/, 'une forme juridique est un code INSEE de 2 ou 4 chiffres')).optional(),
    esus_requis: z.boolean().optional(),
  })
  .strict();
export type Eligibilite = z.infer<typeof eligibiliteSchema>;

/** What the public sees of a call's timing, computed from the server clock. */
export const calendrierAppel = defineEnum({ ouvert: 'Ouvert', a_venir: 'À venir', passe: 'Passé' });
export type CalendrierAppel = EnumCode<typeof calendrierAppel>;

export interface PhaseTiming {
  ouverture: Date;
  cloture: Date;
  /** Whether applications are submitted during this phase (a selection among laureates is not one). */
  depot: boolean;
}

export function phaseOpenAt(phase: PhaseTiming, now: Date): boolean {
  return isOpenAt({ type: 'date', ouverture: phase.ouverture.toISOString(), cloture: phase.cloture.toISOString() }, now);
}

/** The phase that accepts submissions at this instant, if any. */
export function submissionPhaseAt<P extends PhaseTiming>(phases: readonly P[], now: Date): P | undefined {
  return phases.find((phase) => phase.depot && phaseOpenAt(phase, now));
}

/**
 * Open: a phase accepts submissions now. Upcoming: one will (or the call is still a draft, private or under
 * concertation: never open, whatever its dates say). Past: none will any more, or the call is closed.
 */
export function callTiming(statut: StatutAppel, phases: readonly PhaseTiming[], now: Date): CalendrierAppel {
  if (statut === 'clos') return 'passe';
  if (statut === 'brouillon' || statut === 'brouillon_concertation') return 'a_venir';
  const submission = phases.filter((p) => p.depot);
  if (submission.some((p) => phaseOpenAt(p, now))) return 'ouvert';
  if (submission.some((p) => p.ouverture.getTime() > now.getTime())) return 'a_venir';
  return 'passe';
}

/** No submission phase is open at the instant of the submission. */
export class DepotHorsDelai extends RuleError {
  constructor(message: string) {
    super('depot_hors_delai', message);
  }
}

/** Throws when no phase accepts submissions at `now` (the server's clock), with the reason in French. */
export function ensureSubmissionOpen<P extends PhaseTiming>(phases: readonly P[], now: Date): P {
  const open = submissionPhaseAt(phases, now);
  if (open) return open;
  const next = phases.filter((p) => p.depot && p.ouverture.getTime() > now.getTime()).sort((a, b) => a.ouverture.getTime() - b.ouverture.getTime())[0];
  if (next) throw new DepotHorsDelai(`Le dépôt n’est pas encore ouvert : il ouvre le ${formatParis(next.ouverture)} (heure de Paris).`);
  const last = phases.filter((p) => p.depot).sort((a, b) => b.cloture.getTime() - a.cloture.getTime())[0];
  throw new DepotHorsDelai(
    last
      ? `Le dépôt est clos depuis le ${formatParis(last.cloture)} (heure de Paris, délai de rigueur) : la candidature n’a pas été déposée.`
      : 'Cet appel ne reçoit pas de candidatures.',
  );
}

const parisDateTimeSeconds = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** « 23 juin 2021 à 23:59:59 »: seconds shown, since a deadline is to the second. */
export function formatParis(instant: Date): string {
  return parisDateTimeSeconds.format(instant);
}

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The offset of Paris from UTC at this instant, in minutes (+60 in winter, +120 in summer). */
export function parisOffsetMinutes(instant: Date): number {
  const parts = Object.fromEntries(parisParts.formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** An instant as ISO 8601 with the Paris offset and milliseconds: 2021-06-23T23:59:59.999+02:00. */
export function toParisIso(instant: Date): string {
  const offset = parisOffsetMinutes(instant);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The Paris wall-clock time `YYYY-MM-DDTHH:mm:ss.sss` as an instant (a time skipped in spring is read in winter time). */
export function parisWallClock(local: string): Date {
  const guess = new Date(`${local}Z`);
  if (Number.isNaN(guess.getTime())) throw new RangeError(`Heure invalide : ${local}`);
  const first = new Date(guess.getTime() - parisOffsetMinutes(guess) * 60_000);
  return new Date(guess.getTime() - parisOffsetMinutes(first) * 60_000);
}

/** « Le JJ/MM/AAAA à minuit, délai de rigueur »: the last instant of that day in Paris. */
export function parisEndOfDay(date: string): Date {
  return parisWallClock(`${date}T23:59:59.999`);
}

export function parisStartOfDay(date: string): Date {
  return parisWallClock(`${date}T00:00:00.000`);
}

// ——— A call's life: preparation, concertation, publication, closing ———

/** Where each state may go: back from concertation to preparation, never back from publication. */
const TRANSITIONS_APPEL: Record<StatutAppel, readonly StatutAppel[]> = {
  brouillon: ['brouillon_concertation', 'publie'],
  brouillon_concertation: ['publie', 'brouillon'],
  publie: ['clos'],
  clos: [],
};

/** What publication checks of a call, as its managers have configured it. */
export interface CallContent {
  title: string;
  organisers: number;
  /** Phases during which applications are submitted. */
  submissionPhases: number;
  /** Fields of the latest form version (0 when there is no form yet). */
  formFields: number;
  eligibilite: unknown;
}

export class AppelRuleError extends RuleError {}

export class TransitionAppelInterdite extends AppelRuleError {
  constructor(
    readonly from: StatutAppel,
    readonly to: StatutAppel,
  ) {
    super('transition_interdite', `Un appel « ${statutAppel.label(from).toLowerCase()} » ne peut pas passer à « ${statutAppel.label(to).toLowerCase()} ».`);
  }
}

/** A call not ready for the state asked: `missing` (its details) lists what to complete, in French. */
export class AppelIncomplet extends AppelRuleError {
  constructor(
    readonly to: StatutAppel,
    readonly missing: string[],
  ) {
    super('appel_incomplet', `L’appel ne peut pas passer à « ${statutAppel.label(to).toLowerCase()} » : complétez d’abord ce qui manque.`, {
      details: missing,
    });
  }
}

/**
 * What a call lacks to be shown in this state. Publication needs everything an applicant relies on; the
 * concertation draft is shown for comments on a call still taking shape, so it needs only a title, who
 * organises it and a readable eligibility (its phases and form may be what the comments are about).
 */
export function missingFor(to: StatutAppel, call: CallContent): string[] {
  if (to !== 'publie' && to !== 'brouillon_concertation') return [];
  const missing: string[] = [];
  if (!call.title.trim()) missing.push('un titre');
  if (call.organisers < 1) missing.push('au moins un organisateur');
  if (!eligibiliteSchema.safeParse(call.eligibilite).success) missing.push('une éligibilité valide');
  if (to === 'publie') {
    if (call.submissionPhases < 1) missing.push('au moins une phase de dépôt des candidatures');
    if (call.formFields < 1) missing.push('un formulaire de candidature comptant au moins un champ');
  }
  return missing;
}

/** Checks one change of a call's state; returns it or throws TransitionAppelInterdite / AppelIncomplet. */
export function transitionAppel(from: StatutAppel, to: StatutAppel, call: CallContent): { from: StatutAppel; to: StatutAppel } {
  if (!TRANSITIONS_APPEL[from].includes(to)) throw new TransitionAppelInterdite(from, to);
  const missing = missingFor(to, call);
  if (missing.length) throw new AppelIncomplet(to, missing);
  return { from, to };
}

/** The states a call may go to from `from`. */
export function nextStatutsAppel(from: StatutAppel): readonly StatutAppel[] {
  return TRANSITIONS_APPEL[from];
}

/**
 * An instant typed in Paris time: a date (AAAA-MM-JJ) and an optional time (HH:MM). Without a time, an opening
 * is the first instant of that day and a closing its last (« minuit, délai de rigueur »); with one, the instant
 * is that minute exactly. Undefined when the date or time is not a real one.
 */
export function parisInstant(date: string, time: string, edge: 'ouverture' | 'cloture'): Date | undefined {
  const day = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(day.getTime()) || !day.toISOString().startsWith(date)) return undefined;
  if (!time) return edge === 'ouverture' ? parisStartOfDay(date) : parisEndOfDay(date);
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return match ? parisWallClock(`${date}T${time}:00.000`) : undefined;
}

/** The date and time to show in a form for a stored instant: the time is left blank when the day's edge says it. */
export function parisInputs(instant: Date, edge: 'ouverture' | 'cloture'): { date: string; time: string } {
  const iso = toParisIso(instant);
  const date = iso.slice(0, 10);
  const edgeOfDay = edge === 'ouverture' ? parisStartOfDay(date) : parisEndOfDay(date);
  return { date, time: edgeOfDay.getTime() === instant.getTime() ? '' : iso.slice(11, 16) };
}

export interface StoredPhase extends PhaseTiming {
  id: number;
}
export interface EditedPhase extends PhaseTiming {
  id?: number;
  label: string;
}

/**
 * The rule for editing the phases of a published call: what already happened stays as it was. An instant
 * already past cannot be changed, a changed or new instant cannot be set in the past, and a phase that has
 * opened cannot be removed; so a closed phase is frozen, a running phase may be extended or shortened (not
 * closed before now), and future phases move freely. `now` is the server's clock. French problems, per phase.
 */
export function publishedPhaseProblems(stored: readonly StoredPhase[], edited: readonly EditedPhase[], now: Date): string[] {
  const problems: string[] = [];
  const past = (d: Date) => d.getTime() < now.getTime();
  const editedIds = new Set(edited.map((p) => p.id).filter((id) => id !== undefined));
  for (const phase of stored) {
    if (!editedIds.has(phase.id) && past(phase.ouverture)) {
      problems.push(`Une phase déjà ouverte (le ${formatParis(phase.ouverture)}) ne peut pas être retirée d’un appel publié.`);
    }
  }
  edited.forEach((phase) => {
    const before = phase.id === undefined ? undefined : stored.find((p) => p.id === phase.id);
    for (const edge of ['ouverture', 'cloture'] as const) {
      const word = edge === 'ouverture' ? 'L’ouverture' : 'La clôture';
      const was = before?.[edge];
      if (was && was.getTime() === phase[edge].getTime()) continue;
      if (was && past(was)) problems.push(`« ${phase.label} » : ${word.toLowerCase()} est passée (${formatParis(was)}) : elle ne peut plus changer.`);
      else if (past(phase[edge])) problems.push(`« ${phase.label} » : ${word.toLowerCase()} ne peut pas être fixée dans le passé sur un appel publié.`);
    }
    if (before && past(before.ouverture) && before.depot !== phase.depot) {
      problems.push(`« ${phase.label} » : cette phase a commencé ; on ne change plus si elle reçoit des candidatures.`);
    }
  });
  return problems;
}

/** A call's key (its stable identifier) made from its title: lower case, no accents, words joined by « - ». */
export function callKeyFrom(title: string): string {
  const key = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return key || 'appel';
}
