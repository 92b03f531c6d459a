/**
 * Typed view of the tables for the query layer. The SQL files in migrations/ are the truth (they create
 * the tables); this file mirrors them column by column so that queries are type-checked.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();

export const region = pgTable('region', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const departement = pgTable('departement', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
});

export const epci = pgTable('epci', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  population: integer('population'),
});

export const commune = pgTable('commune', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  departementCode: text('departement_code').notNull(),
  regionCode: text('region_code').notNull(),
  epciCode: text('epci_code'),
  parentCode: text('parent_code'),
  population: integer('population'),
  postalCodes: text('postal_codes').array().notNull(),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
});

export const territoireProjet = pgTable('territoire_projet', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  description: text('description'),
  source: text('source'),
});

export const territoireProjetCommune = pgTable(
  'territoire_projet_commune',
  {
    territoireProjetId: bigint('territoire_projet_id', { mode: 'number' }).notNull(),
    communeCode: text('commune_code').notNull(),
  },
  (table) => [primaryKey({ columns: [table.territoireProjetId, table.communeCode] })],
);

/** Columns shared by organisations and cooperations: where they are. */
const location = () => ({
  communeCode: text('commune_code'),
  departementCode: text('departement_code'),
  regionCode: text('region_code'),
  epciCode: text('epci_code'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
});

const provenance = () => ({
  isExample: boolean('is_example').notNull().default(false),
  source: text('source'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const organisation = pgTable('organisation', {
  id: id(),
  siret: text('siret').unique(),
  siren: text('siren'),
  name: text('name').notNull(),
  legalForm: text('legal_form'),
  statutEss: text('statut_ess'),
  nafCode: text('naf_code'),
  secteur: text('secteur'),
  trancheEffectif: text('tranche_effectif'),
  ...location(),
  address: text('address'),
  website: text('website'),
  description: text('description'),
  ...provenance(),
  nameSearch: text('name_search').generatedAlwaysAs(sql`immutable_unaccent(lower(name))`),
});

export const cooperation = pgTable('cooperation', {
  id: id(),
  name: text('name').notNull(),
  modele: text('modele').notNull(),
  finalite: text('finalite'),
  modeleEconomique: text('modele_economique'),
  stade: text('stade'),
  secteur: text('secteur'),
  legalForm: text('legal_form'),
  ...location(),
  territoireProjetId: bigint('territoire_projet_id', { mode: 'number' }),
  territoryLabel: text('territory_label'),
  description: text('description'),
  governance: text('governance'),
  activities: text('activities'),
  sharedResources: text('shared_resources'),
  history: text('history'),
  foundedYear: integer('founded_year'),
  website: text('website'),
  ...provenance(),
  nameSearch: text('name_search').generatedAlwaysAs(sql`immutable_unaccent(lower(name))`),
});

export const cooperationMember = pgTable('cooperation_member', {
  id: id(),
  cooperationId: bigint('cooperation_id', { mode: 'number' }).notNull(),
  organisationId: bigint('organisation_id', { mode: 'number' }),
  name: text('name').notNull(),
  role: text('role').notNull(),
});
