/** The knowledge base: its API and its pages; proposals and their moderation, history and files beside them. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { sendPage, type FormState } from '../../web/forms.ts';
import { mayManageFiles, registerResourceFiles } from './attachments.ts';
import { registerResourceProposals } from './proposal-routes.ts';
import { linkNames, readResource, searchResources } from './queries.ts';
import { resourceDetailSchema, resourceSearchResponseSchema, resourceSearchSchema } from './schemas.ts';
import { resourcePage, resourcesPage } from './views.ts';

const NOT_FOUND = 'Cette ressource n’existe pas.';
const FILE_NOTICES: Record<string, string> = { ajoute: 'Le fichier est joint à la ressource.', retire: 'Le fichier est retiré de la ressource.' };

export async function registerKnowledge(app: TypedApp, context: AppContext) {
  const { database, territories, config } = context;
  const db = database.db;

  app.get(
    '/api/v1/ressources',
    {
      schema: {
        tags: ['Ressources'],
        summary: 'Rechercher dans la base de connaissances (texte intégral en français, facettes)',
        querystring: resourceSearchSchema,
        response: { 200: resourceSearchResponseSchema },
      },
    },
    async (request) => searchResources(db, territories, request.query),
  );

  app.get(
    '/api/v1/ressources/:id',
    {
      schema: {
        tags: ['Ressources'],
        summary: 'Une ressource, son contenu Markdown, ses liens et ses fichiers joints',
        params: idParams,
        response: { 200: resourceDetailSchema },
      },
    },
    async (request) => (await readResource(db, territories, request.params.id)) ?? Promise.reject(notFound(NOT_FOUND)),
  );

  app.get('/ressources', { schema: { hide: true, querystring: resourceSearchSchema } }, async (request, reply) => {
    const { page: _page, par_page: _perPage, ...filters } = request.query;
    const [answer, names] = await Promise.all([searchResources(db, territories, request.query), linkNames(db, filters)]);
    return sendPage(reply, { title: 'Ressources', main: resourcesPage(answer, filters, names) });
  });

  /** A resource's page; `state` tells of an upload refused or a file added or removed. */
  async function showResource(request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) {
    const resource = await readResource(db, territories, id);
    if (!resource) throw notFound(NOT_FOUND);
    const options = { request, mayManageFiles: mayManageFiles(request.account ?? null, resource.region?.code ?? null), state };
    return sendPage(reply, { status, title: resource.titre, main: resourcePage(resource, options, config.MAX_UPLOAD_MB), currentPath: '/ressources' });
  }

  app.get('/ressources/:id', { schema: { hide: true, params: idParams, querystring: z.object({ fichier: z.string().optional() }) } }, async (request, reply) =>
    showResource(request, reply, request.params.id, 200, { notice: FILE_NOTICES[request.query.fichier ?? ''] }),
  );

  await registerResourceProposals(app, context);
  await registerResourceFiles(app, context, showResource);
}
