/**
 * The moderation queue (/moderation) and the decisions: accept, amend then accept, refuse with a reason a
 * contribution; mark an error report handled; accept or refuse a claim. Every route is for moderators
 * (requireModerator), and each decision checks that the moderator holds one of the object's régions (403
 * otherwise, without saying more).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { moderatedRegions, moderatesAny } from '../../../domain/authorization.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { notFound } from '../../../web/errors.ts';
import { formValue } from '../../../web/form-body.ts';
import { sendPage, submitForm } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { accountOf, ensure, requireModerator } from '../../../platform/http/guards.ts';
import { moderationQueueSections } from '../../../platform/moderation-queue.ts';
import { findContribution } from '../routes.ts';
import { proposalInput, proposalReader, type Proposal } from '../schemas.ts';
import { pendingClaims, openReports, pendingContributions, pendingTerritoires } from './queries.ts';
import { decideClaim, decideContribution, handleReport } from './service.ts';
import { amendPage, contributionDecisionPage, queuePage } from './views.ts';
import { idParams } from '../../../platform/params.ts';
import { decisionDuplicates } from '../duplicates/notices.ts';

const DONE: Record<string, string> = {
  acceptee: 'La contribution est acceptée et publiée ; son auteur ou autrice va en être averti par e-mail.',
  modifiee: 'La contribution est publiée avec vos modifications ; son auteur ou autrice va en être averti par e-mail.',
  refusee: 'La contribution est refusée ; le motif va être envoyé par e-mail à son auteur ou autrice.',
  signalement: 'Le signalement est marqué comme traité.',
  validee: 'La demande est validée : le rôle est accordé et la personne va en être avertie par e-mail.',
  rejetee: 'La demande est refusée ; la personne va en être avertie par e-mail.',
  projet_accepte: 'Le territoire de projet est accepté et publié sur la page Territoires.',
  projet_refuse: 'La proposition de territoire de projet est refusée.',
};
const MODERATION = '/moderation';

const done = (key: string) => `/moderation?fait=${key}`;
const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: MODERATION });

export async function registerModeration(app: TypedApp, context: AppContext) {
  registerQueue(app, context);
  registerContributionDecisions(app, context);
  registerReportAndClaimDecisions(app, context);
}

/** The queue of the moderator's régions, with the queues other features add. */
function registerQueue(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;
  const regionName = (code: string) => territories.name('region', code) ?? code;
  app.get(
    '/moderation',
    { schema: { hide: true, querystring: z.object({ fait: z.string().optional() }) }, preHandler: requireModerator },
    async (request, reply) => {
      const regions = moderatedRegions(accountOf(request));
      const [contributions, reports, claims, territoires, others] = await Promise.all([
        pendingContributions(db, regions),
        openReports(db, regions),
        pendingClaims(db, regions),
        pendingTerritoires(db, regions),
        moderationQueueSections(db, regions, regionName),
      ]);
      const scope =
        regions === 'all'
          ? 'Vous voyez les files de toutes les régions, et les dispositifs nationaux (administration de la plateforme).'
          : `Vous modérez : ${regions.map(regionName).join(', ')}.`;
      return render(
        reply,
        200,
        'Modération',
        queuePage(request, {
          scope,
          contributions,
          reports,
          claims,
          territoires,
          others,
          regionName,
          message: request.query.fait ? DONE[request.query.fait] : undefined,
        }),
      );
    },
  );
}

/** A contribution's page and its decisions: accept, refuse with a reason, amend then accept. */
function registerContributionDecisions(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;

  /** The contribution, if the moderator holds one of its régions (403 otherwise). */
  async function moderated(request: FastifyRequest, id: number) {
    const c = await findContribution(db, id, territories);
    if (!c) throw notFound(`Aucune contribution ne porte le numéro ${id}.`);
    ensure(moderatesAny(accountOf(request), c.region_codes), 'Cette contribution relève de la modération d’une autre région.');
    return c;
  }

  app.get('/moderation/contributions/:id', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const c = await moderated(request, request.params.id);
    return render(reply, 200, `Contribution n° ${c.id}`, contributionDecisionPage(request, c, {}, await decisionDuplicates(db, c, territories)));
  });

  app.post('/moderation/contributions/:id/accepter', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const c = await moderated(request, request.params.id);
    return submitForm({
      reply,
      values: {},
      act: () => decideContribution(context, accountOf(request), c.id, { type: 'accepter' }),
      redirect: () => done('acceptee'),
      // Not writable as it is (a SIRET taken since, a code gone): the amendment form shows why.
      render: (status, state) =>
        state.errors
          ? render(reply, status, `Modifier la contribution n° ${c.id}`, amendPage(request, c, { ...state, values: c.data }))
          : render(reply, status, `Contribution n° ${c.id}`, contributionDecisionPage(request, c, state)),
    });
  });

  app.post('/moderation/contributions/:id/refuser', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const c = await moderated(request, request.params.id);
    return submitForm({
      reply,
      values: { motif: formValue(request.body, 'motif') ?? '' },
      act: ({ motif }) => decideContribution(context, accountOf(request), c.id, { type: 'refuser', motif: String(motif) }),
      redirect: () => done('refusee'),
      render: (status, state) => render(reply, status, `Contribution n° ${c.id}`, contributionDecisionPage(request, c, state)),
    });
  });

  app.get('/moderation/contributions/:id/modifier', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const c = await moderated(request, request.params.id);
    if (c.status !== 'en_attente')
      throw new RuleError('contribution_deja_traitee', 'Cette contribution a déjà été traitée : sa décision ne peut plus changer.');
    return render(reply, 200, `Modifier la contribution n° ${c.id}`, amendPage(request, c, { values: c.data }));
  });

  app.post('/moderation/contributions/:id/modifier', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const c = await moderated(request, request.params.id);
    return submitForm({
      reply,
      values: proposalInput(c.kind, request.body, c.data as Proposal),
      parse: proposalReader(c.kind, c.action, territories),
      act: (data) => decideContribution(context, accountOf(request), c.id, { type: 'modifier', data }),
      redirect: () => done('modifiee'),
      render: (status, state) => render(reply, status, `Modifier la contribution n° ${c.id}`, amendPage(request, c, state)),
    });
  });
}

/** An error report marked handled; a claim accepted or refused. */
function registerReportAndClaimDecisions(app: TypedApp, context: AppContext) {
  app.post('/moderation/signalements/:id/traiter', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    await handleReport(context, accountOf(request), request.params.id);
    return reply.redirect(done('signalement'), 303);
  });

  app.post('/moderation/revendications/:id/accepter', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    await decideClaim(context, accountOf(request), request.params.id, { type: 'accepter' });
    return reply.redirect(done('validee'), 303);
  });

  app.post('/moderation/revendications/:id/refuser', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    await decideClaim(context, accountOf(request), request.params.id, { type: 'refuser', motif: formValue(request.body, 'motif') ?? '' });
    return reply.redirect(done('rejetee'), 303);
  });
}
