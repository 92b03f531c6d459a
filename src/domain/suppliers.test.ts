import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleError } from './rule-error.ts';
import { boxAround, checkSupplierQuestion, distanceKm, haversineTerm, haversineTermWithin } from './suppliers.ts';

const paris = { latitude: 48.8566, longitude: 2.3522 };
const lyon = { latitude: 45.764, longitude: 4.8357 };

test('distance à vol d’oiseau : Paris–Lyon environ 392 km, nulle d’un point à lui-même', () => {
  assert.ok(Math.abs(distanceKm(paris, lyon) - 392) < 2);
  assert.equal(distanceKm(paris, paris), 0);
  assert.equal(Math.round(distanceKm(paris, lyon)), Math.round(distanceKm(lyon, paris)));
});

test('le terme de haversine borne le rayon : en deçà dedans, au-delà dehors, dans l’ordre des distances', () => {
  const marseille = { latitude: 43.2965, longitude: 5.3698 };
  assert.ok(haversineTerm(paris, lyon) <= haversineTermWithin(393));
  assert.ok(haversineTerm(paris, lyon) > haversineTermWithin(391));
  assert.ok(haversineTerm(paris, lyon) < haversineTerm(paris, marseille));
  assert.equal(haversineTerm(paris, paris), 0);
});

test('la boîte d’un rayon contient tout point à cette distance, dans chaque direction', () => {
  for (const centre of [paris, lyon, { latitude: -21.1, longitude: 55.5 }, { latitude: 64, longitude: -20 }]) {
    const box = boxAround(centre, 50);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      // A point 49.9 km away in this direction (small-angle step on the sphere).
      const angle = (bearing * Math.PI) / 180;
      let point = { latitude: centre.latitude, longitude: centre.longitude };
      for (let step = 0; step < 1000 && distanceKm(centre, point) < 49.9; step++)
        point = {
          latitude: point.latitude + 0.001 * Math.cos(angle),
          longitude: point.longitude + (0.001 * Math.sin(angle)) / Math.cos((point.latitude * Math.PI) / 180),
        };
      assert.ok(point.latitude >= box.south && point.latitude <= box.north, `latitude au cap ${bearing}`);
      assert.ok(point.longitude >= box.west && point.longitude <= box.east, `longitude au cap ${bearing}`);
    }
    assert.ok(box.north - box.south < 1, 'pas plus large que nécessaire');
  }
});

test('une recherche nomme une activité et un lieu ; un rayon se mesure autour d’une commune', () => {
  const code = (question: Parameters<typeof checkSupplierQuestion>[0]) => {
    try {
      checkSupplierQuestion(question);
      return null;
    } catch (error) {
      assert.ok(error instanceof RuleError);
      assert.equal(error.kind, 'invalid');
      return error.code;
    }
  };
  assert.equal(code({ naf: '56.29A', commune: '26281', rayonKm: 50 }), null);
  assert.equal(code({ secteur: 'agriculture_alimentation', territory: 'departement:26' }), null);
  assert.equal(code({ commune: '26281' }), 'fournisseurs.activite_manquante');
  assert.equal(code({ naf: '56.29A' }), 'fournisseurs.lieu_manquant');
  assert.equal(code({ naf: '56.29A', territory: 'departement:26', rayonKm: 10 }), 'fournisseurs.rayon_sans_commune');
});
