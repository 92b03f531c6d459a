/** Publishing an offer or a request: in a known commune, for a structure the person belongs to when one is named. */
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { belongsToOrganisation } from '../../domain/authorization.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensure } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { insertEntry, structureSiret } from './queries.ts';
import type { newEntrySchema } from './schemas.ts';

export async function publishEntry(db: Db, territories: TerritoryIndex, account: CurrentAccount, entry: z.output<typeof newEntrySchema>): Promise<number> {
  if (!territories.communes.has(entry.commune))
    throw new RuleError('mutualisation.commune_inconnue', `Commune inconnue du COG : ${entry.commune}. Indiquez son code INSEE, ex. 26281.`, {
      field: 'commune',
    });
  if (entry.structure !== undefined) {
    const siret = await structureSiret(db, entry.structure);
    if (siret === undefined) throw new RuleError('mutualisation.structure_inconnue', 'Cette structure n’existe pas.', { field: 'structure' });
    ensure(siret !== null && belongsToOrganisation(account, siret), 'Publiez au nom d’une structure dont vous êtes membre ou administrateur.');
  }
  return db.transaction(async (tx) => {
    const id = await insertEntry(tx, account.id, entry);
    await recordAudit(tx, {
      actor: account,
      action: 'mutualisation.publish',
      object: { kind: 'mutualisation', id },
      details: { sens: entry.sens, categorie: entry.categorie, titre: entry.titre, structure: entry.structure ?? null },
    });
    return id;
  });
}
