/**
 * Validation of entered values by a moderator of the cooperation's région or, for a call's indicator or a value
 * reported against a call's due date, the call's instructors: the queue page, its decision form, and the API.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isInstructor, isModerator } from '../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, requireRule } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { firstValue, formBody, type FormBody } from '../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { allIndicators } from './catalogue.ts';
import { decide, entriesToValidate } from './entries.ts';
import { entryOut } from './routes-kit.ts';
import { decisionBodySchema, entrySchema } from './schemas.ts';
import { validationPage, VALIDATION_PATH } from './views.ts';

export function registerValidation(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const validators = requireRule((actor) => isModerator(actor) || isInstructor(actor), 'Cette page est réservée à la modération et aux équipes d’instruction.');
  const showQueue = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => {
    const [entries, indicators] = await Promise.all([entriesToValidate(db, accountOf(request)), allIndicators(db)]);
    return sendPage(reply, {
      status,
      title: 'Indicateurs à valider',
      main: validationPage({ request, entries, indicators, state }),
      currentPath: VALIDATION_PATH,
    });
  };

  app.get(
    VALIDATION_PATH,
    { schema: { hide: true, querystring: z.object({ decide: z.string().optional() }) }, preHandler: validators },
    async (request, reply) => showQueue(request, reply, 200, request.query.decide ? { notice: 'Votre décision est enregistrée.' } : {}),
  );

  app.post(
    '/indicateurs/saisies/:id/decision',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: validators },
    async (request, reply) => {
      const body = request.body as FormBody;
      const choice = firstValue(body.decision);
      return submitForm({
        reply,
        form: `saisie-${request.params.id}`,
        values: body,
        act: async () => {
          if (choice !== 'valider' && choice !== 'refuser') throw new InvalidForm([{ field: 'decision', message: 'Choisissez « Valider » ou « Refuser ».' }]);
          return decide(db, accountOf(request), request.params.id, { valider: choice === 'valider', motif: firstValue(body.motif) });
        },
        redirect: () => `${VALIDATION_PATH}?decide=ok`,
        render: (status, state) => showQueue(request, reply, status, state),
      });
    },
  );

  app.post(
    '/api/v1/indicateurs/saisies/:id/decision',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Valider ou refuser une valeur saisie — en-tête x-csrf-token',
        description:
          'Par la modération de la région de la coopération ou, pour un indicateur d’appel ou une valeur remise à une échéance de rapport, ' +
          'l’équipe d’instruction de l’appel. Un refus dit son motif ; une valeur déjà décidée : 409.',
        params: idParams,
        body: decisionBodySchema,
        response: { 200: entrySchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: validators,
    },
    async (request) =>
      entryOut(await decide(db, accountOf(request), request.params.id, { valider: request.body.decision === 'valider', motif: request.body.motif ?? '' })),
  );
}
