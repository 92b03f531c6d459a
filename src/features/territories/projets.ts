/**
 * Territoires de projet (Pays, PETR, PNR, bassins de vie…): perimeters that follow no administrative
 * boundary, defined as sets of communes. Any filter on one includes everything located in its communes.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { jsonRecords, type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { defineEnum } from '../../domain/enum.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { cogCode } from '../../platform/params.ts';
import { normaliseName } from './find.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';

export const kindOfProjet = defineEnum({
  pays: 'Pays',
  petr: "Pôle d'équilibre territorial et rural (PETR)",
  pnr: 'Parc naturel régional',
  bassin_de_vie: 'Bassin de vie',
  autre: 'Autre territoire de projet',
});

export const territoireProjetSchema = z.object({
  name: z.string().trim().min(2, 'le nom compte au moins 2 caractères').max(200),
  kind: kindOfProjet.schema,
  communes: z.array(cogCode.commune).default([]),
  epcis: z.array(cogCode.epci).default([]).describe('Toutes les communes de ces EPCI sont ajoutées'),
  description: z.string().trim().max(2000).optional(),
  source: z.string().trim().max(500).optional(),
});

export type TerritoireProjetInput = z.input<typeof territoireProjetSchema>;

export function slugify(name: string): string {
  return normaliseName(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** The communes of a perimeter: those given, and every commune of the EPCI given. */
export function perimeterCommunes(index: TerritoryIndex, communes: readonly string[], epcis: readonly string[]): Set<string> {
  const all = new Set(communes);
  for (const commune of index.communes.values()) {
    if (commune.epciCode && !commune.parentCode && epcis.includes(commune.epciCode)) all.add(commune.code);
  }
  return all;
}

const refused = (code: string, message: string) => new RuleError(code, message, { kind: 'invalid' });

/** Creates or replaces (same name → same slug) a territoire de projet, in one transaction. */
export async function saveTerritoireProjet(db: Db, index: TerritoryIndex, input: TerritoireProjetInput): Promise<{ slug: string; communes: number }> {
  const parsed = territoireProjetSchema.safeParse(input);
  if (!parsed.success) throw refused('projet_invalide', parsed.error.issues.map((i) => `${i.path.join('.') || 'valeur'} : ${i.message}`).join(' ; '));
  const data = parsed.data;
  const unknownCommunes = data.communes.filter((code) => !index.has('commune', code));
  if (unknownCommunes.length) throw refused('communes_inconnues', `Communes inconnues du COG : ${unknownCommunes.join(', ')}.`);
  const unknownEpcis = data.epcis.filter((code) => !index.has('epci', code));
  if (unknownEpcis.length) throw refused('epcis_inconnus', `EPCI inconnus du COG : ${unknownEpcis.join(', ')}.`);
  const communes = perimeterCommunes(index, data.communes, data.epcis);
  if (communes.size === 0) throw refused('projet_vide', 'Un territoire de projet compte au moins une commune.');
  const slug = slugify(data.name);
  await db.transaction(async (tx) => {
    const saved = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into territoire_projet (slug, name, kind, description, source)
      values (${slug}, ${data.name}, ${data.kind}, ${data.description ?? null}, ${data.source ?? null})
      on conflict (slug) do update set name = excluded.name, kind = excluded.kind, description = excluded.description, source = excluded.source
      returning id::int as id`,
    );
    await tx.execute(sql`delete from territoire_projet_commune where territoire_projet_id = ${saved!.id}`);
    await tx.execute(sql`insert into territoire_projet_commune (territoire_projet_id, commune_code)
      select ${saved!.id}, code from json_to_recordset(${jsonRecords([...communes].map((code) => ({ code })))}) as c(code text)`);
  });
  return { slug, communes: communes.size };
}
