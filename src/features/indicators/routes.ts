/**
 * Indicators, registered side by side: the API (api-routes.ts), a cooperation's page of values
 * (page-routes.ts), the validation queue and decisions (validation-routes.ts), the custom indicators' pages
 * (definition-routes.ts) and the reports against a funding agreement's due dates (reporting-routes.ts).
 */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerIndicatorApi } from './api-routes.ts';
import { registerDefinitionPages } from './definition-routes.ts';
import { registerEntryPages } from './page-routes.ts';
import { registerReporting } from './reporting-routes.ts';
import { registerValidation } from './validation-routes.ts';

export async function registerIndicators(app: TypedApp, context: AppContext) {
  registerIndicatorApi(app, context);
  registerEntryPages(app, context);
  registerValidation(app, context);
  registerDefinitionPages(app, context);
  registerReporting(app, context);
}
