/**
 * What a finished request counts for, read from its route, method, status and redirect only: never its
 * parameters, its address or its session. A request may count for two kinds (the search page is a search and
 * a page view).
 */
export const USAGE_KINDS = {
  recherche: 'Recherches dans l’Atlas (pages et API)',
  recherche_dispositifs: 'Recherches de dispositifs (pages et API)',
  orientation: 'Orientations (résultats calculés)',
  candidature_commencee: 'Candidatures commencées',
  candidature_deposee: 'Candidatures déposées',
  vue_accueil: 'Pages vues : accueil',
  vue_recherche: 'Pages vues : recherche',
  vue_cooperation: 'Pages vues : fiches de coopération',
  vue_organisation: 'Pages vues : fiches de structure',
  vue_territoire: 'Pages vues : territoires',
  vue_dispositif: 'Pages vues : dispositifs',
  vue_appel: 'Pages vues : appels à projets',
  vue_orientation: 'Pages vues : orientation',
  vue_carte: 'Pages vues : carte et cartographie',
  vue_observatoire: 'Pages vues : observatoire',
  vue_donnees: 'Pages vues : données ouvertes et API',
  vue_autre: 'Pages vues : autres pages',
} as const;

export type UsageKind = keyof typeof USAGE_KINDS;

export interface FinishedRequest {
  method: string;
  /** The route as registered (« /cooperations/:id »), undefined when no route matched. */
  route: string | undefined;
  status: number;
  /** The Location of a redirect. */
  location?: string;
  /** Whether the answer is an HTML page. */
  html: boolean;
}

/** Page views by the first segment of the route; what is not listed is « autre ». */
const PAGE_SECTIONS: Record<string, UsageKind> = {
  '': 'vue_accueil',
  recherche: 'vue_recherche',
  cooperations: 'vue_cooperation',
  organisations: 'vue_organisation',
  territoires: 'vue_territoire',
  dispositifs: 'vue_dispositif',
  appels: 'vue_appel',
  orientation: 'vue_orientation',
  carte: 'vue_carte',
  cartographie: 'vue_carte',
  observatoire: 'vue_observatoire',
  donnees: 'vue_donnees',
  api: 'vue_donnees',
};

const ATLAS_SEARCHES = new Set(['/recherche', '/api/v1/organisations', '/api/v1/cooperations']);
const SCHEME_SEARCHES = new Set(['/dispositifs', '/api/v1/dispositifs']);

function actionOf({ method, route, status, location }: FinishedRequest): UsageKind | null {
  if (method === 'GET' && status === 200 && route !== undefined) {
    if (ATLAS_SEARCHES.has(route)) return 'recherche';
    if (SCHEME_SEARCHES.has(route)) return 'recherche_dispositifs';
    if (route === '/orientation/resultat') return 'orientation';
  }
  if (method !== 'POST') return null;
  if (route === '/api/v1/orientation' && status === 200) return 'orientation';
  if ((route === '/appels/:id/candidater' && status === 303) || (route === '/api/v1/appels/:id/candidatures' && status === 201)) return 'candidature_commencee';
  if (route === '/candidatures/:id' && status === 303 && location?.endsWith('/recepisse')) return 'candidature_deposee';
  if (route === '/api/v1/candidatures/:id/depot' && status === 200) return 'candidature_deposee';
  return null;
}

/** The kinds a finished request counts for (none for most: assets, errors, the API's reads of one record). */
export function usageKinds(request: FinishedRequest): UsageKind[] {
  const kinds: UsageKind[] = [];
  const action = actionOf(request);
  if (action) kinds.push(action);
  if (request.method === 'GET' && request.status === 200 && request.html && request.route !== undefined) {
    kinds.push(PAGE_SECTIONS[request.route.split('/')[1] ?? ''] ?? 'vue_autre');
  }
  return kinds;
}
