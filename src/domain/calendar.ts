/**
 * When a scheme or a call is open. Instants are ISO 8601 with their offset; people read them in
 * Europe/Paris. A closing instant is the last one allowed: « le 23 juin à minuit, délai de rigueur » is
 * stored as 2021-06-23T23:59:59.999+02:00, so 23:59:59 is in time and 00:00:00 the next day is not.
 */
export interface Period {
  ouverture?: string;
  cloture?: string;
}
export interface Wave extends Period {
  nom: string;
}
export interface Calendar extends Period {
  type: 'permanent' | 'date' | 'vagues';
  vagues?: Wave[];
}

function periodOpenAt(period: Period, now: Date): boolean {
  const t = now.getTime();
  return (!period.ouverture || Date.parse(period.ouverture) <= t) && (!period.cloture || t <= Date.parse(period.cloture));
}

/** A wave without any date is not known to be open: it is never taken as open. */
export function isOpenAt(calendar: Calendar, now: Date): boolean {
  if (calendar.type === 'permanent') return true;
  if (calendar.type === 'vagues') return (calendar.vagues ?? []).some((wave) => (wave.ouverture || wave.cloture) && periodOpenAt(wave, now));
  return periodOpenAt(calendar, now);
}

/** The next opening instant after now, if any (a wave or a period not yet open). */
export function nextOpening(calendar: Calendar, now: Date): Date | null {
  const periods = calendar.type === 'vagues' ? (calendar.vagues ?? []) : [calendar];
  const upcoming = periods
    .map((p) => (p.ouverture ? Date.parse(p.ouverture) : NaN))
    .filter((t) => t > now.getTime())
    .sort((a, b) => a - b);
  return upcoming.length ? new Date(upcoming[0]!) : null;
}

const parisDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const parisDateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** « 23 juin 2021 », in Paris time. */
export function formatParisDate(instant: Date): string {
  return parisDate.format(instant);
}

export function formatParisDateTime(instant: Date): string {
  return parisDateTime.format(instant);
}
