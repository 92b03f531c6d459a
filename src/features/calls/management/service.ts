/**
 * Changing a call: create it, edit each section, move it through its states. Every change is one transaction
 * with its audit entry; a refusal (bad input: InvalidForm with each field's error; a rule: RuleError with its
 * reason) writes nothing. Editing rules, checked here on the server:
 * - a closed call ('clos') is no longer edited;
 * - its key (stable identifier for exchanges and links) changes only while the call is in preparation;
 * - once published, the phases keep what already happened (domain/call.ts publishedPhaseProblems), and the
 *   eligibility no longer changes once an application has been started: applicants relied on it;
 * - organisers and the other informations may be corrected until the call is closed.
 */
import { sql } from 'drizzle-orm';
import { firstRow, jsonRecords, type Db, checkedRows, checkedFirstRow, idRow } from '../../../db/database.ts';
import { canCreateCall } from '../../../domain/authorization.ts';
import { callKeyFrom, publishedPhaseProblems, transitionAppel, type Eligibilite, type StatutAppel } from '../../../domain/call.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { InvalidForm, type FieldError } from '../../../web/forms.ts';
import { ensure } from '../../../platform/http/guards.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { grantRole } from '../../admin/service.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { now } from '../applications/clock.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { contentOf, managedCall, type ManagedCall } from './queries.ts';
import type { Informations, NewCall, Organiser, PhaseInput } from './schemas.ts';
import { z } from 'zod';

export interface ManagementDeps {
  db: Db;
  territories: TerritoryIndex;
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

function ensureOpenForEdits(call: ManagedCall): void {
  if (call.statut === 'clos') throw new RuleError('appel_clos', 'Cet appel est clos : il n’est plus modifiable.');
}

const keyRow = z.object({ key: z.string() });

/** A free key made from the title: « titre », then « titre-2 », « titre-3 »… */
async function freeKey(tx: Db, title: string): Promise<string> {
  const base = callKeyFrom(title);
  const taken = new Set((await checkedRows(tx, keyRow, sql`select key from appel where key = ${base} or key like ${`${base}-%`}`)).map((r) => r.key));
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

/**
 * Creates a call in preparation, its first organiser, and makes its creator its instructor (the funder's agents
 * who configure a call instruct it), all in one transaction with the audit of the creation and of the grant.
 */
export async function createCall(deps: ManagementDeps, account: CurrentAccount, input: NewCall): Promise<number> {
  ensure(
    canCreateCall(account, input.organisateur),
    'Vous ne publiez pas pour cet organisateur : choisissez l’un des porteurs dont vous publiez les dispositifs.',
  );
  return deps.db.transaction(async (tx) => {
    const key = await freeKey(tx, input.titre);
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into appel (key, title, description, statut)
      values (${key}, ${input.titre}, ${input.description}, 'brouillon') returning id::int as id`,
    );
    const id = created!.id;
    await tx.execute(sql`insert into appel_organisateur (appel_id, position, name) values (${id}, 0, ${input.organisateur})`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.create',
      object: { kind: 'appel', id },
      details: { titre: input.titre, organisateur: input.organisateur },
    });
    await grantRole({ db: tx, territories: deps.territories }, actorOf(account), account.id, 'instructor', String(id));
    return id;
  });
}

async function updated(tx: Db, account: CurrentAccount, id: number, section: string, details: Record<string, unknown> = {}) {
  await tx.execute(sql`update appel set updated_at = now() where id = ${id}`);
  await recordAudit(tx, { actor: actorOf(account), action: 'appel.update', object: { kind: 'appel', id }, details: { section, ...details } });
}

export async function updateInformations(deps: ManagementDeps, account: CurrentAccount, call: ManagedCall, input: Informations): Promise<void> {
  ensureOpenForEdits(call);
  if (input.cle !== call.key && call.statut !== 'brouillon') {
    throw new RuleError('cle_figee', 'La clé ne change plus une fois l’appel montré au public : des liens et des échanges s’y réfèrent.', { field: 'cle' });
  }
  await deps.db.transaction(async (tx) => {
    const errors: FieldError[] = [];
    if (await firstRow(tx, sql`select 1 from appel where key = ${input.cle} and id <> ${call.id}`)) {
      errors.push({ field: 'cle', message: `La clé « ${input.cle} » est déjà celle d’un autre appel.` });
    }
    if (input.dispositif_id !== null && !(await firstRow(tx, sql`select 1 from dispositif where id = ${input.dispositif_id}`))) {
      errors.push({ field: 'dispositif_id', message: `Aucun dispositif du catalogue ne porte l’identifiant ${input.dispositif_id}.` });
    }
    if (errors.length) throw new InvalidForm(errors);
    await tx.execute(sql`update appel set title = ${input.titre}, description = ${input.description}, key = ${input.cle},
        dispositif_id = ${input.dispositif_id}, laureats_min = ${input.laureats_min}, laureats_max = ${input.laureats_max},
        budget = ${input.budget}, budget_texte = ${input.budget_texte}, couverture_niveau = ${input.couverture_niveau},
        couverture_codes = ${`{${input.couverture_codes.join(',')}}`}::text[]
      where id = ${call.id}`);
    await updated(tx, account, call.id, 'informations');
  });
}

/** Replaces the organisers, in the order given; a SIRET links the row to the Atlas organisation that has it. */
export async function updateOrganisers(deps: ManagementDeps, account: CurrentAccount, call: ManagedCall, organisers: Organiser[]): Promise<void> {
  ensureOpenForEdits(call);
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`delete from appel_organisateur where appel_id = ${call.id}`);
    await tx.execute(sql`insert into appel_organisateur (appel_id, position, name, siret, organisation_id)
      select ${call.id}, o.position, o.nom, o.siret, (select org.id from organisation org where org.siret = o.siret limit 1)
      from json_to_recordset(${jsonRecords(organisers.map((o, position) => ({ ...o, position })))}) as o(position int, nom text, siret text)`);
    await updated(tx, account, call.id, 'organisateurs', { organisateurs: organisers.map((o) => o.nom) });
  });
}

/**
 * Replaces the phases in the order given, keeping the id of each phase edited (a published call's rule
 * compares them with what is stored).
 */
export async function updatePhases(deps: ManagementDeps, account: CurrentAccount, call: ManagedCall, edited: PhaseInput[]): Promise<void> {
  ensureOpenForEdits(call);
  const known = new Set(call.phases.map((p) => p.id));
  const phases = edited.map((p) => (p.id !== undefined && known.has(p.id) ? p : { ...p, id: undefined }));
  if (call.statut === 'publie') {
    const problems = publishedPhaseProblems(call.phases, phases, now());
    if (problems.length) throw new RuleError('phases_passees', 'Cet appel est publié : ce qui a déjà eu lieu ne change plus.', { details: problems });
  }
  const kept = phases.flatMap((p) => (p.id === undefined ? [] : [p.id]));
  await deps.db.transaction(async (tx) => {
    // Out of the way of the (appel_id, position) uniqueness while rows are renumbered.
    await tx.execute(sql`update appel_phase set position = -position - 1 where appel_id = ${call.id}`);
    await tx.execute(sql`delete from appel_phase where appel_id = ${call.id}
      ${
        kept.length
          ? sql`and id not in (${sql.join(
              kept.map((id) => sql`${id}`),
              sql`, `,
            )})`
          : sql``
      }`);
    for (const [position, p] of phases.entries()) {
      const values = { vague: p.vague, label: p.label, description: p.description, ouverture: p.ouverture.toISOString(), cloture: p.cloture.toISOString() };
      if (p.id !== undefined) {
        await tx.execute(sql`update appel_phase set position = ${position}, vague = ${values.vague}, label = ${values.label},
            description = ${values.description}, ouverture = ${values.ouverture}::timestamptz, cloture = ${values.cloture}::timestamptz,
            depot = ${p.depot}, resultats_date = ${p.resultats_date}::date, resultats_texte = ${p.resultats_texte}
          where id = ${p.id} and appel_id = ${call.id}`);
      } else {
        await tx.execute(sql`insert into appel_phase (appel_id, position, vague, label, description, ouverture, cloture, depot, resultats_date, resultats_texte)
          values (${call.id}, ${position}, ${values.vague}, ${values.label}, ${values.description}, ${values.ouverture}::timestamptz,
            ${values.cloture}::timestamptz, ${p.depot}, ${p.resultats_date}::date, ${p.resultats_texte})`);
      }
    }
    await updated(tx, account, call.id, 'phases', { phases: phases.length });
  });
}

export async function updateEligibility(deps: ManagementDeps, account: CurrentAccount, call: ManagedCall, eligibilite: Eligibilite): Promise<void> {
  ensureOpenForEdits(call);
  if (call.statut === 'publie' && call.candidatures > 0) {
    throw new RuleError('eligibilite_figee', 'Des candidatures sont déjà commencées sur cet appel publié : son éligibilité ne change plus.');
  }
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`update appel set eligibilite = ${JSON.stringify(eligibilite)}::jsonb where id = ${call.id}`);
    await updated(tx, account, call.id, 'eligibilite', { eligibilite });
  });
}

/** Moves the call to another state if the guard allows it (its refusals say what to complete), on the call as locked in the transaction. */
export async function changeStatut(deps: ManagementDeps, account: CurrentAccount, id: number, to: StatutAppel): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from appel where id = ${id} for update`);
    const call = (await managedCall(tx, id))!;
    transitionAppel(call.statut, to, contentOf(call));
    await tx.execute(sql`update appel set statut = ${to}, updated_at = now() where id = ${id}`);
    await recordAudit(tx, { actor: actorOf(account), action: 'appel.statut', object: { kind: 'appel', id }, details: { de: call.statut, vers: to } });
  });
}
