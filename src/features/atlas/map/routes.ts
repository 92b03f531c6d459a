import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { type Db, checkedRows } from '../../../db/database.ts';
import { projectRoot } from '../../../paths.ts';
import { sendPage } from '../../../web/forms.ts';
import { atlasEntities, type AtlasEntity } from '../entities.ts';
import { FILTER_KEYS, type AtlasFilters } from '../schemas.ts';
import { resolveFilters, whereClause, withTextMode, type ResolvedFilters } from '../search.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { filterValueLabel } from '../filter-labels.ts';
import type { ChoroplethLevel } from './choropleth.ts';
import { clusterCacheFor, clustersIn } from './clusters.ts';
import { choroplethQuery, choroplethResponseSchema, clustersQuery, clustersResponseSchema, problemSchema } from './schemas.ts';
import { choroplethPage, choroplethTitle, MAPLIBRE_WORKER_PATH, setMapStyleUrl } from './views.ts';
import { z } from 'zod';

/** Only the search filters of a query string (without type, bbox, zoom, niveau). */
function pickFilters(query: Partial<AtlasFilters>): AtlasFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (query[key] !== undefined) filters[key] = query[key];
  return filters as AtlasFilters;
}

export interface TerritoryCounts {
  counts: Map<string, number>;
  total: number;
  withoutTerritory: number;
}

const countByTerritoryRow = z.object({ code: z.string().nullable(), n: z.number() });

/** Counts of the filtered records per département or région (the codes copied on every record). */
export async function countByTerritory(db: Db, entity: AtlasEntity, filters: ResolvedFilters, level: ChoroplethLevel): Promise<TerritoryCounts> {
  const column = sql.raw(level === 'departement' ? 't.departement_code' : 't.region_code');
  const found = await checkedRows(
    db,
    countByTerritoryRow,
    sql`
    select ${column} as code, count(*)::int as n from ${entity.table} t ${whereClause(entity, filters)} group by 1`,
  );
  const counts = new Map<string, number>();
  let total = 0;
  let withoutTerritory = 0;
  for (const row of found) {
    total += row.n;
    if (row.code === null) withoutTerritory += row.n;
    else counts.set(row.code, row.n);
  }
  return { counts, total, withoutTerritory };
}

const FILTER_TITLES: Record<keyof AtlasFilters, string> = {
  q: 'Texte',
  region: 'Région',
  departement: 'Département',
  epci: 'EPCI',
  commune: 'Commune',
  territoire: 'Territoire de projet',
  modele: 'Modèle',
  stade: 'Stade',
  finalite: 'Finalité',
  modele_economique: 'Modèle économique',
  secteur: 'Secteur',
  forme_juridique: 'Forme juridique',
  statut_ess: 'Statut ESS',
  monnaie_locale: 'Monnaie locale acceptée',
};

function activeFilterLabels(filters: AtlasFilters, territories: TerritoryIndex): string[] {
  return FILTER_KEYS.filter((key) => filters[key] !== undefined && filters[key] !== '').map(
    (key) => `${FILTER_TITLES[key]} : ${key === 'q' ? `« ${filters.q} »` : filterValueLabel(key, String(filters[key]), territories)}`,
  );
}

export async function registerMap(app: TypedApp, { config, database, territories }: AppContext) {
  const db = database.db;
  const clusterCache = clusterCacheFor(db, app.log);
  setMapStyleUrl(config.MAP_STYLE_URL);

  app.get(
    '/api/v1/carte/clusters',
    {
      schema: {
        tags: ['Carte'],
        summary: 'Regroupements de fiches pour une vue de carte',
        description:
          'Regroupe côté serveur les fiches localisées qui correspondent aux filtres de la recherche, pour le cadre ' +
          '(bbox) et le zoom donnés : chaque regroupement donne son nombre de fiches et le zoom où il se sépare, ' +
          'chaque fiche seule son nom et son adresse. Réponse GeoJSON (application/geo+json).',
        querystring: clustersQuery,
        response: { 200: clustersResponseSchema, 400: problemSchema },
      },
    },
    async (request, reply) => {
      const { type, bbox, zoom } = request.query;
      const entity = atlasEntities[type];
      const filters = await withTextMode(db, entity, await resolveFilters(db, territories, pickFilters(request.query)));
      const index = await clusterCache.get(entity, filters);
      // Serialised here: the collection is built to the schema above, and can hold thousands of features.
      const body = JSON.stringify(clustersIn(index, bbox, zoom));
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(body as never);
    },
  );

  app.get(
    '/api/v1/carte/choropleth',
    {
      schema: {
        tags: ['Carte'],
        summary: 'Comptes par département ou par région, pour une carte choroplèthe',
        description: 'Mêmes filtres que la recherche. Les codes sont ceux du Code officiel géographique (COG).',
        querystring: choroplethQuery,
        response: { 200: choroplethResponseSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const { type, niveau } = request.query;
      const filters = await withTextMode(db, atlasEntities[type], await resolveFilters(db, territories, pickFilters(request.query)));
      const { counts, total, withoutTerritory } = await countByTerritory(db, atlasEntities[type], filters, niveau);
      const valeurs = [...counts]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, nombre]) => ({ code, nom: territories.name(niveau, code) ?? code, nombre }));
      return { type, niveau, total, sans_territoire: withoutTerritory, valeurs };
    },
  );

  app.get('/carte', { schema: { hide: true, querystring: choroplethQuery } }, async (request, reply) => {
    const { type, niveau } = request.query;
    const picked = pickFilters(request.query);
    const filters = await withTextMode(db, atlasEntities[type], await resolveFilters(db, territories, picked));
    const { counts, total, withoutTerritory } = await countByTerritory(db, atlasEntities[type], filters, niveau);
    const main = choroplethPage({
      kind: type,
      level: niveau,
      filters: picked,
      counts,
      total,
      withoutTerritory,
      nameOf: (code) => territories.name(niveau, code),
      activeFilters: activeFilterLabels(picked, territories),
    });
    return sendPage(reply, {
      title: choroplethTitle(type, niveau),
      main,
      currentPath: `/${type}`,
      description: 'Nombre de coopérations ou de structures de l’ESS par département ou par région.',
    });
  });

  // MapLibre GL loads its worker as a separate module, next to its own script; the bundled client tells it
  // to take it here instead (the ?v= version in the URL makes it cacheable for a year).
  let worker: Promise<Buffer> | undefined;
  app.get(MAPLIBRE_WORKER_PATH, { schema: { hide: true } }, async (_request, reply) => {
    worker ??= readFile(join(projectRoot, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'));
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await worker);
  });
}
