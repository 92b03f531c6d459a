import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBookingPeriod, icsCalendar } from './booking.ts';
import { RuleError } from './rule-error.ts';

const now = new Date('2026-12-07T08:00:00Z');
const at = (iso: string) => new Date(iso);

test('une réservation à venir, qui finit après son début, d’un an au plus', () => {
  checkBookingPeriod(at('2026-12-08T09:00:00Z'), at('2026-12-08T12:00:00Z'), now);
  const code = (start: string, end: string) => {
    try {
      checkBookingPeriod(at(start), at(end), now);
      return null;
    } catch (error) {
      assert.ok(error instanceof RuleError && error.kind === 'invalid');
      return error.code;
    }
  };
  assert.equal(code('2026-12-06T09:00:00Z', '2026-12-08T12:00:00Z'), 'reservation.passee');
  assert.equal(code('2026-12-08T12:00:00Z', '2026-12-08T12:00:00Z'), 'reservation.fin_avant_debut');
  assert.equal(code('2026-12-08T12:00:00Z', '2026-12-08T09:00:00Z'), 'reservation.fin_avant_debut');
  assert.equal(code('2026-12-08T12:00:00Z', '2028-12-08T09:00:00Z'), 'reservation.trop_longue');
});

test('iCalendar : instants UTC, textes échappés, lignes pliées à 75 octets, CRLF', () => {
  const ics = icsCalendar(
    'Salle, four; atelier',
    [
      {
        uid: 'reservation-1@maillage',
        start: at('2026-12-08T09:00:00Z'),
        end: at('2026-12-08T12:30:00Z'),
        summary: `Réservé ${'é'.repeat(60)}`,
        status: 'CONFIRMED',
      },
    ],
    now,
  );
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.match(ics, /X-WR-CALNAME:Salle\\, four\\; atelier\r\n/);
  assert.match(ics, /DTSTART:20261208T090000Z\r\nDTEND:20261208T123000Z\r\n/);
  for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.match(ics, /\r\n é/, 'la suite d’une ligne pliée commence par une espace');
  assert.ok(!/\n(?<!\r\n)/.test(ics.replace(/\r\n/g, '')), 'pas de LF seul');
});
