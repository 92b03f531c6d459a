/**
 * Checks that a well-written scope code names something Maillage knows: a région of the COG, an organisation
 * of the Atlas, a cooperation, a scheme provider of the catalogue (returned as the catalogue spells it, since
 * the authorization rules compare names exactly), a call for proposals.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedFirstRow } from '../../db/database.ts';
import type { GrantScopeKind } from '../../domain/grants.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { z } from 'zod';

export type KnownScope = { ok: true; code: string } | { ok: false; message: string };

async function exists(db: Db, query: ReturnType<typeof sql>): Promise<boolean> {
  return (await firstRow(db, query)) !== undefined;
}

const nameRow = z.object({ name: z.string() });

export async function knownScope(db: Db, territories: TerritoryIndex, kind: GrantScopeKind, code: string): Promise<KnownScope> {
  const found = (ok: boolean, message: string): KnownScope => (ok ? { ok: true, code } : { ok: false, message });
  switch (kind) {
    case 'platform':
      return { ok: true, code };
    case 'region':
      return found(territories.has('region', code), `Aucune région ne porte le code ${code} dans le Code officiel géographique.`);
    case 'organisation':
      return found(
        await exists(db, sql`select 1 from organisation where siret = ${code}`),
        `Aucune structure de l’Atlas n’a le SIRET ${code}. Elle doit d’abord y figurer (import ou contribution).`,
      );
    case 'cooperation':
      return found(await exists(db, sql`select 1 from cooperation where id = ${Number(code)}`), `Aucune coopération ne porte le numéro ${code}.`);
    case 'appel':
      return found(await exists(db, sql`select 1 from appel where id = ${Number(code)}`), `Aucun appel à projets ne porte le numéro ${code}.`);
    case 'dispositif': {
      const provider = await checkedFirstRow(
        db,
        nameRow,
        sql`select name from dispositif_porteur
        where lower(name) = lower(${code}) order by name limit 1`,
      );
      return provider ? { ok: true, code: provider.name } : { ok: false, message: `Aucun dispositif du catalogue n’a pour porteur « ${code} ».` };
    }
  }
}
