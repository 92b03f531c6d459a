import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { registerCallsApi } from './api.ts';
import { registerFiles } from '../files/routes.ts';
import { registerCallsPages } from './pages.ts';
import type { CallsDeps } from './service.ts';

export async function registerCalls(app: TypedApp, context: AppContext) {
  const deps: CallsDeps = {
    db: context.database.db,
    baseUrl: context.config.BASE_URL,
    maxUploadMb: context.config.MAX_UPLOAD_MB,
    territories: context.territories,
  };
  await registerCallsApi(app, context, deps);
  await registerCallsPages(app, context, deps);
  await registerFiles(app, context, deps);
}
