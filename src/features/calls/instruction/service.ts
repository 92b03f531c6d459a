/**
 * What instructors and reviewers do. Each write is one transaction; a state change goes through the guard of
 * domain/application.ts on the row locked FOR UPDATE, writes its candidature_transition and its audit row in
 * the same transaction, with the mail that tells the applicant (a job). Results (retenue … sans suite) are told by the
 * bulk notification, once per application and state: the notification rows and the mails (job queue) are
 * written in the same transaction, so a second run, even at the same time, finds nothing left to send.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedRows, checkedFirstRow, idRow } from '../../../db/database.ts';
import { statutCandidature, transition, type StatutCandidature } from '../../../domain/application.ts';
import { DECISIONS, scoringOpen } from '../../../domain/instruction-rules.ts';
import { checkNotes } from '../../../domain/scoring.ts';
import { enqueueMail } from '../../../platform/jobs/mail.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { InvalidForm } from '../../../web/forms.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { applicationMessageMail, applicationStatusMail } from '../../../platform/mail/templates.ts';
import { gridOf } from './queries.ts';
import type { INSTRUCTION_TARGETS } from './schemas.ts';
import { z } from 'zod';

export interface InstructionDeps {
  db: Db;
  baseUrl: string;
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });
const label = (account: CurrentAccount) => account.displayName.slice(0, 200);

const applicantRow = z.object({ email: z.string(), name: z.string(), appel: z.string(), titre: z.string() });
type Applicant = z.infer<typeof applicantRow>;

async function applicantOf(db: Db, candidatureId: number): Promise<Applicant | undefined> {
  return checkedFirstRow(
    db,
    applicantRow,
    sql`select acc.email, acc.display_name as name, a.title as appel, c.title as titre
    from candidature c join account acc on acc.id = c.account_id join appel a on a.id = c.appel_id
    where c.id = ${candidatureId} and acc.deleted_at is null`,
  );
}

/** Names a reviewer of the call by the address of an existing account. */
export async function assignReviewer(db: Db, account: CurrentAccount, appelId: number, email: string): Promise<void> {
  const reviewer = await checkedFirstRow(db, idRow, sql`select id::int as id from account where lower(email) = ${email}`);
  if (!reviewer)
    throw new RuleError('compte_inconnu', 'Aucun compte Maillage ne porte cette adresse : la personne doit d’abord créer son compte.', { field: 'email' });
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into appel_evaluateur (appel_id, account_id, assigned_by) values (${appelId}, ${reviewer.id}, ${account.id})
      on conflict do nothing`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.assign_reviewer',
      object: { kind: 'appel', id: appelId },
      details: { compte: reviewer.id },
    });
  });
}

export async function removeReviewer(db: Db, account: CurrentAccount, appelId: number, reviewerId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await firstRow(tx, sql`delete from appel_evaluateur where appel_id = ${appelId} and account_id = ${reviewerId} returning 1`);
    if (!removed) throw new RuleError('evaluateur_inconnu', 'Cette personne n’évalue pas cet appel.');
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.remove_reviewer',
      object: { kind: 'appel', id: appelId },
      details: { compte: reviewerId },
    });
  });
}

export async function addCriterion(
  db: Db,
  account: CurrentAccount,
  appelId: number,
  c: { libelle: string; description: string | null; poids: number; min: number; max: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into grille_critere (appel_id, position, label, description, poids, echelle_min, echelle_max)
      values (${appelId}, (select coalesce(max(position) + 1, 0) from grille_critere where appel_id = ${appelId}),
        ${c.libelle}, ${c.description}, ${c.poids}, ${c.min}, ${c.max})`);
    await recordAudit(tx, { actor: actorOf(account), action: 'appel.grid_update', object: { kind: 'appel', id: appelId }, details: { critere: c.libelle } });
  });
}

/** A reviewer's conflict of interest: their sheet on it goes, and the application disappears for them. */
export async function declareConflict(db: Db, account: CurrentAccount, candidatureId: number, motif: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into conflit_interet (candidature_id, account_id, motif) values (${candidatureId}, ${account.id}, ${motif})
      on conflict do nothing`);
    await tx.execute(sql`delete from evaluation where candidature_id = ${candidatureId} and account_id = ${account.id}`);
    await recordAudit(tx, { actor: actorOf(account), action: 'candidature.conflict', object: { kind: 'candidature', id: candidatureId } });
  });
}

export async function annotate(db: Db, account: CurrentAccount, candidatureId: number, texte: string): Promise<void> {
  await db.execute(sql`insert into candidature_annotation (candidature_id, author_id, author_label, body)
    values (${candidatureId}, ${account.id}, ${label(account)}, ${texte})`);
}

const statutRow = z.object({ statut: statutCandidature.schema });

/** Writes (or rewrites) the person's score sheet, every note checked against the grid's scales first. */
export async function score(
  db: Db,
  account: CurrentAccount,
  appelId: number,
  candidatureId: number,
  input: { notes: Record<number, number | undefined>; commentaire: string | null },
): Promise<void> {
  const grille = await gridOf(db, appelId);
  if (!grille.length) throw new RuleError('grille_vide', 'Cet appel n’a pas encore de grille d’évaluation.');
  const errors = checkNotes(grille, input.notes);
  if (errors.length) throw new InvalidForm(errors.map((e) => ({ field: `note_${e.critere}`, message: e.message })));
  if (input.commentaire && input.commentaire.length > 5000) throw new RuleError('commentaire_trop_long', '5000 caractères au plus.', { field: 'commentaire' });
  await db.transaction(async (tx) => {
    const current = await checkedFirstRow(tx, statutRow, sql`select statut from candidature where id = ${candidatureId} for update`);
    if (!scoringOpen(current!.statut)) {
      throw new RuleError(
        'notation_close',
        `Une candidature « ${statutCandidature.label(current!.statut).toLowerCase()} » ne se note plus : la décision est prise.`,
      );
    }
    const sheet = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into evaluation (candidature_id, account_id, evaluator_label, commentaire)
      values (${candidatureId}, ${account.id}, ${label(account)}, ${input.commentaire})
      on conflict (candidature_id, account_id) do update set commentaire = excluded.commentaire, evaluator_label = excluded.evaluator_label, updated_at = now()
      returning id::int as id`,
    );
    await tx.execute(sql`delete from evaluation_note where evaluation_id = ${sheet!.id}`);
    await tx.execute(sql`insert into evaluation_note (evaluation_id, critere_id, note)
      select ${sheet!.id}, n.critere, n.note from json_to_recordset(${JSON.stringify(grille.map((c) => ({ critere: c.id, note: input.notes[c.id] })))}::json)
        as n(critere bigint, note int)`);
  });
}

type Target = (typeof INSTRUCTION_TARGETS)[number];

/** Moves told at once; the results wait for the bulk notification (announced together, as the AMI does). */
const TOLD_AT_ONCE: readonly StatutCandidature[] = ['en_instruction', 'complement_demande'];

/**
 * One move of instruction through the guard. Every move but « en instruction » carries its motivation (the
 * issue asks one for each decision; the guard asks it for some only).
 */
export async function changeStatus(deps: InstructionDeps, account: CurrentAccount, candidatureId: number, to: Target, motif: string | null): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await checkedFirstRow(tx, statutRow, sql`select statut from candidature where id = ${candidatureId} for update`);
    const move = transition(row!.statut, to, 'instruction', motif);
    if (to !== 'en_instruction' && !move.motif) {
      throw new RuleError('motivation_requise', `Indiquez la motivation du passage à « ${statutCandidature.label(to).toLowerCase()} ».`, { field: 'motif' });
    }
    await tx.execute(sql`update candidature set statut = ${to}, version = version + 1, updated_at = now()
      where id = ${candidatureId} and statut = ${move.from}`);
    await tx.execute(sql`insert into candidature_transition (candidature_id, from_statut, to_statut, actor_id, actor_label, motif)
      values (${candidatureId}, ${move.from}, ${move.to}, ${account.id}, ${label(account)}, ${move.motif})`);
    if (to === 'complement_demande') {
      // The request is also the first message of the thread, where the applicant answers it.
      await tx.execute(sql`insert into candidature_message (candidature_id, author_id, author_label, cote, body)
        values (${candidatureId}, ${account.id}, ${label(account)}, 'instruction', ${`Complément demandé : ${move.motif}`.slice(0, 5000)})`);
    }
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'candidature.decide',
      object: { kind: 'candidature', id: candidatureId },
      details: { de: move.from, vers: move.to },
    });
    if (!TOLD_AT_ONCE.includes(to)) return;
    const applicant = await applicantOf(tx, candidatureId);
    if (applicant) {
      await enqueueMail(
        tx,
        applicationStatusMail(applicant.email, applicant.name, {
          appel: applicant.appel,
          titre: applicant.titre,
          statut: statutCandidature.label(to),
          motif,
          link: new URL(`/candidatures/${candidatureId}/messages`, deps.baseUrl).toString(),
        }),
      );
    }
  });
}

const motifRow = z.object({ motif: z.string().nullable() });

const toldRow = z.object({ id: z.number(), statut: statutCandidature.schema });

/** Tells each decided applicant of the call their result, once per state; returns how many were told now. */
export async function notifyResults(deps: InstructionDeps, account: CurrentAccount, appelId: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const told = await checkedRows(
      tx,
      toldRow,
      sql`
      insert into candidature_notification (candidature_id, statut, notified_by)
      select c.id, c.statut, ${account.id} from candidature c
      where c.appel_id = ${appelId} and c.statut in (${sql.join(
        DECISIONS.map((d) => sql`${d}`),
        sql`, `,
      )})
      on conflict do nothing
      returning candidature_id::int as id, statut`,
    );
    for (const { id, statut } of told) {
      const applicant = await applicantOf(tx, id);
      if (!applicant) continue;
      const last = await checkedFirstRow(
        tx,
        motifRow,
        sql`select motif from candidature_transition
        where candidature_id = ${id} and to_statut = ${statut} order by at desc, id desc limit 1`,
      );
      await enqueueMail(
        tx,
        applicationStatusMail(applicant.email, applicant.name, {
          appel: applicant.appel,
          titre: applicant.titre,
          statut: statutCandidature.label(statut),
          motif: last?.motif ?? null,
          link: new URL(`/candidatures/${id}/messages`, deps.baseUrl).toString(),
        }),
      );
    }
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.notify_results',
      object: { kind: 'appel', id: appelId },
      details: { notifiees: told.length },
    });
    return told.length;
  });
}

const instructorsRow = z.object({ email: z.string(), name: z.string() });

/** A message of the thread, and in the same transaction the mail to the other side (the instructors of the call, or the applicant). */
export async function postMessage(
  deps: InstructionDeps,
  account: CurrentAccount,
  candidature: { id: number; appelId: number },
  cote: 'candidat' | 'instruction',
  texte: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`insert into candidature_message (candidature_id, author_id, author_label, cote, body)
      values (${candidature.id}, ${account.id}, ${label(account)}, ${cote}, ${texte})`);
    const applicant = await applicantOf(tx, candidature.id);
    if (!applicant) return;
    if (cote === 'instruction') {
      await enqueueMail(
        tx,
        applicationMessageMail(applicant.email, applicant.name, {
          appel: applicant.appel,
          titre: applicant.titre,
          from: 'instruction',
          link: new URL(`/candidatures/${candidature.id}/messages`, deps.baseUrl).toString(),
        }),
      );
      return;
    }
    const instructors = await checkedRows(
      tx,
      instructorsRow,
      sql`select acc.email, acc.display_name as name
      from account_role r join account acc on acc.id = r.account_id
      where r.role = 'instructor' and r.scope_kind = 'appel' and r.scope_code = ${String(candidature.appelId)} and acc.deleted_at is null`,
    );
    for (const instructor of instructors) {
      await enqueueMail(
        tx,
        applicationMessageMail(instructor.email, instructor.name, {
          appel: applicant.appel,
          titre: applicant.titre,
          from: 'candidat',
          link: new URL(`/instruction/candidatures/${candidature.id}`, deps.baseUrl).toString(),
        }),
      );
    }
  });
}
