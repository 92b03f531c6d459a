/**
 * Embeds for partners' sites (/integration/liste, /integration/carte), the only pages any site may frame
 * (route option `embeddable`, read by web/security.ts), and the « Intégrer » page that writes their code.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { HttpError } from '../../../web/errors.ts';
import { fieldErrors, sendPage, type FormValues } from '../../../web/forms.ts';
import type { AtlasKind } from '../entities.ts';
import { atlasFilterSchema, FILTER_KEYS, type AtlasFilters } from '../schemas.ts';
import { resolveFilters } from '../search.ts';
import { builderPage, type BuilderModel } from './builder-view.ts';
import { builderSchema, EMBED_VIEWS, embedQuerySchema, type BuilderInput, type EmbedView } from './schemas.ts';
import { embedResults } from './search.ts';
import { embedPath, iframeCode } from './urls.ts';
import { defaultTitle, embedDocument, embedErrorPage, embedPage } from './views.ts';

const pickFilters = (source: Partial<Record<string, unknown>>) =>
  Object.fromEntries(FILTER_KEYS.filter((key) => source[key] !== undefined).map((key) => [key, source[key]])) as Partial<AtlasFilters>;

/** Errors of an embed stay in the embed's light layout; anything unexpected goes on to the site's handler. */
function embedErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let title: string;
  let detail: string;
  if (error instanceof HttpError && error.status < 500) {
    ({ status, title, message: detail } = error);
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    status = 400;
    title = 'Adresse d’intégration invalide';
    detail = `Paramètres invalides — ${error.validation
      .map((issue) => `${issue.instancePath ? `« ${issue.instancePath.replace(/^\//, '')} » : ` : ''}${issue.message ?? 'valeur invalide'}`)
      .join(' ; ')}`;
  } else {
    throw error;
  }
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(embedErrorPage(status, title, detail));
}

export async function registerEmbed(app: TypedApp, { database, territories, config }: AppContext) {
  const db = database.db;

  // A scope of their own, for their own error pages.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.setErrorHandler(embedErrorHandler);
    for (const view of EMBED_VIEWS) {
      scope.get(
        `/integration/${view}`,
        {
          schema: { hide: true, querystring: embedQuerySchema },
          config: { embeddable: true },
        },
        async (request, reply) => {
          const { type: kind, titre, ...search } = request.query;
          const found = await embedResults(db, territories, kind, search);
          const title = titre ?? defaultTitle(kind);
          const main = embedPage({
            view,
            kind,
            filters: pickFilters(search),
            titre,
            heading: title,
            total: found.total,
            page: found.page,
            perPage: found.par_page,
            results: found.results,
          });
          return reply.type('text/html; charset=utf-8').send(embedDocument({ title, main, withMap: view === 'carte' }));
        },
      );
    }
  });

  app.get('/integration', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    // The bare page shows the form only; its answer (any parameter) shows the code and the preview.
    const model = Object.keys(query).length === 0 ? blankForm : await buildModel(query, config.BASE_URL);
    return sendPage(reply, { title: 'Intégrer Maillage dans votre site', failed: !!model.state.errors?.length, main: builderPage(model, territories) });
  });

  /** The form's answer: errors beside their fields, or the iframe code and its preview. */
  async function buildModel(query: Record<string, unknown>, baseUrl: string): Promise<BuilderModel> {
    const values: FormValues = Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string'));
    const parsed = builderSchema.safeParse(query);
    if (!parsed.success) {
      return {
        state: {
          values: { vue: 'liste', type: 'cooperations', hauteur: 600, ...values },
          errors: fieldErrors(parsed.error, (path) => String(path[0] ?? 'adresse')),
        },
      };
    }
    const input = parsed.data;
    const shown = { ...values, vue: input.vue, type: input.type, hauteur: input.hauteur };
    const fromAddress = input.adresse ? readSearchAddress(input.adresse, baseUrl) : undefined;
    if (fromAddress && 'error' in fromAddress) return { state: { values: shown, errors: [{ field: 'adresse', message: fromAddress.error }] } };
    const kind: AtlasKind = fromAddress?.kind ?? input.type;
    const filters = fromAddress?.filters ?? pickFilters(input);
    try {
      await resolveFilters(db, territories, filters as AtlasFilters);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return { state: { values: shown, errors: [{ field: fromAddress ? 'adresse' : territoryField(filters), message: error.message }] } };
    }
    return { state: { values: { ...shown, type: kind } }, result: result(input, kind, filters, baseUrl) };
  }
}

const blankForm: BuilderModel = { state: { values: { vue: 'liste', type: 'cooperations', hauteur: 600 } } };

function territoryField(filters: Partial<AtlasFilters>): string {
  return filters.departement !== undefined ? 'departement' : 'region';
}

function result(input: BuilderInput, kind: AtlasKind, filters: Partial<AtlasFilters>, baseUrl: string) {
  const title = input.titre ?? defaultTitle(kind);
  const previewPath = embedPath({ view: input.vue as EmbedView, kind, filters, titre: input.titre });
  const size = { width: input.largeur, height: input.hauteur };
  return { previewPath, code: iframeCode(new URL(previewPath, baseUrl).href, title, size), title, ...size };
}

/** The filters of a search address pasted from Maillage (the Atlas or an embed), checked like the Atlas's own. */
function readSearchAddress(address: string, baseUrl: string): { kind: AtlasKind; filters: Partial<AtlasFilters> } | { error: string } {
  let url: URL;
  try {
    url = new URL(address, baseUrl);
  } catch {
    return { error: 'cette adresse n’est pas une adresse web valide' };
  }
  if (!/^\/(recherche|integration\/(liste|carte))$/.test(url.pathname)) {
    return { error: 'collez l’adresse d’une page de recherche de Maillage (…/recherche?…)' };
  }
  const params = Object.fromEntries(url.searchParams);
  const parsed = atlasFilterSchema.safeParse(params);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `« ${String(i.path[0])} » : ${i.message}`).join(' ; ') };
  return { kind: params.type === 'organisations' ? 'organisations' : 'cooperations', filters: pickFilters(parsed.data) };
}
