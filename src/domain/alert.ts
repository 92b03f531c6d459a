/**
 * Alerts: what a person can follow, and when a digest is due. Pure.
 */
import { defineEnum, type EnumCode } from './enum.ts';

export const alertKind = defineEnum({
  recherche_cooperations: 'Recherche de coopérations',
  recherche_organisations: 'Recherche de structures',
  recherche_dispositifs: 'Recherche de dispositifs',
  profil_orientation: 'Profil d’orientation',
  recherche_appels: 'Recherche d’appels à projets',
});
export type AlertKind = EnumCode<typeof alertKind>;

export const alertFrequency = defineEnum({
  quotidienne: 'Chaque jour',
  hebdomadaire: 'Chaque semaine',
});
export type AlertFrequency = EnumCode<typeof alertFrequency>;

const PERIOD_DAYS: Record<AlertFrequency, number> = { quotidienne: 1, hebdomadaire: 7 };

/**
 * A digest is due once a whole period has passed since the last period checked. A few minutes of slack let a
 * daily digest checked at 8:02 one day go out at 8:00 the next, not slip by an hourly run each day.
 */
const SLACK_MS = 10 * 60 * 1000;

export function isDigestDue(watermark: Date, frequency: AlertFrequency, now: Date): boolean {
  return now.getTime() - watermark.getTime() >= PERIOD_DAYS[frequency] * 86_400_000 - SLACK_MS;
}

/** Items listed in one digest at most; beyond, the mail says how many more and links to the search. */
export const DIGEST_MAX_ITEMS = 50;
/** Alerts one person may keep. */
export const MAX_ALERTS_PER_ACCOUNT = 50;
