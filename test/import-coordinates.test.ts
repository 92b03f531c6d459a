import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legalProjectionEpsg, legalToWgs84, parseProjectedCoordinate } from '../src/domain/coordinates.ts';

const near = (actual: number | undefined, expected: number, tolerance = 1e-4) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${actual} ≉ ${expected}`);

test('Lambert-93 → WGS 84 : un point connu près de Notre-Dame de Paris', () => {
  const point = legalToWgs84(652469.0, 6862035.0, '75');
  near(point?.latitude, 48.8566, 2e-3);
  near(point?.longitude, 2.3522, 2e-3);
});

test('outre-mer : la projection légale du territoire (UTM 40S à La Réunion, 20N en Guadeloupe)', () => {
  const reunion = legalToWgs84(338811.2, 7690101.4, '974');
  near(reunion?.latitude, -20.8823);
  near(reunion?.longitude, 55.4504);
  const guadeloupe = legalToWgs84(635954.0, 1769185.0, '971');
  near(guadeloupe?.latitude, 15.9985);
  near(guadeloupe?.longitude, -61.7294);
});

test('projection par département, Corse comprise ; rien pour les collectivités du Pacifique', () => {
  assert.equal(legalProjectionEpsg('2A'), 2154);
  assert.equal(legalProjectionEpsg('01'), 2154);
  assert.equal(legalProjectionEpsg('976'), 4471);
  assert.equal(legalProjectionEpsg('988'), null);
  assert.equal(legalToWgs84(100, 100, '988'), null);
});

test('un point hors du territoire de sa projection est refusé (coordonnée fausse)', () => {
  assert.equal(legalToWgs84(652469.0, 6862035.0, '974'), null);
});

test('coordonnées vides ou non diffusibles', () => {
  assert.equal(parseProjectedCoordinate(''), null);
  assert.equal(parseProjectedCoordinate('[ND]'), null);
  assert.equal(parseProjectedCoordinate(undefined), null);
  assert.equal(parseProjectedCoordinate('abc'), null);
  assert.equal(parseProjectedCoordinate('652469.5'), 652469.5);
});
