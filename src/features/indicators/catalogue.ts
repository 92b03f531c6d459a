/**
 * The indicators a cooperation may report: Maillage's reference set (src/data/indicators.ts) and the custom
 * indicators of calls and networks (table indicateur), read together under one shape.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { referenceIndicators } from '../../data/indicators.ts';
import { checkedRows, type Db } from '../../db/database.ts';
import { canManageCall, holds, type Actor } from '../../domain/authorization.ts';
import { checkDefinition, typeValeur, type IndicatorDefinition, type PorteurIndicateur } from '../../domain/indicators.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';

export interface Indicator extends IndicatorDefinition {
  description: string | null;
  source: string;
  porteur: PorteurIndicateur;
  appel_id: number | null;
  reseau_id: number | null;
}

const customRow = z.object({
  code: z.string(),
  libelle: z.string(),
  type_valeur: typeValeur.schema,
  unite: z.string(),
  description: z.string().nullable(),
  appel_id: z.number().nullable(),
  reseau_id: z.number().nullable(),
  porteur_nom: z.string().nullable(),
});

const references: Indicator[] = referenceIndicators.map((r) => ({ ...r, porteur: 'reference', appel_id: null, reseau_id: null }));

async function customIndicators(db: Db, code?: string): Promise<Indicator[]> {
  const found = await checkedRows(
    db,
    customRow,
    sql`select i.code, i.libelle, i.type_valeur, i.unite, i.description, i.appel_id::int as appel_id, i.reseau_id::int as reseau_id,
      coalesce(a.title, c.name) as porteur_nom
    from indicateur i left join appel a on a.id = i.appel_id left join cooperation c on c.id = i.reseau_id
    ${code === undefined ? sql`` : sql`where i.code = ${code}`} order by i.code`,
  );
  return found.map((row) => ({
    code: row.code,
    libelle: row.libelle,
    type: row.type_valeur,
    unite: row.unite,
    description: row.description,
    source: row.appel_id ? `Indicateur de l’appel « ${row.porteur_nom} »` : `Indicateur du réseau « ${row.porteur_nom} »`,
    porteur: row.appel_id ? 'appel' : 'reseau',
    appel_id: row.appel_id,
    reseau_id: row.reseau_id,
  }));
}

/** Every indicator: the reference set first, then the custom ones by code. */
export async function allIndicators(db: Db): Promise<Indicator[]> {
  return [...references, ...(await customIndicators(db))];
}

/** The indicator of a code, or a French 404 refusal naming `field` when given (400 beside a form's input). */
export async function indicatorOf(db: Db, code: string, field?: string): Promise<Indicator> {
  const found = references.find((r) => r.code === code) ?? (await customIndicators(db, code))[0];
  if (!found)
    throw new RuleError('indicateur_inconnu', `Aucun indicateur ne porte le code « ${code} » : la liste est donnée par /api/v1/indicateurs.`, {
      kind: field ? 'invalid' : 'not_found',
      field,
    });
  return found;
}

export interface CustomDefinition extends IndicatorDefinition {
  description: string | null;
  appel_id: number | null;
  reseau_id: number | null;
}

/** Writes a custom indicator (its code free among reference and custom ones) with its audit entry. */
export async function defineIndicator(db: Db, actor: { id: number; displayName: string }, definition: CustomDefinition): Promise<Indicator> {
  await db.transaction(async (tx) => {
    // Codes are checked under a lock of the table: two definitions of one code take turns.
    await tx.execute(sql`lock table indicateur in share row exclusive mode`);
    const taken = new Set([
      ...references.map((r) => r.code),
      ...(await checkedRows(tx, z.object({ code: z.string() }), sql`select code from indicateur`)).map((r) => r.code),
    ]);
    checkDefinition(definition, taken);
    await tx.execute(sql`insert into indicateur (code, libelle, type_valeur, unite, description, appel_id, reseau_id, created_by)
      values (${definition.code}, ${definition.libelle.trim()}, ${definition.type}, ${definition.unite.trim()}, ${definition.description},
        ${definition.appel_id}, ${definition.reseau_id}, ${actor.id})`);
    await recordAudit(tx, {
      actor,
      action: 'indicateur.create',
      object: definition.appel_id ? { kind: 'appel', id: definition.appel_id } : { kind: 'cooperation', id: definition.reseau_id! },
      details: { code: definition.code },
    });
  });
  return indicatorOf(db, definition.code);
}

/** May define or edit the custom indicators of this call (its instructors) or this network (its admins). */
export function definesIndicator(actor: Actor | null, owner: { appel_id: number | null; reseau_id: number | null }): boolean {
  if (owner.appel_id !== null) return canManageCall(actor, owner.appel_id);
  return owner.reseau_id !== null && holds(actor, 'cooperation_admin', 'cooperation', String(owner.reseau_id));
}

export type DefinitionChange = Pick<CustomDefinition, 'libelle' | 'type' | 'unite' | 'description'>;

/**
 * Edits a custom indicator (its code and owner stay) with its audit entry; its kind changes only while no value
 * was entered, since the values already in were read for the old kind.
 */
export async function updateIndicator(db: Db, actor: { id: number; displayName: string }, code: string, change: DefinitionChange): Promise<Indicator> {
  const current = await indicatorOf(db, code);
  if (current.porteur === 'reference')
    throw new RuleError('indicateur_de_reference', 'Les indicateurs du jeu de référence ne se modifient pas.', { kind: 'conflict' });
  checkDefinition({ ...change, code }, new Set());
  await db.transaction(async (tx) => {
    const [row] = await checkedRows(
      tx,
      z.object({ type_valeur: typeValeur.schema, saisies: z.number() }),
      sql`select type_valeur, (select count(*)::int from indicateur_saisie where indicateur_code = ${code}) as saisies
      from indicateur where code = ${code} for update`,
    );
    if (row!.type_valeur !== change.type && row!.saisies > 0)
      throw new RuleError(
        'type_fige',
        `Des valeurs de cet indicateur sont déjà saisies (${row!.saisies}) : sa sorte de valeur ne change plus. Définissez un autre indicateur.`,
        { field: 'type', kind: 'conflict' },
      );
    await tx.execute(sql`update indicateur set libelle = ${change.libelle.trim()}, type_valeur = ${change.type}, unite = ${change.unite.trim()},
      description = ${change.description} where code = ${code}`);
    await recordAudit(tx, {
      actor,
      action: 'indicateur.update',
      object: current.appel_id ? { kind: 'appel', id: current.appel_id } : { kind: 'cooperation', id: current.reseau_id! },
      details: { code },
    });
  });
  return indicatorOf(db, code);
}
