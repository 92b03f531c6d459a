/**
 * Pages of the contributed knowledge base: propose a resource or an edit (signed in, verified address), a
 * proposal's page (its author; the moderators of its région, who accept or refuse it there), and the version
 * history of a resource (public).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { moderatesAny } from '../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { ModerationQueueSection } from '../../platform/moderation-queue.ts';
import { accountOf, ensure, requireModerator, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import {
  decideResourceProposal,
  findResourceProposal,
  pendingResourceProposals,
  proposalInput,
  resourceProposalSchema,
  resourceSnapshot,
  resourceVersions,
  submitResourceProposal,
} from './proposals.ts';
import { historyPage, PROPOSE_PATH, proposalFormPage, proposalPage, proposalPath, queueSection } from './proposal-views.ts';

const NOT_FOUND = 'Cette ressource n’existe pas.';
const SENT = 'Merci : votre proposition est transmise à la modération. Vous recevrez sa décision par e-mail.';
const DECIDED: Record<string, string> = {
  acceptee: 'La proposition est acceptée et publiée ; son auteur ou autrice va en être averti par e-mail.',
  refusee: 'La proposition est refusée ; le motif va être envoyé par e-mail à son auteur ou autrice.',
};
const noticeQuery = z.object({ envoyee: z.string().optional(), decision: z.string().optional() });

export function registerResourceProposals(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;
  const schema = resourceProposalSchema(territories);
  const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/ressources' });

  /** The resource as an edit starts from it, with its title; 404 when there is none. */
  async function target(id: number) {
    const base = await resourceSnapshot(db, id);
    if (!base) throw notFound(NOT_FOUND);
    return { id, titre: String(base.titre), base };
  }

  /** Validates the posted proposal and queues it; the form again (400) with every error, nothing written, otherwise. */
  function handle(request: FastifyRequest, reply: FastifyReply, edited: Awaited<ReturnType<typeof target>> | null) {
    const title = edited ? `Proposer une modification : ${edited.titre}` : 'Proposer une ressource';
    return submitForm({
      reply,
      values: proposalInput(request.body),
      parse: schema,
      act: (data) => submitResourceProposal(context, accountOf(request), edited && { id: edited.id, base: edited.base }, data),
      redirect: (id) => `${proposalPath(id)}?envoyee=1`,
      render: (status, state) => render(reply, status, title, proposalFormPage(request, { target: edited, state, index: territories })),
    });
  }

  app.get(PROPOSE_PATH, { schema: { hide: true }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    render(reply, 200, 'Proposer une ressource', proposalFormPage(request, { target: null, state: {}, index: territories })),
  );
  app.post(PROPOSE_PATH, { schema: { hide: true }, preHandler: requireVerifiedAccount }, async (request, reply) => handle(request, reply, null));

  app.get('/ressources/:id/modifier', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const edited = await target(request.params.id);
    const state = { values: edited.base };
    return render(reply, 200, `Proposer une modification : ${edited.titre}`, proposalFormPage(request, { target: edited, state, index: territories }));
  });
  app.post('/ressources/:id/modifier', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    handle(request, reply, await target(request.params.id)),
  );

  app.get('/ressources/:id/historique', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const { id, titre } = await target(request.params.id);
    return render(reply, 200, `Historique : ${titre}`, historyPage(id, titre, await resourceVersions(db, id), territories));
  });

  /** The proposal's page with `state`; its author and the moderators of its régions alone see it. */
  async function showProposal(request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) {
    const proposal = await findResourceProposal(db, id);
    if (!proposal) throw notFound(`Aucune proposition de ressource ne porte le numéro ${id}.`);
    const account = accountOf(request);
    const mayDecide = moderatesAny(account, proposal.region_codes);
    ensure(mayDecide || proposal.author_id === account.id, 'Cette proposition n’est visible que de son auteur ou autrice et de la modération de sa région.');
    return render(reply, status, `Proposition de ressource n° ${id}`, proposalPage(request, { proposal, mayDecide, state, index: territories }));
  }

  app.get(
    '/ressources/propositions/:id',
    { schema: { hide: true, params: idParams, querystring: noticeQuery }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { envoyee, decision } = request.query;
      const notice = envoyee !== undefined ? SENT : decision ? DECIDED[decision] : undefined;
      return showProposal(request, reply, request.params.id, 200, { notice });
    },
  );

  for (const [verb, outcome] of [
    ['accepter', 'acceptee'],
    ['refuser', 'refusee'],
  ] as const) {
    app.post(`/ressources/propositions/:id/${verb}`, { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
      const { id } = request.params;
      const motif = formValue(request.body, 'motif') ?? '';
      return submitForm({
        reply,
        values: verb === 'refuser' ? { motif } : {},
        act: () => decideResourceProposal(context, accountOf(request), id, verb === 'refuser' ? { type: verb, motif } : { type: verb }),
        redirect: () => `${proposalPath(id)}?decision=${outcome}`,
        render: (status, state) => showProposal(request, reply, id, status, state),
      });
    });
  }
}

/** The section of the moderation queue (/moderation) that lists waiting resource proposals; installed by app.ts. */
export const resourceModerationSection: ModerationQueueSection = {
  render: async (db, regions, regionName) => queueSection(await pendingResourceProposals(db, regions), regionName),
};
