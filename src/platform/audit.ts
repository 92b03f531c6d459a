/**
 * The audit log's single writer. Call it inside the transaction of the action it records, so that the action
 * and its trace are written together or not at all.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';

export interface AuditEntry {
  /** Who acted: an account (id and label at that time), or the system (id null: CLI, jobs), with its label or « Système ». */
  actor: { id: number | null; displayName: string } | null;
  /** Dotted verb, e.g. 'role.grant', 'moderation.refuse', 'account.delete'. */
  action: string;
  object: { kind: string; id: string | number };
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.execute(sql`insert into audit_log (actor_id, actor_label, action, object_kind, object_id, details)
    values (${entry.actor?.id ?? null}, ${entry.actor?.displayName.slice(0, 200) ?? 'Système'}, ${entry.action},
      ${entry.object.kind}, ${String(entry.object.id)}, ${JSON.stringify(entry.details ?? {})}::jsonb)`);
}
