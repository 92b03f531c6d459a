/** Circuit-court supplier search: the API, the page and the exports for a tender. */
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { fieldErrors, sendPage, type FormState } from '../../web/forms.ts';
import { registerCharter } from './charter.ts';
import { suppliersCsv, suppliersXlsx } from './exports.ts';
import { EXPORT_MAX_ROWS, findSuppliers } from './queries.ts';
import { supplierFilterSchema, supplierResponseSchema, supplierSearchSchema, type SupplierFilters } from './schemas.ts';
import { suppliersPage } from './views.ts';

const TITLE = 'Fournisseurs en circuit court';

/** The question in words, on top of an exported sheet. */
function questionText(filters: SupplierFilters): string {
  const parts = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} = ${value}`);
  return `Fournisseurs de l’ESS (Maillage) — ${parts.join(', ')}`;
}

export async function registerSuppliers(app: TypedApp, context: AppContext) {
  const { database, territories, config } = context;
  const db = database.db;
  registerCharter(app, context);
  const exportAnswer = (filters: SupplierFilters) => findSuppliers(db, territories, { ...filters, page: 1, par_page: EXPORT_MAX_ROWS });

  app.get(
    '/api/v1/fournisseurs',
    {
      schema: {
        tags: ['Circuit court'],
        summary: 'Fournisseurs de l’ESS d’une activité, autour d’une commune ou dans un territoire, classés par distance',
        description:
          'Structures de l’ESS (statut ESS de droit, société commerciale de l’ESS ou agrément ESUS) dont l’activité est le code NAF ' +
          'ou le secteur demandé, à moins de `rayon_km` du centre de la `commune` (classées de la plus proche à la plus éloignée) ' +
          'ou dans une région, un département ou un EPCI (classées par nom). Il faut une activité (`naf` ou `secteur`) et un lieu.',
        querystring: supplierSearchSchema,
        response: { 200: supplierResponseSchema },
      },
    },
    async (request) => findSuppliers(db, territories, request.query),
  );

  app.get('/fournisseurs', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const asked = Object.values(query).some((value) => value !== '' && value !== undefined);
    const parsed = supplierSearchSchema.safeParse(query);
    const state: FormState = { values: query };
    if (!asked) return sendPage(reply, { title: TITLE, main: suppliersPage(state, null, {}) });
    if (!parsed.success) return sendPage(reply, { title: TITLE, status: 400, main: suppliersPage({ ...state, errors: fieldErrors(parsed.error) }, null, {}) });
    const { page: _page, par_page: _perPage, ...filters } = parsed.data;
    try {
      const answer = await findSuppliers(db, territories, parsed.data);
      return sendPage(reply, { title: TITLE, main: suppliersPage(state, answer, filters) });
    } catch (error) {
      if (!(error instanceof RuleError) || error.kind !== 'invalid') throw error;
      const errors = [{ field: error.field ?? '', message: error.message }];
      return sendPage(reply, { title: TITLE, status: 400, main: suppliersPage({ ...state, errors }, null, filters) });
    }
  });

  app.get('/fournisseurs.csv', { schema: { hide: true, querystring: supplierFilterSchema } }, async (request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="fournisseurs-circuit-court.csv"')
      .send(suppliersCsv(await exportAnswer(request.query), config.BASE_URL)),
  );

  app.get('/fournisseurs.xlsx', { schema: { hide: true, querystring: supplierFilterSchema } }, async (request, reply) =>
    reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="fournisseurs-circuit-court.xlsx"')
      .send(await suppliersXlsx(await exportAnswer(request.query), config.BASE_URL, questionText(request.query))),
  );
}
