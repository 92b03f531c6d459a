/** Checks shared by the imports, each giving the French reason written in the rejection report. */
import { sql } from 'drizzle-orm';
import { isValidSiret } from '../../domain/siret.ts';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';

/** Why a SIRET cannot be imported, or null when it is valid. */
export function siretProblem(siret: string): string | null {
  if (!/^\d{14}$/.test(siret)) return siret ? `SIRET invalide : 14 chiffres attendus (${siret})` : 'SIRET absent';
  return isValidSiret(siret) ? null : 'SIRET invalide (clé de contrôle)';
}

/** Why a commune code cannot be used, or null when the COG knows it. */
export function communeProblem(code: string, communes: ReadonlyMap<string, string>): string | null {
  if (!code) return 'commune absente';
  return communes.has(code) ? null : `commune inconnue du COG : ${code}`;
}

/** Names longer than this do not fit the organisation table. */
export const MAX_NAME_LENGTH = 300;

const communeRow = z.object({ code: z.string(), departement_code: z.string() });

/** Département of every commune of the COG, by code: validates commune codes and picks the projection. */
export async function loadCommuneDepartements(db: Db): Promise<Map<string, string>> {
  const list = await checkedRows(db, communeRow, sql`select code, departement_code from commune`);
  return new Map(list.map((c) => [c.code, c.departement_code]));
}
