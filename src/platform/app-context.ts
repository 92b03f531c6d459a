/** The application as features receive it: the context built once by the composition root (app.ts), and the typed Fastify instance. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { TerritoryIndex } from './territory-index.ts';

/** What every feature receives: configuration, database, the in-memory territory index, change hooks. */
export interface AppContext {
  config: Config;
  database: Database;
  territories: TerritoryIndex;
  /** Called after a write to the catalogue of schemes or the needs rules: what is built on them is read again. */
  onCatalogueChange(): void;
  /** Called after a write to organisations or cooperations in this process: the search and map caches are dropped. */
  onAtlasChange(): void;
}

/** A route as registered: what the authorization matrix test checks that it covers, route by route. */
export interface RouteSummary {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the application, as registered (HEAD routes excluded). */
    routeTable: RouteSummary[];
  }
}

/** The Fastify instance with Zod schemas as its type provider, as features receive it. */
export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
