/**
 * The funding follow-up of a laureate: agreement, tranches, payments and reports, and the indicators each
 * reporting due date expects (form and API: PUT /api/v1/candidatures/{id}/rapports/{rapport}/indicateurs).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { etatAttendu } from '../../../domain/report-indicators.ts';
import { problemSchema } from '../../../platform/http/known-parameters.ts';
import { readForm, type FormValues } from '../../../web/forms.ts';
import { firstValue, type FormBody } from '../../../web/form-body.ts';
import type { TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf } from '../../../platform/http/guards.ts';
import { idParams, integerParam } from '../../../platform/params.ts';
import { accessOf, type ApplicationAccess } from './access.ts';
import {
  addReport,
  addTranche,
  createAgreement,
  fundingOf,
  nameReportIndicators,
  recordPayment,
  reportableIndicators,
  updateReport,
  updateTranche,
} from './funding.ts';
import { noticeOf, noticeQuery, type InstructionKit, type Render } from './routes-kit.ts';
import { conventionForm, paymentForm, reportForm, reportUpdateForm, trancheForm, trancheUpdateForm } from './schemas.ts';
import { fundingPage } from './views-funding.ts';

const trancheParams = idParams.extend({ tranche: integerParam(1, Number.MAX_SAFE_INTEGER, 'la tranche est un nombre entier positif') });
const rapportParams = idParams.extend({ rapport: integerParam(1, Number.MAX_SAFE_INTEGER, 'le rapport est un nombre entier positif') });

/** The indicators a due date expects and their period: one schema for the API's body and the page's form. */
export const reportIndicatorsBody = z
  .object({
    periode: z.string().max(7).describe('La période couverte : une année (« 2022 ») ou un trimestre (« 2022-T4 »), dans les dates de la convention'),
    indicateurs: z.array(z.string().max(60)).max(40).describe('Codes des indicateurs attendus : de référence ou de l’appel (voir GET /api/v1/indicateurs)'),
  })
  .meta({ example: { periode: '2022', indicateurs: ['etp', 'emplois_insertion'] } });

const dueDateSchema = z.object({
  id: z.number().int(),
  libelle: z.string(),
  echeance: z.string(),
  periode: z.string().nullable(),
  remis_le: z.string().nullable(),
  valide: z.boolean(),
  indicateurs: z.array(z.object({ code: z.string(), libelle: z.string(), etat: etatAttendu.schema })),
});

export function registerFundingFollowUp(app: TypedApp, kit: InstructionKit) {
  const { db, send, submit, form } = kit;
  const { appManage } = kit.guards;
  const renderFunding: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    return send(
      reply,
      status,
      `Financement — ${access.candidature.titre}`,
      fundingPage(access, await fundingOf(db, access.candidature.id), await reportableIndicators(db, access.appel.id), csrfField(request), state),
    );
  };

  const fundingBack = (request: FastifyRequest, fait: string) =>
    `/instruction/candidatures/${accessOf<ApplicationAccess>(request).candidature.id}/financement?fait=${fait}`;
  const laureate = (request: FastifyRequest) => {
    const { appel, candidature } = accessOf<ApplicationAccess>(request);
    return { id: candidature.id, appelId: appel.id, statut: candidature.statut };
  };
  const dueDate = async (request: FastifyRequest, rapportId: number) => {
    const found = (await fundingOf(db, laureate(request).id))?.rapports.find((r) => r.id === rapportId);
    return { ...found!, indicateurs: found!.indicateurs.map(({ code, libelle, etat }) => ({ code, libelle, etat })) };
  };

  app.get(
    '/instruction/candidatures/:id/financement',
    { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...appManage },
    async (request, reply) => renderFunding(request, reply, 200, { notice: noticeOf(request.query) }),
  );

  app.post('/instruction/candidatures/:id/financement', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'convention', renderFunding, conventionForm, async (input) => {
      await createAgreement(db, accountOf(request), laureate(request), input.debut);
      return fundingBack(request, 'convention');
    }),
  );

  app.post('/instruction/candidatures/:id/financement/tranches', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'tranche', renderFunding, trancheForm, async (input) => {
      await addTranche(db, accountOf(request), laureate(request).id, input);
      return fundingBack(request, 'tranche');
    }),
  );

  app.post('/instruction/candidatures/:id/financement/tranches/:tranche', { schema: form(trancheParams), ...appManage }, async (request, reply) => {
    const trancheId = (request.params as z.infer<typeof trancheParams>).tranche;
    return submit(request, reply, `tranche-${trancheId}`, renderFunding, trancheUpdateForm, async (input) => {
      await updateTranche(db, accountOf(request), laureate(request).id, trancheId, input);
      return fundingBack(request, 'tranche');
    });
  });

  app.post('/instruction/candidatures/:id/financement/versements', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'versement', renderFunding, paymentForm, async (input) => {
      await recordPayment(db, accountOf(request), laureate(request).id, input as { tranche: number; montant: number; verse_le: string });
      return fundingBack(request, 'versement');
    }),
  );

  app.post('/instruction/candidatures/:id/financement/rapports', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'rapport', renderFunding, reportForm, async (input) => {
      await addReport(db, accountOf(request), laureate(request).id, input);
      return fundingBack(request, 'rapport');
    }),
  );

  app.post('/instruction/candidatures/:id/financement/rapports/:rapport', { schema: form(rapportParams), ...appManage }, async (request, reply) => {
    const rapportId = (request.params as z.infer<typeof rapportParams>).rapport;
    return submit(request, reply, 'rapport', renderFunding, reportUpdateForm, async (input) => {
      await updateReport(db, accountOf(request), laureate(request).id, rapportId, input);
      return fundingBack(request, 'rapport');
    });
  });

  app.post('/instruction/candidatures/:id/financement/rapports/:rapport/indicateurs', { schema: form(rapportParams), ...appManage }, async (request, reply) => {
    const rapportId = (request.params as z.infer<typeof rapportParams>).rapport;
    const read = (values: FormValues) => {
      const posted = values as FormBody;
      return readForm(reportIndicatorsBody, { periode: firstValue(posted.periode), indicateurs: [posted.indicateurs ?? []].flat() });
    };
    return submit(request, reply, `rapport-${rapportId}`, renderFunding, read, async (input) => {
      await nameReportIndicators(db, accountOf(request), laureate(request), rapportId, input);
      return fundingBack(request, 'rapport');
    });
  });

  app.post(
    '/api/v1/candidatures/:id/rapports/:rapport/indicateurs',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Indicateurs attendus par une échéance de rapport d’une convention — en-tête x-csrf-token',
        description:
          'Par l’équipe d’instruction de l’appel. Remplace la liste des indicateurs attendus et fixe la période couverte. Indicateur ni de référence ni ' +
          'de l’appel, ou période hors de la convention : 400 nommant le champ ; rapport déjà validé : 409.',
        params: rapportParams,
        body: reportIndicatorsBody,
        response: { 200: dueDateSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      ...appManage,
    },
    async (request) => {
      await nameReportIndicators(db, accountOf(request), laureate(request), request.params.rapport, request.body);
      return dueDate(request, request.params.rapport);
    },
  );
}
