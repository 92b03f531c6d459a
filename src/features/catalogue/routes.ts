import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerCatalogueApi } from './api.ts';
import { registerCataloguePages } from './pages.ts';

export async function registerCatalogue(app: TypedApp, context: AppContext) {
  await registerCatalogueApi(app, context);
  await registerCataloguePages(app, context);
}
