/**
 * The floor stays a floor: each layer imports only what is under it, and a feature imports another feature
 * only through the short list below, each with its reason. A new arrow fails here until it is either moved
 * to the platform, passed in by the composition root (app.ts), or added to the list with its reason; an arrow
 * that is gone must leave the list.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');

/**
 * Feature → feature imports that remain, and why. Each is a deliberate service of one feature to others; the
 * list is kept short: 94 arrows and 17 mutual pairs before the platform layer, page widgets and the regrouping;
 * 24 and none after them; 28 with the capabilities added since, still without a cycle.
 */
const ALLOWED_FEATURE_IMPORTS: Record<string, string> = {
  // The Atlas search engine and its contract: every page that lists or matches organisations, cooperations
  // or schemes uses the same filters and the same SQL, so that a filter means the same thing everywhere.
  'alerts → atlas': 'digests match new records with the search code itself',
  'calls → atlas': 'territory filter of the public call search',
  'catalogue → atlas': 'territory resolution of the scheme search',
  'catalogue-interop → atlas': 'territory resolution of the exported schemes',
  'home → atlas': 'search links and result cards of the home page',
  'orientation → atlas': 'territory resolution of a profile',
  'territories → atlas': 'counts and lists of a territory page',
  'cartography → atlas': 'choropleths of the zones blanches are drawn by the Atlas map',
  'observatory → atlas': 'each figure links to the Atlas search that produces it; counts kept under the search generation',
  'observatory → indicators': 'the indicator dashboards read the published aggregates',
  'alerts → catalogue': 'digests of scheme searches',
  'calls → catalogue': 'territory filter shared with the scheme search',
  'catalogue-interop → catalogue': 'the scheme search and its schema, exported',
  'orientation → catalogue': 'coverage labels of the schemes',
  'territories → catalogue': 'schemes available on a territory page',
  // Links to contribute, shown on the pages of other features (the « follow » form is a page widget, see platform).
  'atlas → contributions': 'links to propose an edit or report an error; a merged record answers 301 to the kept one',
  'catalogue → contributions': 'links to propose an edit or report an error',
  // Alerts match each kind of thing a person can follow.
  'alerts → calls': 'digests of new calls',
  'alerts → orientation': 'digests of orientation profiles',
  'cartography → orientation': 'zones blanches use the orientation rule and data',
  'treasury → orientation': 'the schemes answering tension months are found by the orientation engine, on its data and place',
  'orientation → territories': 'the territory finder of the orientation form',
  // Imports: one CSV reader, report and progress for every file import.
  'catalogue-interop → import': 'the scheme file import reads CSV as the other imports do',
  'contributions → import': 'organisation writes share the import writer (territory codes copied on write)',
  // Accounts and roles.
  'contributions → accounts': 'the author of a contribution is told of the decision by mail',
  'admin → accounts': 'roles are granted to accounts',
  'calls → admin': 'a call’s organisers are checked against the roles',
  'open-data → calls': 'the awarded grants dataset is the SCDL export of the calls itself',
};

/** What each layer may import besides itself (paths.ts and config.ts are leaves anyone may read). */
const LAYERS: Record<string, string[]> = {
  domain: [],
  db: ['domain'],
  web: ['domain'],
  data: ['domain', 'db', 'platform'],
  platform: ['domain', 'db', 'web'],
  features: ['domain', 'db', 'web', 'platform', 'data'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'client' ? [] : sourceFiles(path); // browser code, bundled apart
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The relative imports of a file, as paths under src/, and whether each is for types only (gone at run time). */
function importsOf(file: string): { to: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/^(import type|import|export type|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'/gm)];
  const dynamic = [...text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'/g)];
  return [
    ...statements.map((m) => ({ to: m[2]!, typeOnly: m[1] === 'import type' || m[1] === 'export type' })),
    ...dynamic.map((m) => ({ to: m[1]!, typeOnly: false })),
  ].map(({ to, typeOnly }) => ({ to: relative(src, normalize(join(dirname(file), to))), typeOnly }));
}

/** « features/calls », « platform », « app.ts »… */
function unitOf(path: string): string {
  const [top, second] = path.split('/');
  return top === 'features' ? `features/${second}` : top!;
}

const edges = sourceFiles(src).flatMap((file) => {
  const from = relative(src, file);
  return importsOf(file).map(({ to, typeOnly }) => ({ from, to, typeOnly, fromUnit: unitOf(from), toUnit: unitOf(to) }));
});

describe('Architecture : les couches et les dépendances entre fonctionnalités', () => {
  test('chaque couche n’importe que ce qui est sous elle', () => {
    const wrong = edges.filter(({ fromUnit, toUnit }) => {
      const layer = fromUnit.split('/')[0]!;
      const target = toUnit.split('/')[0]!;
      if (!(layer in LAYERS) || fromUnit === toUnit || ['paths.ts', 'config.ts'].includes(toUnit)) return false;
      if (layer === 'features' && target === 'features') return false; // checked below
      return !LAYERS[layer]!.includes(target);
    });
    assert.deepEqual(
      wrong.map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  test('une fonctionnalité n’en importe une autre que par la liste motivée', () => {
    const used = new Set<string>();
    const unlisted: string[] = [];
    for (const { from, to, fromUnit, toUnit } of edges) {
      if (!fromUnit.startsWith('features/') || !toUnit.startsWith('features/') || fromUnit === toUnit) continue;
      const key = `${fromUnit.slice(9)} → ${toUnit.slice(9)}`;
      if (key in ALLOWED_FEATURE_IMPORTS) used.add(key);
      else unlisted.push(`${from} → ${to}`);
    }
    assert.deepEqual(unlisted, [], 'import entre fonctionnalités hors de la liste');
    assert.deepEqual(
      Object.keys(ALLOWED_FEATURE_IMPORTS).filter((key) => !used.has(key)),
      [],
      'entrées de la liste qui ne servent plus',
    );
  });

  test('aucun cycle d’imports entre fichiers (à l’exécution : les imports de types seuls s’effacent)', () => {
    const graph = new Map<string, string[]>();
    for (const { from, to, typeOnly } of edges) if (!typeOnly) graph.set(from, [...(graph.get(from) ?? []), to]);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
