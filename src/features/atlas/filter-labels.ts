/** The readable label of an Atlas filter value (active-filter tags of the search page, caption of the map). */
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';

export function filterValueLabel(key: string, value: string, territories: TerritoryIndex): string {
  switch (key) {
    case 'region':
    case 'departement':
    case 'epci':
    case 'commune':
      return territories.name(key, value) ?? value;
    case 'modele':
      return modele.label(value);
    case 'stade':
      return stade.label(value);
    case 'finalite':
      return finalite.label(value);
    case 'modele_economique':
      return modeleEconomique.label(value);
    case 'secteur':
      return secteur.label(value);
    case 'forme_juridique':
      return formeJuridique.label(value);
    case 'statut_ess':
      return statutEss.label(value);
    default:
      return value;
  }
}
