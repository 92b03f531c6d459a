/**
 * Campaigns and their intentions in the database. Every write is one transaction with its audit entry; the rules
 * (transitions, dates) are checked on the row locked in that transaction, so two requests cannot both pass them.
 */
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import type { Actor } from '../../domain/authorization.ts';
import {
  type CampaignState,
  type CampaignStructure,
  campaignInstrument,
  campaignState,
  checkAcceptsIntentions,
  checkEditable,
  checkTransition,
  progressOf,
} from '../../domain/campaign.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { notFound } from '../../web/errors.ts';
import {
  type CampaignEdit,
  type CampaignSearch,
  type CampaignSummary,
  type CampaignWrite,
  type IntentionInput,
  type IntentionRow,
  intentionRowSchema,
} from './schemas.ts';

export const NOT_FOUND = 'Aucune campagne ne porte cet identifiant.';

const campaignRow = z.object({
  id: z.number().int(),
  titre: z.string(),
  objet: z.string(),
  instrument: campaignInstrument.schema,
  etat: campaignState.schema,
  debut: z.string(),
  fin: z.string(),
  montant_recherche: z.number().int(),
  montant_intentions: z.number().int(),
  nombre_intentions: z.number().int(),
  structure_type: z.enum(['organisation', 'cooperation']),
  structure_id: z.number().int(),
  structure_nom: z.string(),
  siret: z.string().nullable(),
  region: z.string().nullable(),
  departement: z.string().nullable(),
});
type CampaignRow = z.infer<typeof campaignRow>;

const CAMPAIGN = sql`select c.id::int as id, c.titre, c.objet, c.instrument, c.etat, c.debut::text as debut, c.fin::text as fin,
    c.montant_recherche::float8 as montant_recherche, coalesce(i.total, 0)::float8 as montant_intentions, coalesce(i.n, 0)::int as nombre_intentions,
    case when c.organisation_id is null then 'cooperation' else 'organisation' end as structure_type,
    coalesce(c.organisation_id, c.cooperation_id)::int as structure_id, coalesce(o.name, co.name) as structure_nom, o.siret,
    coalesce(o.region_code, co.region_code) as region, coalesce(o.departement_code, co.departement_code) as departement
  from campagne c
  left join organisation o on o.id = c.organisation_id
  left join cooperation co on co.id = c.cooperation_id
  left join lateral (select sum(montant) as total, count(*) as n from campagne_intention where campagne_id = c.id) i on true`;

/** A campaign as the API and the pages show it. */
export interface Campaign extends CampaignSummary {
  objet: string;
  /** Who runs it, as the authorization rule needs it. */
  owner: CampaignStructure;
}

function campaignOf(row: CampaignRow): Campaign {
  const progress = progressOf(row.montant_recherche, row.montant_intentions, row.nombre_intentions);
  return {
    id: row.id,
    titre: row.titre,
    objet: row.objet,
    instrument: row.instrument,
    etat: row.etat,
    debut: row.debut,
    fin: row.fin,
    montant_recherche: row.montant_recherche,
    montant_intentions: row.montant_intentions,
    nombre_intentions: row.nombre_intentions,
    progression: progress.percent,
    structure: { type: row.structure_type, id: row.structure_id, nom: row.structure_nom },
    region: row.region,
    departement: row.departement,
    owner:
      row.structure_type === 'organisation' ? { kind: 'organisation', id: row.structure_id, siret: row.siret } : { kind: 'cooperation', id: row.structure_id },
  };
}

export async function findCampaign(db: Db, id: number): Promise<Campaign> {
  const [row] = await checkedRows(db, campaignRow, sql`${CAMPAIGN} where c.id = ${id}`);
  if (!row) throw notFound(NOT_FOUND);
  return campaignOf(row);
}

/** The public list: open and closed campaigns (drafts are their structure's), the open ones first, latest end first. */
export async function searchCampaigns(db: Db, search: CampaignSearch) {
  const where: SQL[] = [search.etat ? sql`c.etat = ${search.etat}` : sql`c.etat in ('ouverte', 'close')`];
  if (search.instrument) where.push(sql`c.instrument = ${search.instrument}`);
  if (search.region) where.push(sql`coalesce(o.region_code, co.region_code) = ${search.region}`);
  if (search.departement) where.push(sql`coalesce(o.departement_code, co.departement_code) = ${search.departement}`);
  const condition = sql.join(where, sql` and `);
  const [count] = await checkedRows(
    db,
    z.object({ total: z.number().int() }),
    sql`select count(*)::int as total from campagne c
      left join organisation o on o.id = c.organisation_id left join cooperation co on co.id = c.cooperation_id where ${condition}`,
  );
  const found = await checkedRows(
    db,
    campaignRow,
    sql`${CAMPAIGN} where ${condition} order by c.etat = 'ouverte' desc, c.fin desc, c.id desc
      limit ${search.par_page} offset ${(search.page - 1) * search.par_page}`,
  );
  return { total: count?.total ?? 0, page: search.page, par_page: search.par_page, resultats: found.map(campaignOf) };
}

/** A structure's campaigns for its page: the public ones, and its drafts for those who run it. */
export async function campaignsOfStructure(db: Db, structure: { kind: 'organisation' | 'cooperation'; id: number }, withDrafts: boolean) {
  const column = structure.kind === 'organisation' ? sql`c.organisation_id` : sql`c.cooperation_id`;
  const found = await checkedRows(
    db,
    campaignRow,
    sql`${CAMPAIGN} where ${column} = ${structure.id} ${withDrafts ? sql`` : sql`and c.etat <> 'brouillon'`} order by c.fin desc, c.id desc limit 50`,
  );
  return found.map(campaignOf);
}

/** The structures the person runs campaigns for: organisations by the SIRET of their roles, cooperations they administer. */
export async function structuresRunBy(db: Db, actor: Actor) {
  const sirets = actor.roles
    .filter((g) => (g.role === 'organisation_member' || g.role === 'organisation_admin') && g.scopeKind === 'organisation')
    .map((g) => g.scopeCode);
  const cooperations = actor.roles.filter((g) => g.role === 'cooperation_admin' && g.scopeKind === 'cooperation').map((g) => Number(g.scopeCode));
  return checkedRows(
    db,
    z.object({ type: z.enum(['organisation', 'cooperation']), id: z.number().int(), nom: z.string() }),
    sql`select 'organisation' as type, id::int as id, name as nom from organisation where siret = any(${`{${sirets.join(',')}}`}::text[])
    union all
    select 'cooperation', id::int, name from cooperation where id = any(${`{${cooperations.filter(Number.isSafeInteger).join(',')}}`}::bigint[])
    order by nom limit 200`,
  );
}

/** The structure a campaign is written for; an unknown one is refused naming its field (400, nothing written). */
export async function structureOfWrite(db: Db, write: CampaignWrite): Promise<CampaignStructure> {
  if (write.organisation_id !== undefined) {
    const [row] = await checkedRows(
      db,
      z.object({ id: z.number().int(), siret: z.string().nullable() }),
      sql`select id::int as id, siret from organisation where id = ${write.organisation_id}`,
    );
    if (!row)
      throw new RuleError('campagne.structure_inconnue', `Aucune structure n°${write.organisation_id} dans Maillage : vérifiez l’identifiant.`, {
        field: 'organisation_id',
      });
    return { kind: 'organisation', ...row };
  }
  const [row] = await checkedRows(db, z.object({ id: z.number().int() }), sql`select id::int as id from cooperation where id = ${write.cooperation_id ?? 0}`);
  if (!row)
    throw new RuleError('campagne.structure_inconnue', `Aucune coopération n°${write.cooperation_id} dans Maillage : vérifiez l’identifiant.`, {
      field: 'cooperation_id',
    });
  return { kind: 'cooperation', id: row.id };
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

export async function insertCampaign(db: Db, account: CurrentAccount, structure: CampaignStructure, write: CampaignWrite): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await checkedRows(
      tx,
      z.object({ id: z.number().int() }),
      sql`insert into campagne (organisation_id, cooperation_id, titre, objet, montant_recherche, instrument, debut, fin, created_by)
      values (${structure.kind === 'organisation' ? structure.id : null}, ${structure.kind === 'cooperation' ? structure.id : null},
        ${write.titre}, ${write.objet}, ${write.montant_recherche}, ${write.instrument}, ${write.debut}, ${write.fin}, ${account.id})
      returning id::int as id`,
    );
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'campagne.create',
      object: { kind: 'campagne', id: row!.id },
      details: { structure: `${structure.kind}:${structure.id}`, titre: write.titre, montant_recherche: write.montant_recherche, instrument: write.instrument },
    });
    return row!.id;
  });
}

/** The state of the campaign, locked until the transaction ends. */
async function lockedState(tx: Db, id: number): Promise<CampaignState> {
  const [row] = await checkedRows(tx, z.object({ etat: campaignState.schema }), sql`select etat from campagne where id = ${id} for update`);
  if (!row) throw notFound(NOT_FOUND);
  return row.etat;
}

export async function updateCampaign(db: Db, account: CurrentAccount, id: number, edit: CampaignEdit): Promise<void> {
  await db.transaction(async (tx) => {
    checkEditable(await lockedState(tx, id));
    await tx.execute(sql`update campagne set titre = ${edit.titre}, objet = ${edit.objet}, montant_recherche = ${edit.montant_recherche},
      instrument = ${edit.instrument}, debut = ${edit.debut}, fin = ${edit.fin}, updated_at = now() where id = ${id}`);
    await recordAudit(tx, { actor: actorOf(account), action: 'campagne.update', object: { kind: 'campagne', id }, details: { ...edit, objet: undefined } });
  });
}

export async function changeState(db: Db, account: CurrentAccount, id: number, to: CampaignState): Promise<void> {
  await db.transaction(async (tx) => {
    const from = await lockedState(tx, id);
    checkTransition(from, to);
    await tx.execute(sql`update campagne set etat = ${to}, updated_at = now() where id = ${id}`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: to === 'ouverte' ? 'campagne.open' : 'campagne.close',
      object: { kind: 'campagne', id },
      details: { de: from, vers: to },
    });
  });
}

/**
 * Records an intention if the campaign takes them today (checked on the locked campaign), with its audit entry
 * (the amount, never who). Answers the campaign's new total.
 */
export async function addIntention(db: Db, campaignId: number, input: IntentionInput, account: CurrentAccount | null, today: string) {
  return db.transaction(async (tx) => {
    const [campaign] = await checkedRows(
      tx,
      z.object({ etat: campaignState.schema, debut: z.string(), fin: z.string(), montant_recherche: z.number().int() }),
      sql`select etat, debut::text as debut, fin::text as fin, montant_recherche::float8 as montant_recherche from campagne where id = ${campaignId} for update`,
    );
    if (!campaign) throw notFound(NOT_FOUND);
    checkAcceptsIntentions(campaign, today);
    const [row] = await checkedRows(
      tx,
      z.object({ id: z.number().int(), total: z.number().int() }),
      sql`with added as (
        insert into campagne_intention (campagne_id, montant, nom, email, message, account_id)
        values (${campaignId}, ${input.montant}, ${input.nom}, ${input.email}, ${input.message || null}, ${account?.id ?? null}) returning id, montant)
      select added.id::int as id, (added.montant + coalesce((select sum(montant) from campagne_intention where campagne_id = ${campaignId}), 0))::float8 as total
      from added`,
    );
    await recordAudit(tx, {
      actor: account ? actorOf(account) : { id: null, displayName: 'Visiteur ou visiteuse' },
      action: 'campagne.intention',
      object: { kind: 'campagne', id: campaignId },
      details: { intention: row!.id, montant: input.montant },
    });
    return { id: row!.id, total: row!.total, sought: campaign.montant_recherche };
  });
}

/** Who pledged what: for the structure's members only. */
export async function intentionsOf(db: Db, campaignId: number): Promise<IntentionRow[]> {
  return checkedRows(
    db,
    intentionRowSchema,
    sql`select id::int as id, montant::float8 as montant, nom, email, message, to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM-DD HH24:MI') as cree_le
    from campagne_intention where campagne_id = ${campaignId} order by created_at, id`,
  );
}
