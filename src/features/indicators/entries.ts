/**
 * Values of indicators entered by a cooperation's admins, and their validation. Who validates an entry: the
 * instructors of the call whose indicator it is; for any other indicator, the moderators of the cooperation's
 * région (platform admins everywhere); a value reported against a due date of a call's funding agreement, the
 * instructors of that call as well. Each write is one transaction with its audit entry.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, textArray, type Db } from '../../db/database.ts';
import { holds, moderatedRegions, moderatesAny, type Actor } from '../../domain/authorization.ts';
import { decideEntry, statutSaisie } from '../../domain/indicators.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/http/guards.ts';

const entryRow = z.object({
  id: z.number(),
  cooperation_id: z.number(),
  cooperation: z.string(),
  region_code: z.string().nullable(),
  indicateur_code: z.string(),
  appel_id: z.number().nullable(),
  /** The reporting due date the value answers, and the call of its agreement. */
  rapport_id: z.number().nullable(),
  rapport_appel_id: z.number().nullable(),
  periode: z.string(),
  valeur: z.coerce.number(),
  commentaire: z.string().nullable(),
  statut: statutSaisie.schema,
  motif: z.string().nullable(),
  saisi_at: column.instant,
});
export type Entry = z.infer<typeof entryRow>;

const entryColumns = sql`s.id::int as id, s.cooperation_id::int as cooperation_id, c.name as cooperation, c.region_code,
  s.indicateur_code, i.appel_id::int as appel_id, s.rapport_id::int as rapport_id, ca.appel_id::int as rapport_appel_id,
  s.periode, s.valeur, s.commentaire, s.statut, s.motif, s.saisi_at`;
const entryFrom = sql`indicateur_saisie s join cooperation c on c.id = s.cooperation_id left join indicateur i on i.code = s.indicateur_code
  left join rapport_echeance r on r.id = s.rapport_id left join convention cv on cv.id = r.convention_id left join candidature ca on ca.id = cv.candidature_id`;

/**
 * May validate this entry: the instructors of its indicator's call, else the moderators of its cooperation's
 * région; and the instructors of the call whose due date it was reported against.
 */
export function canValidate(actor: Actor | null, entry: { appel_id: number | null; region_code: string | null; rapport_appel_id: number | null }): boolean {
  if (entry.rapport_appel_id !== null && holds(actor, 'instructor', 'appel', String(entry.rapport_appel_id))) return true;
  if (entry.appel_id !== null) return holds(actor, 'instructor', 'appel', String(entry.appel_id));
  return moderatesAny(actor, entry.region_code ? [entry.region_code] : []);
}

export interface NewEntry {
  indicateur: string;
  periode: string;
  valeur: number;
  commentaire: string | null;
  /** The due date it is reported against, if any (kept when the value is entered again without one). */
  rapport?: number;
}

/** Writes (or replaces) one value inside the caller's transaction, with its audit entry; it awaits validation again. */
export async function writeEntry(tx: Db, actor: { id: number; displayName: string }, cooperationId: number, entry: NewEntry): Promise<Entry> {
  const [saved] = await checkedRows(
    tx,
    z.object({ id: z.number() }),
    sql`insert into indicateur_saisie (cooperation_id, indicateur_code, periode, valeur, commentaire, saisi_par, rapport_id)
    values (${cooperationId}, ${entry.indicateur}, ${entry.periode}, ${entry.valeur}, ${entry.commentaire}, ${actor.id}, ${entry.rapport ?? null})
    on conflict (cooperation_id, indicateur_code, periode) do update set valeur = excluded.valeur, commentaire = excluded.commentaire,
      statut = 'soumise', motif = null, saisi_par = excluded.saisi_par, saisi_at = now(), decide_par = null, decide_at = null,
      rapport_id = coalesce(excluded.rapport_id, indicateur_saisie.rapport_id)
    returning id::int as id`,
  );
  await recordAudit(tx, {
    actor,
    action: 'indicateur.saisie',
    object: { kind: 'cooperation', id: cooperationId },
    details: { indicateur: entry.indicateur, periode: entry.periode, ...(entry.rapport ? { rapport: entry.rapport } : {}) },
  });
  const [row] = await checkedRows(tx, entryRow, sql`select ${entryColumns} from ${entryFrom} where s.id = ${saved!.id}`);
  return row!;
}

/** Writes (or replaces) the value of an indicator for a period, in its own transaction. Returns the entry. */
export async function saveEntry(db: Db, actor: { id: number; displayName: string }, cooperationId: number, entry: NewEntry): Promise<Entry> {
  return db.transaction((tx) => writeEntry(tx, actor, cooperationId, entry));
}

/** The entries of a cooperation, newest period first; only the validated ones unless `all`. */
export function cooperationEntries(db: Db, cooperationId: number, all: boolean): Promise<Entry[]> {
  return checkedRows(
    db,
    entryRow,
    sql`select ${entryColumns} from ${entryFrom}
    where s.cooperation_id = ${cooperationId} ${all ? sql`` : sql`and s.statut = 'validee'`}
    order by s.periode desc, s.indicateur_code`,
  );
}

/** The entries awaiting validation that this person may decide, oldest first (at most 200). */
export async function entriesToValidate(db: Db, actor: Actor): Promise<Entry[]> {
  const regions = moderatedRegions(actor);
  const calls = actor.roles.filter((g) => g.role === 'instructor' && g.scopeKind === 'appel').map((g) => g.scopeCode);
  const byRegion = regions === 'all' ? sql`true` : sql`(i.appel_id is null and c.region_code = any(${textArray(regions)}))`;
  return checkedRows(
    db,
    entryRow,
    sql`select ${entryColumns} from ${entryFrom}
    where s.statut = 'soumise' and (${byRegion} or i.appel_id::text = any(${textArray(calls)}) or ca.appel_id::text = any(${textArray(calls)}))
    order by s.saisi_at limit 200`,
  );
}

/** Validates or refuses an entry awaiting validation (checked under a lock of its row); returns it decided. */
export async function decide(db: Db, actor: Actor & { displayName: string }, entryId: number, decision: { valider: boolean; motif: string }): Promise<Entry> {
  return db.transaction(async (tx) => {
    const [entry] = await checkedRows(tx, entryRow, sql`select ${entryColumns} from ${entryFrom} where s.id = ${entryId} for update of s`);
    if (!entry) throw new RuleError('saisie_inconnue', `Aucune valeur saisie ne porte l’identifiant ${entryId}.`, { kind: 'not_found' });
    if (!canValidate(actor, entry))
      throw forbidden('Seules la modération de la région de la coopération et, pour un indicateur d’appel, l’équipe d’instruction valident cette valeur.');
    const decided = decideEntry(entry.statut, decision);
    await tx.execute(sql`update indicateur_saisie set statut = ${decided.statut}, motif = ${decided.motif}, decide_par = ${actor.id}, decide_at = now()
      where id = ${entryId}`);
    await recordAudit(tx, {
      actor,
      action: decided.statut === 'validee' ? 'indicateur.validate' : 'indicateur.refuse',
      object: { kind: 'cooperation', id: entry.cooperation_id },
      details: { saisie: entryId, indicateur: entry.indicateur_code, periode: entry.periode },
    });
    return { ...entry, statut: decided.statut, motif: decided.motif };
  });
}
