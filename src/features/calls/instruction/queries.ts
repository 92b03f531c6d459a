/**
 * Reading the instruction of a call: its grid, its applications (never drafts; for a reviewer, never those
 * they declared a conflict on) with their scores, the comparison table, and one application with its answers,
 * members, history, annotations, sheets and thread. What a reviewer may not read is not even selected.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../../db/database.ts';
import { statutCandidature } from '../../../domain/application.ts';
import { toParisIso } from '../../../domain/call.ts';
import type { RoleInstruction } from '../../../domain/instruction-rules.ts';
import { averageNotes, rank, weightedTotal, type Critere, type Notes } from '../../../domain/scoring.ts';
import { answerLines } from '../applications/answers.ts';
import { formVersion } from '../applications/queries.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';

export interface CritereRow extends Critere {
  description: string | null;
  source: string | null;
}

export async function gridOf(db: Db, appelId: number): Promise<CritereRow[]> {
  return (
    await checkedRows(
      db,
      z.object({
        id: z.number(),
        libelle: z.string(),
        description: z.string().nullable(),
        poids: z.string(),
        min: z.number(),
        max: z.number(),
        source: z.string().nullable(),
      }),
      sql`
    select id::int as id, label as libelle, description, poids::text as poids, echelle_min as min, echelle_max as max, source
    from grille_critere where appel_id = ${appelId} order by position`,
    )
  ).map((c) => ({ ...c, poids: Number(c.poids) }));
}

export interface Viewer {
  accountId: number;
  role: RoleInstruction;
}

/** Non-draft applications of the call a viewer may see (a reviewer's conflicts left out), oldest submission first. */
async function visibleApplications(db: Db, appelId: number, viewer: Viewer) {
  const hideConflicts =
    viewer.role === 'evaluateur'
      ? sql`and not exists (select 1 from conflit_interet k where k.candidature_id = c.id and k.account_id = ${viewer.accountId})`
      : sql``;
  return checkedRows(
    db,
    z.object({
      id: z.number(),
      titre: z.string(),
      statut: statutCandidature.schema,
      numero_depot: z.string().nullable(),
      submitted_at: column.instant.nullable(),
      chef_de_file: z.string().nullable(),
      chef_siret: z.string().nullable(),
      candidat: z.string(),
    }),
    sql`
    select c.id::int as id, c.title as titre, c.statut, c.numero_depot, c.submitted_at,
      m.name as chef_de_file, m.siret as chef_siret, acc.display_name as candidat
    from candidature c
    join account acc on acc.id = c.account_id
    left join candidature_membre m on m.candidature_id = c.id and m.role = 'chef_de_file'
    where c.appel_id = ${appelId} and c.statut <> 'brouillon' ${hideConflicts}
    order by c.submitted_at nulls last, c.id`,
  );
}

/** Every sheet's notes of these applications (only the viewer's own for a reviewer). */
async function sheetsOf(db: Db, ids: number[], viewer: Viewer): Promise<Map<number, Notes[]>> {
  const sheets = new Map<number, Notes[]>(ids.map((id) => [id, []]));
  if (!ids.length) return sheets;
  const own = viewer.role === 'evaluateur' ? sql`and e.account_id = ${viewer.accountId}` : sql``;
  const found = await checkedRows(
    db,
    z.object({ candidature_id: z.number(), evaluation_id: z.number(), critere_id: z.number(), note: z.number() }),
    sql`
    select e.candidature_id::int as candidature_id, e.id::int as evaluation_id, n.critere_id::int as critere_id, n.note
    from evaluation e join evaluation_note n on n.evaluation_id = e.id
    where e.candidature_id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) ${own}`,
  );
  const bySheet = new Map<number, { candidature: number; notes: Record<number, number> }>();
  for (const f of found) {
    const sheet = bySheet.get(f.evaluation_id) ?? { candidature: f.candidature_id, notes: {} };
    sheet.notes[f.critere_id] = f.note;
    bySheet.set(f.evaluation_id, sheet);
  }
  for (const sheet of bySheet.values()) sheets.get(sheet.candidature)!.push(sheet.notes);
  return sheets;
}

const parisOrNull = (at: string | Date | null) => (at ? toParisIso(new Date(at)) : null);

/**
 * The comparison of a call's applications: average note per criterion over the sheets, weighted total over
 * 100, rank. For a reviewer, the averages are of their own sheets.
 */
export async function comparison(db: Db, appelId: number, viewer: Viewer) {
  const [grille, applications] = await Promise.all([gridOf(db, appelId), visibleApplications(db, appelId, viewer)]);
  const sheets = await sheetsOf(
    db,
    applications.map((a) => a.id),
    viewer,
  );
  const lines = applications.map((a) => {
    const moyennes = averageNotes(grille, sheets.get(a.id)!);
    return { ...a, depose_le: parisOrNull(a.submitted_at), fiches: sheets.get(a.id)!.length, moyennes, total: weightedTotal(grille, moyennes) };
  });
  return { grille, lignes: rank(lines, (l) => l.total).map((r) => ({ ...r.item, rang: r.rang })) };
}

export type Comparison = Awaited<ReturnType<typeof comparison>>;

/** The calls a person instructs or reviews (every call for a platform admin), with their counts. */
export async function myCalls(db: Db, accountId: number, all: boolean) {
  const mine = all
    ? sql`true`
    : sql`(a.id::text in (select r.scope_code from account_role r where r.account_id = ${accountId}
      and r.role = 'instructor' and r.scope_kind = 'appel')
    or a.id in (select e.appel_id from appel_evaluateur e where e.account_id = ${accountId}))`;
  return checkedRows(
    db,
    z.object({ id: z.number(), titre: z.string(), candidatures: z.number(), instructeur: z.boolean() }),
    sql`
    select a.id::int as id, a.title as titre,
      (select count(*) from candidature c where c.appel_id = a.id and c.statut <> 'brouillon')::int as candidatures,
      ${all} or exists (select 1 from account_role r where r.account_id = ${accountId} and r.role = 'instructor'
        and r.scope_kind = 'appel' and r.scope_code = a.id::text) as instructeur
    from appel a where ${mine} order by a.title`,
  );
}

export async function reviewersOf(db: Db, appelId: number) {
  return checkedRows(
    db,
    z.object({ id: z.number(), nom: z.string(), email: z.string() }),
    sql`select acc.id::int as id, acc.display_name as nom, acc.email
    from appel_evaluateur e join account acc on acc.id = e.account_id where e.appel_id = ${appelId} order by acc.display_name, acc.id`,
  );
}

/** One application as its instruction reads it; annotations and the others' sheets for instructors only. */
export async function applicationForInstruction(db: Db, territories: TerritoryIndex, id: number, viewer: Viewer) {
  const [row] = await checkedRows(
    db,
    z.object({
      appel_id: z.number(),
      titre: z.string(),
      porteur_type: z.string(),
      statut: statutCandidature.schema,
      numero_depot: z.string().nullable(),
      submitted_at: column.instant.nullable(),
      donnees: column.json,
      formulaire_version: z.number(),
      candidat: z.string(),
      profil: z.record(z.string(), z.string()).nullable(),
    }),
    sql`
    select c.appel_id::int as appel_id, c.title as titre, c.porteur_type, c.statut, c.numero_depot, c.submitted_at, c.donnees,
      c.formulaire_version, acc.display_name as candidat, c.profil
    from candidature c join account acc on acc.id = c.account_id where c.id = ${id}`,
  );
  if (!row) throw new Error(`Candidature ${id} introuvable après son contrôle d’accès`);
  const instructor = viewer.role === 'instructeur';
  const [definition, grille, membres, historique, annotations, fiches, messages] = await Promise.all([
    formVersion(db, row.appel_id, row.formulaire_version),
    gridOf(db, row.appel_id),
    checkedRows(
      db,
      z.object({ role: z.string(), siret: z.string(), nom: z.string() }),
      sql`select role, siret, name as nom from candidature_membre
      where candidature_id = ${id} order by position`,
    ),
    checkedRows(
      db,
      z.object({ de: statutCandidature.schema.nullable(), vers: statutCandidature.schema, par: z.string(), le: column.instant, motif: z.string().nullable() }),
      sql`
      select from_statut as de, to_statut as vers, actor_label as par, at as le, motif from candidature_transition
      where candidature_id = ${id} order by at, id`,
    ),
    instructor ? annotationsOf(db, id) : Promise.resolve([]),
    sheetsWithAuthors(db, id, instructor ? null : viewer.accountId),
    instructor ? messagesOf(db, id) : Promise.resolve([]),
  ]);
  return {
    id,
    ...row,
    depose_le: parisOrNull(row.submitted_at),
    reponses: definition ? answerLines(definition, row.donnees, territories) : [],
    grille,
    membres,
    historique: historique.map((h) => ({ ...h, le: toParisIso(new Date(h.le)) })),
    annotations,
    fiches: fiches.map((f) => ({ ...f, total: weightedTotal(grille, f.notes) })),
    maFiche: fiches.find((f) => f.account_id === viewer.accountId),
    messages,
  };
}

export type InstructionView = Awaited<ReturnType<typeof applicationForInstruction>>;

async function annotationsOf(db: Db, id: number) {
  return (
    await checkedRows(
      db,
      z.object({ auteur: z.string(), texte: z.string(), le: column.instant }),
      sql`select author_label as auteur, body as texte, created_at as le
    from candidature_annotation where candidature_id = ${id} order by created_at, id`,
    )
  ).map((a) => ({ ...a, le: toParisIso(new Date(a.le)) }));
}

export async function messagesOf(db: Db, id: number) {
  return (
    await checkedRows(
      db,
      z.object({ auteur: z.string(), cote: z.enum(['candidat', 'instruction']), texte: z.string(), le: column.instant }),
      sql`
    select author_label as auteur, cote, body as texte, created_at as le from candidature_message
    where candidature_id = ${id} order by created_at, id`,
    )
  ).map((m) => ({ ...m, le: toParisIso(new Date(m.le)) }));
}

/** The sheets of an application (only `onlyAccount`'s when given), with their notes by criterion. */
async function sheetsWithAuthors(db: Db, id: number, onlyAccount: number | null) {
  const only = onlyAccount === null ? sql`` : sql`and e.account_id = ${onlyAccount}`;
  const found = await checkedRows(
    db,
    z.object({
      id: z.number(),
      account_id: z.number(),
      evaluateur: z.string(),
      commentaire: z.string().nullable(),
      notes: z.record(z.string(), z.number()).nullable(),
    }),
    sql`
    select e.id::int as id, e.account_id::int as account_id, e.evaluator_label as evaluateur, e.commentaire,
      (select json_object_agg(n.critere_id::text, n.note) from evaluation_note n where n.evaluation_id = e.id) as notes
    from evaluation e where e.candidature_id = ${id} ${only} order by e.updated_at, e.id`,
  );
  return found.map((f) => ({ ...f, notes: Object.fromEntries(Object.entries(f.notes ?? {}).map(([k, v]) => [Number(k), v])) as Record<number, number> }));
}
