/**
 * GET /api/v1/dispositifs/schema-dispositif-aide.csv: the catalogue in the national open-data schema for aid
 * schemes (etalab/schema-dispositif-aide 0.0.1), with the filters of GET /api/v1/dispositifs; RFC 4180 CSV
 * (comma, CRLF, UTF-8 without BOM), one row per scheme, columns in the schema's order.
 */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { csvLine } from '../../web/csv.ts';
import { dispositifFilterSchema } from '../catalogue/schemas.ts';
import { dispositifWhere } from '../catalogue/search.ts';
import { resolveFilters } from '../atlas/search.ts';
import { SCHEMA_FIELDS, SCHEMA_NAME, SCHEMA_VERSION, toSchemaRow } from './mapping.ts';
import { interopSchemes } from './records.ts';
import { territoryNames } from './territories.ts';

export const SCHEMA_EXPORT_PATH = `/api/v1/dispositifs/${SCHEMA_NAME}.csv`;

export async function registerCatalogueInterop(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;
  app.get(
    SCHEMA_EXPORT_PATH,
    {
      schema: {
        tags: ['Catalogue', 'Export'],
        summary: 'Exporter les dispositifs au schéma national des dispositifs d’aide (CSV)',
        description:
          `Fichier CSV (RFC 4180, UTF-8) conforme aux colonnes du schéma etalab/${SCHEMA_NAME} version ${SCHEMA_VERSION} ` +
          '(schema.data.gouv.fr), une ligne par dispositif ; mêmes filtres que GET /api/v1/dispositifs, sans pagination. ' +
          'Les colonnes que le catalogue ne renseigne pas restent vides. La colonne condition_eligibilite se termine par un bloc ' +
          '« Données Maillage » (JSON : sortes d’accompagnement et de financement, stades, modèles, couverture, source…) que ' +
          '`maillage import dispositifs-aide` relit, pour que l’aller-retour ne change rien. Licence Ouverte Etalab 2.0.',
        querystring: dispositifFilterSchema,
      },
    },
    async (request, reply) => {
      await resolveFilters(db, territories, request.query); // unknown COG codes → 400
      const schemes = await interopSchemes(db, dispositifWhere(territories, request.query));
      const names = territoryNames(territories);
      const body = csvLine(SCHEMA_FIELDS, 'rfc4180') + schemes.map((scheme) => csvLine(Object.values(toSchemaRow(scheme, names)), 'rfc4180')).join('');
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="maillage-dispositifs-aide-${stamp}.csv"`)
        .send(body);
    },
  );
}
