import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { fieldErrors, sendPage } from '../../web/forms.ts';
import { notFound } from '../../web/errors.ts';
import { integerParam, optionalParam } from '../../platform/params.ts';
import { readRuleSet } from './rule-sets.ts';
import { registerNeedsRulesAdmin } from './rules-admin/routes.ts';
import { findTerritories } from '../territories/find.ts';
import { orientationInputSchema, orientationOutputSchema } from './schemas.ts';
import { runOrientation, type OrientationDataCache } from './service.ts';
import { inputOf, orientationForm, orientationResultPage, rulesPage } from './views.ts';

const rulesQuery = z.object({
  version: optionalParam(integerParam(1, 1_000_000, 'la version des règles est un nombre entier positif')),
});

/** The HTML form sends strings; a commune may be typed by name. */
const formQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

function firstValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export async function registerOrientation(app: TypedApp, context: AppContext, data: OrientationDataCache) {
  const { database, territories } = context;
  const db = database.db;

  app.post(
    '/api/v1/orientation',
    {
      schema: {
        tags: ['Orientation'],
        summary: 'Besoins d’une coopération et dispositifs qui y répondent',
        description:
          'Déduit les besoins du profil selon les matrices du Labo de l’ESS (001), puis les dispositifs éligibles et disponibles sur le territoire, classés et expliqués, les quasi-éligibles avec leur raison et les besoins non couverts. Rien n’est enregistré.',
        body: orientationInputSchema,
        response: { 200: orientationOutputSchema },
      },
    },
    async (request) => runOrientation(db, territories, await data.get(), request.body),
  );

  const formValues = (query: z.infer<typeof formQuery>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, firstValue(v)]));

  app.get('/orientation', { schema: { hide: true, querystring: formQuery } }, async (request, reply) =>
    sendPage(reply, { title: 'Orientation', main: orientationForm({ values: formValues(request.query) }), currentPath: '/orientation' }),
  );

  app.get('/orientation/resultat', { schema: { hide: true, querystring: formQuery } }, async (request, reply) => {
    const values = formValues(request.query);
    // A commune typed by name or postal code: the best match (the result page says which one was taken).
    let commune = values.commune;
    if (commune && !/^(\d{5}|2[AB]\d{3})$/.test(commune)) {
      commune = findTerritories(territories, commune, 5).find((match) => match.type === 'commune')?.code ?? commune;
    }
    const parsed = orientationInputSchema.safeParse({
      modele: values.modele,
      finalite: values.finalite,
      modele_economique: values.modele_economique,
      stade: values.stade,
      commune,
      formes_juridiques: values.forme_juridique ? [values.forme_juridique] : [],
      secteur: values.secteur,
      nouveaux_chantiers: values.nouveaux_chantiers === 'oui',
      agrement_esus: values.agrement_esus === 'oui',
    });
    if (!parsed.success) {
      return sendPage(reply, {
        status: 400,
        title: 'Orientation',
        main: orientationForm({ values, errors: fieldErrors(parsed.error, inputOf) }),
        currentPath: '/orientation',
      });
    }
    const result = await runOrientation(db, territories, await data.get(), parsed.data);
    return sendPage(reply, { title: 'Résultat de l’orientation', main: orientationResultPage(parsed.data, result, request.url), currentPath: '/orientation' });
  });

  // Any version, so that a result citing the version it used leads to exactly those rules.
  app.get('/orientation/regles', { schema: { hide: true, querystring: rulesQuery } }, async (request, reply) => {
    const ruleSet = await readRuleSet(db, request.query.version);
    if (!ruleSet) throw notFound(`Aucune version ${request.query.version} des règles de besoins.`);
    return sendPage(reply, { title: 'Règles de l’orientation', main: rulesPage(ruleSet.rules, ruleSet.meta), currentPath: '/orientation' });
  });

  await registerNeedsRulesAdmin(app, context, data);
}
