/**
 * Granting and withdrawing roles: the scope is checked (written right, then known to Maillage), the change and
 * its audit entry are written in one transaction, and the last platform admin's role never goes. Refusals are
 * RuleErrors with a French message, thrown before anything is written (or rolling the transaction back).
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Db } from '../../db/database.ts';
import type { Grant, Role } from '../../domain/authorization.ts';
import { LAST_ADMIN_MESSAGE, parseScopeCodes, removesLastPlatformAdmin, SCOPE_OF_ROLE } from '../../domain/grants.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit, type AuditEntry } from '../../platform/audit.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { lockedPlatformAdmins } from '../accounts/roles.ts';
import { knownScope } from './scopes.ts';

export interface AdminDeps {
  db: Db;
  territories: TerritoryIndex;
}

/** Who acts: a platform admin, or the system (the command line). */
export type AdminActor = AuditEntry['actor'];

export const SYSTEM_CLI: AdminActor = { id: null, displayName: 'Système (ligne de commande)' };

async function liveAccount(tx: Db, accountId: number): Promise<void> {
  const account = await firstRow(tx, sql`select 1 from account where id = ${accountId} and deleted_at is null for update`);
  if (!account) throw new RuleError('compte_inconnu', 'Ce compte n’existe pas ou a été supprimé.', { kind: 'not_found' });
}

/** Reads and checks the scope typed for a role: the grants it makes (several régions give several grants). */
async function grantsFor(deps: AdminDeps, role: Role, typedScope: string): Promise<Grant[]> {
  const kind = SCOPE_OF_ROLE[role];
  const parsed = parseScopeCodes(kind, typedScope);
  if (!parsed.ok) throw new RuleError('portee_invalide', parsed.message, { field: 'portee' });
  const grants: Grant[] = [];
  for (const code of parsed.codes) {
    const known = await knownScope(deps.db, deps.territories, kind, code);
    if (!known.ok) throw new RuleError('portee_inconnue', known.message, { field: 'portee' });
    grants.push({ role, scopeKind: kind, scopeCode: known.code });
  }
  return grants;
}

const auditDetails = (grant: Grant) => ({ role: grant.role, type_portee: grant.scopeKind, portee: grant.scopeCode });

/** Grants the role on the typed scope; returns the grants made (those already held are left as they are). */
export async function grantRole(deps: AdminDeps, actor: AdminActor, accountId: number, role: Role, typedScope: string): Promise<Grant[]> {
  const grants = await grantsFor(deps, role, typedScope);
  const made = await deps.db.transaction(async (tx) => {
    await liveAccount(tx, accountId);
    const inserted: Grant[] = [];
    for (const grant of grants) {
      const row = await firstRow(
        tx,
        sql`insert into account_role (account_id, role, scope_kind, scope_code, granted_by)
        values (${accountId}, ${grant.role}, ${grant.scopeKind}, ${grant.scopeCode}, ${actor?.id ?? null})
        on conflict do nothing returning 1 as one`,
      );
      if (!row) continue;
      inserted.push(grant);
      await recordAudit(tx, { actor, action: 'role.grant', object: { kind: 'account', id: accountId }, details: auditDetails(grant) });
    }
    return inserted;
  });
  if (made.length === 0) throw new RuleError('role_deja_attribue', 'Ce compte détient déjà ce rôle sur cette portée : rien n’a changé.');
  return made;
}

/** Withdraws one grant; refuses to withdraw the last platform admin's role. */
export async function revokeRole(deps: AdminDeps, actor: AdminActor, accountId: number, grant: Grant): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const admins = grant.role === 'platform_admin' ? await lockedPlatformAdmins(tx) : [];
    const removed = await firstRow(
      tx,
      sql`delete from account_role
      where account_id = ${accountId} and role = ${grant.role} and scope_kind = ${grant.scopeKind} and scope_code = ${grant.scopeCode}
      returning 1 as one`,
    );
    if (!removed) throw new RuleError('role_absent', 'Ce compte ne détient pas (ou plus) ce rôle.', { kind: 'not_found' });
    if (removesLastPlatformAdmin(grant.role, admins.length)) throw new RuleError('dernier_administrateur', LAST_ADMIN_MESSAGE);
    await recordAudit(tx, { actor, action: 'role.revoke', object: { kind: 'account', id: accountId }, details: auditDetails(grant) });
  });
}
