/** Where an alert's whole search is shown: the page its parameters came from (a path with its query). */
import type { AlertKind } from '../../domain/alert.ts';
import { searchPageUrl } from '../atlas/urls.ts';
import { savedQueryString } from './schemas.ts';

export function searchPathOf(kind: AlertKind, query: Record<string, unknown>): string {
  switch (kind) {
    case 'recherche_cooperations':
      return searchPageUrl('cooperations', query);
    case 'recherche_organisations':
      return searchPageUrl('organisations', query);
    case 'recherche_dispositifs':
      return `/dispositifs?${savedQueryString(query)}`;
    case 'recherche_appels':
      return `/appels?${savedQueryString(query)}`;
    // The result page reads the form's fields: one legal form, yes/no as « oui »; it needs a commune.
    case 'profil_orientation': {
      const { formes_juridiques: forms, nouveaux_chantiers: chantiers, agrement_esus: esus, ...rest } = query;
      const form = {
        ...rest,
        forme_juridique: Array.isArray(forms) ? forms[0] : undefined,
        nouveaux_chantiers: chantiers ? 'oui' : undefined,
        agrement_esus: esus ? 'oui' : undefined,
      };
      return `${rest.commune ? '/orientation/resultat' : '/orientation'}?${savedQueryString(form)}`;
    }
  }
}
