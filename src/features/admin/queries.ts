/** What the administration pages read: accounts and their roles, the audit log. */
import { sql, type SQL } from 'drizzle-orm';
import { type Db, checkedRows, checkedFirstRow, column, countRow } from '../../db/database.ts';
import type { JournalQuery } from './schemas.ts';
import { z } from 'zod';

const accountListRow = z.object({ id: z.number(), email: z.string(), display_name: z.string(), verified: z.boolean(), roles: z.array(z.string()) });
export type AccountListRow = z.infer<typeof accountListRow>;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const rolesOf = sql`coalesce((select array_agg(distinct r.role order by r.role) from account_role r where r.account_id = a.id), '{}')`;

/**
 * Live accounts whose address or name contains the text (any case, accents as typed); without text, the
 * accounts holding a role beyond contributor, so that the page opens on who holds powers.
 */
export async function findAccounts(db: Db, text: string | undefined, limit = 50): Promise<AccountListRow[]> {
  const where = text
    ? sql`(a.email ilike ${likePattern(text)} or a.display_name ilike ${likePattern(text)})`
    : sql`exists (select 1 from account_role r where r.account_id = a.id and r.role <> 'contributor')`;
  return checkedRows(
    db,
    accountListRow,
    sql`select a.id::int as id, a.email, a.display_name,
      a.email_verified_at is not null as verified, ${rolesOf} as roles
    from account a where a.deleted_at is null and ${where}
    order by lower(a.display_name), a.id limit ${limit}`,
  );
}

const roleRow = z.object({ role: z.string(), scope_kind: z.string(), scope_code: z.string(), granted_at: column.instant, granted_by: z.string().nullable() });
export type RoleRow = z.infer<typeof roleRow>;

const accountDetailRow = z.object({
  id: z.number(),
  email: z.string(),
  display_name: z.string(),
  verified: z.boolean(),
  created_at: column.instant,
  deleted_at: column.instant.nullable(),
});
export type AccountDetail = z.infer<typeof accountDetailRow> & { roles: RoleRow[] };

export async function findAccount(db: Db, id: number): Promise<AccountDetail | undefined> {
  const account = await checkedFirstRow(
    db,
    accountDetailRow,
    sql`select id::int as id, email, display_name,
      email_verified_at is not null as verified, created_at, deleted_at
    from account where id = ${id}`,
  );
  if (!account) return undefined;
  const roles = await checkedRows(
    db,
    roleRow,
    sql`select r.role, r.scope_kind, r.scope_code, r.granted_at, g.display_name as granted_by
    from account_role r left join account g on g.id = r.granted_by
    where r.account_id = ${id} order by r.role, r.scope_kind, r.scope_code`,
  );
  return { ...account, roles };
}

export interface JournalRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_label: string;
  action: string;
  object_kind: string;
  object_id: string;
  object_name: string | null;
  details: Record<string, unknown>;
}

export interface JournalPage {
  rows: JournalRow[];
  total: number;
  actions: string[];
  objectKinds: string[];
}

export const JOURNAL_PAGE_SIZE = 50;

const actionRow = z.object({ action: z.string() });

const objectKindRow = z.object({ object_kind: z.string() });

const journalPageRow = z.object({
  id: z.number(),
  at: column.instant,
  actor_id: z.number().nullable(),
  actor_label: z.string(),
  action: z.string(),
  object_kind: z.string(),
  object_id: z.string(),
  object_name: z.string().nullable(),
  details: z.string(),
});

/** One page of the audit log, newest first, with the actions and object kinds present (for the filters). */
export async function journalPage(db: Db, query: JournalQuery): Promise<JournalPage> {
  const filters: SQL[] = [sql`true`];
  if (query.action) filters.push(sql`l.action = ${query.action}`);
  if (query.objet) filters.push(sql`l.object_kind = ${query.objet}`);
  if (query.objet_id) filters.push(sql`l.object_id = ${query.objet_id}`);
  const where = sql.join(filters, sql` and `);
  const [found, total, actions, objectKinds] = await Promise.all([
    checkedRows(
      db,
      journalPageRow,
      sql`select l.id::int as id, l.at, l.actor_id::int as actor_id, l.actor_label, l.action,
        l.object_kind, l.object_id, l.details::text as details,
        case when l.object_kind = 'account' then (select a.display_name from account a where a.id::text = l.object_id) end as object_name
      from audit_log l where ${where}
      order by l.at desc, l.id desc limit ${JOURNAL_PAGE_SIZE} offset ${(query.page - 1) * JOURNAL_PAGE_SIZE}`,
    ),
    checkedFirstRow(db, countRow, sql`select count(*)::int as n from audit_log l where ${where}`),
    checkedRows(db, actionRow, sql`select distinct action from audit_log order by action`),
    checkedRows(db, objectKindRow, sql`select distinct object_kind from audit_log order by object_kind`),
  ]);
  return {
    rows: found.map((row) => ({ ...row, at: new Date(row.at), details: JSON.parse(row.details) as Record<string, unknown> })),
    total: total?.n ?? 0,
    actions: actions.map((row) => row.action),
    objectKinds: objectKinds.map((row) => row.object_kind),
  };
}
