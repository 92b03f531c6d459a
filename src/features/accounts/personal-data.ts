/**
 * RGPD right of access: everything Maillage keeps about a person, as one JSON document to download from
 * « Mon compte » (GET /compte/donnees.json). Each feature that keeps personal data adds its section to
 * `personalDataSections` (contributions, alerts, applications…); the export runs them all, in order. A section
 * returns only the person's own data: never another person's name or address (e.g. who granted them a role).
 */
import { sql } from 'drizzle-orm';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { firstRow, rows, type Db, checkedRows, column } from '../../db/database.ts';
import { role } from '../../domain/authorization.ts';
import { auditActionLabel } from '../../domain/audit-actions.ts';
import type { PersonalDataOfFeatures, PersonalDataSection } from '../../platform/personal-data.ts';
import { accountOf, requireAccount } from '../../platform/http/guards.ts';
import { z } from 'zod';

/** The account itself, without its password hash. */
function account(db: Db, accountId: number): Promise<unknown> {
  return firstRow(
    db,
    sql`select id::int as id, email as adresse_email, display_name as nom,
      email_verified_at as adresse_confirmee_le, created_at as cree_le, updated_at as modifie_le
    from account where id = ${accountId}`,
  );
}

const rolesRow = z.object({ role: z.string(), type_portee: z.string(), portee: z.string(), attribue_le: column.instant });

async function roles(db: Db, accountId: number): Promise<unknown> {
  const found = await checkedRows(
    db,
    rolesRow,
    sql`
    select role, scope_kind as type_portee, scope_code as portee, granted_at as attribue_le
    from account_role where account_id = ${accountId} order by granted_at, role`,
  );
  return found.map((grant) => ({ ...grant, libelle: role.label(grant.role) }));
}

/** Open sessions: when, until when, from which browser (the token itself is never stored). */
function sessions(db: Db, accountId: number): Promise<unknown> {
  return rows(
    db,
    sql`select created_at as ouverte_le, last_seen_at as derniere_activite_le, expires_at as expire_le,
      user_agent as navigateur
    from session where account_id = ${accountId} order by created_at`,
  );
}

/** The OpenID Connect identities (e.g. ProConnect) that sign in to this account. */
function identities(db: Db, accountId: number): Promise<unknown> {
  return rows(
    db,
    sql`select issuer as fournisseur, subject as identifiant, created_at as rattachee_le
    from account_identity where account_id = ${accountId} order by created_at`,
  );
}

const actionsRow = z.object({ date: column.instant, action: z.string(), type_objet: z.string(), objet: z.string(), details: z.string() });

/** The sensitive actions the person did (audit log entries where they are the actor). */
async function actions(db: Db, accountId: number): Promise<unknown> {
  const found = await checkedRows(
    db,
    actionsRow,
    sql`
    select at as date, action, object_kind as type_objet, object_id as objet, details::text as details
    from audit_log where actor_id = ${accountId} order by at, id`,
  );
  return found.map((entry) => ({ ...entry, libelle: auditActionLabel(entry.action), details: JSON.parse(entry.details) as unknown }));
}

/** The account's own sections, before those of the other features. */
const accountSections: PersonalDataSection[] = [
  { name: 'compte', query: account },
  { name: 'roles', query: roles },
  { name: 'sessions', query: sessions },
  { name: 'identites_openid_connect', query: identities },
  { name: 'actions_journalisees', query: actions },
];

/** The whole document: when it was made, then each section. */
export async function collectPersonalData(db: Db, accountId: number, features: PersonalDataOfFeatures): Promise<Record<string, unknown>> {
  const document: Record<string, unknown> = { exporte_le: new Date().toISOString() };
  for (const section of [...accountSections, ...features.sections]) document[section.name] = await section.query(db, accountId);
  return document;
}

export async function registerPersonalData(app: TypedApp, context: AppContext, features: PersonalDataOfFeatures) {
  app.get('/compte/donnees.json', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const document = await collectPersonalData(context.database.db, accountOf(request).id, features);
    return reply
      .header('content-disposition', 'attachment; filename="maillage-mes-donnees.json"')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(document, null, 2));
  });
}
