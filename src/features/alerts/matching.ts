/**
 * What is new for an alert: the objects created in a period that its saved query matches. Matching goes through
 * the search code itself (the Atlas's where clause, the catalogue's, the orientation engine), with one more
 * condition on the creation time, so an alert finds exactly what its page would show.
 *
 * Calls for proposals are followed through a calls search (`recherche_appels`): a call is news when it is
 * made public (`public_since`: opened to comments or published), whether it is open or to come; a call being
 * prepared in private is no news yet.
 */
import { sql, type SQL } from 'drizzle-orm';
import { type Db, checkedRows, idRow } from '../../db/database.ts';
import { DIGEST_MAX_ITEMS, type AlertKind } from '../../domain/alert.ts';
import { atlasEntities, type AtlasEntity } from '../atlas/entities.ts';
import { resolveFilters, whereClause, withTextMode } from '../atlas/search.ts';
import { appelWhere } from '../calls/applications/queries.ts';
import { dispositifWhere } from '../catalogue/search.ts';
import { runOrientation, type OrientationData } from '../orientation/service.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { savedQuerySchemas } from './schemas.ts';
import { z } from 'zod';

export type ItemKind = 'cooperation' | 'organisation' | 'dispositif' | 'appel';

export const ITEM_LABELS: Record<ItemKind, string> = {
  cooperation: 'Coopération',
  organisation: 'Structure',
  dispositif: 'Dispositif',
  appel: 'Appel à projets',
};
const ITEM_PATHS: Record<ItemKind, string> = { cooperation: '/cooperations', organisation: '/organisations', dispositif: '/dispositifs', appel: '/appels' };

export interface NewItem {
  kind: ItemKind;
  id: number;
  nom: string;
  path: string;
}
export interface NewItems {
  items: NewItem[];
  total: number;
}

/** The period a digest covers: created after `since`, up to `until` included. */
export interface Period {
  since: Date;
  until: Date;
}

export interface MatchContext {
  db: Db;
  territories: TerritoryIndex;
  /** Rules and schemes of orientation, read before the caller's transaction opens. */
  orientationData?: OrientationData;
}

const within = (column: SQL, { since, until }: Period): SQL =>
  sql`${column} > ${since.toISOString()}::timestamptz and ${column} <= ${until.toISOString()}::timestamptz`;
const createdIn = (period: Period): SQL => within(sql`t.created_at`, period);

const item = (kind: ItemKind, row: { id: number; name: string }): NewItem => ({ kind, id: row.id, nom: row.name, path: `${ITEM_PATHS[kind]}/${row.id}` });

const countedRow = z.object({ id: z.number(), name: z.string(), total: z.number() });

async function newAtlasItems(context: MatchContext, entity: AtlasEntity, query: unknown, period: Period): Promise<NewItems> {
  const filters = savedQuerySchemas.recherche_cooperations.parse(query);
  // The text mode the search page would pick (full text when it finds anything, else names by trigrams).
  const resolved = await withTextMode(context.db, entity, await resolveFilters(context.db, context.territories, filters));
  const found = await checkedRows(
    context.db,
    countedRow,
    sql`select t.id::int as id, t.name, count(*) over ()::int as total
    from ${entity.table} t ${whereClause(entity, resolved, [createdIn(period)])}
    order by t.created_at, t.id limit ${DIGEST_MAX_ITEMS}`,
  );
  const kind: ItemKind = entity.kind === 'cooperations' ? 'cooperation' : 'organisation';
  return { items: found.map((row) => item(kind, row)), total: found[0]?.total ?? 0 };
}

/** New schemes a catalogue search would list (closed ones are no news). */
async function newSchemes(context: MatchContext, query: unknown, period: Period): Promise<NewItems> {
  const filters = savedQuerySchemas.recherche_dispositifs.parse(query);
  await resolveFilters(context.db, context.territories, filters);
  const found = await checkedRows(
    context.db,
    countedRow,
    sql`select t.id::int as id, t.name, count(*) over ()::int as total
    from dispositif t where ${createdIn(period)} and t.statut = 'actif'
      and t.id in (select t.id from dispositif t ${dispositifWhere(context.territories, filters)})
    order by t.created_at, t.id limit ${DIGEST_MAX_ITEMS}`,
  );
  return { items: found.map((row) => item('dispositif', row)), total: found[0]?.total ?? 0 };
}

/** New schemes the orientation engine proposes for the saved profile, at the end of the period. */
async function newSchemesForProfile(context: MatchContext, query: unknown, period: Period): Promise<NewItems> {
  if (!context.orientationData) throw new Error('Données d’orientation non chargées');
  const input = savedQuerySchemas.profil_orientation.parse(query);
  const result = await runOrientation(context.db, context.territories, context.orientationData, input, period.until);
  const created = new Set((await checkedRows(context.db, idRow, sql`select t.id::int as id from dispositif t where ${createdIn(period)}`)).map((r) => r.id));
  const fresh = result.dispositifs.filter((d) => created.has(d.id));
  return { items: fresh.slice(0, DIGEST_MAX_ITEMS).map((d) => item('dispositif', { id: d.id, name: d.nom })), total: fresh.length };
}

/** Calls for proposals made public in the period that a calls search would list. */
async function newCalls(context: MatchContext, query: unknown, period: Period): Promise<NewItems> {
  const filters = savedQuerySchemas.recherche_appels.parse(query);
  await resolveFilters(context.db, context.territories, filters);
  const found = await checkedRows(
    context.db,
    countedRow,
    sql`select t.id::int as id, t.title as name, count(*) over ()::int as total
    from appel t ${appelWhere(context.territories, filters, period.until, [within(sql`t.public_since`, period)])}
    order by t.public_since, t.id limit ${DIGEST_MAX_ITEMS}`,
  );
  return { items: found.map((row) => item('appel', row)), total: found[0]?.total ?? 0 };
}

export function newItems(context: MatchContext, kind: AlertKind, query: unknown, period: Period): Promise<NewItems> {
  switch (kind) {
    case 'recherche_cooperations':
      return newAtlasItems(context, atlasEntities.cooperations, query, period);
    case 'recherche_organisations':
      return newAtlasItems(context, atlasEntities.organisations, query, period);
    case 'recherche_dispositifs':
      return newSchemes(context, query, period);
    case 'profil_orientation':
      return newSchemesForProfile(context, query, period);
    case 'recherche_appels':
      return newCalls(context, query, period);
  }
}
