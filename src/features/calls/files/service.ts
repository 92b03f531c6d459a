/**
 * Files of applications: sending one (the applicant, while the application is editable), removing it,
 * reading it (the applicant; once submitted, the call's instructors, platform admins, the call's reviewers
 * without a conflict on it: a draft is its owner's alone). The target is checked before a byte of the upload is read; the bytes go to a temporary file, their
 * kind is recognised from the content, then the file is kept under a random id and its row written with the
 * answers, in one transaction. Whatever fails removes what was written; replaced and removed files leave the
 * disk once their deletion commits.
 */
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { fileTypeFromFile } from 'file-type';
import { type Db, checkedFirstRow, column, countRow } from '../../../db/database.ts';
import { EDITABLE, statutCandidature } from '../../../domain/application.ts';
import {
  canReadApplicationFile,
  FILE_KINDS,
  fileRules,
  kindOfMime,
  kindsText,
  MAX_FILES_PER_APPLICATION,
  safeFileName,
  sizeText,
  typeFichier,
  type FileRules,
} from '../../../domain/files.ts';
import type { Actor } from '../../../domain/authorization.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { HttpError } from '../../../web/errors.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { storedFileRow, type StoredFile } from './queries.ts';
import { TooLarge, type FileStore, type Received } from '../../../platform/file-store.ts';
import { sweepErasedFiles } from './sweep.ts';
import { z } from 'zod';

export interface FilesDeps {
  db: Db;
  store: FileStore;
  maxUploadMb: number;
  onSweepError(error: unknown): void;
}

const NOT_FOUND = 'Aucune candidature ne porte cet identifiant parmi les vôtres.';
const NOT_EDITABLE = 'Cette candidature est déposée : ses fichiers ne changent plus, sauf si l’instruction demande un complément.';
const absent = (code: string, message: string) => new RuleError(code, message, { kind: 'not_found' });
const notFound = () => absent('candidature_inconnue', NOT_FOUND);
const notEditable = () => new RuleError('candidature_deposee', NOT_EDITABLE);

/** Where an upload goes: a file field of an editable application of this person, and what it accepts. */
export interface UploadTarget {
  candidatureId: number;
  champ: string;
  libelle: string;
  rules: FileRules;
}

const uploadTargetRow = z.object({ statut: statutCandidature.schema, definition: column.jsonAs<FormDefinition>() });

export async function uploadTarget(deps: FilesDeps, account: CurrentAccount, candidatureId: number, champ: string): Promise<UploadTarget> {
  const row = await checkedFirstRow(
    deps.db,
    uploadTargetRow,
    sql`select c.statut, f.definition
    from candidature c join appel_formulaire f on f.appel_id = c.appel_id and f.version = c.formulaire_version
    where c.id = ${candidatureId} and c.account_id = ${account.id}`,
  );
  if (!row) throw notFound();
  if (!EDITABLE.includes(row.statut)) throw notEditable();
  const field = row.definition.sections.flatMap((s) => s.champs).find((f) => f.cle === champ && f.type === 'fichier');
  if (!field) throw absent('champ_fichier_inconnu', `Le formulaire de cette candidature n’a pas de champ fichier « ${champ} ».`);
  return { candidatureId, champ, libelle: field.libelle, rules: fileRules(field, deps.maxUploadMb) };
}

/** One file part of a multipart request, as @fastify/multipart gives it. */
export interface FilePart {
  filename: string;
  file: Readable & { truncated?: boolean };
}

async function sweep(deps: FilesDeps): Promise<void> {
  await sweepErasedFiles(deps.db, deps.store).catch(deps.onSweepError);
}

/** Receives the part into a temporary file and checks its size and kind; throws a French refusal, beside the field. */
async function receiveChecked(deps: FilesDeps, target: UploadTarget, part: FilePart) {
  // Too large is the request's size (413), said beside the field like the other refusals.
  const tooLarge = () => {
    const message = `Le fichier dépasse ${sizeText(target.rules.maxBytes)}, la taille maximale pour « ${target.libelle} » : il n’a pas été enregistré.`;
    return new HttpError(413, message, undefined, [{ field: target.champ, message }]);
  };
  const refused = (code: string, message: string) => new RuleError(code, message, { field: target.champ });
  let received: Received;
  try {
    received = await deps.store.receive(part.file, target.rules.maxBytes);
  } catch (error) {
    if (error instanceof TooLarge) throw tooLarge();
    throw error;
  }
  const refuse = async (error: Error) => {
    await deps.store.discard(received);
    return error;
  };
  if (part.file.truncated) throw await refuse(tooLarge());
  if (received.size === 0) throw await refuse(refused('fichier_vide', part.filename ? 'Le fichier envoyé est vide.' : 'Choisissez un fichier à envoyer.'));
  const detected = await fileTypeFromFile(received.tempPath);
  const kind = kindOfMime(detected?.mime);
  if (!kind || !target.rules.kinds.includes(kind)) {
    const found = kind ? typeFichier.label(kind) : detected ? `un fichier ${detected.ext.toUpperCase()}` : 'un type de fichier non reconnu';
    throw await refuse(
      refused(
        'type_refuse',
        `Ce fichier n’est pas accepté pour « ${target.libelle} » : son contenu est ${found}, alors que ce champ accepte ${kindsText(target.rules.kinds)}. Le type se reconnaît au contenu du fichier, pas à son nom.`,
      ),
    );
  }
  return { received, kind, nom: safeFileName(part.filename, kind) };
}

const statutRow = z.object({ statut: statutCandidature.schema });

/** Stores the file of a field (replacing the previous one) and writes it into the answers; returns it. */
export async function storeUpload(deps: FilesDeps, account: CurrentAccount, target: UploadTarget, part: FilePart): Promise<StoredFile> {
  const { received, kind, nom } = await receiveChecked(deps, target, part);
  const id = await deps.store.keep(received);
  const type = FILE_KINDS[kind].mime;
  const { candidatureId, champ } = target;
  try {
    await deps.db.transaction(async (tx) => {
      const row = await checkedFirstRow(
        tx,
        statutRow,
        sql`select statut from candidature
        where id = ${candidatureId} and account_id = ${account.id} for update`,
      );
      if (!row) throw notFound();
      if (!EDITABLE.includes(row.statut)) throw notEditable();
      const others = await checkedFirstRow(
        tx,
        countRow,
        sql`select count(*)::int as n from candidature_fichier
        where candidature_id = ${candidatureId} and field_key <> ${champ}`,
      );
      if (others!.n >= MAX_FILES_PER_APPLICATION)
        throw new RuleError('trop_de_fichiers', `Une candidature compte ${MAX_FILES_PER_APPLICATION} fichiers au plus.`);
      await tx.execute(sql`delete from candidature_fichier where candidature_id = ${candidatureId} and field_key = ${champ}`);
      await tx.execute(sql`insert into candidature_fichier (id, candidature_id, field_key, original_name, content_type, size_bytes, sha256, uploaded_by)
        values (${id}, ${candidatureId}, ${champ}, ${nom}, ${type}, ${received.size}, ${received.sha256}, ${account.id})`);
      // A new version: a save prepared before this upload (another tab) is refused rather than losing the file.
      await tx.execute(sql`update candidature set donnees = jsonb_set(donnees, array[${champ}]::text[], ${JSON.stringify({ id, nom })}::jsonb),
        version = version + 1, updated_at = now() where id = ${candidatureId}`);
    });
  } catch (error) {
    await deps.store.remove(id);
    throw error;
  }
  await sweep(deps);
  return { id, champ, nom, type, taille: received.size };
}

const champRow = z.object({ champ: z.string() });

/** Removes a file of an editable application of this person; returns the field it filled. */
export async function removeUpload(deps: FilesDeps, account: CurrentAccount, candidatureId: number, fileId: string): Promise<string> {
  const champ = await deps.db.transaction(async (tx) => {
    const row = await checkedFirstRow(
      tx,
      statutRow,
      sql`select statut from candidature
      where id = ${candidatureId} and account_id = ${account.id} for update`,
    );
    if (!row) throw notFound();
    if (!EDITABLE.includes(row.statut)) throw notEditable();
    const removed = await checkedFirstRow(
      tx,
      champRow,
      sql`delete from candidature_fichier
      where id = ${fileId} and candidature_id = ${candidatureId} returning field_key as champ`,
    );
    if (!removed) throw absent('fichier_inconnu', 'Aucun fichier ne porte cet identifiant dans cette candidature.');
    await tx.execute(sql`update candidature set donnees = donnees - ${removed.champ}::text, version = version + 1, updated_at = now()
      where id = ${candidatureId}`);
    return removed.champ;
  });
  await sweep(deps);
  return champ;
}

const readableFileRow = storedFileRow.extend({
  account_id: z.number(),
  appel_id: z.number(),
  statut: statutCandidature.schema,
  assigned: z.boolean(),
  conflict: z.boolean(),
});

/** A file and its bytes, for whoever may read it (canReadApplicationFile); anyone else: not found. */
export async function readableFile(deps: FilesDeps, actor: Actor | null, candidatureId: number, fileId: string) {
  // Whether the reader is a reviewer of the call, and declared a conflict on this application (as instruction/access.ts reads it).
  const row = await checkedFirstRow(
    deps.db,
    readableFileRow,
    sql`
    select f.id, f.field_key as champ, f.original_name as nom, f.content_type as type, f.size_bytes::int as taille,
      c.account_id::int as account_id, c.appel_id::int as appel_id, c.statut,
      exists (select 1 from appel_evaluateur e where e.appel_id = c.appel_id and e.account_id = ${actor?.id ?? null}) as assigned,
      exists (select 1 from conflit_interet k where k.candidature_id = c.id and k.account_id = ${actor?.id ?? null}) as conflict
    from candidature_fichier f join candidature c on c.id = f.candidature_id
    where f.id = ${fileId} and f.candidature_id = ${candidatureId}`,
  );
  if (!row || !canReadApplicationFile(actor, { accountId: row.account_id, appelId: row.appel_id, statut: row.statut }, row)) {
    throw absent('fichier_inconnu', 'Aucun fichier ne porte cet identifiant parmi ceux que vous pouvez lire.');
  }
  return { file: row, bytes: deps.store.read(fileId) };
}
