/**
 * Pages of the contributed knowledge base: propose a resource or an edit (signed in, verified address), a
 * proposal's page (its author, who joins files to it while it waits; the moderators of its région, who read
 * them and accept or refuse it there), and the version history of a resource (public).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { moderatesAny } from '../../domain/authorization.ts';
import { ensureProposalFilesMayChange } from '../../domain/resource-files.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { ModerationQueueSection } from '../../platform/moderation-queue.ts';
import { accountOf, ensure, requireModerator, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { fileParams, fileStorage, keepChecked, multipartScope, receiveChecked, removeStored, sendStoredFile, uploadQuery } from './attachments.ts';
import { addProposalFile, NO_PROPOSAL_FILE, ONLY_AUTHOR, proposalFiles, removeProposalFile, waitingProposalFile } from './proposal-files.ts';
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
const FILE_NOTICES: Record<string, string> = {
  ajoute: 'Le fichier est joint à la proposition.',
  retire: 'Le fichier est retiré de la proposition.',
};
const noticeQuery = z.object({ envoyee: z.string().optional(), decision: z.string().optional(), fichier: z.string().optional() });

/** What a proposal's page tells: about the proposal (its sending, its decision), and about its files. */
interface ProposalStates {
  page?: FormState;
  files?: FormState;
}

export async function registerResourceProposals(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;
  const { store, maxBytes } = fileStorage(context.config);
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

  /** The proposal, when the viewer may read it: its author and the moderators of its régions (404 / 403 otherwise). */
  async function readableProposal(request: FastifyRequest, id: number) {
    const proposal = await findResourceProposal(db, id);
    if (!proposal) throw notFound(`Aucune proposition de ressource ne porte le numéro ${id}.`);
    const account = accountOf(request);
    const mayDecide = moderatesAny(account, proposal.region_codes);
    ensure(mayDecide || proposal.author_id === account.id, 'Cette proposition n’est visible que de son auteur ou autrice et de la modération de sa région.');
    return { proposal, mayDecide };
  }

  /** The proposal's page with what it tells. */
  async function showProposal(request: FastifyRequest, reply: FastifyReply, id: number, status: number, states: ProposalStates) {
    const { proposal, mayDecide } = await readableProposal(request, id);
    const page = proposalPage(request, {
      proposal,
      mayDecide,
      state: states.page ?? {},
      fileState: states.files ?? {},
      index: territories,
      files: await proposalFiles(db, id),
      maxUploadMb: context.config.MAX_UPLOAD_MB,
    });
    return render(reply, status, `Proposition de ressource n° ${id}`, page);
  }

  app.get(
    '/ressources/propositions/:id',
    { schema: { hide: true, params: idParams, querystring: noticeQuery }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { envoyee, decision, fichier } = request.query;
      const notice = envoyee !== undefined ? SENT : decision ? DECIDED[decision] : undefined;
      return showProposal(request, reply, request.params.id, 200, { page: { notice }, files: { notice: FILE_NOTICES[fichier ?? ''] } });
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
        render: (status, state) => showProposal(request, reply, id, status, { page: state }),
      });
    });
  }

  // A waiting proposal's files: read by whoever reads the proposal, never public.
  app.get(
    '/ressources/propositions/:id/fichiers/:fichier',
    { schema: { hide: true, params: fileParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { id, fichier } = request.params;
      await readableProposal(request, id);
      const file = await waitingProposalFile(db, id, fichier);
      if (!file) throw notFound(NO_PROPOSAL_FILE);
      return sendStoredFile(reply, store, file);
    },
  );

  app.post(
    '/ressources/propositions/:id/fichiers/:fichier/suppression',
    { schema: { hide: true, params: fileParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { id, fichier } = request.params;
      const actor = accountOf(request);
      return submitForm({
        reply,
        act: () => removeStored(db, store, fichier, (tx) => removeProposalFile(tx, actor, id, fichier)),
        redirect: () => `${proposalPath(id)}?fichier=retire#fichiers`,
        render: (status, state) => showProposal(request, reply, id, status, { files: state }),
      });
    },
  );

  await multipartScope(app, maxBytes, (scope) =>
    scope.post(
      '/ressources/propositions/:id/fichiers',
      { schema: { hide: true, params: idParams, querystring: uploadQuery }, preHandler: requireVerifiedAccount },
      async (request, reply) => {
        const { id } = request.params;
        const actor = accountOf(request);
        // 404, 403 and a decided proposal's 409 before a byte is read; checked again under the proposal's lock.
        const { proposal } = await readableProposal(request, id);
        ensure(proposal.author_id === actor.id, ONLY_AUTHOR);
        return submitForm({
          reply,
          act: async () => {
            ensureProposalFilesMayChange(proposal.status);
            const file = await receiveChecked(request, store, maxBytes);
            await keepChecked(db, store, file, (tx, fileId) => addProposalFile(tx, actor, id, fileId, file));
          },
          redirect: () => `${proposalPath(id)}?fichier=ajoute#fichiers`,
          render: (status, state) => showProposal(request, reply, id, status, { files: state }),
        });
      },
    ),
  );
}

/** The section of the moderation queue (/moderation) that lists waiting resource proposals; installed by app.ts. */
export const resourceModerationSection: ModerationQueueSection = {
  render: async (db, regions, regionName) => queueSection(await pendingResourceProposals(db, regions), regionName),
};
