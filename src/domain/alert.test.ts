import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertFrequency, alertKind, isDigestDue } from './alert.ts';

const day = 86_400_000;
const watermark = new Date('2026-03-02T07:00:00Z');
const after = (ms: number) => new Date(watermark.getTime() + ms);

test('un résumé quotidien part une fois par jour, un hebdomadaire une fois par semaine', () => {
  assert.equal(isDigestDue(watermark, 'quotidienne', after(day / 2)), false);
  assert.equal(isDigestDue(watermark, 'quotidienne', after(day)), true);
  assert.equal(isDigestDue(watermark, 'hebdomadaire', after(6 * day)), false);
  assert.equal(isDigestDue(watermark, 'hebdomadaire', after(7 * day)), true);
});

test('quelques minutes d’avance ne décalent pas le résumé d’un passage', () => {
  assert.equal(isDigestDue(watermark, 'quotidienne', after(day - 5 * 60_000)), true);
  assert.equal(isDigestDue(watermark, 'quotidienne', after(day - 60 * 60_000)), false);
});

test('types et fréquences ont leur libellé français', () => {
  assert.equal(alertKind.label('profil_orientation'), 'Profil d’orientation');
  assert.equal(alertFrequency.label('hebdomadaire'), 'Chaque semaine');
});
