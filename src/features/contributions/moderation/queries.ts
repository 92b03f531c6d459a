/**
 * What the moderation queue shows: waiting contributions, open error reports, waiting claims and proposed
 * territoires de projet (decided under /moderation/territoires-projet, features/territories), of the moderator's régions.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, textArray, type Db, column } from '../../../db/database.ts';
import { contributionKind } from '../../../domain/contribution.ts';

/** Rows of the régions moderated: every row for a platform admin, else those sharing a région with the moderator. */
export function inRegions(regions: 'all' | string[], column = sql`region_codes`): SQL {
  return regions === 'all' ? sql`true` : sql`${column} && ${textArray(regions)}`;
}

/** The name of the object a row points to (kind, object id), whatever its kind. */
const objectNameOf = (kind: SQL, id: SQL) => sql`case ${kind}
  when 'organisation' then (select x_o.name from organisation x_o where x_o.id = ${id})
  when 'cooperation' then (select x_c.name from cooperation x_c where x_c.id = ${id})
  when 'dispositif' then (select x_d.name from dispositif x_d where x_d.id = ${id}) end`;

const queuedContributionRow = z.object({
  id: z.number(),
  kind: contributionKind.schema,
  action: z.enum(['creation', 'modification']),
  target_id: z.number().nullable(),
  nom: z.string().nullable(),
  region_codes: z.array(z.string()),
  author_name: z.string().nullable(),
  created_at: column.instant,
});
export type QueuedContribution = z.infer<typeof queuedContributionRow>;

export async function pendingContributions(db: Db, regions: 'all' | string[]): Promise<QueuedContribution[]> {
  return checkedRows(
    db,
    queuedContributionRow,
    sql`select c.id::int as id, c.kind, c.action, c.target_id::int as target_id,
      coalesce(${objectNameOf(sql`c.kind`, sql`c.target_id`)}, c.data->>'nom') as nom, c.region_codes,
      case when a.deleted_at is null then a.display_name end as author_name, c.created_at
    from contribution c left join account a on a.id = c.author_id
    where c.status = 'en_attente' and ${inRegions(regions, sql`c.region_codes`)}
    order by c.created_at, c.id limit 200`,
  );
}

const openReportRow = z.object({
  id: z.number(),
  kind: contributionKind.schema,
  object_id: z.number(),
  nom: z.string().nullable(),
  message: z.string(),
  email: z.string().nullable(),
  region_codes: z.array(z.string()),
  created_at: column.instant,
});
export type OpenReport = z.infer<typeof openReportRow>;

export async function openReports(db: Db, regions: 'all' | string[]): Promise<OpenReport[]> {
  return checkedRows(
    db,
    openReportRow,
    sql`select r.id::int as id, r.kind, r.object_id::int as object_id,
      ${objectNameOf(sql`r.kind`, sql`r.object_id`)} as nom, r.message, r.email, r.region_codes, r.created_at
    from error_report r where r.status = 'ouvert' and ${inRegions(regions, sql`r.region_codes`)}
    order by r.created_at, r.id limit 200`,
  );
}

const pendingClaimRow = z.object({
  id: z.number(),
  organisation_id: z.number(),
  nom: z.string(),
  siret: z.string(),
  role: z.string(),
  justification: z.string(),
  account_name: z.string().nullable(),
  account_email: z.string().nullable(),
  region_codes: z.array(z.string()),
  created_at: column.instant,
});
export type PendingClaim = z.infer<typeof pendingClaimRow>;

export async function pendingClaims(db: Db, regions: 'all' | string[]): Promise<PendingClaim[]> {
  return checkedRows(
    db,
    pendingClaimRow,
    sql`select cl.id::int as id, cl.organisation_id::int as organisation_id, o.name as nom, cl.siret,
      cl.role, cl.justification, a.display_name as account_name, a.email as account_email, cl.region_codes, cl.created_at
    from organisation_claim cl join organisation o on o.id = cl.organisation_id
    join account a on a.id = cl.account_id and a.deleted_at is null
    where cl.status = 'en_attente' and ${inRegions(regions, sql`cl.region_codes`)}
    order by cl.created_at, cl.id limit 200`,
  );
}

export interface PendingTerritoire {
  id: number;
  nom: string;
  kind: string;
  communes: number;
  epcis: number;
  region_codes: string[];
  author_name: string | null;
  created_at: Date;
}

const pendingTerritoireRow = z.object({
  id: z.number().int(),
  nom: z.string(),
  kind: z.string(),
  communes: z.number().int(),
  epcis: z.number().int(),
  region_codes: z.array(z.string()),
  author_name: z.string().nullable(),
  created_at: z.coerce.date(),
});

export async function pendingTerritoires(db: Db, regions: 'all' | string[]): Promise<PendingTerritoire[]> {
  return checkedRows(
    db,
    pendingTerritoireRow,
    sql`select p.id::int as id, p.name as nom, p.kind, cardinality(p.communes) as communes, cardinality(p.epcis) as epcis, p.region_codes,
      case when a.deleted_at is null then a.display_name end as author_name, p.created_at
    from territoire_projet_proposal p left join account a on a.id = p.author_id
    where p.status = 'en_attente' and ${inRegions(regions, sql`p.region_codes`)}
    order by p.created_at, p.id limit 200`,
  );
}
