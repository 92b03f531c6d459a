/**
 * Reading calls as their managers see them: every call they manage (any state), and one call with all that its
 * management page edits — organisers with their SIRET, phases with their ids, the form and grid in numbers.
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow, checkedRows, column, idRow } from '../../../db/database.ts';
import { isPlatformAdmin, type Actor } from '../../../domain/authorization.ts';
import { statutAppel, type CallContent, type Eligibilite, type StatutAppel } from '../../../domain/call.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import { phasesOf, type PhaseRow } from '../applications/queries.ts';
import { z } from 'zod';

/** The providers (scheme publishers' scopes) for which this person may create a call. */
export function providersOf(actor: Actor): string[] {
  return [...new Set(actor.roles.filter((g) => g.role === 'scheme_publisher' && g.scopeKind === 'dispositif').map((g) => g.scopeCode))].sort();
}

/** May create a call for some organiser: a platform admin, or a scheme publisher of at least one provider. */
export function mayCreateSomeCall(actor: Actor): boolean {
  return isPlatformAdmin(actor) || providersOf(actor).length > 0;
}

const managedCallRow = z.object({
  id: z.number(),
  titre: z.string(),
  statut: statutAppel.schema,
  prochaine_cloture: column.instant.nullable(),
  candidatures: z.number(),
});
export type ManagedCallRow = z.infer<typeof managedCallRow>;

/** The calls this person manages: those they are instructor of (every call for a platform admin); `at`: the calls' clock. */
export async function managedCalls(db: Db, actor: Actor, at: Date): Promise<ManagedCallRow[]> {
  const mine = isPlatformAdmin(actor)
    ? sql`true`
    : sql`a.id::text in (select r.scope_code from account_role r
    where r.account_id = ${actor.id} and r.role = 'instructor' and r.scope_kind = 'appel')`;
  return checkedRows(
    db,
    managedCallRow,
    sql`select a.id::int as id, a.title as titre, a.statut,
      (select min(p.cloture) from appel_phase p where p.appel_id = a.id and p.depot and p.cloture >= ${at.toISOString()}::timestamptz) as prochaine_cloture,
      (select count(*) from candidature c where c.appel_id = a.id and c.statut <> 'brouillon')::int as candidatures
    from appel a where ${mine} order by a.updated_at desc, a.id desc`,
  );
}

export interface ManagedPhase extends PhaseRow {
  id: number;
}

export interface ManagedCall {
  id: number;
  key: string;
  titre: string;
  description: string | null;
  statut: StatutAppel;
  dispositif_id: number | null;
  laureats_min: number | null;
  laureats_max: number | null;
  budget: string | null;
  budget_texte: string | null;
  eligibilite: Eligibilite;
  couverture_niveau: string | null;
  couverture_codes: string[];
  updated_at: Date | string;
  organisateurs: { nom: string; siret: string | null; organisation_id: number | null }[];
  phases: ManagedPhase[];
  formulaire: { version: number; champs: number } | null;
  criteres: number;
  candidatures: number;
}

function countFields(definition: FormDefinition): number {
  return definition.sections.reduce((n, s) => n + s.champs.length, 0);
}

const callDetailRow = z.object({
  id: z.number(),
  key: z.string(),
  titre: z.string(),
  description: z.string().nullable(),
  statut: statutAppel.schema,
  dispositif_id: z.number().nullable(),
  laureats_min: z.number().nullable(),
  laureats_max: z.number().nullable(),
  budget: z.string().nullable(),
  budget_texte: z.string().nullable(),
  eligibilite: column.jsonAs<Eligibilite>(),
  couverture_niveau: z.string().nullable(),
  couverture_codes: z.array(z.string()),
  updated_at: column.instant,
  criteres: z.number(),
  candidatures: z.number(),
  definition: column.jsonAs<FormDefinition>().nullable(),
  version: z.number().nullable(),
});

const organisateurRow = z.object({ nom: z.string(), siret: z.string().nullable(), organisation_id: z.number().nullable() });

/** One call with all its management page shows; undefined when there is none. */
export async function managedCall(db: Db, id: number): Promise<ManagedCall | undefined> {
  const row = await checkedFirstRow(
    db,
    callDetailRow,
    sql`
    select a.id::int as id, a.key, a.title as titre, a.description, a.statut, a.dispositif_id::int as dispositif_id, a.laureats_min,
      a.laureats_max, a.budget::text as budget, a.budget_texte, a.eligibilite, a.couverture_niveau, a.couverture_codes, a.updated_at,
      f.version, f.definition,
      (select count(*) from grille_critere g where g.appel_id = a.id)::int as criteres,
      (select count(*) from candidature c where c.appel_id = a.id)::int as candidatures
    from appel a left join lateral (select version, definition from appel_formulaire f where f.appel_id = a.id order by version desc limit 1) f on true
    where a.id = ${id}`,
  );
  if (!row) return undefined;
  // One query after the other: `db` may be a transaction (a change of state reads the call it locked).
  const organisateurs = await checkedRows(
    db,
    organisateurRow,
    sql`select o.name as nom,
      coalesce(o.siret, org.siret) as siret, o.organisation_id::int as organisation_id
    from appel_organisateur o left join organisation org on org.id = o.organisation_id where o.appel_id = ${id} order by o.position`,
  );
  const phaseIds = await checkedRows(db, idRow, sql`select id::int as id from appel_phase where appel_id = ${id} order by position`);
  const phases = await phasesOf(db, [id]);
  const { definition, version, ...call } = row;
  return {
    ...call,
    organisateurs,
    phases: phases.get(id)!.map((phase, i) => ({ ...phase, id: phaseIds[i]!.id })),
    formulaire: version !== null && definition ? { version, champs: countFields(definition) } : null,
  };
}

/** What publication checks, from the call as stored. */
export function contentOf(call: ManagedCall): CallContent {
  return {
    title: call.titre,
    organisers: call.organisateurs.length,
    submissionPhases: call.phases.filter((p) => p.depot).length,
    formFields: call.formulaire?.champs ?? 0,
    eligibilite: call.eligibilite,
  };
}

const dispositifChoicesRow = z.object({ id: z.number(), nom: z.string() });

/** The schemes a call may implement: those one of its organisers provides, and the one it already names. */
export async function dispositifChoices(db: Db, organisers: string[], current: number | null): Promise<{ id: number; nom: string }[]> {
  const names = sql.join(
    (organisers.length ? organisers : ['']).map((name) => sql`lower(${name})`),
    sql`, `,
  );
  return checkedRows(
    db,
    dispositifChoicesRow,
    sql`select d.id::int as id, d.name as nom from dispositif d
    where d.id = ${current ?? 0} or exists (select 1 from dispositif_porteur p where p.dispositif_id = d.id and lower(p.name) in (${names}))
    order by d.name limit 200`,
  );
}
