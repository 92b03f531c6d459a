/** The treasury's routes, each group registering itself on what they share (deps.ts). */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { OrientationDataCache } from '../orientation/service.ts';
import { registerPlansApi, registerSimulationApi } from './api.ts';
import { treasuryDeps } from './deps.ts';
import { registerPlanForms, registerPlanPages, registerSimulationPage } from './pages.ts';

export async function registerTreasury(app: TypedApp, context: AppContext, orientationData: OrientationDataCache) {
  const deps = treasuryDeps(context, orientationData);
  registerSimulationApi(app, deps);
  registerPlansApi(app, deps);
  registerPlanPages(app, deps);
  registerPlanForms(app, deps);
  registerSimulationPage(app, deps);
}
