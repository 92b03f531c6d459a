/**
 * `maillage admin accorder <email> <rôle> [portée]`: grants a role from the command line, chiefly the first
 * platform admin of a fresh install (nobody can use /admin before). Same checks and audit entry as the page,
 * with the actor « Système (ligne de commande) ».
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { role, type Role } from '../../domain/authorization.ts';
import { SCOPE_HINTS, SCOPE_OF_ROLE } from '../../domain/grants.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { emailSchema } from '../accounts/schemas.ts';
import { loadTerritoryIndex } from '../../platform/territory-index.ts';
import { grantRole, SYSTEM_CLI } from './service.ts';

const USAGE = `Usage : maillage admin accorder <adresse e-mail> <rôle> [portée]
  Le compte doit exister (inscription sur le site). Rôles et portées :
${role.codes.map((code) => `    ${code.padEnd(20)} ${role.label(code)} — portée : ${SCOPE_HINTS[SCOPE_OF_ROLE[code]]}`).join('\n')}
  Exemple : maillage admin accorder camille@exemple.fr platform_admin`;

/** `maillage admin …`; returns the exit code. */
export async function runAdmin(db: Db, args: string[]): Promise<number> {
  const [action, email, roleCode, ...scope] = args;
  if (action === '--help' || action === undefined) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  if (action !== 'accorder' || !email || !roleCode) {
    console.error(`${action === 'accorder' ? 'Indiquez l’adresse e-mail et le rôle.' : `Action inconnue : ${action}.`}\n${USAGE}`);
    return 2;
  }
  const address = emailSchema.safeParse(email);
  if (!address.success) {
    console.error(address.error.issues[0]!.message);
    return 2;
  }
  if (!role.codes.includes(roleCode as Role)) {
    console.error(`Rôle inconnu : ${roleCode}.\n${USAGE}`);
    return 2;
  }
  const account = await checkedFirstRow(db, idRow, sql`select id::int as id from account where lower(email) = ${address.data} and deleted_at is null`);
  if (!account) {
    console.error(`Aucun compte n’utilise l’adresse ${address.data} : créez-le d’abord par l’inscription sur le site (/compte/inscription).`);
    return 2;
  }
  try {
    const grants = await grantRole({ db, territories: await loadTerritoryIndex(db) }, SYSTEM_CLI, account.id, roleCode as Role, scope.join(' '));
    console.log(
      `Rôle « ${role.label(roleCode)} » accordé à ${address.data}${grants.some((g) => g.scopeCode) ? ` (${grants.map((g) => g.scopeCode).join(', ')})` : ''}.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof RuleError) {
      console.error(error.message);
      return error.kind === 'conflict' ? 0 : 2;
    }
    throw error;
  }
}
