/**
 * The PTCE self-diagnostic of a cooperation: its API (GET /api/v1/cooperations/{id}/diagnostic-ptce), its
 * printable page, the page of the criteria, and the declaration of a criterion by the cooperation's admins
 * (or the moderators of its régions: whoever may edit the cooperation directly), with an optional evidence
 * file. A declaration takes effect at once, as the direct edits of these people do (no moderation queue), and
 * leaves an audit entry; text, link and file are public, like the report.
 *
 * The declaration form is multipart (it carries the file): its CSRF token travels in the action's query, as
 * for application files (calls/files/routes.ts), and this scope hands it to the site-wide check as a header.
 */
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canEditCooperation } from '../../domain/authorization.ts';
import { contentDisposition, DEFAULT_FILE_KINDS, FILE_KINDS, kindOfMime, kindsText, safeFileName, sizeText } from '../../domain/files.ts';
import { CRITERE_CODES, checkEvidence, critereOf, diagnosePtce } from '../../domain/ptce-diagnostic.ts';
import { RuleError, type FieldError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { folderStore, FILE_ID, TooLarge, type Received } from '../../platform/file-store.ts';
import { CSRF_FIELD, CSRF_HEADER } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { formBody } from '../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { join, resolve } from 'node:path';
import { evidenceFile, loadDiagnosed, saveDeclaration, type DeclarationInput, type StoredEvidenceFile } from './queries.ts';
import { criteriaPage, declarationPage, diagnosticPage, diagnosticPath } from './views.ts';
import { diagnosticResponseSchema } from './schemas.ts';

const critereParams = idParams.extend({
  code: z.string().refine((code) => CRITERE_CODES.includes(code), { message: 'code de critère inconnu du diagnostic PTCE' }),
});
const fileParams = critereParams.extend({ fichier: z.string().regex(FILE_ID, 'identifiant de fichier invalide') });
const savedQuery = z.object({ declare: z.string().optional() });

/** Evidence files share the folder of application files (FILES_DIR, or MAILLAGE_DATA_DIR/files), so that backups hold them too. */
const evidenceDir = (config: AppContext['config']) => (config.FILES_DIR ? resolve(config.FILES_DIR) : join(config.dataDir, 'files'));

const unknownCooperation = (id: number) => notFound(`Aucune coopération ne porte l'identifiant ${id}.`);

/** What the diagnostic's routes share: the database, the evidence store and the cooperation's diagnostic. */
interface DiagnosticKit {
  db: AppContext['database']['db'];
  config: AppContext['config'];
  store: EvidenceStore;
  maxBytes: number;
  diagnosed(id: number): Promise<{ found: NonNullable<Awaited<ReturnType<typeof loadDiagnosed>>>; diagnostic: ReturnType<typeof diagnosePtce> }>;
  mayDeclare(request: FastifyRequest, found: { id: number; regionCodes: string[] }): boolean;
}

type EvidenceStore = ReturnType<typeof folderStore>;

export async function registerDiagnostic(app: TypedApp, { database, config }: AppContext) {
  const db = database.db;
  const kit: DiagnosticKit = {
    db,
    config,
    store: folderStore(evidenceDir(config)),
    maxBytes: Math.floor(config.MAX_UPLOAD_MB * 1024 * 1024),
    async diagnosed(id) {
      const found = await loadDiagnosed(db, id);
      if (!found) throw unknownCooperation(id);
      return { found, diagnostic: diagnosePtce(found.input) };
    },
    mayDeclare: (request, found) => canEditCooperation(request.account ?? null, { id: found.id, regionCodes: found.regionCodes }),
  };
  registerDiagnosticApi(app, kit);
  registerDiagnosticPages(app, kit);
  await registerDeclarations(app, kit);
}

function registerDiagnosticApi(app: TypedApp, { diagnosed }: DiagnosticKit) {
  app.get(
    '/api/v1/cooperations/:id/diagnostic-ptce',
    {
      schema: {
        tags: ['Atlas'],
        summary: 'Autodiagnostic PTCE d’une coopération',
        description:
          'Les critères de l’annexe du document 003 (8 incontournables, 6 à tester, 5 exclusions) et la définition légale de la loi du 31 juillet 2014 : ' +
          'chacun « rempli », « non_rempli » ou « a_confirmer », avec sa raison et le passage dont il vient. Pour une exclusion, « rempli » signifie que la situation est constatée.',
        params: idParams,
        response: { 200: diagnosticResponseSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const { found, diagnostic } = await diagnosed(request.params.id);
      return {
        cooperation: { id: found.id, nom: found.nom },
        criteres: diagnostic.criteres.map(({ declaration: _declaration, ...c }) => c),
        synthese: diagnostic.synthese,
      };
    },
  );
}

/** The declaration page of a criterion, for those who may declare (404 for an unknown cooperation first). */
async function declarationForm(kit: DiagnosticKit, request: FastifyRequest, reply: FastifyReply, id: number, code: string, status: number, state: FormState) {
  const { found, diagnostic } = await kit.diagnosed(id);
  ensure(kit.mayDeclare(request, found), 'Seules l’administration de la coopération et la modération de sa région déclarent ses critères.');
  const current = diagnostic.criteres.find((c) => c.code === code)!;
  const main = declarationPage({ request, cooperation: found, critere: critereOf(code), current, maxUploadMb: kit.config.MAX_UPLOAD_MB, state });
  return sendPage(reply, { status, title: `Déclarer un critère PTCE — ${found.nom}`, main, currentPath: '/cooperations' });
}

function registerDiagnosticPages(app: TypedApp, kit: DiagnosticKit) {
  app.get('/diagnostic-ptce', { schema: { hide: true } }, async (_request, reply) =>
    sendPage(reply, { title: 'Autodiagnostic PTCE', main: criteriaPage(CRITERE_CODES.map(critereOf)), currentPath: '/cooperations' }),
  );

  app.get('/cooperations/:id/diagnostic-ptce', { schema: { hide: true, params: idParams, querystring: savedQuery } }, async (request, reply) => {
    const { found, diagnostic } = await kit.diagnosed(request.params.id);
    const saved = request.query.declare && CRITERE_CODES.includes(request.query.declare) ? critereOf(request.query.declare) : undefined;
    return sendPage(reply, {
      title: `Autodiagnostic PTCE — ${found.nom}`,
      main: diagnosticPage({
        cooperation: found,
        diagnostic,
        fichiers: found.fichiers,
        canDeclare: kit.mayDeclare(request, found),
        notice: saved ? `Votre déclaration pour « ${saved.libelle} » est enregistrée.` : undefined,
      }),
      currentPath: '/cooperations',
    });
  });

  app.get(
    '/cooperations/:id/diagnostic-ptce/criteres/:code',
    { schema: { hide: true, params: critereParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => declarationForm(kit, request, reply, request.params.id, request.params.code, 200, {}),
  );

  app.get('/cooperations/:id/diagnostic-ptce/criteres/:code/fichiers/:fichier', { schema: { hide: true, params: fileParams } }, async (request, reply) => {
    const { id, code, fichier } = request.params;
    const file = await evidenceFile(kit.db, id, code, fichier);
    if (!file) throw notFound('Aucune pièce jointe à cette adresse.');
    return reply
      .header('content-type', file.type)
      .header('content-length', String(file.taille))
      .header('content-disposition', contentDisposition(file.nom))
      .header('x-content-type-options', 'nosniff')
      .send(kit.store.read(file.id));
  });
}

/** The declaration of a criterion: a multipart form in its own scope, whose CSRF token travels in the action's query. */
async function registerDeclarations(app: TypedApp, kit: DiagnosticKit) {
  const { db, store, maxBytes } = kit;
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    await scope.register(fastifyMultipart, {
      limits: { files: 1, fields: 4, parts: 5, fieldSize: 4096, headerPairs: 50, fileSize: maxBytes + 1 },
      throwFileSizeLimit: false,
    });
    scope.addHook('onRequest', async (request) => {
      const token = (request.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (request.method === 'POST' && typeof token === 'string' && request.headers[CSRF_HEADER] === undefined) request.headers[CSRF_HEADER] = token;
    });

    scope.post(
      '/cooperations/:id/diagnostic-ptce/criteres/:code',
      {
        schema: { hide: true, params: critereParams, querystring: z.object({ [CSRF_FIELD]: z.string().optional() }), body: formBody.nullable() },
        preHandler: requireVerifiedAccount,
      },
      async (request, reply) => {
        const { id, code } = request.params;
        const account = accountOf(request);
        const { found } = await kit.diagnosed(id); // 404 and 403 before a byte of the body is read
        ensure(kit.mayDeclare(request, found), 'Seules l’administration de la coopération et la modération de sa région déclarent ses critères.');
        const values: Record<string, string> = {};
        return submitForm({
          reply,
          values,
          act: async () => {
            // A declaration without a file may also come url-encoded (a script, a browser without the file input).
            if (!request.isMultipart()) Object.assign(values, textFields(request.body));
            const received = request.isMultipart() ? await readParts(request, values, store, maxBytes) : null;
            try {
              const declaration = readDeclaration(values);
              const file = received ? { ...(await checkKind(received)), id: await store.keep(received.file) } : null;
              try {
                const replaced = await saveDeclaration(db, account, id, code, declaration, file);
                if (replaced) await store.remove(replaced);
              } catch (error) {
                if (file) await store.remove(file.id);
                throw error;
              }
            } catch (error) {
              if (received) await store.discard(received.file);
              throw error;
            }
          },
          redirect: () => `${diagnosticPath(id)}?declare=${code}#critere-${code}`,
          render: (status, state) => declarationForm(kit, request, reply, id, code, status, state),
        });
      },
    );
  });
}

/** Checks the evidence file's kind from its bytes; returns what it is stored under. */
async function checkKind(received: { file: Received; filename: string }): Promise<Omit<StoredEvidenceFile, 'id'>> {
  const detected = await fileTypeFromFile(received.file.tempPath);
  const kind = kindOfMime(detected?.mime);
  if (!kind)
    throw new RuleError(
      'type_refuse',
      `Ce fichier n’est pas accepté : son contenu n’est pas ${kindsText(DEFAULT_FILE_KINDS)}. Le type se reconnaît au contenu, pas au nom.`,
      { field: 'fichier' },
    );
  return { nom: safeFileName(received.filename, kind), type: FILE_KINDS[kind].mime, taille: received.file.size };
}

/** Reads the form's fields into `values` and its file, if one is sent, into a temporary file of the store. */
async function readParts(request: FastifyRequest, values: Record<string, string>, target: EvidenceStore, limit: number) {
  let received: { file: Received; filename: string } | null = null;
  const tooLarge = (message: string) => new InvalidForm([{ field: 'fichier', message }]);
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') values[part.fieldname] = String(part.value);
      else received ??= await receive(part as MultipartFile);
    }
  } catch (error) {
    if (received) await target.discard(received.file);
    if (error instanceof InvalidForm) throw error;
    if ((error as { statusCode?: number }).statusCode === 413) throw tooLarge(`Le fichier dépasse ${sizeText(limit)} : il n’a pas été enregistré.`);
    throw new InvalidForm([{ field: 'fichier', message: 'L’envoi est incomplet ou mal formé : choisissez le fichier et envoyez de nouveau le formulaire.' }]);
  }
  return received;

  async function receive(part: MultipartFile) {
    if (!part.filename) {
      part.file.resume();
      return null;
    }
    let file: Received;
    try {
      file = await target.receive(part.file, limit);
    } catch (error) {
      if (error instanceof TooLarge) throw tooLarge(`Le fichier dépasse ${sizeText(limit)} : il n’a pas été enregistré.`);
      throw error;
    }
    if (part.file.truncated) {
      await target.discard(file);
      throw tooLarge(`Le fichier dépasse ${sizeText(limit)} : il n’a pas été enregistré.`);
    }
    if (file.size === 0) {
      await target.discard(file);
      throw new InvalidForm([{ field: 'fichier', message: 'Le fichier envoyé est vide.' }]);
    }
    return { file, filename: part.filename };
  }
}

/** The text fields of a url-encoded body. */
function textFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (body && typeof body === 'object') for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields[key] = value;
  return fields;
}

/** The declaration posted, or every error at once, each beside its field. */
function readDeclaration(values: Record<string, string>): DeclarationInput {
  const errors: FieldError[] = [];
  const rempli = values.rempli;
  if (rempli !== 'oui' && rempli !== 'non') errors.push({ field: 'rempli', message: 'Répondez par oui ou par non.' });
  const texte = (values.texte ?? '').trim();
  const lien = (values.lien ?? '').trim() || null;
  for (const check of [() => checkEvidence({ texte, lien: null }), () => checkEvidence({ texte: 'x', lien })]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      errors.push({ field: error.field ?? '', message: error.message });
    }
  }
  if (errors.length) throw new InvalidForm(errors);
  return { rempli: rempli === 'oui', texte, lien };
}
