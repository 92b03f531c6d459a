/** One page of an embed's records, through the Atlas's own search (same filters, same order). */
import { modele, stade } from '../../../domain/cooperation.ts';
import { statutEss } from '../../../domain/organisation.ts';
import { secteur } from '../../../domain/sector.ts';
import type { Db } from '../../../db/database.ts';
import { atlasEntities, type AtlasKind } from '../entities.ts';
import { communeRef, cooperationColumns, cooperationRow, organisationColumns, organisationRow, type CooperationRow, type OrganisationRow } from '../records.ts';
import type { AtlasSearch } from '../schemas.ts';
import { resolveFilters, searchAtlas } from '../search.ts';
import type { SearchSummary } from '../views.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';

export async function embedResults(db: Db, territories: TerritoryIndex, kind: AtlasKind, search: AtlasSearch) {
  const resolved = { ...search, ...(await resolveFilters(db, territories, search)) };
  if (kind === 'organisations') {
    const found = await searchAtlas<OrganisationRow>(db, atlasEntities.organisations, resolved, territories, organisationColumns, organisationRow);
    const results: SearchSummary[] = found.rows.map((row) => ({
      id: row.id,
      nom: row.name,
      exemple: row.is_example,
      commune: communeRef(territories, row.commune_code),
      details: [row.statut_ess ? statutEss.label(row.statut_ess) : '', row.secteur ? secteur.label(row.secteur) : ''],
    }));
    return { ...found, results };
  }
  const found = await searchAtlas<CooperationRow>(db, atlasEntities.cooperations, resolved, territories, cooperationColumns, cooperationRow);
  const results: SearchSummary[] = found.rows.map((row) => ({
    id: row.id,
    nom: row.name,
    exemple: row.is_example,
    commune: communeRef(territories, row.commune_code),
    details: [modele.label(row.modele), row.stade ? stade.label(row.stade) : '', row.territory_label ?? ''],
  }));
  return { ...found, results };
}
