/** The knowledge base: its API and its pages. */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { sendPage } from '../../web/forms.ts';
import { readResource, searchResources } from './queries.ts';
import { resourceDetailSchema, resourceSearchResponseSchema, resourceSearchSchema } from './schemas.ts';
import { resourcePage, resourcesPage } from './views.ts';

const NOT_FOUND = 'Cette ressource n’existe pas.';

export async function registerKnowledge(app: TypedApp, { database, territories }: AppContext) {
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
      schema: { tags: ['Ressources'], summary: 'Une ressource, son contenu Markdown et ses liens', params: idParams, response: { 200: resourceDetailSchema } },
    },
    async (request) => (await readResource(db, territories, request.params.id)) ?? Promise.reject(notFound(NOT_FOUND)),
  );

  app.get('/ressources', { schema: { hide: true, querystring: resourceSearchSchema } }, async (request, reply) => {
    const { page: _page, par_page: _perPage, ...filters } = request.query;
    return sendPage(reply, { title: 'Ressources', main: resourcesPage(await searchResources(db, territories, request.query), filters) });
  });

  app.get('/ressources/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const resource = await readResource(db, territories, request.params.id);
    if (!resource) throw notFound(NOT_FOUND);
    return sendPage(reply, { title: resource.titre, main: resourcePage(resource) });
  });
}
