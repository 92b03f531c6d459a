/**
 * SIRENE gives establishment coordinates in the legal projection of their territory: Lambert-93 in
 * metropolitan France, a UTM zone overseas. This converts them to WGS 84 (what maps use), choosing the
 * projection by the département of the establishment's commune. The projection definitions are those of
 * @etalab/project-legal (the reverse conversion, published by Etalab).
 */
import { createRequire } from 'node:module';
import proj4 from 'proj4';

const require = createRequire(import.meta.url);

interface LegalProjection {
  epsg: number;
  proj4: string;
  /** [min longitude, min latitude, max longitude, max latitude] of the territory it covers. */
  bounds: [number, number, number, number];
}

const LAMBERT_93 = 2154;

/** Overseas départements and collectivities of the COG, by their three-digit code. */
const OVERSEAS_EPSG: Record<string, number> = {
  '971': 5490, // Guadeloupe: RGAF09 / UTM 20N
  '972': 5490, // Martinique
  '977': 5490, // Saint-Barthélemy
  '978': 5490, // Saint-Martin
  '973': 2972, // Guyane: RGFG95 / UTM 22N
  '974': 2975, // La Réunion: RGR92 / UTM 40S
  '975': 4467, // Saint-Pierre-et-Miquelon: RGSPM06 / UTM 21N
  '976': 4471, // Mayotte: RGM04 / UTM 38S
};

const projections = new Map((require('@etalab/project-legal/projections.json') as LegalProjection[]).map((p) => [p.epsg, p]));
const converters = new Map<number, proj4.Converter>();

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** EPSG code of the legal projection used in a département, or null where SIRENE gives no usable one. */
export function legalProjectionEpsg(departementCode: string): number | null {
  if (/^(\d{2}|2[AB])$/.test(departementCode)) return LAMBERT_93;
  return OVERSEAS_EPSG[departementCode] ?? null;
}

function converter(epsg: number): proj4.Converter {
  let found = converters.get(epsg);
  if (!found) {
    found = proj4(projections.get(epsg)!.proj4, 'WGS84');
    converters.set(epsg, found);
  }
  return found;
}

/** Six decimals of a degree is about 10 cm: more would only be noise. */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * WGS 84 position of projected coordinates (metres) in a département; null when the département has no
 * legal projection or when the point falls outside the territory (a wrong coordinate in the source).
 */
export function legalToWgs84(x: number, y: number, departementCode: string): LatLon | null {
  const epsg = legalProjectionEpsg(departementCode);
  if (epsg === null || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  const [longitude, latitude] = converter(epsg).forward([x, y]) as [number, number];
  const [minLon, minLat, maxLon, maxLat] = projections.get(epsg)!.bounds;
  if (!(longitude >= minLon && longitude <= maxLon && latitude >= minLat && latitude <= maxLat)) return null;
  return { latitude: round6(latitude), longitude: round6(longitude) };
}

/** A coordinate as SIRENE writes it: a decimal number, empty or "[ND]" (not diffusible) when unknown. */
export function parseProjectedCoordinate(text: string | undefined): number | null {
  if (!text || text === '[ND]') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
