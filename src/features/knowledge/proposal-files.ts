/**
 * Files a contributor joins to their resource proposal, with the checks of a resource's files (attachments.ts).
 * While the proposal waits they are rows of ressource_fichier without a resource, read only by its author and
 * the moderators of its région; its acceptance gives them the resource (proposals.ts), its refusal deletes
 * them. Every change takes the proposal's lock, as its decision does, so that no file comes or goes after it.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedFirstRow, checkedRows, type Db } from '../../db/database.ts';
import { contributionStatus } from '../../domain/contribution.ts';
import { ensureProposalFilesMayChange, ensureRoomForFiles } from '../../domain/resource-files.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { notFound } from '../../web/errors.ts';
import { FILE_FIELD, storedFile, type CheckedFile } from './attachments.ts';

export const NO_PROPOSAL_FILE = 'Aucun fichier joint à cette proposition à cette adresse.';
export const ONLY_AUTHOR = 'Seul l’auteur ou l’autrice d’une proposition y joint ou en retire des fichiers.';

const proposalFile = storedFile.extend({ ressource_id: z.number().int().nullable() });
/** A file of a proposal; `ressource_id` once its acceptance has given it to the resource. */
export type ProposalFile = z.output<typeof proposalFile>;

/** Every file a proposal brought, oldest first: the waiting ones, or those its acceptance gave the resource. */
export function proposalFiles(db: Db, proposalId: number): Promise<ProposalFile[]> {
  return checkedRows(
    db,
    proposalFile,
    sql`select id, original_name as nom, content_type as type, size_bytes::int as taille, ressource_id::int as ressource_id
    from ressource_fichier where proposal_id = ${proposalId} order by created_at, id`,
  );
}

/** A file of a waiting proposal, for its download; undefined once the proposal is decided. */
export function waitingProposalFile(db: Db, proposalId: number, fileId: string) {
  return checkedFirstRow(
    db,
    storedFile,
    sql`select id, original_name as nom, content_type as type, size_bytes::int as taille from ressource_fichier
    where id = ${fileId} and proposal_id = ${proposalId} and ressource_id is null`,
  );
}

/** Locks the proposal and checks that `actor` wrote it and that it still waits; returns the resource it edits. */
async function lockOwnWaiting(tx: Db, actor: CurrentAccount, proposalId: number): Promise<{ ressource_id: number | null }> {
  const p = await checkedFirstRow(
    tx,
    z.object({ author_id: z.number().int().nullable(), status: contributionStatus.schema, ressource_id: z.number().int().nullable() }),
    sql`select author_id::int as author_id, status, ressource_id::int as ressource_id from ressource_proposal where id = ${proposalId} for update`,
  );
  if (!p) throw new RuleError('proposition_inconnue', `Aucune proposition de ressource ne porte le numéro ${proposalId}.`, { kind: 'not_found' });
  if (p.author_id !== actor.id) throw forbidden(ONLY_AUTHOR);
  ensureProposalFilesMayChange(p.status);
  return p;
}

/**
 * Writes the row of a file kept for a waiting proposal of `actor`, with its audit entry; an edit counts the
 * resource's files too, since they will be together once it is accepted.
 */
export async function addProposalFile(tx: Db, actor: CurrentAccount, proposalId: number, id: string, file: CheckedFile): Promise<void> {
  const { ressource_id } = await lockOwnWaiting(tx, actor, proposalId);
  const count = await checkedFirstRow(
    tx,
    z.object({ n: z.number().int() }),
    sql`select count(*)::int as n from ressource_fichier
    where (proposal_id = ${proposalId} and ressource_id is null) or ressource_id = ${ressource_id}`,
  );
  ensureRoomForFiles(count!.n + 1, FILE_FIELD);
  await tx.execute(sql`insert into ressource_fichier (id, proposal_id, original_name, content_type, size_bytes, sha256, uploaded_by)
    values (${id}, ${proposalId}, ${file.nom}, ${file.type}, ${file.received.size}, ${file.received.sha256}, ${actor.id})`);
  await recordAudit(tx, {
    actor,
    action: 'ressource_proposal.fichier_ajout',
    object: { kind: 'ressource_proposal', id: proposalId },
    details: { fichier: id, nom: file.nom },
  });
}

/** Deletes the row of a file of a waiting proposal of `actor`, with its audit entry (the caller removes the bytes after the commit). */
export async function removeProposalFile(tx: Db, actor: CurrentAccount, proposalId: number, fileId: string): Promise<void> {
  await lockOwnWaiting(tx, actor, proposalId);
  const row = await checkedFirstRow(
    tx,
    z.object({ nom: z.string() }),
    sql`delete from ressource_fichier where id = ${fileId} and proposal_id = ${proposalId} and ressource_id is null returning original_name as nom`,
  );
  if (!row) throw notFound(NO_PROPOSAL_FILE);
  await recordAudit(tx, {
    actor,
    action: 'ressource_proposal.fichier_retrait',
    object: { kind: 'ressource_proposal', id: proposalId },
    details: { fichier: fileId, nom: row.nom },
  });
}

/**
 * On acceptance, inside its transaction: gives the proposal's waiting files to the resource (their bytes stay
 * where they are), refuses when the resource would hold too many, and writes an audit entry for each; returns
 * their names, oldest first.
 */
export async function moveProposalFiles(tx: Db, actor: CurrentAccount, proposalId: number, resourceId: number): Promise<string[]> {
  const moved = await checkedRows(
    tx,
    z.object({ id: z.string(), nom: z.string() }),
    sql`with moved as (update ressource_fichier set ressource_id = ${resourceId} where proposal_id = ${proposalId} and ressource_id is null
      returning id, original_name, created_at)
    select id, original_name as nom from moved order by created_at, id`,
  );
  if (moved.length === 0) return [];
  const count = await checkedFirstRow(
    tx,
    z.object({ n: z.number().int() }),
    sql`select count(*)::int as n from ressource_fichier where ressource_id = ${resourceId}`,
  );
  ensureRoomForFiles(count!.n);
  for (const file of moved)
    await recordAudit(tx, {
      actor,
      action: 'ressource.fichier_ajout',
      object: { kind: 'ressource', id: resourceId },
      details: { fichier: file.id, nom: file.nom, proposition: proposalId },
    });
  return moved.map((file) => file.nom);
}

/** On refusal, inside its transaction: deletes the proposal's files; returns their ids, whose bytes go after the commit. */
export async function dropProposalFiles(tx: Db, proposalId: number): Promise<string[]> {
  const dropped = await checkedRows(
    tx,
    z.object({ id: z.string() }),
    sql`delete from ressource_fichier where proposal_id = ${proposalId} and ressource_id is null returning id`,
  );
  return dropped.map((file) => file.id);
}
