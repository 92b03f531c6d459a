/**
 * Reporting against a funding agreement's due dates: the API (GET the due dates, POST the values of one) and the
 * page of the funded cooperation's admins. Reading: the reporters and the call's instructors; writing: the
 * reporters, with the CSRF token (header x-csrf-token for the API).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams, integerParam } from '../../platform/params.ts';
import { firstValue, formBody, type FormBody } from '../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { readsFundingReports, reportsOnFunding } from '../../domain/authorization.ts';
import { dueDateOut, dueDates, fundedApplication, openToEntryCodes, reportAgainst, type FundedApplication } from './reporting.ts';
import { reportsPage, valueField } from './reporting-views.ts';
import { dueDateSchema, dueDatesSchema, reportedValuesSchema } from './schemas.ts';

const READERS_ONLY = 'Les rapports de cette convention sont réservés à l’administration de la coopération financée et à l’équipe d’instruction de l’appel.';
const REPORTERS_ONLY = 'Seule l’administration de la coopération financée remet les valeurs de ses rapports.';
const rapportParams = idParams.extend({ rapport: integerParam(1, Number.MAX_SAFE_INTEGER, 'le rapport est un nombre entier positif') });

export function registerReporting(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const readable = async (request: FastifyRequest, id: number) => {
    const c = await fundedApplication(db, id);
    ensure(readsFundingReports(accountOf(request), c), READERS_ONLY);
    return c;
  };
  const reportable = async (request: FastifyRequest, id: number) => {
    const c = await readable(request, id);
    ensure(reportsOnFunding(accountOf(request), c), REPORTERS_ONLY);
    return c;
  };
  const out = (c: FundedApplication) => ({
    candidature: { id: c.id, titre: c.titre, appel: { id: c.appel_id, titre: c.appel_titre } },
    cooperation: c.cooperation_id === null ? null : { id: c.cooperation_id, nom: c.cooperation! },
  });

  app.get(
    '/api/v1/candidatures/:id/rapports',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Les échéances de rapport d’une convention de financement, leurs indicateurs attendus et ce qui est remis',
        description: 'Pour l’administration de la coopération financée et l’équipe d’instruction de l’appel. Candidature sans convention : 404.',
        params: idParams,
        response: { 200: dueDatesSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireAccount,
    },
    async (request) => {
      const c = await readable(request, request.params.id);
      return { ...out(c), rapports: (await dueDates(db, c)).map(dueDateOut) };
    },
  );

  app.post(
    '/api/v1/candidatures/:id/rapports/:rapport/saisies',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Remettre les valeurs des indicateurs attendus par une échéance de rapport — en-tête x-csrf-token',
        description:
          'Par l’administration de la coopération financée, pour la période de l’échéance ; toutes les valeurs ou aucune. Valeur de la mauvaise ' +
          'sorte, indicateur inconnu ou non attendu : 400 nommant le champ (valeurs.N.valeur, valeurs.N.indicateur) ; rapport validé : 409.',
        params: rapportParams,
        body: reportedValuesSchema,
        response: { 201: dueDateSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const c = await reportable(request, request.params.id);
      const due = await reportAgainst(db, accountOf(request), c, request.params.rapport, request.body.valeurs);
      return reply.status(201).send(dueDateOut(due));
    },
  );

  const showReports = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const c = await readable(request, id);
    const main = reportsPage(request, c, await dueDates(db, c), reportsOnFunding(accountOf(request), c), state);
    return sendPage(reply, { status, title: `Rapports de financement — ${c.titre}`, main, currentPath: '/candidatures' });
  };

  app.get(
    '/candidatures/:id/rapports',
    { schema: { hide: true, params: idParams, querystring: z.object({ remis: z.string().optional() }) }, preHandler: requireAccount },
    async (request, reply) =>
      showReports(request, reply, request.params.id, 200, request.query.remis ? { notice: 'Les valeurs sont remises : elles attendent leur validation.' } : {}),
  );

  app.post(
    '/candidatures/:id/rapports/:rapport',
    { schema: { hide: true, params: rapportParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { id, rapport } = request.params;
      const c = await reportable(request, id);
      const body = request.body as FormBody;
      const codes = await openToEntryCodes(db, c, rapport);
      const values = codes.map((code) => ({ indicateur: code, valeur: firstValue(body[valueField(code)]).trim() })).filter((v) => v.valeur !== '');
      return submitForm({
        reply,
        form: `rapport-${rapport}`,
        values: body,
        act: async () => {
          if (!values.length && codes.length) throw new InvalidForm([{ field: valueField(codes[0]!), message: 'Indiquez au moins une valeur.' }]);
          return reportAgainst(db, accountOf(request), c, rapport, values, (i, name) => (name === 'valeur' ? valueField(values[i]!.indicateur) : name));
        },
        redirect: () => `/candidatures/${id}/rapports?remis=ok`,
        render: (status, state) => showReports(request, reply, id, status, state),
      });
    },
  );
}
