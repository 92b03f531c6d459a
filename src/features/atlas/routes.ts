import type { AppContext, TypedApp } from '../../app.ts';
import { registerAtlasApi } from './api.ts';
import { registerAtlasPages } from './pages.ts';

export async function registerAtlas(app: TypedApp, context: AppContext) {
  await registerAtlasApi(app, context);
  await registerAtlasPages(app, context);
}
