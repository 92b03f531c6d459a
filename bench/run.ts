/**
 * `npm run bench`: builds the SYNTHETIC national-scale dataset (bench/synthetic.ts) in a throw-away database,
 * then measures, in one run, the hot paths of Maillage through the real application — each beside a naive
 * baseline measured in the same run on the same data:
 *   - Atlas search with facets (app.inject)      vs ILIKE on the name without any text index, total and
 *                                                   each facet as separate queries;
 *   - map clusters for three viewports (warm)    vs every point of the bbox fetched from SQL, unclustered;
 *   - territory pages                            vs one COUNT query per sub-territory (and per facet);
 *   - orientation over 5 000 synthetic schemes   vs rules and schemes read from the database at each request
 *                                                   (bench/orientation.ts);
 *   - search API throughput over loopback        vs one sequential client opening a connection per request;
 *   - SIRENE import (real CLI, child process)    vs row-by-row INSERT of the same rows (sample, extrapolated).
 * Prints a French table and writes bench/results/latest.json. Targets are compared, never enforced: the
 * process exits 0 whatever the figures (a failure of the harness itself exits 1).
 *
 * Options: --seed N, --petit (30 000 structures, 1 000 coopérations), --organisations N, --cooperations N,
 * --memoire (database in memory instead of a temporary folder), --base DIR (keep the synthetic database in DIR
 * and reuse it on the next run with the same seed and sizes: for investigating with EXPLAIN), --sans-import,
 * --mesures recherche,carte,territoires,orientation,debit,import (a subset), --sortie FILE,
 * --postgres URL (the same measures on a PostgreSQL server, the production path: each database of the run is
 * created there and dropped at the end; the URL's role needs CREATEDB; results go to results/postgresql.json).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadCogIfEmpty } from '../src/data/cog.ts';
import { firstRow, openDatabase, rows, type Database, type DatabaseOptions, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadData } from '../src/startup.ts';
import { atlasEntities, type AtlasEntity, type AtlasKind } from '../src/features/atlas/entities.ts';
import { cooperationColumns, organisationColumns } from '../src/features/atlas/records.ts';
import { atlasSearchSchema, type AtlasFilters } from '../src/features/atlas/schemas.ts';
import { resolveFilters, searchAtlas, whereClause } from '../src/features/atlas/search.ts';
import { loadTerritoryIndex } from '../src/features/territories/territory-index.ts';
import { createServerDatabase } from '../test/support/databases.ts';
import {
  buildSyntheticDataset, DEFAULT_SEED, generateOrganisations, loadSyntheticCommunes, Random, syntheticSource,
  type DatasetReport, type SyntheticOrganisation,
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
    memoire: { type: 'boolean', default: false },
    base: { type: 'string' },
    'sans-import': { type: 'boolean', default: false },
    mesures: { type: 'string' },
    sortie: { type: 'string' },
    postgres: { type: 'string' },
  },
});
const seed = options.seed ? Number(options.seed) : DEFAULT_SEED;
const sizes = {
  organisations: Number(options.organisations ?? (options.petit ? 30_000 : 300_000)),
  cooperations: Number(options.cooperations ?? (options.petit ? 1_000 : 10_000)),
};
if (!Number.isInteger(seed) || !Number.isInteger(sizes.organisations) || !Number.isInteger(sizes.cooperations)) {
  console.error('Usage : npm run bench -- [--seed N] [--petit] [--organisations N] [--cooperations N] [--memoire] [--sans-import]');
  process.exit(2);
}
const quick = options.petit;
const MEASURES = ['recherche', 'carte', 'territoires', 'orientation', 'debit', 'import'] as const;
const selected = new Set(options.mesures ? options.mesures.split(',').map((m) => m.trim()) : MEASURES);
const unknownMeasure = [...selected].find((m) => !(MEASURES as readonly string[]).includes(m));
if (unknownMeasure) {
  console.error(`Mesure inconnue : ${unknownMeasure} (attendu : ${MEASURES.join(', ')})`);
  process.exit(2);
}
if (options.postgres && (options.base || options.memoire)) {
  console.error('--postgres crée ses bases sur le serveur : il ne se combine ni avec --base ni avec --memoire.');
  process.exit(2);
}
const outputFile = resolve(options.sortie ?? join(benchDir, 'results', options.postgres ? 'postgresql.json' : 'latest.json'));

/** The databases this run created on the --postgres server, dropped at the end. */
const serverDatabases: { drop(): Promise<void> }[] = [];

/** A fresh database for one part of the run: a PGlite folder, or a new database on the --postgres server. */
async function freshDatabase(pgliteDir: string): Promise<DatabaseOptions> {
  if (!options.postgres) return { pgliteDir };
  const server = await createServerDatabase(options.postgres, 'maillage_bench');
  serverDatabases.push(server);
  return { url: server.url };
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

interface Stats { n: number; p50: number; p95: number; mean: number; min: number; max: number }

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length, p50: round(rank(0.5)), p95: round(rank(0.95)),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!),
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
  id: string; mesure: string; unite: string; valeur: number | null; cible: number | null; sens: Direction;
  reference: number | null; reference_description: string; note?: string;
}
const table: Row[] = [];
const details: Record<string, unknown> = {};
const notes: string[] = [];
const failures: string[] = [];

function ratio(row: Row): number | null {
  if (row.id === 'import_memoire') return null; // its reference is a floor (migrate alone), not a naive way
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

interface SearchCase { label: string; kind: AtlasKind; query: Record<string, string> }

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
  const naiveSamples = await measureCases(searchCases,
    (c) => naiveSearch(db, atlasEntities[c.kind], c.query as AtlasFilters), 0, 5, quick ? 3_000 : 6_000);
  const perCase = searchCases.map((c, i) => ({
    cas: `${c.kind} : ${c.label}`, url: searchUrl(c), total: totals.get(c), premier_appel_ms: firstCall.get(c),
    maillage: stats(samples[i]!), reference: stats(naiveSamples[i]!),
  }));
  for (const p of perCase) {
    log(`  ${p.cas.padEnd(55)} total ${String(p.total).padStart(7)}  1er ${fmt(p.premier_appel_ms ?? 0).padStart(8)} ms  p50 ${fmt(p.maillage.p50).padStart(8)} ms  p95 ${fmt(p.maillage.p95).padStart(8)} ms   naïf p95 ${fmt(p.reference.p95).padStart(8)} ms`);
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.recherche = { cas: perCase, ensemble: all, reference: naiveAll };
  table.push({
    id: 'recherche_p95', mesure: 'Recherche avec facettes, p95 (16 requêtes types)', unite: 'ms', valeur: all.p95, cible: 50,
    sens: 'lower', reference: naiveAll.p95,
    reference_description: 'ILIKE sur le nom sans index texte ; total et chaque facette en requêtes séparées',
  });
  // Repeated API searches are answered from memory (features/atlas/generation-cache.ts): the same cases
  // through the engine itself (searchAtlas, as the route calls it on a miss) keep the cache from hiding its speed.
  const territories = await loadTerritoryIndex(db);
  const engine = async (c: SearchCase) => {
    const query = atlasSearchSchema.parse(c.query);
    const search = { ...query, ...(await resolveFilters(db, territories, query)) };
    return searchAtlas(db, atlasEntities[c.kind], search, territories, c.kind === 'organisations' ? organisationColumns : cooperationColumns);
  };
  const engineSamples = await measureCases(searchCases, engine, 2, quick ? 8 : 15);
  const engineAll = stats(engineSamples.flat());
  const enginePerCase = searchCases.map((c, i) => ({ cas: `${c.kind} : ${c.label}`, moteur: stats(engineSamples[i]!) }));
  const engineWorst = enginePerCase.reduce((a, b) => (b.moteur.p95 > a.moteur.p95 ? b : a));
  log(`  moteur sans la mémoire des réponses : p50 ${fmt(engineAll.p50)} ms, p95 ${fmt(engineAll.p95)} ms ; pire cas ${engineWorst.cas} p95 ${fmt(engineWorst.moteur.p95)} ms`);
  details.recherche_moteur = { cas: enginePerCase, ensemble: engineAll };
  table.push({
    id: 'recherche_moteur_p95', mesure: 'Recherche, moteur sans la mémoire des réponses, p95 (16 requêtes types)', unite: 'ms',
    valeur: engineAll.p95, cible: 50, sens: 'lower', reference: naiveAll.p95, reference_description: 'même référence naïve',
  });
  table.push({
    id: 'recherche_moteur_pire_p95', mesure: `Recherche, moteur, pire cas p95 (${engineWorst.cas})`, unite: 'ms',
    valeur: engineWorst.moteur.p95, cible: 50, sens: 'lower', reference: null, reference_description: '—',
  });
  const worst = perCase.reduce((a, b) => (b.maillage.p95 > a.maillage.p95 ? b : a));
  table.push({
    id: 'recherche_pire_p95', mesure: `Recherche, pire cas p95 (${worst.cas})`, unite: 'ms', valeur: worst.maillage.p95, cible: 50,
    sens: 'lower', reference: worst.reference.p95, reference_description: 'même requête, méthode naïve',
  });
}

// ---------------------------------------------------------------------------------------------------------
// 2. Map clusters

interface Viewport { label: string; bbox: [number, number, number, number]; zoom: number }
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
    table.push({ id: 'carte_p95', mesure: 'Carte : regroupements, vue chaude, p95', unite: 'ms', valeur: null, cible: 20, sens: 'lower',
      reference: null, reference_description: 'tous les points de la vue depuis SQL, non regroupés', note });
    return;
  }
  // The probe above built the cooperations index; the organisations one is built by the first call below.
  const [coldMs, coldBody] = await time(() => inject(app, clusterUrl('organisations', viewports[0]!)));
  log(`  premier appel (index des structures à construire) : ${fmt(coldMs)} ms, ${(JSON.parse(coldBody) as { features: unknown[] }).features.length} objets`);
  const cases = (['organisations', 'cooperations'] as AtlasKind[]).flatMap((kind) => viewports.map((v) => ({ kind, v })));
  const samples = await measureCases(cases, (c) => inject(app, clusterUrl(c.kind, c.v)), 3, quick ? 20 : 40);
  const naive = async (c: { kind: AtlasKind; v: Viewport }) => {
    const [w, s, e, n] = c.v.bbox;
    const found = await rows(db, sql`select t.id::int as id, t.name as nom, t.longitude, t.latitude from ${atlasEntities[c.kind].table} t
      where t.longitude between ${w} and ${e} and t.latitude between ${s} and ${n}`);
    return JSON.stringify(found).length;
  };
  const naiveSamples = await measureCases(cases, naive, 0, 5, 3_000);
  const perCase = [];
  for (const [i, c] of cases.entries()) {
    const [w, s, e, n] = c.v.bbox;
    const inView = await firstRow<{ n: number }>(db, sql`select count(*)::int as n from ${atlasEntities[c.kind].table} t
      where t.longitude between ${w} and ${e} and t.latitude between ${s} and ${n}`);
    perCase.push({
      cas: `${c.kind} : ${c.v.label}`, url: clusterUrl(c.kind, c.v),
      objets: (JSON.parse(await inject(app, clusterUrl(c.kind, c.v))) as { features: unknown[] }).features.length,
      points_dans_la_vue: inView!.n, maillage: stats(samples[i]!), reference: stats(naiveSamples[i]!),
    });
  }
  for (const p of perCase) {
    log(`  ${p.cas.padEnd(50)} ${String(p.objets).padStart(5)} objets (${String(p.points_dans_la_vue).padStart(6)} points)  p50 ${fmt(p.maillage.p50).padStart(6)} ms  p95 ${fmt(p.maillage.p95).padStart(6)} ms   naïf p95 ${fmt(p.reference.p95).padStart(8)} ms`);
  }
  // The cold build on its own, straight from the module (query + supercluster load), for both kinds.
  const clusters = await import('../src/features/map/clusters.ts');
  const cold: Record<string, number> = {};
  for (const kind of ['organisations', 'cooperations'] as AtlasKind[]) {
    const index = await clusters.buildClusterIndex(db, atlasEntities[kind], {});
    cold[kind] = Math.round(index.buildMs);
    log(`  construction à froid de l’index ${kind} : ${fmt(index.buildMs, 0)} ms (${index.points} points : lecture SQL et supercluster)`);
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.carte = { cas: perCase, ensemble: all, reference: naiveAll, premier_appel_ms: Math.round(coldMs), construction_index_ms: cold };
  table.push({ id: 'carte_p95', mesure: 'Carte : regroupements, vue chaude, p95 (3 vues × 2 types)', unite: 'ms', valeur: all.p95, cible: 20,
    sens: 'lower', reference: naiveAll.p95, reference_description: 'tous les points de la vue depuis SQL + JSON, non regroupés' });
  table.push({ id: 'carte_index_froid', mesure: 'Carte : construction de l’index des structures (à froid)', unite: 'ms',
    valeur: cold.organisations ?? null, cible: null, sens: 'lower', reference: null, reference_description: '—' });
}

// ---------------------------------------------------------------------------------------------------------
// 3. Territory pages

interface TerritoryCase { type: 'region' | 'departement' | 'epci' | 'commune'; code: string; label: string }
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
  const where = c.type === 'commune'
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
  const children = c.type === 'region' ? await rows<{ code: string }>(db, sql`select code from departement where region_code = ${c.code}`)
    : c.type === 'departement' ? await rows<{ code: string }>(db, sql`select distinct epci_code as code from commune where departement_code = ${c.code} and epci_code is not null`)
    : c.type === 'epci' ? await rows<{ code: string }>(db, sql`select code from commune where epci_code = ${c.code} and parent_code is null`)
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
    cas: `${c.type}/${c.code} (${c.label})`, url: url(c), maillage: stats(samples[i]!), reference: stats(naiveSamples[i]!),
    requetes_reference: queryCounts.get(c),
  }));
  for (const p of perCase) {
    log(`  ${p.cas.padEnd(45)} p50 ${fmt(p.maillage.p50).padStart(8)} ms  p95 ${fmt(p.maillage.p95).padStart(8)} ms   naïf (${p.requetes_reference} requêtes) p95 ${fmt(p.reference.p95).padStart(8)} ms`);
  }
  const all = stats(samples.flat());
  const naiveAll = stats(naiveSamples.flat());
  details.territoires = { cas: perCase, ensemble: all, reference: naiveAll };
  table.push({ id: 'territoire_p95', mesure: 'Page territoire (API), p95 (région, dép., EPCI, 2 communes)', unite: 'ms', valeur: all.p95,
    cible: null, sens: 'lower', reference: naiveAll.p95, reference_description: 'une requête COUNT par sous-territoire et par facette' });
}

// ---------------------------------------------------------------------------------------------------------
// 3b. Orientation at catalogue scale (bench/orientation.ts: 5 000 synthetic schemes, inserted before the app
//     is built, since the app keeps the catalogue in memory)

async function measureOrientation(app: FastifyInstance, db: Db) {
  log('\n▶ Orientation (POST /api/v1/orientation, 5 000 dispositifs synthétiques)');
  const orientation = await import('./orientation.ts');
  const { loadTerritoryIndex } = await import('../src/features/territories/territory-index.ts');
  const index = await loadTerritoryIndex(db);
  const profiles = await orientation.orientationProfiles(db, seed, quick ? 20 : 40);
  const perProfile = await measureCases(profiles, (p) => orientation.orientViaApi(app, p), 1, quick ? 3 : 5);
  const naive = await measureCases(profiles.slice(0, 10), (p) => orientation.orientNaively(db, index, p), 0, 2, 3_000);
  const all = stats(perProfile.flat());
  const naiveAll = stats(naive.flat());
  log(`  ${profiles.length} profils : p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms ; naïf (tout relu en base à chaque requête) p95 ${fmt(naiveAll.p95)} ms`);
  details.orientation = { profils: profiles.length, dispositifs: orientation.SYNTHETIC_SCHEMES, maillage: all, reference: naiveAll };
  table.push({ id: 'orientation_p95', mesure: `Orientation, p95 (${orientation.SYNTHETIC_SCHEMES} dispositifs)`, unite: 'ms', valeur: all.p95,
    cible: 10, sens: 'lower', reference: naiveAll.p95, reference_description: 'règles et dispositifs relus en base à chaque requête' });
}

// ---------------------------------------------------------------------------------------------------------
// 4. Throughput over loopback (the load runs in a worker thread, so that the client does not share the
//    server's event loop; the machine's second core runs it)

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, urls, concurrency, durationMs, mode } = workerData;
const latencies = [];
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
    const url = urls[next++ % urls.length];
    const started = performance.now();
    try {
      const status = mode === 'keepalive' ? await getKeepAlive(url) : await getClose(url);
      if (status !== 200) errors++;
    } catch { errors++; }
    latencies.push(performance.now() - started);
    done++;
  }
}
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  parentPort.postMessage({ done, errors, seconds: (performance.now() - started) / 1000, latencies });
});
`;

interface LoadResult { done: number; errors: number; seconds: number; latencies: number[] }

function runLoad(base: string, urls: string[], concurrency: number, durationMs: number, mode: 'keepalive' | 'close'): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { base, urls, concurrency, durationMs, mode } });
    worker.once('message', (result: LoadResult) => {
      void worker.terminate();
      resolveLoad(result);
    });
    worker.once('error', reject);
  });
}

async function measureThroughput(app: FastifyInstance) {
  log('\n▶ Débit de l’API de recherche sur la boucle locale');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const concurrency = 10;
  const duration = quick ? 5_000 : 10_000;
  const mixes: { id: string; label: string; urls: string[] }[] = [
    { id: 'melange', label: 'mélange des 16 requêtes types', urls: searchCases.map(searchUrl) },
    {
      id: 'ciblees', label: 'requêtes ciblées (texte ou filtre + territoire)',
      urls: searchCases.filter((c) => Object.keys(c.query).length >= 2 && !('modele' in c.query && c.kind === 'organisations')).map(searchUrl),
    },
  ];
  // Long tail: 2 000 different queries (a word × a département), so that no cache can answer them all.
  const random = new Random(seed ^ 0x7a11);
  const words = ['jardin', 'insertion', 'culture', 'sport', 'musique', 'théâtre', 'solidaire', 'alimentation', 'vélo', 'emploi',
    'patrimoine', 'chasse', 'fêtes', 'parents', 'santé', 'loisirs', 'danse', 'randonnée', 'numérique', 'recyclerie', 'énergie', 'habitat'];
  const departements = ['01', '07', '13', '26', '29', '31', '33', '35', '38', '44', '59', '63', '67', '69', '75', '76', '84', '93'];
  const distinct = new Set<string>();
  while (distinct.size < 2_000) {
    const kind = random.chance(0.8) ? 'organisations' : 'cooperations';
    distinct.add(urlOf(`/api/v1/${kind}`, random.chance(0.5)
      ? { q: random.pick(words), departement: random.pick(departements), par_page: String(random.int(10, 30)) }
      : { departement: random.pick(departements), page: String(random.int(1, 3)) }));
  }
  mixes.push({ id: 'toutes_differentes', label: '2 000 requêtes toutes différentes', urls: [...distinct] });
  const results: Record<string, unknown> = {};
  for (const mix of mixes) {
    await runLoad(base, mix.urls, concurrency, 1_000, 'keepalive'); // warm-up
    const load = await runLoad(base, mix.urls, concurrency, duration, 'keepalive');
    const baseline = await runLoad(base, mix.urls, 1, duration / 2, 'close');
    const rps = load.done / load.seconds;
    const baseRps = baseline.done / baseline.seconds;
    log(`  ${mix.label} : ${fmt(rps, 0)} req/s avec ${concurrency} clients keep-alive (${load.done} requêtes, ${load.errors} erreurs, p95 ${fmt(stats(load.latencies).p95)} ms) ; ` +
      `1 client séquentiel, une connexion par requête : ${fmt(baseRps, 0)} req/s`);
    results[mix.id] = {
      urls: mix.urls, clients: concurrency, secondes: load.seconds, requetes: load.done, erreurs: load.errors, req_par_s: Math.round(rps),
      latence: stats(load.latencies),
      reference: { clients: 1, connexion: 'nouvelle connexion par requête', requetes: baseline.done, erreurs: baseline.errors, req_par_s: Math.round(baseRps), latence: stats(baseline.latencies) },
    };
    table.push({ id: `debit_${mix.id}`, mesure: `API recherche, débit (${mix.label})`, unite: 'req/s', valeur: Math.round(rps), cible: 500,
      sens: 'higher', reference: Math.round(baseRps), reference_description: '1 client séquentiel, une connexion TCP par requête' });
  }
  details.debit = results;
}

// ---------------------------------------------------------------------------------------------------------
// 5. SIRENE import through the real CLI, in a child process

/** The SIRENE columns the synthetic rows fill; every other column of the real header is left empty. */
function sireneValues(o: SyntheticOrganisation): { ul: Record<string, string>; etab: Record<string, string> } {
  const [numero, ...voie] = o.address.split(' ');
  const [typeVoie, ...libelle] = voie;
  return {
    ul: {
      siren: o.siren, statutDiffusionUniteLegale: 'O', dateCreationUniteLegale: '2001-01-01', denominationUniteLegale: o.name,
      categorieJuridiqueUniteLegale: o.legal_form, activitePrincipaleUniteLegale: o.naf_code,
      nomenclatureActivitePrincipaleUniteLegale: 'NAFRev2', etatAdministratifUniteLegale: 'A',
      economieSocialeSolidaireUniteLegale: o.statut_ess === 'hors_ess' ? 'N' : 'O', nicSiegeUniteLegale: o.siret.slice(9),
      trancheEffectifsUniteLegale: o.tranche_effectif, caractereEmployeurUniteLegale: 'N', categorieEntreprise: 'PME',
    },
    etab: {
      siren: o.siren, nic: o.siret.slice(9), siret: o.siret, statutDiffusionEtablissement: 'O', dateCreationEtablissement: '2001-01-01',
      trancheEffectifsEtablissement: o.tranche_effectif, etablissementSiege: 'true', numeroVoieEtablissement: numero ?? '',
      typeVoieEtablissement: (typeVoie ?? '').toUpperCase(), libelleVoieEtablissement: libelle.join(' ').toUpperCase(),
      codePostalEtablissement: o.postal_code, libelleCommuneEtablissement: o.commune_name.toUpperCase(), codeCommuneEtablissement: o.commune_code,
      etatAdministratifEtablissement: 'A', activitePrincipaleEtablissement: o.naf_code, nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
      caractereEmployeurEtablissement: 'N', denominationUsuelleEtablissement: '', enseigne1Etablissement: '',
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

/** The bench's environment for a child: the import goes to its own database (embedded unless `target` has a URL). */
function childEnv(target: DatabaseOptions, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  if (target.url) env.DATABASE_URL = target.url;
  return env;
}

/** Reads the peak RSS (kB) of a child: /usr/bin/time -v when present, else polling /proc/<pid>/status VmHWM. */
function runMeasured(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const useTime = existsSync('/usr/bin/time');
  return new Promise<{ code: number | null; seconds: number; peakKb: number | null; stdout: string; stderr: string; via: string }>((done, fail) => {
    const started = performance.now();
    const child = useTime
      ? spawn('/usr/bin/time', ['-v', command, ...args], { env, cwd })
      : spawn(command, args, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let polledKb = 0;
    const poll = useTime ? null : setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) polledKb = Math.max(polledKb, Number(match[1]));
      } catch { /* the child has exited */ }
    }, 50);
    child.on('error', fail);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      done({ code, seconds, peakKb: timed ? Number(timed[1]) : polledKb || null, stdout, stderr, via: useTime ? '/usr/bin/time -v' : '/proc/<pid>/status VmHWM' });
    });
  });
}

async function measureImport(tmp: string) {
  log('\n▶ Import SIRENE (CLI réelle dans un processus enfant)');
  const skip = (note: string) => {
    log(`  ${note}`);
    notes.push(note);
    table.push({ id: 'import_debit', mesure: 'Import SIRENE, débit', unite: 'lignes/s', valeur: null, cible: 20_000, sens: 'higher',
      reference: null, reference_description: 'INSERT ligne à ligne', note });
    table.push({ id: 'import_memoire', mesure: 'Import SIRENE, mémoire maximale (RSS)', unite: 'Mo', valeur: null, cible: 400, sens: 'lower',
      reference: null, reference_description: '—', note });
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
    return file ? readFileSync(join(fixtures, file), 'utf8').split(/\r?\n/, 1)[0]!.replace(/^\uFEFF/, '').split(',') : null;
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
  // Another seed than the dataset's, and a throw-away database: these rows meet nothing else.
  const scratch = await openDatabase({ pgliteDir: 'memory' });
  await migrate(scratch);
  await loadCogIfEmpty(scratch.db);
  const communes = await loadSyntheticCommunes(scratch, new Random(seed + 1));
  const organisations = [...generateOrganisations(count, seed + 1, communes)];
  await scratch.close();
  const ulFile = join(dir, 'StockUniteLegale_utf8.csv');
  const etabFile = join(dir, 'StockEtablissement_utf8.csv');
  const line = (header: string[], values: Record<string, string>) => header.map((h) => csvField(values[h] ?? '')).join(',') + '\n';
  const [writeMs] = await time(async () => {
    await writeLines(ulFile, (function* () {
      yield ulHeader.join(',') + '\n';
      for (const o of organisations) yield line(ulHeader, sireneValues(o).ul);
    })());
    await writeLines(etabFile, (function* () {
      yield etabHeader.join(',') + '\n';
      for (const o of organisations) yield line(etabHeader, sireneValues(o).etab);
    })());
  });
  log(`  fichiers synthétiques écrits en ${fmt(writeMs / 1000)} s : ${count} unités légales et ${count} établissements`);

  // The command as `npm run maillage` runs it: the bundled CLI.
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli'], { cwd: projectRoot, stdio: 'inherit' });
  // First the database as `maillage migrate` leaves it (migrations, COG): measured on its own, so that the
  // import's peak memory is the import's, as for a user who started Maillage before importing.
  const dataDir = join(tmp, 'import-data');
  const target = await freshDatabase(join(dataDir, 'pgdata'));
  const prepared = await runMeasured(process.execPath, ['dist/maillage.js', 'migrate'],
    childEnv(target, { MAILLAGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), projectRoot);
  log(`  maillage migrate (base neuve, COG) : ${fmt(prepared.seconds)} s, RSS max ${prepared.peakKb ? fmt(prepared.peakKb / 1024, 0) : '?'} Mo`);
  const result = await runMeasured(process.execPath, ['dist/maillage.js', 'import', 'sirene', etabFile, ulFile],
    childEnv(target, { MAILLAGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), projectRoot);
  if (result.code !== 0) {
    const note = `Import : la commande a échoué (code ${result.code}) : ${(result.stderr || result.stdout).slice(-500)}`;
    log(`  ${note}`);
    notes.push(note);
  }
  // The import's own timing, from its run record (without the process start, migrations and COG load).
  const imported = await openDatabase(target);
  const run = await firstRow<{ rows_read: number; rows_written: number; seconds: number; status: string }>(imported.db, sql`
    select rows_read::int, rows_written::int, status, extract(epoch from finished_at - started_at)::float8 as seconds
    from import_run order by id desc limit 1`).catch(() => undefined);
  const organisationsImported = (await firstRow<{ n: number }>(imported.db, sql`select count(*)::int as n from organisation`))?.n ?? 0;
  // What the planner knows after the import (PGlite runs no autovacuum: only an explicit ANALYZE fills these).
  const plannerStats = await firstRow<{ reltuples: number; columns_with_stats: number }>(imported.db, sql`
    select c.reltuples::float8 as reltuples,
      (select count(*)::int from pg_stats s where s.tablename = 'organisation') as columns_with_stats
    from pg_class c where c.relname = 'organisation'`);
  await imported.close();
  const rowsPerSecond = run && run.seconds > 0 ? run.rows_read / run.seconds : null;
  log(`  commande : ${fmt(result.seconds)} s au total ; import_run : ${run?.rows_read ?? '?'} lignes lues, ${run?.rows_written ?? '?'} écrites en ${fmt(run?.seconds ?? NaN)} s (${fmt(rowsPerSecond ?? NaN, 0)} lignes/s) ; ` +
    `RSS max ${result.peakKb ? fmt(result.peakKb / 1024, 0) : '?'} Mo (${result.via}) ; ${organisationsImported} structures en base ; ` +
    `statistiques du planificateur : reltuples ${plannerStats?.reltuples ?? '?'}, ${plannerStats?.columns_with_stats ?? '?'} colonnes analysées`);

  // Baseline: row-by-row INSERT of the same rows in a fresh database (a sample, extrapolated).
  const sample = quick ? 1_000 : 2_000;
  const baselineDb = await openDatabase(await freshDatabase(join(tmp, 'baseline-data')));
  await migrate(baselineDb);
  await loadCogIfEmpty(baselineDb.db);
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
    lignes: count, fichiers: { unite_legale: ulFile, etablissement: etabFile }, ecriture_fichiers_s: writeMs / 1000,
    migrate_prealable: { code: prepared.code, secondes: prepared.seconds, rss_max_ko: prepared.peakKb },
    commande: { code: result.code, secondes: result.seconds, rss_max_ko: result.peakKb, mesure_rss: result.via, sortie: result.stdout.slice(-2000) },
    import_run: run ?? null, structures_en_base: organisationsImported, statistiques_planificateur_apres_import: plannerStats ?? null,
    reference: { lignes: sample, secondes: baselineMs / 1000, lignes_par_s: Math.round(baselineRps), methode: 'INSERT … SELECT FROM commune ligne à ligne, une transaction par ligne' },
  };
  table.push({ id: 'import_debit', mesure: `Import SIRENE, débit (${count} établissements)`, unite: 'lignes/s',
    valeur: rowsPerSecond === null ? null : Math.round(rowsPerSecond), cible: 20_000, sens: 'higher', reference: Math.round(baselineRps),
    reference_description: `INSERT ligne à ligne (${sample} lignes, extrapolé)` });
  table.push({ id: 'import_memoire', mesure: 'Import SIRENE, mémoire maximale (RSS du processus)', unite: 'Mo',
    valeur: result.peakKb === null ? null : Math.round(result.peakKb / 1024), cible: 400, sens: 'lower',
    reference: prepared.peakKb === null ? null : Math.round(prepared.peakKb / 1024),
    reference_description: options.postgres
      ? '`maillage migrate` sur une base neuve (sans import) ; processus Node seul, le serveur PostgreSQL n’est pas compté'
      : '`maillage migrate` sur une base neuve (sans import), pour situer le socle Node + PGlite' });
}

// ---------------------------------------------------------------------------------------------------------
// Main

/** A database kept by --base: used only if it holds exactly the dataset this run would build. */
async function reuseDataset(database: Database): Promise<DatasetReport> {
  const counts = await firstRow<{ o: number; os: number; c: number; cs: number; m: number }>(database.db, sql`select
    (select count(*)::int from organisation) as o, (select count(*)::int from organisation where source = ${syntheticSource(seed)}) as os,
    (select count(*)::int from cooperation) as c, (select count(*)::int from cooperation where source = ${syntheticSource(seed)}) as cs,
    (select count(*)::int from cooperation_member) as m`);
  if (!counts || counts.o !== sizes.organisations || counts.os !== counts.o || counts.c !== sizes.cooperations || counts.cs !== counts.c) {
    throw new Error(`--base ${options.base} : cette base ne contient pas exactement le jeu synthétique demandé (seed ${seed}, ` +
      `${sizes.organisations} structures, ${sizes.cooperations} coopérations) ; donnez un dossier vide ou absent.`);
  }
  return { seed, source: syntheticSource(seed), organisations: counts.o, cooperations: counts.c, members: counts.m, communes: 0,
    seconds: { generate: 0, insertOrganisations: 0, insertCooperations: 0, indexes: 0, analyze: 0 } };
}

/** What the run measures on, for the log and the results. */
async function describeBase(database: Database): Promise<string> {
  const version = await firstRow<{ v: string }>(database.db, sql`select current_setting('server_version') as v`);
  if (options.postgres) return `serveur PostgreSQL ${version!.v.split(' ')[0]}, bases créées pour le banc puis supprimées`;
  const where = options.base ? `dans ${resolve(options.base)} (conservée)` : options.memoire ? 'en mémoire' : 'dans un dossier temporaire';
  return `PGlite (PostgreSQL ${version!.v} embarqué) ${where}`;
}

/** The code measured: commit and files changed since (read only). */
function codeState(): { commit: string | null; fichiers_modifies: string[] } {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
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
    node: process.version, plateforme: `${os.type()} ${os.release()} (${os.arch()})`, processeurs: cpus.length,
    modele_processeur: cpus[0]?.model ?? null, memoire_totale_mo: Math.round(os.totalmem() / 1024 / 1024),
    charge_au_depart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function printTable() {
  const header = ['Mesure', 'Valeur', 'Cible', 'Référence naïve', 'Rapport', 'Verdict'];
  const lines = table.map((row) => {
    const value = row.valeur === null ? '—' : `${fmt(row.valeur, row.unite === 'ms' ? 1 : 0)} ${row.unite}`;
    const target = row.cible === null ? '—' : `${row.sens === 'lower' ? '<' : '≥'} ${fmt(row.cible, 0)} ${row.unite}`;
    const reference = row.reference === null ? '—' : `${fmt(row.reference, row.unite === 'ms' ? 1 : 0)} ${row.unite}`;
    const r = ratio(row);
    return [row.mesure, value, target, reference, r === null ? '—' : `× ${fmt(r, 1)}`, verdict(row)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' │ ');
  log('\n' + format(header));
  log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const l of lines) log(format(l));
  log('\nRapport : combien de fois Maillage fait mieux que la référence naïve mesurée dans la même exécution.');
  for (const row of table) if (row.reference_description !== '—') log(`  Référence « ${row.mesure} » : ${row.reference_description}.`);
  for (const note of notes) log(`  Note : ${note}`);
}

async function main() {
  const started = performance.now();
  const info = machine();
  log(`Banc d'essai Maillage — jeu SYNTHÉTIQUE (seed ${seed}) : ${sizes.organisations} structures, ${sizes.cooperations} coopérations`);
  log(`Node ${info.node}, ${info.processeurs} processeurs, ${info.plateforme}, charge ${info.charge_au_depart.join(' / ')}`);
  const tmp = mkdtempSync(join(os.tmpdir(), 'maillage-bench-'));
  const phases: Record<string, number> = {};
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  try {
    let t = performance.now();
    const kept = options.base ? resolve(options.base) : undefined;
    const reuse = kept !== undefined && existsSync(join(kept, 'PG_VERSION'));
    database = await openDatabase(kept ? { pgliteDir: kept } : await freshDatabase(options.memoire ? 'memory' : join(tmp, 'pgdata')));
    const baseLabel = await describeBase(database);
    await migrate(database);
    await loadData(database.db, { withDemo: false }); // reference data (COG, needs rules), never the demo
    phases.base_et_cog_s = (performance.now() - t) / 1000;
    log(`\n▶ Jeu synthétique (${baseLabel})`);
    t = performance.now();
    let dataset: DatasetReport;
    if (reuse) {
      dataset = await reuseDataset(database);
      log(`  base réutilisée : ${dataset.organisations} structures, ${dataset.cooperations} coopérations, ${dataset.members} membres`);
    } else {
      dataset = await buildSyntheticDataset(database, { seed, ...sizes }, log);
    }
    phases.jeu_synthetique_s = (performance.now() - t) / 1000;

    if (selected.has('orientation')) {
      const present = await firstRow<{ n: number }>(database.db, sql`select count(*)::int as n from dispositif where key like 'synthetique-%'`);
      if ((present?.n ?? 0) === 0) {
        const { insertSyntheticSchemes } = await import('./orientation.ts');
        await insertSyntheticSchemes(database.db, seed);
      }
    }
    t = performance.now();
    app = await build({ config: loadConfig({ LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: tmp }), database });
    await app.ready();
    phases.construction_app_s = (performance.now() - t) / 1000;

    // A measure that breaks (a route answering 500…) is reported and the others still run; exit code 1.
    const phase = async (name: string, fn: () => Promise<void>) => {
      const s = performance.now();
      try {
        await fn();
      } catch (error) {
        const note = `Mesure « ${name.replace(/_s$/, '')} » en échec : ${error instanceof Error ? error.message : String(error)}`.slice(0, 600);
        log(`  ${note}`);
        notes.push(note);
        failures.push(name);
      }
      phases[name] = (performance.now() - s) / 1000;
    };
    if (selected.has('recherche')) await phase('recherche_s', () => measureSearch(app!, database!.db));
    if (selected.has('carte')) await phase('carte_s', () => measureClusters(app!, database!.db));
    if (selected.has('territoires')) await phase('territoires_s', () => measureTerritories(app!, database!.db));
    if (selected.has('orientation')) await phase('orientation_s', () => measureOrientation(app!, database!.db));
    if (selected.has('debit')) await phase('debit_s', () => measureThroughput(app!));
    await app.close();
    app = undefined;
    await database.close();
    database = undefined;
    if (selected.has('import')) await phase('import_s', () => measureImport(tmp));
    phases.total_s = (performance.now() - started) / 1000;

    printTable();
    const result = {
      version: 1, date: new Date().toISOString(), seed, synthetique: true, code: codeState(), mesures_en_echec: failures,
      avertissement: 'Jeu de données SYNTHÉTIQUE généré pour le banc d’essai : aucun nom, adresse ou lien n’est réel.',
      machine: { ...info, charge_a_la_fin: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      base: baseLabel,
      jeu: dataset, durees: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      tableau: table.map((row) => ({ ...row, rapport: ratio(row) === null ? null : Math.round(ratio(row)! * 10) / 10, verdict: verdict(row) })),
      details, notes,
    };
    mkdirSync(dirname(outputFile), { recursive: true });
    writeFileSync(outputFile, JSON.stringify(result, null, 2) + '\n');
    log(`\nRésultats écrits dans ${outputFile} (durée totale ${fmt(phases.total_s, 0)} s).`);
  } finally {
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    for (const server of serverDatabases) await server.drop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(failures.length > 0 ? 1 : 0),
  (error: unknown) => {
    console.error('Le banc d’essai a échoué :', error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
