/**
 * Files attached to a resource (a tool's template, a technical sheet as PDF…): added and removed by the
 * moderators of the resource's région (a resource without région: platform admins), downloaded by anyone.
 * The bytes go through the platform's file store (streamed, counted against MAX_UPLOAD_MB, never held whole);
 * their kind is recognised from the content, never from the name, among the kinds applications accept; a
 * download is always an attachment under its sanitised name, with nosniff. Each change leaves an audit entry.
 *
 * The upload form is multipart: its CSRF token travels in the action's query, as for application files
 * (calls/files/routes.ts), and this scope hands it to the site-wide check as a header. The files a contributor
 * joins to a proposal (proposal-files.ts) go through the same checks (receiveChecked, keepChecked).
 */
import { join, resolve } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { fileTypeFromFile } from 'file-type';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows, type Db } from '../../db/database.ts';
import { moderatesAny, type Actor } from '../../domain/authorization.ts';
import { contentDisposition, DEFAULT_FILE_KINDS, FILE_KINDS, kindOfMime, kindsText, safeFileName, sizeText } from '../../domain/files.ts';
import { ensureRoomForFiles } from '../../domain/resource-files.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { FILE_ID, folderStore, TooLarge, type FileStore, type Received } from '../../platform/file-store.ts';
import { CSRF_FIELD, CSRF_HEADER } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { idParams } from '../../platform/params.ts';
import { HttpError, notFound } from '../../web/errors.ts';
import { InvalidForm, submitForm, type FormState } from '../../web/forms.ts';

export const FILE_FIELD = 'fichier';

export const fileParams = idParams.extend({ fichier: z.string().regex(FILE_ID, 'identifiant de fichier invalide') });

/** Resource files share the folder of the other files (FILES_DIR, or MAILLAGE_DATA_DIR/files), so that backups hold them too. */
const filesDir = (config: AppContext['config']) => (config.FILES_DIR ? resolve(config.FILES_DIR) : join(config.dataDir, 'files'));

/** Where the knowledge base keeps its files, and the size cap of one (MAX_UPLOAD_MB). */
export const fileStorage = (config: AppContext['config']) => ({
  store: folderStore(filesDir(config)),
  maxBytes: Math.floor(config.MAX_UPLOAD_MB * 1024 * 1024),
});

/** May add and remove the files of a resource: the moderators of its région (none: platform admins). */
export const mayManageFiles = (actor: Actor | null, regionCode: string | null) => moderatesAny(actor, regionCode ? [regionCode] : []);

async function resourceRegion(db: Db, id: number): Promise<{ region: string | null }> {
  const row = await checkedFirstRow(db, z.object({ region: z.string().nullable() }), sql`select region_code as region from ressource where id = ${id}`);
  if (!row) throw notFound('Cette ressource n’existe pas.');
  return row;
}

export const storedFile = z.object({ id: z.string(), nom: z.string(), type: z.string(), taille: z.number().int() });

/** Receives the single file part, checks its size and kind; a French refusal beside the field otherwise (nothing kept). */
export async function receiveChecked(request: FastifyRequest, store: FileStore, maxBytes: number) {
  const refused = (message: string) => new InvalidForm([{ field: FILE_FIELD, message }]);
  const tooLarge = () => {
    const message = `Le fichier dépasse ${sizeText(maxBytes)}, la taille maximale : il n’a pas été enregistré.`;
    return new HttpError(413, message, undefined, [{ field: FILE_FIELD, message }]);
  };
  if (!request.isMultipart()) throw refused('Envoyez le fichier avec le formulaire « Joindre le fichier » de la page (multipart/form-data).');
  const part = await request
    .file()
    .catch((error: { statusCode?: number }) =>
      Promise.reject(error.statusCode ? error : refused('L’envoi est incomplet ou mal formé : choisissez le fichier et envoyez-le de nouveau.')),
    );
  if (!part?.filename) throw refused('Choisissez un fichier à joindre.');
  let received: Received;
  try {
    received = await store.receive(part.file, maxBytes);
  } catch (error) {
    if (error instanceof TooLarge) throw tooLarge();
    throw error;
  }
  const refuse = async (error: Error) => {
    await store.discard(received);
    return error;
  };
  if (part.file.truncated) throw await refuse(tooLarge());
  if (received.size === 0) throw await refuse(refused('Le fichier envoyé est vide.'));
  const kind = kindOfMime((await fileTypeFromFile(received.tempPath))?.mime);
  if (!kind || !DEFAULT_FILE_KINDS.includes(kind))
    throw await refuse(
      refused(`Ce fichier n’est pas accepté : son contenu n’est pas ${kindsText(DEFAULT_FILE_KINDS)}. Le type se reconnaît au contenu, pas au nom.`),
    );
  return { received, nom: safeFileName(part.filename, kind), type: FILE_KINDS[kind].mime };
}

export type CheckedFile = Awaited<ReturnType<typeof receiveChecked>>;

/**
 * Keeps the file, then runs `write` (its row, checks and audit entry) in one transaction with the id it is kept
 * under; a refusal or a failure removes what was kept.
 */
export async function keepChecked(db: Db, store: FileStore, file: CheckedFile, write: (tx: Db, id: string) => Promise<void>): Promise<void> {
  const id = await store.keep(file.received);
  try {
    await db.transaction((tx) => write(tx, id));
  } catch (error) {
    await store.remove(id);
    throw error;
  }
}

/** Writes the row of a file kept for a resource, with its audit entry, under the resource's lock and its files' cap. */
async function attach(tx: Db, actor: CurrentAccount, resourceId: number, id: string, file: CheckedFile) {
  const count = await checkedFirstRow(
    tx,
    z.object({ n: z.number().int() }),
    sql`select count(*)::int as n from ressource_fichier where ressource_id = (select id from ressource where id = ${resourceId} for update)`,
  );
  ensureRoomForFiles(count!.n + 1, FILE_FIELD);
  await tx.execute(sql`insert into ressource_fichier (id, ressource_id, original_name, content_type, size_bytes, sha256, uploaded_by)
    values (${id}, ${resourceId}, ${file.nom}, ${file.type}, ${file.received.size}, ${file.received.sha256}, ${actor.id})`);
  await recordAudit(tx, { actor, action: 'ressource.fichier_ajout', object: { kind: 'ressource', id: resourceId }, details: { fichier: id, nom: file.nom } });
}

/**
 * Runs `write`, which deletes the file's row, in one transaction, then removes its bytes. A crash between the
 * two leaves them to the file sweep, queued by the row's deletion (migration 0044); never a row without bytes.
 */
export async function removeStored(db: Db, store: FileStore, id: string, write: (tx: Db) => Promise<void>): Promise<void> {
  await db.transaction(write);
  await store.remove(id);
}

/** Sends a stored file as a download under its sanitised name, never interpreted by the browser. */
export function sendStoredFile(reply: FastifyReply, store: FileStore, file: ResourceFile) {
  return reply
    .header('content-type', file.type)
    .header('content-length', String(file.taille))
    .header('content-disposition', contentDisposition(file.nom))
    .header('x-content-type-options', 'nosniff')
    .send(store.read(file.id));
}

/**
 * Registers `routes` in a scope that reads multipart bodies (one file part of at most `maxBytes`, cut past it)
 * and takes the CSRF token of a POST from the action's query.
 */
export async function multipartScope(app: TypedApp, maxBytes: number, routes: (scope: TypedApp) => void) {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    await scope.register(fastifyMultipart, {
      limits: { files: 1, fields: 2, parts: 3, fieldSize: 1024, headerPairs: 50, fileSize: maxBytes + 1 },
      throwFileSizeLimit: false,
    });
    scope.addHook('onRequest', async (request) => {
      const token = (request.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (request.method === 'POST' && typeof token === 'string' && request.headers[CSRF_HEADER] === undefined) request.headers[CSRF_HEADER] = token;
    });
    routes(scope);
  });
}

/** The query of a multipart form's action: its CSRF token. */
export const uploadQuery = z.object({ [CSRF_FIELD]: z.string().optional() });

/** The files of a resource, oldest first. */
export async function resourceFiles(db: Db, resourceId: number) {
  return checkedRows(
    db,
    storedFile,
    sql`select id, original_name as nom, content_type as type, size_bytes::int as taille from ressource_fichier
    where ressource_id = ${resourceId} order by created_at, id`,
  );
}

export type ResourceFile = z.output<typeof storedFile>;

/**
 * Registers the file routes; `showResource` draws the resource's page with a refused upload's state.
 */
export async function registerResourceFiles(
  app: TypedApp,
  context: AppContext,
  showResource: (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => Promise<unknown>,
) {
  const db = context.database.db;
  const { store, maxBytes } = fileStorage(context.config);
  const onlyModerators = 'Seule la modération de la région de la ressource en ajoute ou retire les fichiers.';

  app.get('/ressources/:id/fichiers/:fichier', { schema: { hide: true, params: fileParams } }, async (request, reply) => {
    const file = await checkedFirstRow(
      db,
      storedFile,
      sql`select id, original_name as nom, content_type as type, size_bytes::int as taille from ressource_fichier
      where id = ${request.params.fichier} and ressource_id = ${request.params.id}`,
    );
    if (!file) throw notFound('Aucun fichier joint à cette adresse.');
    return sendStoredFile(reply, store, file);
  });

  app.post(
    '/ressources/:id/fichiers/:fichier/suppression',
    { schema: { hide: true, params: fileParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { id, fichier } = request.params;
      const actor = accountOf(request);
      ensure(mayManageFiles(actor, (await resourceRegion(db, id)).region), onlyModerators);
      await removeStored(db, store, fichier, async (tx) => {
        const row = await checkedFirstRow(
          tx,
          z.object({ nom: z.string() }),
          sql`delete from ressource_fichier where id = ${fichier} and ressource_id = ${id} returning original_name as nom`,
        );
        if (!row) throw notFound('Aucun fichier joint à cette adresse.');
        await recordAudit(tx, { actor, action: 'ressource.fichier_retrait', object: { kind: 'ressource', id }, details: { fichier, nom: row.nom } });
      });
      return reply.redirect(`/ressources/${id}?fichier=retire#fichiers`, 303);
    },
  );

  await multipartScope(app, maxBytes, (scope) =>
    scope.post(
      '/ressources/:id/fichiers',
      { schema: { hide: true, params: idParams, querystring: uploadQuery }, preHandler: requireVerifiedAccount },
      async (request, reply) => {
        const { id } = request.params;
        const actor = accountOf(request);
        ensure(mayManageFiles(actor, (await resourceRegion(db, id)).region), onlyModerators); // 404 / 403 before a byte is read
        return submitForm({
          reply,
          act: async () => {
            const file = await receiveChecked(request, store, maxBytes);
            await keepChecked(db, store, file, (tx, fileId) => attach(tx, actor, id, fileId, file));
          },
          redirect: () => `/ressources/${id}?fichier=ajoute#fichiers`,
          render: (status, state) => showResource(request, reply, id, status, state),
        });
      },
    ),
  );
}
