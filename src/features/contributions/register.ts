import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerModeration } from './moderation/routes.ts';
import { registerContributionApi } from './api.ts';
import { registerContributionPages } from './routes.ts';

/** Contributions (proposals, edits, history pages and API, reports, claims) and their moderation, which go together. */
export async function registerContributions(app: TypedApp, context: AppContext) {
  await registerContributionPages(app, context);
  await registerContributionApi(app, context);
  await registerModeration(app, context);
}
