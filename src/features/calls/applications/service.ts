/**
 * What an applicant does: start an application, save its draft (optimistic concurrency on `version`), submit
 * it. Submission is one transaction: the row is locked (SELECT … FOR UPDATE), the state machine, the server
 * clock and the form version's validator all say yes, then a conditional UPDATE moves it and the transition
 * and audit rows are written. Two submissions of the same application at once: the second waits for the lock,
 * then finds it already submitted. A crash leaves the old state or the new one; the receipt mail is written in
 * the same transaction (a job), so it exists exactly when the submission does.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedRows, checkedFirstRow, column, idRow } from '../../../db/database.ts';
import { EDITABLE, statutCandidature, transition, type StatutCandidature } from '../../../domain/application.ts';
import { callTiming, ensureSubmissionOpen, toParisIso, type Eligibilite, statutAppel, type StatutAppel } from '../../../domain/call.ts';
import { validateForm, type FormDefinition } from '../../../domain/form.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { InvalidForm } from '../../../web/forms.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { storedFiles, withStoredFiles } from '../files/queries.ts';
import { enqueueMail } from '../../../platform/jobs/mail.ts';
import { applicationCompletedInstructorMail, applicationCompletedMail, applicationReceiptMail } from '../../../platform/mail/templates.ts';
import { now } from './clock.ts';
import { ensureEligible } from './eligibility.ts';
import { phasesOf, type PhaseRow } from './queries.ts';
import { receiptPdf } from './receipt.ts';
import type { Profil, StartApplication } from './schemas.ts';
import { z } from 'zod';

/**
 * `maxUploadMb`: the platform's file size limit (MAX_UPLOAD_MB), shown by the form's file fields;
 * `territories`: the names of territory answers on the receipt.
 */
export interface CallsDeps {
  db: Db;
  baseUrl: string;
  maxUploadMb: number;
  territories: TerritoryIndex;
}

const notFound = () => new RuleError('candidature_inconnue', 'Aucune candidature ne porte cet identifiant parmi les vôtres.', { kind: 'not_found' });

/** The answers as the form version reads them, or InvalidForm with the error of each answer (its dotted path). */
function checkedAnswers(definition: FormDefinition, mode: 'brouillon' | 'depot', answers: unknown): Record<string, unknown> {
  const checked = validateForm(definition, mode, answers);
  if (!checked.ok) throw new InvalidForm(checked.errors);
  return checked.data;
}

interface CallForApplying {
  id: number;
  title: string;
  statut: StatutAppel;
  eligibilite: Eligibilite;
  formulaire_version: number | null;
  phases: PhaseRow[];
}

const callRow = z.object({
  id: z.number(),
  title: z.string(),
  statut: statutAppel.schema,
  eligibilite: column.jsonAs<Eligibilite>(),
  formulaire_version: z.number().nullable(),
});

async function callForApplying(db: Db, appelId: number): Promise<CallForApplying | undefined> {
  const call = await checkedFirstRow(
    db,
    callRow,
    sql`select id::int as id, title, statut, eligibilite,
      (select max(version) from appel_formulaire f where f.appel_id = a.id)::int as formulaire_version
    from appel a where id = ${appelId}`,
  );
  return call && { ...call, phases: (await phasesOf(db, [appelId])).get(appelId)! };
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

/** Creates the draft of an application to an open call, with its members; the form version is fixed now. */
export async function startApplication(deps: CallsDeps, account: CurrentAccount, appelId: number, input: StartApplication): Promise<number> {
  const call = await callForApplying(deps.db, appelId);
  // A call in preparation is not public: it does not exist for applicants, its managers included.
  if (!call || call.statut === 'brouillon') throw new RuleError('appel_inconnu', `Aucun appel ne porte l'identifiant ${appelId}.`, { kind: 'not_found' });
  if (callTiming(call.statut, call.phases, now()) !== 'ouvert' || !call.formulaire_version) {
    throw new RuleError('depot_ferme', 'Cet appel ne reçoit pas de candidatures en ce moment : aucune phase de dépôt n’est ouverte.');
  }
  if (input.cooperation_id !== undefined) {
    const cooperation = await firstRow(deps.db, sql`select 1 from cooperation where id = ${input.cooperation_id}`);
    if (!cooperation)
      throw new RuleError('cooperation_inconnue', `Aucune coopération ne porte l'identifiant ${input.cooperation_id}.`, { field: 'cooperation_id' });
  }
  await ensureEligible(
    deps.db,
    call.eligibilite,
    {
      cooperationId: input.cooperation_id ?? null,
      profil: input.profil ?? null,
      sirets: [input.chef_de_file.siret, ...input.co_candidats.map((c) => c.siret)],
    },
    'debut',
  );
  const members = [{ role: 'chef_de_file', ...input.chef_de_file }, ...input.co_candidats.map((c) => ({ role: 'co_candidat', ...c }))].map((m, position) => ({
    ...m,
    position,
  }));
  const at = now();
  return deps.db.transaction(async (tx) => {
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into candidature (appel_id, formulaire_version, account_id,
        porteur_type, cooperation_id, profil, title, created_at, updated_at)
      values (${appelId}, ${call.formulaire_version}, ${account.id}, ${input.porteur}, ${input.cooperation_id ?? null},
        ${input.profil ? JSON.stringify(input.profil) : null}::jsonb, ${input.titre},
        ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
      returning id::int as id`,
    );
    const id = created!.id;
    await tx.execute(sql`insert into candidature_membre (candidature_id, position, role, siret, name, organisation_id)
      select ${id}, m.position, m.role, m.siret, m.nom, (select o.id from organisation o where o.siret = m.siret)
      from json_to_recordset(${JSON.stringify(members)}::json) as m(position int, role text, siret text, nom text)`);
    await tx.execute(sql`insert into candidature_transition (candidature_id, from_statut, to_statut, actor_id, actor_label, at)
      values (${id}, null, 'brouillon', ${account.id}, ${account.displayName.slice(0, 200)}, ${at.toISOString()}::timestamptz)`);
    await recordAudit(tx, { actor: actorOf(account), action: 'candidature.create', object: { kind: 'candidature', id }, details: { appel: appelId } });
    return id;
  });
}

const candidatureRow = z.object({
  id: z.number(),
  appel_id: z.number(),
  appel_title: z.string(),
  appel_exemple: z.boolean(),
  title: z.string(),
  porteur_type: z.enum(['cooperation', 'groupement']),
  cooperation_id: z.number().nullable(),
  profil: column.jsonAs<Profil>().nullable(),
  statut: statutCandidature.schema,
  formulaire_version: z.number(),
  donnees: column.json,
  version: z.number(),
  numero_depot: z.string().nullable(),
  submitted_at: column.instant.nullable(),
  account_id: z.number(),
});

const candidatureColumns = sql`c.id::int as id, c.appel_id::int as appel_id, a.title as appel_title, a.is_example as appel_exemple, c.title, c.porteur_type,
  c.cooperation_id::int as cooperation_id, c.profil, c.statut, c.formulaire_version, c.donnees, c.version, c.numero_depot, c.submitted_at,
  c.account_id::int as account_id`;

const memberRow = z.object({ role: z.enum(['chef_de_file', 'co_candidat']), siret: z.string(), nom: z.string() });

const transitionRow = z.object({
  de: statutCandidature.schema.nullable(),
  vers: statutCandidature.schema,
  par: z.string(),
  le: column.instant,
  motif: z.string().nullable(),
});

/** One application as its applicant sees it: members and history included. Another person's is not found. */
/** Whether the call's instructors made a funding agreement for this application (its reports then open). */
export async function hasFundingAgreement(db: Db, id: number): Promise<boolean> {
  return (await checkedRows(db, idRow, sql`select id::int as id from convention where candidature_id = ${id}`)).length > 0;
}

export async function ownApplication(db: Db, account: CurrentAccount, id: number) {
  const row = await checkedFirstRow(
    db,
    candidatureRow,
    sql`select ${candidatureColumns} from candidature c join appel a on a.id = c.appel_id
    where c.id = ${id} and c.account_id = ${account.id}`,
  );
  if (!row) throw notFound();
  const [membres, historique] = await Promise.all([
    checkedRows(
      db,
      memberRow,
      sql`select role, siret, name as nom
      from candidature_membre where candidature_id = ${id} order by position`,
    ),
    checkedRows(
      db,
      transitionRow,
      sql`
      select from_statut as de, to_statut as vers, actor_label as par, at as le, motif
      from candidature_transition where candidature_id = ${id} order by at, id`,
    ),
  ]);
  return {
    id: row.id,
    appel: { id: row.appel_id, titre: row.appel_title, exemple: row.appel_exemple },
    titre: row.title,
    porteur: row.porteur_type,
    cooperation_id: row.cooperation_id,
    profil: row.profil,
    membres,
    statut: row.statut,
    formulaire_version: row.formulaire_version,
    donnees: row.donnees,
    version: row.version,
    numero_depot: row.numero_depot,
    depose_le: row.submitted_at ? toParisIso(new Date(row.submitted_at)) : null,
    historique: historique.map((h) => ({ ...h, le: toParisIso(new Date(h.le)) })),
  };
}

export type Candidature = Awaited<ReturnType<typeof ownApplication>>;

const myApplicationsRow = z.object({
  id: z.number(),
  titre: z.string(),
  appel: z.string(),
  statut: statutCandidature.schema,
  numero_depot: z.string().nullable(),
});

export async function myApplications(db: Db, account: CurrentAccount) {
  return checkedRows(
    db,
    myApplicationsRow,
    sql`
    select c.id::int as id, c.title as titre, a.title as appel, c.statut, c.numero_depot
    from candidature c join appel a on a.id = c.appel_id where c.account_id = ${account.id} order by c.updated_at desc, c.id desc`,
  );
}

const definitionRow = z.object({ definition: column.jsonAs<FormDefinition>() });

async function definitionOf(db: Db, appelId: number, version: number): Promise<FormDefinition> {
  const row = await checkedFirstRow(
    db,
    definitionRow,
    sql`select definition from appel_formulaire
    where appel_id = ${appelId} and version = ${version}`,
  );
  return row!.definition;
}

function ensureEditable(statut: StatutCandidature): void {
  if (!EDITABLE.includes(statut)) {
    throw new RuleError('candidature_deposee', 'Cette candidature est déposée : elle n’est plus modifiable, sauf si l’instruction demande un complément.');
  }
}

const stale = (what: string) =>
  new RuleError('candidature_perimee', `La candidature a été modifiée entre-temps (dans un autre onglet ?) : rechargez la page avant ${what}.`);

const versionRow = z.object({ version: z.number() });

/** Saves the draft's answers (partial allowed) if nobody saved since `version`; returns the new version. */
export async function saveDraft(
  deps: CallsDeps,
  account: CurrentAccount,
  id: number,
  input: { version: number; donnees: unknown },
): Promise<{ version: number; enregistre_le: string }> {
  const current = await ownApplication(deps.db, account, id);
  ensureEditable(current.statut);
  const definition = await definitionOf(deps.db, current.appel.id, current.formulaire_version);
  // File fields are the stored files; an upload between here and the update changes the version (409).
  const answers = checkedAnswers(definition, 'brouillon', withStoredFiles(definition, input.donnees, await storedFiles(deps.db, id)));
  const at = now();
  const saved = await checkedFirstRow(
    deps.db,
    versionRow,
    sql`update candidature
    set donnees = ${JSON.stringify(answers)}::jsonb, version = version + 1, updated_at = ${at.toISOString()}::timestamptz
    where id = ${id} and account_id = ${account.id} and version = ${input.version} and statut in ('brouillon', 'complement_demande')
    returning version`,
  );
  if (!saved) throw stale('d’enregistrer');
  return { version: saved.version, enregistre_le: toParisIso(at) };
}

function receiptNumber(appelId: number, id: number, at: Date): string {
  return `${toParisIso(at).slice(0, 4)}-${appelId}-${String(id).padStart(6, '0')}`;
}

const numeroDepotRow = z.object({ numero_depot: z.string() });

const submitApplicationRow = z.object({
  statut: statutCandidature.schema,
  version: z.number(),
  appel_id: z.number(),
  formulaire_version: z.number(),
  donnees: z.unknown(),
  cooperation_id: z.number().nullable(),
  profil: column.jsonAs<Profil>().nullable(),
  sirets: z.array(z.string()),
});

/**
 * Submits: inside an open submission phase by the server clock (a completion asked by the instruction: whenever
 * asked), with the form of its version complete and the applicant still eligible.
 * `donnees` given (the HTML form's last answers) replace the saved ones in the same transaction.
 */
export async function submitApplication(
  deps: CallsDeps,
  account: CurrentAccount,
  id: number,
  input: { version?: number; donnees?: unknown },
): Promise<{ numero_depot: string; depose_le: string }> {
  const at = now();
  return deps.db.transaction(async (tx) => {
    const row = await checkedFirstRow(
      tx,
      submitApplicationRow,
      sql`
      select statut, version, appel_id::int as appel_id, formulaire_version, donnees, cooperation_id::int as cooperation_id, profil,
        array(select m.siret from candidature_membre m where m.candidature_id = c.id order by m.position) as sirets
      from candidature c where id = ${id} and account_id = ${account.id} for update`,
    );
    if (!row) throw notFound();
    if (!EDITABLE.includes(row.statut)) {
      throw new RuleError(
        'deja_deposee',
        `Cette candidature est déjà « ${statutCandidature.label(row.statut).toLowerCase()} » : elle n’est pas déposée une seconde fois.`,
      );
    }
    const move = transition(row.statut, 'deposee', 'candidat');
    if (input.version !== undefined && input.version !== row.version) throw stale('de la déposer');
    const call = (await callForApplying(tx, row.appel_id))!;
    // The deadline binds the first submission; a completion answers the instruction's request, usually after it.
    if (row.statut === 'brouillon') ensureSubmissionOpen(call.phases, at);
    // Again now: the call's eligibility or the Atlas may have changed since the start.
    await ensureEligible(tx, call.eligibilite, { cooperationId: row.cooperation_id, profil: row.profil, sirets: row.sirets }, 'depot');
    const definition = await definitionOf(tx, row.appel_id, row.formulaire_version);
    const answers = checkedAnswers(definition, 'depot', withStoredFiles(definition, input.donnees ?? row.donnees, await storedFiles(tx, id)));
    const updated = await checkedFirstRow(
      tx,
      numeroDepotRow,
      sql`update candidature
      set statut = 'deposee', donnees = ${JSON.stringify(answers)}::jsonb, submitted_at = ${at.toISOString()}::timestamptz,
        numero_depot = coalesce(numero_depot, ${receiptNumber(row.appel_id, id, at)}), version = version + 1, updated_at = ${at.toISOString()}::timestamptz
      where id = ${id} and statut = ${row.statut} returning numero_depot`,
    );
    if (!updated) throw new RuleError('etat_change', 'Cette candidature vient de changer d’état : rechargez la page.');
    await tx.execute(sql`insert into candidature_transition (candidature_id, from_statut, to_statut, actor_id, actor_label, at, motif)
      values (${id}, ${move.from}, ${move.to}, ${account.id}, ${account.displayName.slice(0, 200)}, ${at.toISOString()}::timestamptz, ${move.motif})`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'candidature.submit',
      object: { kind: 'candidature', id },
      details: { appel: row.appel_id, numero_depot: updated.numero_depot },
    });
    const outcome = { numero_depot: updated.numero_depot, depose_le: toParisIso(at) };
    await mailReceipt(tx, deps, account, id, outcome, move.from === 'complement_demande');
    return outcome;
  });
}

/**
 * In the submission's transaction: the receipt mail, whose PDF describes what is now stored, and for a
 * completion the mail of the call's instructors.
 */
async function mailReceipt(
  tx: Db,
  deps: CallsDeps,
  account: CurrentAccount,
  id: number,
  outcome: { numero_depot: string; depose_le: string },
  completion: boolean,
): Promise<void> {
  const candidature = await ownApplication(tx, account, id);
  const definition = await definitionOf(tx, candidature.appel.id, candidature.formulaire_version);
  const pdf = await receiptPdf(candidature, definition, deps.territories);
  const receipt = {
    appel: candidature.appel.titre,
    titre: candidature.titre,
    numero: outcome.numero_depot,
    deposeLe: new Date(outcome.depose_le),
    link: new URL(`/candidatures/${id}/recepisse`, deps.baseUrl).toString(),
    pdf,
  };
  if (!completion) {
    await enqueueMail(tx, applicationReceiptMail(account.email, account.displayName, receipt));
    return;
  }
  await enqueueMail(tx, applicationCompletedMail(account.email, account.displayName, receipt));
  await tellInstructors(tx, candidature.appel.id, { ...receipt, link: new URL(`/instruction/candidatures/${id}`, deps.baseUrl).toString() });
}

const instructorsRow = z.object({ email: z.string(), name: z.string() });

/** Each instructor of the call (a role on this very call: platform admins are not mailed) learns of a completion. */
async function tellInstructors(tx: Db, appelId: number, completed: Parameters<typeof applicationCompletedInstructorMail>[2]): Promise<void> {
  const instructors = await checkedRows(
    tx,
    instructorsRow,
    sql`select acc.email, acc.display_name as name
    from account_role r join account acc on acc.id = r.account_id
    where r.role = 'instructor' and r.scope_kind = 'appel' and r.scope_code = ${String(appelId)} and acc.deleted_at is null`,
  );
  for (const instructor of instructors) await enqueueMail(tx, applicationCompletedInstructorMail(instructor.email, instructor.name, completed));
}
