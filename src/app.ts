import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext, RouteSummary } from './platform/app-context.ts';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerOidc } from './features/accounts/oidc-routes.ts';
import { registerAccounts } from './features/accounts/routes.ts';
import { registerAdmin } from './features/admin/routes.ts';
import { registerAlerts } from './features/alerts/routes.ts';
import { alertsErasure, alertsPersonalData } from './features/alerts/queries.ts';
import { applicationsErasure, applicationsPersonalData } from './features/calls/applications/personal-data.ts';
import { instructionErasure, instructionPersonalData } from './features/calls/instruction/personal-data.ts';
import { contributionsErasure, contributionsPersonalData } from './features/contributions/personal-data.ts';
import { registerAtlas } from './features/atlas/routes.ts';
import { registerCartography } from './features/cartography/routes.ts';
import { registerSuppliers } from './features/suppliers/routes.ts';
import { registerKnowledge } from './features/knowledge/routes.ts';
import { knowledgeErasure, knowledgePersonalData } from './features/knowledge/personal-data.ts';
import { resourceModerationSection } from './features/knowledge/proposal-routes.ts';
import { cooperationResources, dispositifResources } from './features/knowledge/widgets.ts';
import { installModerationQueueSections } from './platform/moderation-queue.ts';
import { peersWidget, registerPeers } from './features/peers/routes.ts';
import { registerPooling } from './features/pooling/routes.ts';
import { registerCampaigns } from './features/campaigns/routes.ts';
import { registerCigales } from './features/campaigns/cigales-routes.ts';
import { campaignsErasure, campaignsPersonalData } from './features/campaigns/personal-data.ts';
import { cooperationCampaigns, financeSection } from './features/campaigns/widgets.ts';
import { poolingErasure, poolingPersonalData } from './features/pooling/personal-data.ts';
import { registerCalls } from './features/calls/applications/routes.ts';
import { registerInstruction } from './features/calls/instruction/routes.ts';
import { registerScdl } from './features/calls/instruction/scdl-routes.ts';
import { registerCallManagement } from './features/calls/management/routes.ts';
import { registerFormBuilder } from './features/calls/form-builder/routes.ts';
import { registerCatalogue } from './features/catalogue/routes.ts';
import { registerEmbed } from './features/atlas/embed/routes.ts';
import { registerCatalogueInterop } from './features/catalogue-interop/routes.ts';
import { registerContributions } from './features/contributions/register.ts';
import { registerDuplicates } from './features/contributions/duplicates/routes.ts';
import { registerOrientation } from './features/orientation/routes.ts';
import { registerDiagnostic } from './features/diagnostic/routes.ts';
import { registerIndicators } from './features/indicators/routes.ts';
import { orientationDataCache } from './features/orientation/service.ts';
import { registerTreasury } from './features/treasury/routes.ts';
import { registerHome } from './features/home/routes.ts';
import { createMailer, type Mailer } from './platform/mail/mailer.ts';
import { dispatchMailAfterResponses, MAIL_JOB, mailJob } from './platform/jobs/mail.ts';
import { registerJobHandlers } from './platform/jobs/registry.ts';
import { registerMap } from './features/atlas/map/routes.ts';
import { invalidateClusterCache } from './features/atlas/map/clusters.ts';
import { clearFacetCache } from './features/atlas/search.ts';
import { alertForm } from './features/alerts/views.ts';
import { installPageWidgets, sectionsInOrder } from './platform/page-widgets.ts';
import { registerOpenApiDocs } from './features/openapi/routes.ts';
import { registerTerritories } from './features/territories/routes.ts';
import { loadTerritoryIndex } from './platform/territory-index.ts';
import { publicDir } from './paths.ts';
import { registerErrorHandlers } from './web/errors.ts';
import { registerKnownParameters } from './platform/http/known-parameters.ts';
import { registerFavicon } from './web/favicon.ts';
import { loggerOptions, requestId } from './platform/http/logging.ts';
import { registerOperations } from './features/operations/routes.ts';
import { registerUsageStats } from './features/usage-stats/routes.ts';
import { registerObservatory } from './features/observatory/routes.ts';
import { registerOpenData } from './features/open-data/routes.ts';
import { registerSecurityHeaders } from './platform/http/security.ts';
import { frameworkErrorHandlers } from './platform/http/framework-errors.ts';
import { registerInputGuard } from './platform/http/input-guard.ts';

z.config(z.locales.fr());

/** Fastify's trustProxy from the TRUST_PROXY setting (see config.ts). */
function trustedProxies(setting: string | undefined): boolean | string {
  if (setting === undefined) return false;
  return setting === 'true' ? true : setting.replace(/\s+/g, '');
}

/**
 * Builds the application without listening (tests call app.inject(); the CLI calls listen()). The mailer
 * defaults to the one the configuration asks for (then closed with the app); a given one is the caller's.
 */
export async function build(options: { config: Config; database: Database; mailer?: Mailer }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.config),
    genReqId: requestId,
    trustProxy: trustedProxies(options.config.TRUST_PROXY),
    routerOptions: { maxParamLength: 200 },
    // No client holds a connection for ever: the whole request (an upload of MAX_UPLOAD_MB on a slow line
    // included) within 2 minutes, its headers within 15 s, an idle keep-alive connection 5 s.
    requestTimeout: 120_000,
    keepAliveTimeout: 5_000,
    // What Node's HTTP parser and Fastify's router refuse is answered in French with the security headers too.
    ...frameworkErrorHandlers(options.config),
  });
  (app.server as Server).headersTimeout = 15_000;
  const routeTable: RouteSummary[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  // Before any route: the API refuses the query parameters its contract does not name.
  registerKnownParameters(app);
  registerSecurityHeaders(app, options.config);
  registerInputGuard(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'API Maillage',
        version: '1.0.0',
        description:
          "API publique de Maillage : coopérations, structures de l'ESS et territoires. Codes officiels (COG, SIRET). " +
          'Données sous Licence Ouverte Etalab 2.0. Les erreurs suivent la RFC 9457 (application/problem+json).',
        license: { name: 'Licence Ouverte Etalab 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
      },
      servers: [{ url: options.config.BASE_URL }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyStatic, { root: publicDir, prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  registerFavicon(app);

  const territories = await loadTerritoryIndex(options.database.db);
  // Every mail is a job: delivered right after the request that wrote it, else by the worker of `serve`.
  const mailer = options.mailer ?? createMailer(options.config);
  const mail = mailJob(mailer);
  registerJobHandlers(app, { [MAIL_JOB]: mail });
  const mailInFlight = dispatchMailAfterResponses(app, options.database.db, mail);
  app.addHook('onClose', async () => {
    await mailInFlight();
    if (!options.mailer) await mailer.close();
  });
  // Rules and schemes for orientation, read again after any write to the catalogue.
  const orientationData = orientationDataCache(options.database.db, territories);
  const context: AppContext = {
    config: options.config,
    database: options.database,
    territories,
    onCatalogueChange: () => orientationData.invalidate(),
    onAtlasChange: () => {
      clearFacetCache(options.database.db);
      invalidateClusterCache();
    },
  };
  installPageWidgets({
    followForm: alertForm,
    cooperationSections: sectionsInOrder(peersWidget, cooperationCampaigns, cooperationResources),
    organisationSections: financeSection,
    dispositifSections: dispositifResources,
  });
  installModerationQueueSections([resourceModerationSection]);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // Before the features: its hooks (request id, metrics) see every route.
  registerOperations(typed, context);
  // Usage statistics count every finished request by kind (no cookie, nothing about the person).
  registerUsageStats(typed, context);
  // First: its hooks (session, CSRF check, layout context) apply to every route.
  // RGPD: what each feature keeps about a person, exported and erased from the account pages.
  await registerAccounts(typed, context, {
    sections: [
      ...contributionsPersonalData,
      ...alertsPersonalData,
      ...applicationsPersonalData,
      ...instructionPersonalData,
      ...poolingPersonalData,
      ...knowledgePersonalData,
      ...campaignsPersonalData,
    ],
    erasure: [
      ...contributionsErasure,
      ...alertsErasure,
      ...applicationsErasure,
      ...instructionErasure,
      ...poolingErasure,
      ...knowledgeErasure,
      ...campaignsErasure,
    ],
  });
  await registerOidc(typed, context);
  await registerHome(typed, context);
  await registerAtlas(typed, context);
  await registerTerritories(typed, context, orientationData);
  await registerCatalogue(typed, context);
  await registerOrientation(typed, context, orientationData);
  await registerDiagnostic(typed, context);
  await registerIndicators(typed, context);
  await registerCartography(typed, context, orientationData);
  await registerTreasury(typed, context, orientationData);
  registerObservatory(typed, context);
  registerOpenData(typed, context);
  await registerSuppliers(typed, context);
  await registerKnowledge(typed, context);
  await registerPeers(typed, context);
  await registerPooling(typed, context);
  await registerCampaigns(typed, context);
  registerCigales(typed, context);
  await registerMap(typed, context);
  await registerAdmin(typed, context);
  await registerAlerts(typed, context);
  await registerContributions(typed, context);
  await registerDuplicates(typed, context);
  await registerCalls(typed, context);
  await registerInstruction(typed, context);
  await registerScdl(typed, context);
  await registerCallManagement(typed, context);
  await registerFormBuilder(typed, context);
  await registerEmbed(typed, context);
  await registerCatalogueInterop(typed, context);
  await registerOpenApiDocs(typed);
  return app;
}
