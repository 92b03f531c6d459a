/**
 * The versions of the needs rules, as the database keeps them: read one (the active one for orientation, any
 * other for the pages that show it), list them, and save the next one. A save writes a whole new version and
 * makes it the active one, in one transaction with its audit entry; older versions are never changed.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, jsonRecords, type Db } from '../../db/database.ts';
import { finalite, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { changedRules, reviseRules, type NeedRule, type RuleRevision } from '../../domain/needs.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';

const needRuleRow = z.object({
  code: z.string(),
  type: z.enum(['accompagnement', 'financement']),
  libelle: z.string(),
  matrice: z.enum(['emergence', 'creation_consolidation_changement_echelle']),
  ligne: z.string(),
  condition: z.object({
    stades: z.array(stade.schema),
    modelisee: z.boolean().optional(),
    finalite: finalite.schema.optional(),
    modele_economique: modeleEconomique.schema.optional(),
    nouveaux_chantiers: z.boolean().optional(),
  }),
  couvert_par: z.object({ accompagnement: z.array(typeAccompagnement.schema), financement: z.array(typeFinancement.schema) }),
});

const versionRow = z.object({
  version: z.number().int(),
  source: z.string(),
  motif: z.string().nullable(),
  active: z.boolean(),
  created_at: column.instant,
  auteur: z.string().nullable(),
  regles: z.number().int(),
});
export type RuleSetVersion = z.infer<typeof versionRow>;

const versionColumns = sql`v.version, v.source, v.motif, v.active, v.created_at, a.display_name as auteur,
  (select count(*)::int from regle_besoin r where r.version = v.version) as regles
  from regle_besoin_version v left join account a on a.id = v.auteur_id`;

/** Every version, the latest first. */
export function listRuleSets(db: Db): Promise<RuleSetVersion[]> {
  return checkedRows(db, versionRow, sql`select ${versionColumns} order by v.version desc`);
}

/** One version and its rules in their order (the active one by default); undefined when there is no such version. */
export async function readRuleSet(db: Db, version?: number): Promise<{ meta: RuleSetVersion; rules: NeedRule[] } | undefined> {
  const [meta] = await checkedRows(db, versionRow, sql`select ${versionColumns} where ${version === undefined ? sql`v.active` : sql`v.version = ${version}`}`);
  if (!meta) return undefined;
  const rules = await checkedRows(
    db,
    needRuleRow,
    sql`select code, type, libelle, matrice, ligne, condition, couvert_par from regle_besoin where version = ${meta.version} order by position`,
  );
  return { meta, rules };
}

export interface RuleSetEdit {
  /** The version the form was opened on: saving over a newer one would undo its changes. */
  base: number;
  motif: string;
  revisions: Record<string, RuleRevision>;
}

/** Saves the next version of the rules and makes it active; returns its number. */
export async function saveRuleSet(db: Db, actor: { id: number; displayName: string }, edit: RuleSetEdit): Promise<number> {
  return db.transaction(async (tx) => {
    // One writer at a time, so that two saves cannot both take the same next number or the same base.
    await tx.execute(sql`lock table regle_besoin_version in share row exclusive mode`);
    const current = await readRuleSet(tx);
    if (!current) throw new Error('Aucune version active des règles de besoins.');
    if (current.meta.version !== edit.base) {
      throw new RuleError(
        'regles_modifiees',
        `Les règles ont changé depuis l’ouverture de cette page : la version ${current.meta.version} est désormais active. Rouvrez la page de modification et refaites vos changements.`,
        { kind: 'conflict' },
      );
    }
    const rules = reviseRules(current.rules, edit.revisions);
    const [next] = await checkedRows(tx, z.object({ version: z.number().int() }), sql`select max(version)::int + 1 as version from regle_besoin_version`);
    const version = next!.version;
    await tx.execute(sql`update regle_besoin_version set active = false where active`);
    await tx.execute(sql`insert into regle_besoin_version (version, source, active, auteur_id, motif)
      values (${version}, ${current.meta.source}, true, ${actor.id}, ${edit.motif})`);
    await tx.execute(sql`insert into regle_besoin (version, code, position, type, libelle, matrice, ligne, condition, couvert_par)
      select ${version}, code, position, type, libelle, matrice, ligne, condition, couvert_par
      from json_to_recordset(${jsonRecords(rules.map((rule, position) => ({ ...rule, position })))})
        as r(code text, position int, type text, libelle text, matrice text, ligne text, condition jsonb, couvert_par jsonb)`);
    await recordAudit(tx, {
      actor,
      action: 'regles_besoins.version',
      object: { kind: 'regles_besoins', id: version },
      details: { depuis: edit.base, regles_modifiees: changedRules(current.rules, rules) },
    });
    return version;
  });
}
