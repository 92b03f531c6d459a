/**
 * Circuit-court supplier search (document 003, « Le circuit court levier pour une autre approche économique »):
 * a buyer looks for ESS suppliers of an activity near a commune or inside a territory. The rules here: which
 * questions make sense, how far is a supplier, and the box a radius fits in (what an index can search).
 */
import { RuleError } from './rule-error.ts';

export const MIN_RADIUS_KM = 1;
export const MAX_RADIUS_KM = 200;
export const DEFAULT_RADIUS_KM = 30;

/** Mean radius of the Earth (IUGG), in kilometres. */
const EARTH_RADIUS_KM = 6371.0088;

export interface Point {
  latitude: number;
  longitude: number;
}

export interface SupplierQuestion {
  naf?: string;
  secteur?: string;
  commune?: string;
  rayonKm?: number;
  territory?: string;
}

/** A supplier search names an activity and a place; a radius is measured from a commune. */
export function checkSupplierQuestion(question: SupplierQuestion): void {
  if (!question.naf && !question.secteur)
    throw new RuleError('fournisseurs.activite_manquante', 'Indiquez l’activité recherchée : un code NAF (ex. 56.29A) ou un secteur.', { field: 'naf' });
  if (!question.commune && !question.territory)
    throw new RuleError('fournisseurs.lieu_manquant', 'Indiquez où chercher : une commune (avec un rayon) ou un territoire (région, département, EPCI).', {
      field: 'commune',
    });
  if (question.rayonKm !== undefined && !question.commune)
    throw new RuleError('fournisseurs.rayon_sans_commune', 'Un rayon se mesure autour d’une commune : indiquez la commune.', { field: 'commune' });
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The haversine term of two points, from 0 (same point) to 1 (antipodes): it grows with the distance, so a
 * search filters and ranks on it (what the SQL of the supplier search computes) and turns it into kilometres
 * only for the rows it shows.
 */
export function haversineTerm(a: Point, b: Point): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  return Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
}

/** The haversine term of two points `radiusKm` apart: a point is within the radius when its term is at most this. */
export const haversineTermWithin = (radiusKm: number) => Math.sin(radiusKm / EARTH_RADIUS_KM / 2) ** 2;

/** Great-circle distance (haversine), in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(haversineTerm(a, b))));
}

export interface Box {
  south: number;
  west: number;
  north: number;
  east: number;
}

/**
 * The latitude–longitude box that holds every point within `radiusKm` of `centre`: what an index narrows to
 * before the exact distance. The longitude span widens with latitude (meridians converge toward the poles).
 */
export function boxAround(centre: Point, radiusKm: number): Box {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cosLat = Math.cos(radians(Math.min(89, Math.abs(centre.latitude) + dLat)));
  const dLon = Math.min(180, dLat / cosLat);
  return { south: centre.latitude - dLat, north: centre.latitude + dLat, west: centre.longitude - dLon, east: centre.longitude + dLon };
}

/** Distances are shown to the hundred metres: more would be noise on a commune's centre. */
export const roundKm = (km: number) => Math.round(km * 10) / 10;
