/**
 * Routes of application files. Multipart is parsed in this plugin's scope only, with hard limits; a file is
 * read as a stream by the handler once the route has checked who sends it and where it goes.
 *
 * CSRF: the site-wide check reads `_csrf` from a parsed body, which a multipart body is not at that point.
 * The upload form therefore carries the session's token in its action's query (`?_csrf=…`), which this scope
 * hands to the site-wide check as the x-csrf-token header (a script may send that header itself); the
 * check then compares it with the session's secret as for any form.
 */
import { join, resolve } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { contentDisposition } from '../../../domain/files.ts';
import { InvalidForm, submitForm, type FormState } from '../../../web/forms.ts';
import { CSRF_FIELD, CSRF_HEADER } from '../../../platform/http/csrf.ts';
import { idParams } from '../../../platform/params.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { showApplication } from '../applications/pages.ts';
import type { CallsDeps } from '../applications/service.ts';
import { folderStore, FILE_ID } from '../../../platform/file-store.ts';
import { readableFile, removeUpload, storeUpload, uploadTarget, type FilesDeps } from './service.ts';
import { sweepErasedFiles } from './sweep.ts';

const fileParams = idParams.extend({ fichier: z.string().regex(FILE_ID, 'identifiant de fichier invalide') });
const fieldParams = idParams.extend({ champ: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'champ invalide') });

/** The folder of the files: FILES_DIR, or MAILLAGE_DATA_DIR/files. */
export function filesDir(config: AppContext['config']): string {
  return config.FILES_DIR ? resolve(config.FILES_DIR) : join(config.dataDir, 'files');
}

const SWEEP_EVERY_MS = 10 * 60_000;

export async function registerFiles(app: TypedApp, context: AppContext, calls: CallsDeps) {
  const deps: FilesDeps = {
    db: context.database.db,
    store: folderStore(filesDir(context.config)),
    maxUploadMb: context.config.MAX_UPLOAD_MB,
    onSweepError: (error) => app.log.error(error),
  };
  // Files whose deletion committed while nothing swept (an account deleted, a crash): removed now and then.
  const sweep = () => void sweepErasedFiles(deps.db, deps.store).catch(deps.onSweepError);
  const timer = setInterval(sweep, SWEEP_EVERY_MS).unref();
  app.addHook('onReady', async () => sweep());
  app.addHook('onClose', async () => clearInterval(timer));

  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    await scope.register(fastifyMultipart, {
      // One file and nothing else; one byte over the platform's limit is enough to know it is too large.
      limits: { files: 1, fields: 2, parts: 3, fieldSize: 1024, headerPairs: 50, fileSize: Math.floor(deps.maxUploadMb * 1024 * 1024) + 1 },
      throwFileSizeLimit: false,
    });
    scope.addHook('onRequest', async (request) => {
      const token = (request.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (request.method === 'POST' && typeof token === 'string' && request.headers[CSRF_HEADER] === undefined) request.headers[CSRF_HEADER] = token;
    });

    /** The application's page again, with the refusal of an upload or a removal. */
    const page = (request: FastifyRequest, reply: FastifyReply, id: number) => (status: number, state: FormState) =>
      showApplication(calls, request, reply, id, status, state);

    scope.post(
      '/candidatures/:id/fichiers/:champ',
      {
        schema: { hide: true, params: fieldParams, querystring: z.object({ [CSRF_FIELD]: z.string().optional() }) },
        preHandler: requireVerifiedAccount,
      },
      async (request, reply) => {
        const { id, champ } = request.params;
        const account = accountOf(request);
        const target = await uploadTarget(deps, account, id, champ); // 404 / 409 before a byte is read
        const refused = (message: string) => new InvalidForm([{ field: champ, message }]);
        // The multipart parser's own errors (no boundary, a body cut short) are a malformed upload, not a
        // server error; its limits carry their status (413) and stay as they are.
        const malformed = (error: unknown) =>
          (error as { statusCode?: number }).statusCode
            ? error
            : refused('L’envoi du fichier est incomplet ou mal formé : choisissez le fichier et envoyez-le de nouveau.');
        return submitForm({
          reply,
          act: async () => {
            if (!request.isMultipart()) throw refused('Envoyez le fichier avec le formulaire de la candidature (multipart/form-data).');
            const part = await request.file().catch((error: unknown) => Promise.reject(malformed(error)));
            if (!part) throw refused('Choisissez un fichier à envoyer.');
            // A body cut short errors the file's stream itself (the parser destroys it), maybe before it is read.
            await storeUpload(deps, account, target, part).catch((error: unknown) => Promise.reject(part.file.errored ? malformed(error) : error));
          },
          redirect: () => `/candidatures/${id}?fichier=envoye#champ-${champ}`,
          render: page(request, reply, id),
        });
      },
    );

    scope.post(
      '/candidatures/:id/fichiers/:fichier/suppression',
      {
        schema: { hide: true, params: fileParams },
        preHandler: requireVerifiedAccount,
      },
      async (request, reply) => {
        const { id, fichier } = request.params;
        return submitForm({
          reply,
          act: () => removeUpload(deps, accountOf(request), id, fichier),
          redirect: (champ) => `/candidatures/${id}?fichier=retire#champ-${champ}`,
          render: page(request, reply, id),
        });
      },
    );

    scope.get(
      '/candidatures/:id/fichiers/:fichier',
      {
        schema: { hide: true, params: fileParams },
        preHandler: requireAccount,
      },
      async (request, reply) => {
        const { file, bytes } = await readableFile(deps, request.account, request.params.id, request.params.fichier);
        return reply
          .header('content-type', file.type)
          .header('content-length', String(file.taille))
          .header('content-disposition', contentDisposition(file.nom))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(bytes);
      },
    );
  });
}
