/** The funding follow-up of a laureate: agreement, tranches, payments and reports. */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf } from '../../../platform/http/guards.ts';
import { idParams, integerParam } from '../../../platform/params.ts';
import { accessOf, type ApplicationAccess } from './access.ts';
import { addReport, addTranche, createAgreement, fundingOf, recordPayment, updateReport, updateTranche } from './funding.ts';
import { noticeOf, noticeQuery, type InstructionKit, type Render } from './routes-kit.ts';
import { conventionForm, paymentForm, reportForm, reportUpdateForm, trancheForm, trancheUpdateForm } from './schemas.ts';
import { fundingPage } from './views-funding.ts';

const trancheParams = idParams.extend({ tranche: integerParam(1, Number.MAX_SAFE_INTEGER, 'la tranche est un nombre entier positif') });
const rapportParams = idParams.extend({ rapport: integerParam(1, Number.MAX_SAFE_INTEGER, 'le rapport est un nombre entier positif') });

export function registerFundingFollowUp(app: TypedApp, kit: InstructionKit) {
  const { db, send, submit, form } = kit;
  const { appManage } = kit.guards;
  const renderFunding: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    return send(
      reply,
      status,
      `Financement — ${access.candidature.titre}`,
      fundingPage(access, await fundingOf(db, access.candidature.id), csrfField(request), state),
    );
  };

  const fundingBack = (request: FastifyRequest, fait: string) =>
    `/instruction/candidatures/${accessOf<ApplicationAccess>(request).candidature.id}/financement?fait=${fait}`;
  const laureate = (request: FastifyRequest) => {
    const { appel, candidature } = accessOf<ApplicationAccess>(request);
    return { id: candidature.id, appelId: appel.id, statut: candidature.statut };
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
}
