import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerAtlasApi } from './api.ts';
import { registerLocalCurrencies } from './currencies/routes.ts';
import { registerAtlasPages } from './pages.ts';

export async function registerAtlas(app: TypedApp, context: AppContext) {
  await registerAtlasApi(app, context);
  await registerAtlasPages(app, context);
  await registerLocalCurrencies(app, context);
}
