import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicDir } from '../paths.ts';

let manifest: Record<string, string> | undefined;

/** The URL of a built client asset, with its content hash (scripts/build.mjs writes the manifest). */
export function assetUrl(name: 'app.css' | 'app.js' | 'map.js' | 'map.css' | 'contours.geojson' | 'favicon.svg'): string {
  manifest ??= JSON.parse(readFileSync(join(publicDir, 'manifest.json'), 'utf8')) as Record<string, string>;
  const file = manifest[name];
  if (!file) throw new Error(`Ressource ${name} absente : lancez « npm run build ».`);
  return `/assets/${file}`;
}
