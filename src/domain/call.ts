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

export const statutAppel = defineEnum({
  brouillon_concertation: 'Projet soumis à concertation',
  publie: 'Publié',
  clos: 'Clos',
});
export type StatutAppel = EnumCode<typeof statutAppel>;

/**
 * Who may apply, in the words of the orientation profile (the same restrictions a scheme carries): an absent or
 * empty list does not restrict. Legal forms are INSEE codes (level II, two digits, or level III, four).
 */
export const eligibiliteSchema = z.object({
  stades: z.array(stade.schema).optional(),
  modeles: z.array(modele.schema).optional(),
  finalites: z.array(finalite.schema).optional(),
  modeles_economiques: z.array(modeleEconomique.schema).optional(),
  formes_juridiques: z.array(z.string().regex(/^\d{2}(\d{2})?$/, 'une forme juridique est un code INSEE de 2 ou 4 chiffres')).optional(),
  esus_requis: z.boolean().optional(),
}).strict();
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
 * Open: a phase accepts submissions now. Upcoming: one will (or the call is still a draft under concertation).
 * Past: none will any more, or the call is closed.
 */
export function callTiming(statut: StatutAppel, phases: readonly PhaseTiming[], now: Date): CalendrierAppel {
  if (statut === 'clos') return 'passe';
  if (statut === 'brouillon_concertation') return 'a_venir';
  const submission = phases.filter((p) => p.depot);
  if (submission.some((p) => phaseOpenAt(p, now))) return 'ouvert';
  if (submission.some((p) => p.ouverture.getTime() > now.getTime())) return 'a_venir';
  return 'passe';
}

export class DepotHorsDelai extends Error {
  readonly code = 'depot_hors_delai';
}

/** Throws when no phase accepts submissions at `now` (the server's clock), with the reason in French. */
export function ensureSubmissionOpen<P extends PhaseTiming>(phases: readonly P[], now: Date): P {
  const open = submissionPhaseAt(phases, now);
  if (open) return open;
  const next = phases.filter((p) => p.depot && p.ouverture.getTime() > now.getTime()).sort((a, b) => a.ouverture.getTime() - b.ouverture.getTime())[0];
  if (next) throw new DepotHorsDelai(`Le dépôt n’est pas encore ouvert : il ouvre le ${formatParis(next.ouverture)} (heure de Paris).`);
  const last = phases.filter((p) => p.depot).sort((a, b) => b.cloture.getTime() - a.cloture.getTime())[0];
  throw new DepotHorsDelai(last
    ? `Le dépôt est clos depuis le ${formatParis(last.cloture)} (heure de Paris, délai de rigueur) : la candidature n’a pas été déposée.`
    : 'Cet appel ne reçoit pas de candidatures.');
}

const parisDateTimeSeconds = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** « 23 juin 2021 à 23:59:59 »: seconds shown, since a deadline is to the second. */
export function formatParis(instant: Date): string {
  return parisDateTimeSeconds.format(instant);
}

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
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
