/**
 * Contribution pages: propose a new organisation, cooperation or scheme; propose (or, with the right, make)
 * an edit of one; a contribution's own page; the version history of every object; error reports (visitors
 * too, rate-limited) and claims of an organisation by its SIRET.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { firstRow, rows, type Db } from '../../db/database.ts';
import { isModerator, moderatesAny } from '../../domain/authorization.ts';
import { contributionKind, type ContributionKind } from '../../domain/contribution.ts';
import { diffRecords } from '../../domain/diff.ts';
import { HttpError, notFound } from '../../web/errors.ts';
import type { SafeHtml } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { accountOf, forbidden, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { hit, type RateRule } from '../../platform/http/rate-limit.ts';
import { fieldErrors, type FieldError } from '../accounts/schemas.ts';
import { KIND_PATHS, objectName, objectRegions, objectUrl } from './objects.ts';
import { claimRole, claimSchema, proposalInput, proposalSchema, reportSchema } from './schemas.ts';
import { loadTarget, mayEditDirectly, submitProposal } from './service.ts';
import { listVersions } from './versions.ts';
import {
  claimFormPage, claimSentPage, contributionPage, historyPage, KIND_ARTICLE, myContributionsPage, newChoicePage, proposalFormPage,
  reportFormPage, reportSentPage, type ContributionView, type MyContribution,
} from './views.ts';
import { idParams } from '../../platform/params.ts';
import { authorDuplicates } from '../duplicates/notices.ts';

/** Error reports are open to visitors: counted per address, so that a script cannot flood the queues. */
export const REPORT_RATE: RateRule = { name: 'report:ip', limit: 10, windowSeconds: 60 * 60 };

const NEW_SEGMENTS: Record<string, ContributionKind> = { structure: 'organisation', cooperation: 'cooperation', dispositif: 'dispositif' };
const newParams = z.object({ type: z.enum(['structure', 'cooperation', 'dispositif']) });

const NOT_FOUND: Record<ContributionKind, (id: number) => string> = {
  organisation: (id) => `Aucune structure ne porte l'identifiant ${id}.`,
  cooperation: (id) => `Aucune coopération ne porte l'identifiant ${id}.`,
  dispositif: (id) => `Aucun dispositif ne porte l'identifiant ${id}.`,
};

export function render(reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath?: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(page({ title: status === 400 ? `Erreur — ${title}` : title, main, currentPath }));
}

async function existingName(db: Db, kind: ContributionKind, id: number): Promise<string> {
  const name = await objectName(db, kind, id);
  if (name === undefined) throw notFound(NOT_FOUND[kind](id));
  return name;
}

export async function registerContributionPages(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;
  const section = (kind: ContributionKind) => `/${KIND_PATHS[kind]}`;

  /** Validates a proposal form and submits it; the form again (400) with every error when it is not valid. */
  async function handleProposal(request: FastifyRequest, reply: FastifyReply, kind: ContributionKind, targetId: number | null) {
    const account = accountOf(request);
    const target = targetId === null ? null : (await loadTarget(db, kind, targetId, context)) ?? null;
    if (targetId !== null && !target) throw notFound(NOT_FOUND[kind](targetId));
    const name = targetId === null ? null : await existingName(db, kind, targetId);
    const input = proposalInput(kind, request.body);
    const direct = !!target && mayEditDirectly(account, kind, target.id, target.current, target.regions);
    const again = (errors: FieldError[]) => render(reply, 400, name ? `Proposer une modification : ${name}` : `Proposer ${KIND_ARTICLE[kind]}`,
      proposalFormPage(request, { kind, target: target && { id: target.id, name: name! }, values: input, errors, direct }), section(kind));
    const parsed = proposalSchema(kind, target ? 'modification' : 'creation', territories).safeParse(input);
    if (!parsed.success) return again(fieldErrors(parsed.error));
    if (target && diffRecords(target.current, parsed.data).length === 0) {
      return again([{ field: '', message: 'Vous n’avez modifié aucun champ : rien n’est envoyé.' }]);
    }
    const result = await submitProposal(context, account, { kind, action: target ? 'modification' : 'creation', target, data: parsed.data });
    if (result.type === 'conflict') return again([{ field: result.field, message: result.message }]);
    if (result.type === 'applied') return reply.redirect(`${objectUrl(kind, result.objectId)}/historique`, 303);
    return reply.redirect(`/contributions/${result.contributionId}?envoyee=1`, 303);
  }

  app.get('/contributions/nouvelle', { schema: { hide: true } }, async (_request, reply) =>
    render(reply, 200, 'Proposer une fiche', newChoicePage()));

  app.get('/contributions/nouvelle/:type', { schema: { hide: true, params: newParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const kind = NEW_SEGMENTS[request.params.type]!;
    return render(reply, 200, `Proposer ${KIND_ARTICLE[kind]}`,
      proposalFormPage(request, { kind, target: null, values: {}, errors: [], direct: false }), section(kind));
  });

  app.post('/contributions/nouvelle/:type', { schema: { hide: true, params: newParams }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    handleProposal(request, reply, NEW_SEGMENTS[request.params.type]!, null));

  for (const kind of contributionKind.codes) {
    const base = `/${KIND_PATHS[kind]}/:id`;
    app.get(`${base}/modifier`, { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
      const target = await loadTarget(db, kind, request.params.id, context);
      if (!target) throw notFound(NOT_FOUND[kind](request.params.id));
      const name = await existingName(db, kind, target.id);
      const direct = mayEditDirectly(accountOf(request), kind, target.id, target.current, target.regions);
      return render(reply, 200, `Proposer une modification : ${name}`,
        proposalFormPage(request, { kind, target: { id: target.id, name }, values: target.current, errors: [], direct }), section(kind));
    });

    app.post(`${base}/modifier`, { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) =>
      handleProposal(request, reply, kind, request.params.id));

    app.get(`${base}/historique`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const name = await existingName(db, kind, request.params.id);
      const versions = await listVersions(db, kind, request.params.id);
      return render(reply, 200, `Historique : ${name}`, historyPage(kind, request.params.id, name, versions), section(kind));
    });

    // Error reports ----------------------------------------------------------------------------------------------
    app.get(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const name = await existingName(db, kind, request.params.id);
      return render(reply, 200, `Signaler une erreur : ${name}`, reportFormPage(request, kind, request.params.id, name, {}, []), section(kind));
    });

    app.post(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      const name = await existingName(db, kind, id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { message: body.message, email: body.email };
      const title = `Signaler une erreur : ${name}`;
      const parsed = reportSchema.safeParse(values);
      if (!parsed.success) return render(reply, 400, title, reportFormPage(request, kind, id, name, values, fieldErrors(parsed.error)), section(kind));
      const limit = await hit(db, REPORT_RATE, request.ip);
      if (!limit.allowed) {
        reply.header('retry-after', String(limit.retryAfterSeconds));
        return render(reply, 429, title, reportFormPage(request, kind, id, name, values, [],
          'Trop de signalements envoyés depuis votre connexion : patientez une heure avant de réessayer.'), section(kind));
      }
      const regions = (await objectRegions(db, kind, id, territories)) ?? [];
      await db.execute(sql`insert into error_report (kind, object_id, message, email, account_id, region_codes)
        values (${kind}, ${id}, ${parsed.data.message}, ${parsed.data.email}, ${request.account?.id ?? null}, string_to_array(${regions.join(',')}, ','))`);
      return render(reply, 200, 'Merci pour votre signalement', reportSentPage(kind, id, name), section(kind));
    });
  }

  // A contribution's page: its author, and the moderators of its régions.
  app.get('/contributions/:id', { schema: { hide: true, params: idParams, querystring: z.object({ envoyee: z.string().optional() }) }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const account = accountOf(request);
      const c = await findContribution(db, request.params.id, territories);
      if (!c) throw notFound(`Aucune contribution ne porte le numéro ${request.params.id}.`);
      if (c.author_id !== account.id && !moderatesAny(account, c.region_codes)) throw forbidden();
      const message = request.query.envoyee !== undefined
        ? 'Merci : votre proposition est transmise à la modération. Vous recevrez sa décision par e-mail.' : undefined;
      const warning = message ? await authorDuplicates(db, c, territories) : '';
      return render(reply, 200, `Contribution n° ${c.id}`, contributionPage(c, message, warning));
    });

  // Claims -------------------------------------------------------------------------------------------------------
  async function claimable(id: number) {
    const organisation = await firstRow<{ name: string; siret: string | null; region_code: string | null }>(db,
      sql`select name, siret, region_code from organisation where id = ${id}`);
    if (!organisation) throw notFound(NOT_FOUND.organisation(id));
    if (!organisation.siret) {
      throw new HttpError(400, 'Cette structure n’a pas de SIRET : elle ne peut pas être revendiquée. Proposez d’abord une modification de sa fiche avec son SIRET.', 'Revendication impossible');
    }
    return { ...organisation, siret: organisation.siret };
  }

  app.get('/organisations/:id/revendiquer', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const organisation = await claimable(request.params.id);
    return render(reply, 200, `Revendiquer : ${organisation.name}`, claimFormPage(request, request.params.id, organisation.name, {}, []), '/organisations');
  });

  app.post('/organisations/:id/revendiquer', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const account = accountOf(request);
    const { id } = request.params;
    const organisation = await claimable(id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { role: body.role, justification: body.justification };
    const title = `Revendiquer : ${organisation.name}`;
    const parsed = claimSchema.safeParse(values);
    if (!parsed.success) return render(reply, 400, title, claimFormPage(request, id, organisation.name, values, fieldErrors(parsed.error)), '/organisations');
    const inserted = await firstRow<{ id: number }>(db, sql`insert into organisation_claim (organisation_id, siret, account_id, role, justification, region_codes)
      values (${id}, ${organisation.siret}, ${account.id}, ${claimRole[parsed.data.role]}, ${parsed.data.justification},
        string_to_array(${organisation.region_code ?? ''}, ','))
      on conflict (account_id, organisation_id) where status = 'en_attente' do nothing returning id::int as id`);
    if (!inserted) {
      return render(reply, 400, title, claimFormPage(request, id, organisation.name, values, [],
        'Vous avez déjà une demande en attente pour cette structure : la modération l’examinera.'), '/organisations');
    }
    return render(reply, 200, 'Demande envoyée', claimSentPage(id, organisation.name), '/organisations');
  });

  // « Mes contributions »: what the signed-in person proposed, and what became of it.
  app.get('/contributions', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const mine = await rows<MyContribution>(db, sql`select id::int as id, kind, action, status, target_id::int as target_id,
        data->>'nom' as nom, created_at from contribution where author_id = ${accountOf(request).id} order by created_at desc, id desc limit 200`);
    return render(reply, 200, 'Mes contributions', myContributionsPage(mine, isModerator(accountOf(request))));
  });
}

/** A contribution with its author's name and its régions' names, or undefined. */
export async function findContribution(db: Db, id: number, territories: AppContext['territories']) {
  const row = await firstRow<Omit<ContributionView, 'region_names'> & { author_id: number | null; region_codes: string[] }>(db, sql`
    select c.id::int as id, c.kind, c.action, c.status, c.data, c.base, c.target_id::int as target_id, c.reason, c.created_at, c.decided_at,
      c.author_id::int as author_id, c.region_codes, case when a.deleted_at is null then a.display_name end as author_name
    from contribution c left join account a on a.id = c.author_id where c.id = ${id}`);
  if (!row) return undefined;
  if (!contributionKind.codes.includes(row.kind)) return undefined;
  return { ...row, region_names: row.region_codes.map((code) => territories.name('region', code) ?? code) };
}
