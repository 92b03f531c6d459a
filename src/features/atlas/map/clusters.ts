/**
 * Server-side clustering of the Atlas points (supercluster), so that the browser never receives 300 000
 * points: one index per (kind, filters), built from the same WHERE clause as the search, kept in a small LRU
 * cache. The unfiltered index of each kind is the hot one, built on the first request. After its TTL an
 * entry is still served while a cheap query (count, last id, last update) checks whether its data changed,
 * and it is rebuilt in the background only then; imports and edits call invalidateClusterCache() to drop
 * every index at once. Once an index exists, any viewport is answered from memory.
 */
import { sql } from 'drizzle-orm';
import Supercluster, { type InputFeature } from 'supercluster';
import { type Db, checkedRows } from '../../../db/database.ts';
import type { AtlasEntity, AtlasKind } from '../entities.ts';
import { whereClause, type ResolvedFilters } from '../search.ts';
import { z } from 'zod';

/** Clusters are formed up to this zoom; above it every point is returned on its own. */
export const CLUSTER_MAX_ZOOM = 15;
/** Cluster radius in pixels of a 512-pixel tile (MapLibre's tile size). */
const CLUSTER_RADIUS = 50;
const MAX_ENTRIES = 16;
/** Memory bound of the cache, in points over all its indexes (about 220 bytes a point: 66 MB for 300 000). */
const MAX_CACHED_POINTS = 1_000_000;
const TTL_MS = 60_000;

/** [ouest, sud, est, nord] in WGS 84 degrees. */
export type BBox = [number, number, number, number];

/**
 * An index and the two facts a point needs besides its position: its database id and its name. The
 * supercluster feature id is the row number in these arrays (no object per point is kept).
 */
export interface ClusterIndex {
  kind: AtlasKind;
  index: Supercluster<null>;
  ids: Float64Array;
  names: string[];
  points: number;
  buildMs: number;
  /** What the index was built from (count, last id, last update): an expired index is rebuilt only when it changed. */
  signature: string;
}

export interface ClusterFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { cluster: true; nombre: number; cluster_id: number; zoom_expansion: number };
}

export interface PointFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { id: number; nom: string; url: string };
}

export interface ClusterCollection {
  type: 'FeatureCollection';
  features: (ClusterFeature | PointFeature)[];
}

/** The located records of a search, column by column (one array each: far lighter than one object per row). */
export interface PointColumns {
  id: number[];
  lon: number[];
  lat: number[];
  name: string[];
}

const LOCATED = [sql`t.latitude is not null`, sql`t.longitude is not null`];
const SIGNATURE = sql`concat_ws('|', count(*), max(t.id), max(t.updated_at))`;

const buildClusterIndexRow = z.object({ columns: z.string().nullable(), signature: z.string() });

/** Builds the index of the located records that match the filters (pure in-memory work after the query). */
export async function buildClusterIndex(db: Db, entity: AtlasEntity, filters: ResolvedFilters): Promise<ClusterIndex> {
  const started = performance.now();
  // Four JSON arrays in one text value: faster than 300 000 rows through the driver, each row decoded on its own. Each array is sorted by id, so they line up.
  const [found] = await checkedRows(
    db,
    buildClusterIndexRow,
    sql`select json_build_object(
      'id', json_agg(t.id order by t.id), 'lon', json_agg(t.longitude order by t.id),
      'lat', json_agg(t.latitude order by t.id), 'name', json_agg(t.name order by t.id))::text as columns,
      ${SIGNATURE} as signature
    from ${entity.table} t ${whereClause(entity, filters, LOCATED)}`,
  );
  const parsed = JSON.parse(found?.columns ?? '{}') as Partial<Record<keyof PointColumns, unknown[] | null>>;
  const columns: PointColumns = {
    id: (parsed.id ?? []).map(Number),
    lon: (parsed.lon ?? []) as number[],
    lat: (parsed.lat ?? []) as number[],
    name: (parsed.name ?? []) as string[],
  };
  return { ...indexPoints(entity.kind, columns, started), signature: found?.signature ?? '' };
}

const signatureRow = z.object({ signature: z.string() });

/** The signature of the data an index would be built from (a count and two maxima: one cheap scan). */
export async function dataSignature(db: Db, entity: AtlasEntity, filters: ResolvedFilters): Promise<string> {
  const [found] = await checkedRows(
    db,
    signatureRow,
    sql`select ${SIGNATURE} as signature
    from ${entity.table} t ${whereClause(entity, filters, LOCATED)}`,
  );
  return found?.signature ?? '';
}

/** The in-memory part of buildClusterIndex, also usable on synthetic points. */
export function indexPoints(kind: AtlasKind, points: PointColumns, started = performance.now()): ClusterIndex {
  const count = points.id.length;
  const features = new Array<InputFeature<null>>(count);
  for (let i = 0; i < count; i++) {
    features[i] = { type: 'Feature', id: i, properties: null, geometry: { type: 'Point', coordinates: [points.lon[i]!, points.lat[i]!] } };
  }
  const index = new Supercluster<null>({ maxZoom: CLUSTER_MAX_ZOOM, radius: CLUSTER_RADIUS, extent: 512 });
  index.load(features);
  return {
    kind,
    index,
    ids: Float64Array.from(points.id),
    names: points.name,
    points: count,
    buildMs: performance.now() - started,
    signature: '',
  };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** The clusters and single points of a viewport, as a GeoJSON FeatureCollection. */
export function clustersIn(cluster: ClusterIndex, bbox: BBox, zoom: number): ClusterCollection {
  const found = cluster.index.getClusters(bbox, zoom);
  const features = found.map((feature): ClusterFeature | PointFeature => {
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    const coordinates: [number, number] = [round(lon), round(lat)];
    const properties = feature.properties as { cluster?: true; cluster_id?: number; point_count?: number } | null;
    if (properties?.cluster) {
      const clusterId = properties.cluster_id!;
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates },
        properties: {
          cluster: true,
          nombre: properties.point_count!,
          cluster_id: clusterId,
          zoom_expansion: cluster.index.getClusterExpansionZoom(clusterId),
        },
      };
    }
    const row = feature.id as number;
    const id = cluster.ids[row]!;
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates },
      properties: { id, nom: cluster.names[row]!, url: `/${cluster.kind}/${id}` },
    };
  });
  return { type: 'FeatureCollection', features };
}

interface Entry {
  key: string;
  generation: number;
  createdAt: number;
  promise: Promise<ClusterIndex>;
  value?: ClusterIndex;
  refreshing?: boolean;
}

export interface ClusterLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Bumped by invalidateClusterCache(): entries of an older generation are never served again. */
let generation = 0;

/**
 * Drops every cached index (of every database of the process): imports and edits call it after they
 * commit. Other instances behind a load balancer catch up within the cache TTL (60 s).
 */
export function invalidateClusterCache(): void {
  generation++;
}

function cacheKey(kind: AtlasKind, filters: ResolvedFilters): string {
  const defined = Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}?${JSON.stringify(defined)}`;
}

/** The LRU cache of one database's indexes (a Map keeps insertion order: the first entry is the oldest use). */
export class ClusterCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly log: ClusterLogger,
    private readonly options = { maxEntries: MAX_ENTRIES, maxPoints: MAX_CACHED_POINTS, ttlMs: TTL_MS },
  ) {}

  /** The index for these filters: from the cache when present (even expired: it is then refreshed in the background). */
  async get(entity: AtlasEntity, filters: ResolvedFilters): Promise<ClusterIndex> {
    const key = cacheKey(entity.kind, filters);
    const entry = this.entries.get(key);
    if (entry && entry.generation === generation) {
      this.entries.delete(key);
      this.entries.set(key, entry); // most recently used
      if (entry.value && !entry.refreshing && Date.now() - entry.createdAt > this.options.ttlMs) this.refresh(entry, entity, filters);
      return entry.value ?? entry.promise;
    }
    if (entry) this.entries.delete(key);
    return this.build(key, entity, filters).promise;
  }

  /** Number of cached indexes (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private build(key: string, entity: AtlasEntity, filters: ResolvedFilters): Entry {
    const entry: Entry = { key, generation, createdAt: Date.now(), promise: buildClusterIndex(this.db, entity, filters) };
    this.entries.set(key, entry);
    entry.promise.then(
      (value) => {
        entry.value = value;
        this.log.debug({ cle: key, points: value.points, ms: Math.round(value.buildMs) }, 'carte : index de regroupement construit');
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key); // the next request retries
      },
    );
    return entry;
  }

  /**
   * An expired index is checked against the data (one cheap query) and rebuilt only when the data changed,
   * in the background: requests keep being answered from the current index meanwhile.
   */
  private refresh(entry: Entry, entity: AtlasEntity, filters: ResolvedFilters): void {
    entry.refreshing = true;
    const refreshedGeneration = generation;
    const current = entry.value!;
    (async () => {
      if ((await dataSignature(this.db, entity, filters)) === current.signature) {
        entry.createdAt = Date.now();
        return;
      }
      const value = await buildClusterIndex(this.db, entity, filters);
      if (refreshedGeneration !== generation || this.entries.get(entry.key) !== entry) return;
      entry.value = value;
      entry.promise = Promise.resolve(value);
      entry.createdAt = Date.now();
      this.log.debug({ cle: entry.key, points: value.points, ms: Math.round(value.buildMs) }, 'carte : index de regroupement reconstruit (données modifiées)');
      this.evict();
    })()
      .catch((error: unknown) => {
        this.log.warn({ cle: entry.key, err: error }, 'carte : rafraîchissement de l’index impossible, l’ancien est conservé');
      })
      .finally(() => {
        entry.refreshing = false;
      });
  }

  /** Least recently used first, down to the entry and point budgets (the index being used stays). */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (entry.generation !== generation && entry.value) this.entries.delete(key);
    }
    let points = 0;
    for (const entry of this.entries.values()) points += entry.value?.points ?? 0;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= 1) break;
      if (this.entries.size <= this.options.maxEntries && points <= this.options.maxPoints) break;
      if (!entry.value) continue; // still building: someone is waiting for it
      this.entries.delete(key);
      points -= entry.value.points;
    }
  }
}

const caches = new WeakMap<Db, ClusterCache>();

/** The cache of a database (one per application instance, shared by its routes). */
export function clusterCacheFor(db: Db, log: ClusterLogger): ClusterCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ClusterCache(db, log);
    caches.set(db, cache);
  }
  return cache;
}
