/**
 * Reading calls: the public search (same territory semantics as the catalogue: national calls are available
 * everywhere) and one call with its organisers, scheme, phases and current form version. The timing filter
 * (ouvert / a_venir / passe) is the SQL mirror of domain/call.ts callTiming, evaluated at the server clock.
 */
import { sql, type SQL } from 'drizzle-orm';
import { type Db, checkedFirstRow, column, checkedRows, countRow } from '../../../db/database.ts';
import { canManageCall, type Actor } from '../../../domain/authorization.ts';
import { callTiming, toParisIso, type CalendrierAppel, type Eligibilite, statutAppel } from '../../../domain/call.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import { badRequest } from '../../../web/errors.ts';
import { resolveFilters } from '../../atlas/search.ts';
import { availableOn } from '../../catalogue/search.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import type { AppelFilters, AppelSearch } from './schemas.ts';
import { z } from 'zod';

export interface PhaseRow {
  vague: string | null;
  label: string;
  description: string | null;
  ouverture: Date;
  cloture: Date;
  depot: boolean;
  resultats_date: string | null;
  resultats_texte: string | null;
}

const appelRow = z.object({
  id: z.number(),
  key: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  statut: statutAppel.schema,
  organisateurs: z.array(z.string()),
  laureats_min: z.number().nullable(),
  laureats_max: z.number().nullable(),
  budget: z.string().nullable(),
  budget_texte: z.string().nullable(),
  eligibilite: column.jsonAs<Eligibilite>(),
  couverture_niveau: z.string().nullable(),
  couverture_codes: z.array(z.string()),
  source: z.string().nullable(),
  is_example: z.boolean(),
  dispositif_id: z.number().nullable(),
  dispositif_name: z.string().nullable(),
  formulaire_version: z.number().nullable(),
});
type AppelRow = z.infer<typeof appelRow>;

const columns = sql`t.id::int as id, t.key, t.title, t.description, t.statut, t.laureats_min, t.laureats_max, t.budget::text as budget,
  t.budget_texte, t.eligibilite, t.couverture_niveau, t.couverture_codes, t.source, t.is_example,
  t.dispositif_id::int as dispositif_id, d.name as dispositif_name,
  array(select o.name from appel_organisateur o where o.appel_id = t.id order by o.position) as organisateurs,
  (select max(f.version) from appel_formulaire f where f.appel_id = t.id)::int as formulaire_version`;

function timingCondition(timing: CalendrierAppel, at: Date): SQL {
  const instant = sql`${at.toISOString()}::timestamptz`;
  const openNow = sql`exists (select 1 from appel_phase p where p.appel_id = t.id and p.depot and p.ouverture <= ${instant} and ${instant} <= p.cloture)`;
  const later = sql`exists (select 1 from appel_phase p where p.appel_id = t.id and p.depot and p.ouverture > ${instant})`;
  if (timing === 'ouvert') return sql`(t.statut = 'publie' and ${openNow})`;
  if (timing === 'a_venir') return sql`(t.statut = 'brouillon_concertation' or (t.statut = 'publie' and not ${openNow} and ${later}))`;
  return sql`(t.statut = 'clos' or (t.statut = 'publie' and not ${openNow} and not ${later}))`;
}

const phasesOfRow = z.object({
  vague: z.string().nullable(),
  label: z.string(),
  description: z.string().nullable(),
  ouverture: column.instant,
  cloture: column.instant,
  depot: z.boolean(),
  resultats_date: z.string().nullable(),
  resultats_texte: z.string().nullable(),
  appel_id: z.number(),
});

/** The phases of these calls, in order, with their instants as Dates. */
export async function phasesOf(db: Db, ids: number[]): Promise<Map<number, PhaseRow[]>> {
  const found = ids.length
    ? await checkedRows(
        db,
        phasesOfRow,
        sql`select appel_id::int as appel_id, vague, label, description,
      ouverture, cloture, depot, resultats_date::text as resultats_date, resultats_texte
    from appel_phase where appel_id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) order by appel_id, position`,
      )
    : [];
  const byCall = new Map<number, PhaseRow[]>(ids.map((id) => [id, []]));
  for (const phase of found) byCall.get(phase.appel_id)!.push({ ...phase, ouverture: new Date(phase.ouverture), cloture: new Date(phase.cloture) });
  return byCall;
}

/** The next closing instant of a submission phase not closed yet, in Paris ISO form. */
function nextClosing(phases: PhaseRow[], at: Date): string | null {
  const next = phases.filter((p) => p.depot && p.cloture.getTime() >= at.getTime()).sort((a, b) => a.cloture.getTime() - b.cloture.getTime())[0];
  return next ? toParisIso(next.cloture) : null;
}

function summary(row: AppelRow, phases: PhaseRow[], at: Date) {
  return {
    id: row.id,
    titre: row.title,
    organisateurs: row.organisateurs,
    statut: callTiming(row.statut, phases, at),
    etat_publication: row.statut,
    prochaine_cloture: nextClosing(phases, at),
    exemple: row.is_example,
  };
}

export type AppelSummary = ReturnType<typeof summary>;

/** The conditions of a calls search on alias t (shared by the search and the alerts), without its text mode check. */
export function appelWhere(index: TerritoryIndex, search: AppelFilters, at: Date, extra: SQL[] = []): SQL {
  // A call in preparation is private: never listed, never in an alert.
  const conditions: SQL[] = [sql`t.statut <> 'brouillon'`, ...extra];
  if (search.q) {
    conditions.push(sql`(t.search_vector @@ websearch_to_tsquery('fr', ${search.q}) or t.name_search %> immutable_unaccent(lower(${search.q})))`);
  }
  if (search.departement) conditions.push(availableOn(index, 'departement', search.departement));
  else if (search.region) conditions.push(availableOn(index, 'region', search.region));
  if (search.statut) conditions.push(timingCondition(search.statut, at));
  return conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

export async function searchAppels(db: Db, index: TerritoryIndex, search: AppelSearch, at: Date) {
  await resolveFilters(db, index, { region: search.region, departement: search.departement }); // unknown COG codes → 400
  const where = appelWhere(index, search, at);
  const [total, page] = await Promise.all([
    checkedFirstRow(db, countRow, sql`select count(*)::int as n from appel t ${where}`),
    checkedRows(
      db,
      appelRow,
      sql`select ${columns} from appel t left join dispositif d on d.id = t.dispositif_id ${where}
      order by (select max(p.cloture) from appel_phase p where p.appel_id = t.id) desc nulls last, t.title
      limit ${search.par_page} offset ${(search.page - 1) * search.par_page}`,
    ),
  ]);
  const lastPage = Math.max(1, Math.ceil(total!.n / search.par_page));
  if (search.page > lastPage) throw badRequest(`La page ${search.page} n'existe pas : cette recherche compte ${lastPage} page${lastPage > 1 ? 's' : ''}.`);
  const phases = await phasesOf(
    db,
    page.map((r) => r.id),
  );
  return { total: total!.n, page: search.page, par_page: search.par_page, resultats: page.map((r) => summary(r, phases.get(r.id)!, at)) };
}

/** One call; a call in preparation only for those who manage it (`viewer`), as if it did not exist for others. */
export async function findAppel(db: Db, id: number, at: Date, viewer: Actor | null = null) {
  const row = await checkedFirstRow(db, appelRow, sql`select ${columns} from appel t left join dispositif d on d.id = t.dispositif_id where t.id = ${id}`);
  if (!row || (row.statut === 'brouillon' && !canManageCall(viewer, id))) return undefined;
  const phases = (await phasesOf(db, [id])).get(id)!;
  return {
    ...summary(row, phases, at),
    key: row.key,
    description: row.description,
    dispositif: row.dispositif_id && row.dispositif_name ? { id: row.dispositif_id, nom: row.dispositif_name } : null,
    phases: phases.map((p) => ({
      vague: p.vague,
      libelle: p.label,
      description: p.description,
      ouverture: toParisIso(p.ouverture),
      cloture: toParisIso(p.cloture),
      depot: p.depot,
      resultats: { date: p.resultats_date, texte: p.resultats_texte },
    })),
    laureats: { min: row.laureats_min, max: row.laureats_max },
    budget: row.budget === null ? null : Number(row.budget),
    budget_texte: row.budget_texte,
    eligibilite: row.eligibilite,
    couverture: row.couverture_niveau ? { niveau: row.couverture_niveau, codes: row.couverture_codes } : null,
    formulaire_version: row.formulaire_version,
    source: row.source,
  };
}

export type AppelDetail = NonNullable<Awaited<ReturnType<typeof findAppel>>>;

const definitionRow = z.object({ definition: column.jsonAs<FormDefinition>() });

export async function formVersion(db: Db, appelId: number, version: number): Promise<FormDefinition | undefined> {
  const row = await checkedFirstRow(
    db,
    definitionRow,
    sql`select definition from appel_formulaire
    where appel_id = ${appelId} and version = ${version}`,
  );
  return row?.definition;
}
