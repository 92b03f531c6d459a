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
import { INDICATOR_CODE } from '../../domain/indicators.ts';
import { FIGURE_IDS, indicatorFigure, observatoryFigures } from './figures.ts';
import { GenerationCache, searchGeneration } from '../atlas/generation-cache.ts';
import { cooperationCounts, type CooperationCounts } from './queries.ts';
import { observatoryPage } from './views.ts';

const modelQuery = z.object({
  modele: optionalParam(modele.schema).describe('Seulement les coopérations de ce modèle (figure par région)'),
  indicateur: optionalParam(z.string().regex(INDICATOR_CODE, 'code d’indicateur invalide : des minuscules, chiffres et « _ »'))
    .default('etp')
    .describe('L’indicateur dont les agrégats sont montrés'),
});
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
    const indicator = { code: request.query.indicateur, figure: await indicatorFigure(db, context.territories, request.query.indicateur) };
    return sendPage(reply, {
      title: 'Observatoire des coopérations territoriales',
      main: observatoryPage(figures, request.query.modele, indicator),
      currentPath: '/observatoire',
    });
  });

  app.get(
    '/observatoire/:figure.csv',
    {
      // A download beside the page (its errors are pages too): listed on the page, not in the API's document.
      schema: {
        hide: true,
        params: figureParams,
        querystring: modelQuery,
      },
    },
    async (request, reply) => {
      const { figure: id } = request.params;
      const figure =
        id === 'indicateur' ? await indicatorFigure(db, context.territories, request.query.indicateur) : (await figuresFor(request.query.modele))[id];
      const base = context.config.BASE_URL.replace(/\/$/, '');
      // Columns: the line's code and label, its value, the source of a reference figure, the Atlas search that
      // produces it (absolute address), and for a reference figure how many cooperations of its model the Atlas lists.
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
