/**
 * /observatoire: public dashboards of the cooperations the Atlas lists (by model, région, stage, typology)
 * and the reference figures of the sources, as server-drawn charts beside their tables; each figure in CSV at
 * /observatoire/{figure}.csv, each line with the Atlas search that produces it.
 */
import { z } from 'zod';
import { modele } from '../../domain/cooperation.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { optionalParam } from '../../platform/params.ts';
import { csvLine } from '../../web/csv.ts';
import { sendPage } from '../../web/forms.ts';
import { FIGURE_IDS, observatoryFigures } from './figures.ts';
import { GenerationCache, searchGeneration } from '../atlas/generation-cache.ts';
import { cooperationCounts, type CooperationCounts } from './queries.ts';
import { observatoryPage } from './views.ts';

const modelQuery = z.object({ modele: optionalParam(modele.schema).describe('Seulement les coopérations de ce modèle (figure par région)') });
const figureParams = z.object({
  figure: z.enum(FIGURE_IDS, { error: `figure inconnue : les figures sont ${FIGURE_IDS.join(', ')}` }),
});

export function registerObservatory(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  // Counts kept under the Atlas search generation: any write to cooperations is seen by the very next page.
  const kept = new GenerationCache<CooperationCounts>(modele.codes.length + 1);
  const countsFor = async (model: string | undefined) => {
    const generation = await searchGeneration(db);
    const found = kept.get(generation, model ?? '');
    if (found) return found;
    const counts = await cooperationCounts(db, model);
    kept.set(generation, model ?? '', counts);
    return counts;
  };
  const figuresFor = async (model: string | undefined) => observatoryFigures(await countsFor(model), context.territories, model);

  app.get('/observatoire', { schema: { hide: true, querystring: modelQuery } }, async (request, reply) => {
    const figures = await figuresFor(request.query.modele);
    return sendPage(reply, {
      title: 'Observatoire des coopérations territoriales',
      main: observatoryPage(figures, request.query.modele),
      currentPath: '/observatoire',
    });
  });

  app.get(
    '/observatoire/:figure.csv',
    {
      schema: {
        tags: ['Observatoire', 'Export'],
        summary: 'Une figure de l’observatoire en CSV',
        description:
          'CSV UTF-8, séparateur virgule, fins de ligne CRLF. Colonnes : code, libelle, valeur, source (chiffres de référence), recherche ' +
          '(l’adresse de la recherche de l’Atlas qui produit le chiffre), dans_atlas (chiffres de référence : les coopérations de ce modèle dans l’Atlas).',
        params: figureParams,
        querystring: modelQuery,
      },
    },
    async (request, reply) => {
      const figure = (await figuresFor(request.query.modele))[request.params.figure];
      const base = context.config.BASE_URL.replace(/\/$/, '');
      const body =
        csvLine(['code', 'libelle', 'valeur', 'source', 'recherche', 'dans_atlas'], 'rfc4180') +
        figure.lines
          .map((line) => csvLine([line.code, line.label, line.value, line.source ?? '', line.href ? `${base}${line.href}` : '', line.inAtlas ?? ''], 'rfc4180'))
          .join('');
      return reply
        .type('text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="maillage-observatoire-${figure.id}.csv"`)
        .send(body);
    },
  );
}
