/**
 * Published aggregates of indicators: the validated values of one indicator summed by period (a time series),
 * optionally split by territory (région, département, EPCI, commune of the cooperation) or by model, and
 * filtered by territory at any level, model and period range. Only validated values count; each result says
 * how many cooperations it sums. This is the one query module other features (the observatory, open data)
 * read indicators through.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { modele } from '../../domain/cooperation.ts';
import { parsePeriod } from '../../domain/indicators.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { TerritoryIndex, TerritoryLevel } from '../../platform/territory-index.ts';
import { indicatorOf } from './catalogue.ts';

export const AGGREGATE_DIMENSIONS = ['periode', 'region', 'departement', 'epci', 'commune', 'modele'] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];

export interface AggregateQuery {
  indicateur: string;
  region?: string;
  departement?: string;
  epci?: string;
  commune?: string;
  modele?: string;
  periode_debut?: string;
  periode_fin?: string;
  /** Besides the period, the dimension results are split by ('periode': none). */
  par?: AggregateDimension;
}

export interface AggregateResult {
  periode: string;
  groupe: { code: string; libelle: string } | null;
  valeur: number;
  cooperations: number;
}

const COLUMNS: Record<Exclude<AggregateDimension, 'periode'>, SQL> = {
  region: sql`c.region_code`,
  departement: sql`c.departement_code`,
  epci: sql`c.epci_code`,
  commune: sql`c.commune_code`,
  modele: sql`c.modele`,
};
const LEVELS: readonly TerritoryLevel[] = ['region', 'departement', 'epci', 'commune'];

const row = z.object({ periode: z.string(), groupe: z.string().nullable(), valeur: z.number(), cooperations: z.number() });

/** The aggregates of an indicator; unknown indicator, territory or period: a French refusal (404 or 400 naming the parameter). */
export async function publishedAggregates(db: Db, territories: TerritoryIndex, query: AggregateQuery) {
  const indicator = await indicatorOf(db, query.indicateur);
  const filters: SQL[] = [sql`s.indicateur_code = ${indicator.code}`, sql`s.statut = 'validee'`];
  for (const level of LEVELS) {
    const code = query[level];
    if (code === undefined) continue;
    if (!territories.has(level, code))
      throw new RuleError('territoire_inconnu', `Aucun territoire de niveau ${level} ne porte le code « ${code} ».`, { field: level, kind: 'not_found' });
    filters.push(sql`${COLUMNS[level]} = ${code}`);
  }
  if (query.modele !== undefined) filters.push(sql`c.modele = ${query.modele}`);
  if (query.periode_debut !== undefined) filters.push(sql`s.periode >= ${parsePeriod(query.periode_debut, 'periode_debut').code}`);
  if (query.periode_fin !== undefined) {
    const end = parsePeriod(query.periode_fin, 'periode_fin');
    // A year as the end takes its quarters in: « 2025-T4 » sorts after « 2025 ».
    filters.push(end.trimestre ? sql`s.periode <= ${end.code}` : sql`s.periode < ${String(end.annee + 1)}`);
  }
  const par = query.par ?? 'periode';
  const group = par === 'periode' ? sql`null::text` : COLUMNS[par];
  const found = await checkedRows(
    db,
    row,
    sql`select s.periode, ${group} as groupe, sum(s.valeur)::float8 as valeur, count(*)::int as cooperations
    from indicateur_saisie s join cooperation c on c.id = s.cooperation_id
    where ${sql.join(filters, sql` and `)}
    group by 1, 2 order by 2 nulls first, 1`,
  );
  const label = (code: string) => (par === 'modele' ? modele.label(code) : par === 'periode' ? code : (territories.name(par, code) ?? code));
  return {
    indicateur: { code: indicator.code, libelle: indicator.libelle, unite: indicator.unite, type: indicator.type, source: indicator.source },
    par,
    resultats: found.map(
      (r): AggregateResult => ({
        periode: r.periode,
        groupe: par === 'periode' ? null : r.groupe === null ? { code: '', libelle: 'Non renseigné' } : { code: r.groupe, libelle: label(r.groupe) },
        valeur: r.valeur,
        cooperations: r.cooperations,
      }),
    ),
  };
}
