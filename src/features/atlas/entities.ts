/**
 * The two searchable kinds of the Atlas, organisations and cooperations, described once: their table, how
 * each filter applies to them, their facets and how a row becomes an API result. The search engine, the
 * exports and the map all read these descriptors, so a filter means the same thing everywhere.
 */
import { sql, type SQL } from 'drizzle-orm';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { AtlasFilters } from './schemas.ts';

export type AtlasKind = 'organisations' | 'cooperations';

export interface Facet {
  /** API parameter and key of `facettes`. */
  param: keyof AtlasFilters;
  /** Column expression, on alias t. */
  column: SQL;
  label(code: string, territories: TerritoryIndex): string;
  /** Territory facets below département only make sense once the search is narrowed to a territory. */
  shownWhen?(filters: AtlasFilters): boolean;
}

export interface AtlasEntity {
  kind: AtlasKind;
  table: SQL;
  /** Conditions of the filters that are not shared by both kinds. */
  ownFilters(filters: AtlasFilters): SQL[];
  facets: Facet[];
}

const t = (column: string) => sql.raw(`t.${column}`);

const territoryFacets: Facet[] = [
  { param: 'region', column: t('region_code'), label: (c, idx) => idx.name('region', c) ?? c },
  { param: 'departement', column: t('departement_code'), label: (c, idx) => idx.name('departement', c) ?? c },
  {
    param: 'epci',
    column: t('epci_code'),
    label: (c, idx) => idx.name('epci', c) ?? c,
    shownWhen: (f) => Boolean(f.region || f.departement || f.epci || f.territoire),
  },
  {
    param: 'commune',
    column: t('commune_code'),
    label: (c, idx) => idx.name('commune', c) ?? c,
    shownWhen: (f) => Boolean(f.departement || f.epci || f.commune || f.territoire),
  },
];

const secteurFacet: Facet = { param: 'secteur', column: t('secteur'), label: (c) => secteur.label(c) };
const formeJuridiqueFacet: Facet = {
  param: 'forme_juridique',
  column: sql`left(t.legal_form, 2)`,
  label: (c) => formeJuridique.label(c),
};

const equals = (column: string, value: string | undefined) => (value === undefined ? [] : [sql`${t(column)} = ${value}`]);

/** Filters on the cooperations an organisation belongs to (e.g. the structures that are members of a PTCE). */
function memberOfCooperation(filters: AtlasFilters): SQL[] {
  const conditions = [
    ...(filters.modele ? [sql`c.modele = ${filters.modele}`] : []),
    ...(filters.stade ? [sql`c.stade = ${filters.stade}`] : []),
    ...(filters.finalite ? [sql`c.finalite = ${filters.finalite}`] : []),
    ...(filters.modele_economique ? [sql`c.modele_economique = ${filters.modele_economique}`] : []),
  ];
  if (conditions.length === 0) return [];
  return [
    sql`exists (select 1 from cooperation_member m join cooperation c on c.id = m.cooperation_id
    where m.organisation_id = t.id and ${sql.join(conditions, sql` and `)})`,
  ];
}

export const organisationEntity: AtlasEntity = {
  kind: 'organisations',
  table: sql`organisation`,
  ownFilters: (filters) => [...equals('statut_ess', filters.statut_ess), ...memberOfCooperation(filters)],
  facets: [...territoryFacets, secteurFacet, formeJuridiqueFacet, { param: 'statut_ess', column: t('statut_ess'), label: (c) => statutEss.label(c) }],
};

export const cooperationEntity: AtlasEntity = {
  kind: 'cooperations',
  table: sql`cooperation`,
  ownFilters: (filters) => [
    ...equals('modele', filters.modele),
    ...equals('stade', filters.stade),
    ...equals('finalite', filters.finalite),
    ...equals('modele_economique', filters.modele_economique),
    // A cooperation "has" an ESS status through its members.
    ...(filters.statut_ess
      ? [
          sql`exists (select 1 from cooperation_member m join organisation o on o.id = m.organisation_id
          where m.cooperation_id = t.id and o.statut_ess = ${filters.statut_ess})`,
        ]
      : []),
  ],
  facets: [
    ...territoryFacets,
    { param: 'modele', column: t('modele'), label: (c) => modele.label(c) },
    { param: 'finalite', column: t('finalite'), label: (c) => finalite.label(c) },
    { param: 'modele_economique', column: t('modele_economique'), label: (c) => modeleEconomique.label(c) },
    { param: 'stade', column: t('stade'), label: (c) => stade.label(c) },
    secteurFacet,
    formeJuridiqueFacet,
  ],
};

export const atlasEntities: Record<AtlasKind, AtlasEntity> = {
  organisations: organisationEntity,
  cooperations: cooperationEntity,
};
