// Writes src/data/contours/france.geojson, the base layer of Maillage's maps: the régions and départements of
// metropolitan France, further simplified from the contours of france-geojson (IGN Admin Express COG 2018 /
// INSEE, Licence Ouverte; docs/SOURCES.md) so that the map draws France without any outside server.
//   node scripts/contours.mjs [folder holding regions- and departements-version-simplifiee.geojson]
// Each ring is simplified (Douglas-Peucker, TOLERANCE degrees) and its coordinates rounded to 3 decimals
// (about 100 m), enough for a background seen from a région down to a département.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const source = process.argv[2] ?? join(root, '../shared/data/contours');
const TOLERANCE = 0.01;
const round = (value) => Math.round(value * 1000) / 1000;

function perpendicular([px, py], [ax, ay], [bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const length = Math.hypot(dx, dy);
  return length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / length;
}

/** Douglas-Peucker on an open line (iterative: rings of thousands of points). */
function simplifyLine(points) {
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let farthest = -1;
    let distance = TOLERANCE;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicular(points[i], points[first], points[last]);
      if (d > distance) [farthest, distance] = [i, d];
    }
    if (farthest > 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** A closed ring, simplified and rounded; null when too little of it is left to draw. */
function simplifyRing(ring) {
  // Split at the point farthest from the first, so that a closed ring keeps its shape.
  let far = 1;
  for (let i = 1; i < ring.length - 1; i++) if (perpendicular(ring[i], ring[0], ring[0]) > perpendicular(ring[far], ring[0], ring[0])) far = i;
  const points = [...simplifyLine(ring.slice(0, far + 1)), ...simplifyLine(ring.slice(far)).slice(1)].map(([x, y]) => [round(x), round(y)]);
  const distinct = points.filter((point, i) => i === 0 || point[0] !== points[i - 1][0] || point[1] !== points[i - 1][1]);
  return distinct.length >= 4 ? distinct : null;
}

function simplifyPolygon(rings) {
  const outer = simplifyRing(rings[0]);
  return outer && [outer, ...rings.slice(1).map(simplifyRing).filter(Boolean)];
}

function simplifyGeometry(geometry) {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).map(simplifyPolygon).filter(Boolean);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

const features = [];
for (const [niveau, file] of [
  ['region', 'regions-version-simplifiee.geojson'],
  ['departement', 'departements-version-simplifiee.geojson'],
]) {
  const collection = JSON.parse(readFileSync(join(source, file), 'utf8'));
  for (const feature of collection.features) {
    const { code, nom } = feature.properties;
    features.push({ type: 'Feature', properties: { niveau, code, nom }, geometry: simplifyGeometry(feature.geometry) });
  }
}
const output = join(root, 'src/data/contours/france.geojson');
mkdirSync(join(root, 'src/data/contours'), { recursive: true });
const text = `${JSON.stringify({
  type: 'FeatureCollection',
  attribution: 'Contours : IGN Admin Express COG 2018 / INSEE, simplifiés par france-geojson, Licence Ouverte',
  features,
})}\n`;
writeFileSync(output, text);
console.log(`${output}: ${features.length} contours, ${Math.round(text.length / 1024)} Kio`);
