/** What the knowledge base lends to the pages of cooperations and dispositifs (plugged in by app.ts): the resources linked to them. */
import type { PageSection } from '../../platform/page-widgets.ts';
import { linkedResources, type ResourceLink } from './queries.ts';
import { linkedResourcesSection } from './views.ts';

/** The latest ones shown on the page; the link leads to all of them. */
const SHOWN = 5;

function resourcesOf(kind: ResourceLink['kind']): PageSection {
  return async ({ database, territories }, _request, id) => {
    const link = { kind, id };
    return linkedResourcesSection(link, await linkedResources(database.db, territories, link, SHOWN));
  };
}

export const cooperationResources = resourcesOf('cooperation');
export const dispositifResources = resourcesOf('dispositif');
