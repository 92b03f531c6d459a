/** What the indicator routes share: the cooperation a route is about, who edits it, and the reading of an entered value. */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { canEditCooperation, type Actor } from '../../domain/authorization.ts';
import { checkPeriodStarted, parsePeriod, parseValue } from '../../domain/indicators.ts';
import { RuleError, type FieldError } from '../../domain/rule-error.ts';
import { notFound } from '../../web/errors.ts';
import { InvalidForm } from '../../web/forms.ts';
import { indicatorOf } from './catalogue.ts';
import type { Entry, NewEntry } from './entries.ts';

const cooperationRow = z.object({ id: z.number(), name: z.string(), region_code: z.string().nullable() });

export async function cooperationOf(db: Db, id: number) {
  const [found] = await checkedRows(db, cooperationRow, sql`select id::int as id, name, region_code from cooperation where id = ${id}`);
  if (!found) throw notFound(`Aucune coopération ne porte l'identifiant ${id}.`);
  return found;
}

export const editsCooperation = (actor: Actor | null, c: { id: number; region_code: string | null }) =>
  canEditCooperation(actor, { id: c.id, regionCodes: c.region_code ? [c.region_code] : [] });

export const EDITORS_ONLY = 'Seules l’administration de la coopération et la modération de sa région saisissent ses indicateurs.';

/** The current year and quarter in Paris: a period is reported once it has begun. */
function parisToday(now = new Date()) {
  const [annee, mois] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(now).split('-').map(Number);
  return { annee: annee!, trimestre: Math.ceil(mois! / 3) };
}

/** Reads an entry (the API's fields or the form's), every error at once beside its field. */
export async function readEntry(db: Db, input: { indicateur: string; periode: string; valeur: string | number; commentaire?: string }): Promise<NewEntry> {
  const errors: FieldError[] = [];
  const attempt = async <T>(read: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof RuleError) || error.field === undefined) throw error;
      errors.push({ field: error.field, message: error.message });
      return undefined;
    }
  };
  const indicator = await attempt(() => indicatorOf(db, input.indicateur, 'indicateur'));
  const period = await attempt(() => {
    const read = parsePeriod(input.periode);
    checkPeriodStarted(read, parisToday());
    return read;
  });
  const valeur = indicator ? await attempt(() => parseValue(indicator, String(input.valeur))) : undefined;
  const commentaire = input.commentaire?.trim() || null;
  if (commentaire && commentaire.length > 1000) errors.push({ field: 'commentaire', message: 'Le commentaire ne peut dépasser 1 000 caractères.' });
  if (errors.length || !indicator || !period || valeur === undefined) throw new InvalidForm(errors);
  return { indicateur: indicator.code, periode: period.code, valeur, commentaire };
}

export const entryOut = (e: Entry) => ({
  id: e.id,
  cooperation_id: e.cooperation_id,
  indicateur: e.indicateur_code,
  periode: e.periode,
  valeur: e.valeur,
  commentaire: e.commentaire,
  statut: e.statut,
  motif: e.motif,
});
