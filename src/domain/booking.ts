/**
 * Bookings of pooled premises and equipment (mutualisation, PRODUCT §6): which periods may be asked for, and
 * the iCalendar (RFC 5545) of a calendar. Overlaps are refused by the database itself (an exclusion constraint),
 * so that two requests made at the same instant cannot both win.
 */
import { RuleError } from './rule-error.ts';

/** A booking asks for at most a year: longer is a lease, not a booking. */
export const MAX_BOOKING_DAYS = 366;

export function checkBookingPeriod(start: Date, end: Date, now: Date): void {
  if (start.getTime() < now.getTime())
    throw new RuleError('reservation.passee', 'Le début de la réservation est passé : choisissez une date à venir.', { field: 'debut' });
  if (end.getTime() <= start.getTime())
    throw new RuleError('reservation.fin_avant_debut', 'La fin de la réservation doit venir après son début.', { field: 'fin' });
  if (end.getTime() - start.getTime() > MAX_BOOKING_DAYS * 86_400_000)
    throw new RuleError('reservation.trop_longue', `Une réservation dure au plus ${MAX_BOOKING_DAYS} jours.`, { field: 'fin' });
}

export const overlapRefusal = () =>
  new RuleError('reservation.chevauchement', 'Ce créneau chevauche une autre réservation : choisissez un autre moment dans le calendrier.', {
    kind: 'conflict',
  });

export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  status: 'TENTATIVE' | 'CONFIRMED';
}

/** A UTC instant as iCalendar writes it: 20261207T073000Z. */
const icsInstant = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded: CRLF then a space (§3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char) > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
    }
    current += char;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function icsCalendar(name: string, events: readonly CalendarEvent[], stamp: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Maillage//Mutualisation//FR',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${icsText(name)}`,
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icsInstant(stamp)}`,
      `DTSTART:${icsInstant(e.start)}`,
      `DTEND:${icsInstant(e.end)}`,
      `SUMMARY:${icsText(e.summary)}`,
      `STATUS:${e.status}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
