/**
 * Territoires de projet proposed on the site: the form for signed-in people with a verified address, and the
 * decision of a moderator of one of the proposal's régions (listed in the moderation queue, /moderation).
 */
import type { FastifyReply } from 'fastify';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { moderatesAny } from '../../domain/authorization.ts';
import { notFound } from '../../web/errors.ts';
import { formValue, formValues } from '../../web/form-body.ts';
import { readForm, sendPage, submitForm } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { accountOf, ensure, requireModerator, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { perimeterCommunes } from './projets.ts';
import { decideTerritoireProposal, findTerritoireProposal, proposalSchema, submitTerritoireProposal } from './proposals.ts';
import { PROPOSE_PATH, proposalDecisionPage, proposalFormPage, proposalSentPage } from './proposal-views.ts';

const TITLE = 'Proposer un territoire de projet';

export async function registerTerritoireProposals(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;
  const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath = '/territoires') =>
    sendPage(reply, { status, title, main, currentPath });

  app.get(PROPOSE_PATH, { schema: { hide: true }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    render(reply, 200, TITLE, proposalFormPage(request, {})),
  );

  app.post(PROPOSE_PATH, { schema: { hide: true }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const schema = proposalSchema(territories);
    return submitForm({
      reply,
      values: formValues(request.body, ['nom', 'type', 'communes', 'epcis', 'description', 'source']),
      parse: (values) => readForm(schema, values),
      act: (data) => submitTerritoireProposal(context, accountOf(request), data),
      done: (id) => render(reply, 200, 'Proposition envoyée', proposalSentPage(id)),
      render: (status, state) => render(reply, status, TITLE, proposalFormPage(request, state)),
    });
  });

  /** The proposal, if the moderator holds one of its régions (403 otherwise). */
  async function moderated(request: Parameters<typeof accountOf>[0], id: number) {
    const proposal = await findTerritoireProposal(db, id);
    if (!proposal) throw notFound(`Aucune proposition de territoire de projet ne porte le numéro ${id}.`);
    ensure(moderatesAny(accountOf(request), proposal.region_codes), 'Cette proposition relève de la modération d’une autre région.');
    const communes = [...perimeterCommunes(territories, proposal.communes, proposal.epcis)].sort();
    const page = (status: number, state: Parameters<typeof proposalDecisionPage>[4], reply: FastifyReply) =>
      render(reply, status, `Territoire de projet proposé n° ${id}`, proposalDecisionPage(request, proposal, communes, territories, state), '/moderation');
    return { proposal, page };
  }

  app.get('/moderation/territoires-projet/:id', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const { page } = await moderated(request, request.params.id);
    return page(200, {}, reply);
  });

  app.post(
    '/moderation/territoires-projet/:id/accepter',
    { schema: { hide: true, params: idParams }, preHandler: requireModerator },
    async (request, reply) => {
      const { proposal, page } = await moderated(request, request.params.id);
      return submitForm({
        reply,
        values: {},
        act: () => decideTerritoireProposal(context, accountOf(request), proposal.id, { type: 'accepter' }),
        redirect: () => '/moderation?fait=projet_accepte',
        render: (status, state) => page(status, state, reply),
      });
    },
  );

  app.post('/moderation/territoires-projet/:id/refuser', { schema: { hide: true, params: idParams }, preHandler: requireModerator }, async (request, reply) => {
    const { proposal, page } = await moderated(request, request.params.id);
    return submitForm({
      reply,
      values: { motif: formValue(request.body, 'motif') ?? '' },
      act: ({ motif }) => decideTerritoireProposal(context, accountOf(request), proposal.id, { type: 'refuser', motif: String(motif) }),
      redirect: () => '/moderation?fait=projet_refuse',
      render: (status, state) => page(status, state, reply),
    });
  });
}
