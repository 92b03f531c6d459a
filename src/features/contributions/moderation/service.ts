/**
 * The moderators' decisions. Each runs in one transaction that locks the row decided, checks that the
 * moderator holds one of its régions (platform admins hold all), applies the transition guard of the
 * domain, writes the object and its version when accepted, the audit log and the mail to the author (a
 * job); cache drops follow the commit. A refusal (the guard's, a proposal no longer valid: InvalidForm) writes nothing.
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../../platform/app-context.ts';
import { type Db, checkedFirstRow, column } from '../../../db/database.ts';
import { moderatesAny, role as roleEnum } from '../../../domain/authorization.ts';
import { rebaseEdit } from '../../../domain/diff.ts';
import { decide, contributionKind, contributionStatus } from '../../../domain/contribution.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { readForm } from '../../../web/forms.ts';
import { forbidden } from '../../../platform/http/guards.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { enqueueMail } from '../../../platform/jobs/mail.ts';
import { link } from '../../accounts/service.ts';
import { claimDecisionMail, contributionDecisionMail } from '../../../platform/mail/templates.ts';
import { ensureWritable, objectUrl, readSnapshot } from '../objects.ts';
import { proposalRegions, proposalSchema, type Proposal } from '../schemas.ts';
import { afterObjectWrite, writeObjectWithVersion } from '../service.ts';
import { z } from 'zod';

export type ContributionDecision = { type: 'accepter' } | { type: 'modifier'; data: Proposal } | { type: 'refuser'; motif: string };

const lockedContributionRow = z.object({
  id: z.number(),
  kind: contributionKind.schema,
  action: z.enum(['creation', 'modification']),
  target_id: z.number().nullable(),
  // Checked against proposalSchema when it was proposed.
  data: column.jsonAs<Proposal>(),
  base: column.jsonAs<Proposal>().nullable(),
  region_codes: z.array(z.string()),
  status: contributionStatus.schema,
  author_id: z.number().nullable(),
});

const authorOfRow = z.object({ email: z.string(), display_name: z.string() });

async function authorOf(db: Db, id: number | null) {
  if (id === null) return undefined;
  return checkedFirstRow(db, authorOfRow, sql`select email, display_name from account where id = ${id} and deleted_at is null`);
}

export async function decideContribution(context: AppContext, actor: CurrentAccount, id: number, decision: ContributionDecision) {
  const db = context.database.db;
  const outcome = await db.transaction(async (tx) => {
    const c = await checkedFirstRow(
      tx,
      lockedContributionRow,
      sql`select id::int as id, kind, action, target_id::int as target_id, data, base, region_codes,
        status, author_id::int as author_id from contribution where id = ${id} for update`,
    );
    if (!c) throw new RuleError('contribution_inconnue', `Aucune contribution ne porte le numéro ${id}.`, { kind: 'not_found' });
    if (!moderatesAny(actor, c.region_codes)) throw forbidden('Cette contribution relève de la modération d’une autre région.');
    const status = decide(c.status, decision.type === 'refuser' ? decision : { type: decision.type });
    let objectId = c.target_id;
    let data = c.data;
    if (decision.type !== 'refuser') {
      const proposed = decision.type === 'modifier' ? decision.data : c.data;
      if (c.target_id !== null) await tx.execute(sql`select id from ${sql.raw(c.kind)} where id = ${c.target_id} for update`);
      const current = c.target_id === null ? undefined : await readSnapshot(tx, c.kind, c.target_id);
      if (c.target_id !== null && !current)
        throw new RuleError('fiche_disparue', 'La fiche que cette contribution modifie n’existe plus.', { kind: 'not_found' });
      // An edit applies the fields its author (or the moderator) changed onto the record as it is now.
      const merged = current && c.base ? rebaseEdit(current, c.base, proposed) : proposed;
      // Validated again: the record, the COG or the catalogue may have changed since the proposal was made.
      data = readForm(proposalSchema(c.kind, c.action, context.territories), merged);
      if (decision.type === 'modifier' && !moderatesAny(actor, proposalRegions(c.kind, data, context.territories))) {
        throw forbidden('La fiche modifiée relèverait d’une région que vous ne modérez pas.');
      }
      await ensureWritable(tx, c.kind, data, c.target_id);
      objectId = await writeObjectWithVersion(tx, c.kind, data, c.target_id, { authorId: c.author_id, contributionId: c.id });
    }
    const reason = decision.type === 'refuser' ? decision.motif.trim() : null;
    await tx.execute(sql`update contribution set status = ${status}, data = ${JSON.stringify(data)}::jsonb, target_id = ${objectId},
        moderator_id = ${actor.id}, reason = ${reason}, decided_at = now() where id = ${id}`);
    const action = { accepter: 'moderation.accept', modifier: 'moderation.amend', refuser: 'moderation.refuse' }[decision.type];
    await recordAudit(tx, { actor, action, object: { kind: 'contribution', id }, details: { objet: c.kind, fiche: objectId, statut: status, motif: reason } });
    const author = await authorOf(tx, c.author_id);
    if (author) {
      const accepted = status !== 'refusee';
      const path = accepted && objectId ? objectUrl(c.kind, objectId) : `/contributions/${id}`;
      await enqueueMail(
        tx,
        contributionDecisionMail(author.email, author.display_name, {
          accepted,
          amended: status === 'modifiee_acceptee',
          what: (data as { nom: string }).nom,
          reason,
          link: link({ baseUrl: context.config.BASE_URL }, path),
        }),
      );
    }
    return { c, status };
  });
  if (outcome.status !== 'refusee') afterObjectWrite(context, outcome.c.kind);
  return outcome;
}

const reportRow = z.object({ region_codes: z.array(z.string()), status: z.string(), kind: z.string(), object_id: z.number() });

export async function handleReport(context: AppContext, actor: CurrentAccount, id: number): Promise<void> {
  await context.database.db.transaction(async (tx) => {
    const report = await checkedFirstRow(
      tx,
      reportRow,
      sql`select region_codes, status,
        kind, object_id::int as object_id from error_report where id = ${id} for update`,
    );
    if (!report) throw new RuleError('signalement_inconnu', `Aucun signalement ne porte le numéro ${id}.`, { kind: 'not_found' });
    if (!moderatesAny(actor, report.region_codes)) throw forbidden('Ce signalement relève de la modération d’une autre région.');
    if (report.status !== 'ouvert') throw new RuleError('signalement_deja_traite', 'Ce signalement est déjà traité.');
    await tx.execute(sql`update error_report set status = 'traite', handled_by = ${actor.id}, handled_at = now() where id = ${id}`);
    await recordAudit(tx, { actor, action: 'report.handle', object: { kind: 'report', id }, details: { objet: report.kind, fiche: report.object_id } });
  });
}

const claimRow = z.object({
  organisation_id: z.number(),
  siret: z.string(),
  account_id: z.number(),
  role: z.string(),
  region_codes: z.array(z.string()),
  status: contributionStatus.schema,
  name: z.string(),
});

export async function decideClaim(context: AppContext, actor: CurrentAccount, id: number, decision: { type: 'accepter' } | { type: 'refuser'; motif: string }) {
  return context.database.db.transaction(async (tx) => {
    const claim = await checkedFirstRow(
      tx,
      claimRow,
      sql`select cl.organisation_id::int as organisation_id, cl.siret, cl.account_id::int as account_id, cl.role, cl.region_codes, cl.status, o.name
        from organisation_claim cl join organisation o on o.id = cl.organisation_id where cl.id = ${id} for update of cl`,
    );
    if (!claim) throw new RuleError('demande_inconnue', `Aucune demande ne porte le numéro ${id}.`, { kind: 'not_found' });
    if (!moderatesAny(actor, claim.region_codes)) throw forbidden('Cette demande relève de la modération d’une autre région.');
    const status = decide(claim.status, decision);
    const reason = decision.type === 'refuser' ? decision.motif.trim() : null;
    await tx.execute(sql`update organisation_claim set status = ${status}, decided_by = ${actor.id}, decided_at = now(), reason = ${reason} where id = ${id}`);
    if (status === 'acceptee') {
      await tx.execute(sql`insert into account_role (account_id, role, scope_kind, scope_code, granted_by)
        values (${claim.account_id}, ${claim.role}, 'organisation', ${claim.siret}, ${actor.id}) on conflict do nothing`);
    }
    await recordAudit(tx, {
      actor,
      action: status === 'acceptee' ? 'claim.accept' : 'claim.refuse',
      object: { kind: 'claim', id },
      details: { compte: claim.account_id, role: claim.role, siret: claim.siret, motif: reason },
    });
    const author = await authorOf(tx, claim.account_id);
    if (author) {
      await enqueueMail(
        tx,
        claimDecisionMail(author.email, author.display_name, {
          accepted: status === 'acceptee',
          organisation: claim.name,
          role: roleEnum.label(claim.role),
          reason,
          link: link({ baseUrl: context.config.BASE_URL }, objectUrl('organisation', claim.organisation_id)),
        }),
      );
    }
    return { claim, status };
  });
}
