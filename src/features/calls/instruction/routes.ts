/**
 * The instruction routes (pages and exports). Every route is guarded before its schemas (preValidation, see
 * access.ts); forms post with their CSRF field (checked by the accounts hook) and follow the forms toolkit's loop:
 * a redirect on success (with a notice), else the same page with its errors (400 bad input, 409 refused by the
 * rules), with nothing written.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { formBody, type FormBody } from '../../../web/form-body.ts';
import { isPlatformAdmin } from '../../../domain/authorization.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { sendPage, submitForm, type FormState, type Submission } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { accountOf, requireAccount } from '../../../platform/http/guards.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accessOf, applicationGuard, callGuard, ownerGuard, type ApplicationAccess, type CallAccess, type OwnerAccess } from './access.ts';
import { comparisonCsv, comparisonXlsx, exportName } from './exports.ts';
import { addReport, addTranche, createAgreement, fundingOf, recordPayment, updateReport, updateTranche } from './funding.ts';
import { applicationForInstruction, comparison, gridOf, messagesOf, myCalls, reviewersOf } from './queries.ts';
import {
  annotationForm,
  conflictForm,
  conventionForm,
  criterionForm,
  messageForm,
  paymentForm,
  reportForm,
  reportUpdateForm,
  reviewerForm,
  reviewerRemoval,
  scoreInput,
  statusForm,
  trancheForm,
  trancheUpdateForm,
} from './schemas.ts';
import {
  addCriterion,
  annotate,
  assignReviewer,
  changeStatus,
  declareConflict,
  notifyResults,
  postMessage,
  removeReviewer,
  score,
  type InstructionDeps,
} from './service.ts';
import { applicantThreadPage, instructionApplicationPage } from './views-application.ts';
import { callPage, comparisonPage, instructionHomePage } from './views-call.ts';
import { fundingPage } from './views-funding.ts';
import { idParams, integerParam } from '../../../platform/params.ts';

const NOTICES: Record<string, string> = {
  evaluateur: 'La personne est désignée pour évaluer cet appel.',
  retrait: 'La personne n’évalue plus cet appel.',
  critere: 'Le critère est ajouté à la grille.',
  notation: 'Votre fiche de notation est enregistrée.',
  annotation: 'L’annotation est enregistrée.',
  message: 'Le message est envoyé.',
  decision: 'La décision est enregistrée.',
  conflit: 'Votre conflit d’intérêts est déclaré : la candidature ne vous est plus présentée.',
  convention: 'La convention est créée.',
  tranche: 'La tranche est enregistrée.',
  versement: 'Le versement est enregistré.',
  rapport: 'L’échéance de rapport est enregistrée.',
};

const noticeQuery = z.object({ fait: z.string().max(40).optional(), notifiees: z.coerce.number().int().min(0).optional().catch(undefined) });
const trancheParams = idParams.extend({ tranche: integerParam(1, Number.MAX_SAFE_INTEGER, 'la tranche est un nombre entier positif') });
const rapportParams = idParams.extend({ rapport: integerParam(1, Number.MAX_SAFE_INTEGER, 'le rapport est un nombre entier positif') });

function noticeOf(query: { fait?: string; notifiees?: number }): string | undefined {
  if (query.fait === 'notifications') {
    const n = query.notifiees ?? 0;
    return n ? `${n} candidat${n > 1 ? 's ont' : ' a'} reçu sa décision par courriel.` : 'Aucune décision nouvelle à notifier : chacune l’a déjà été.';
  }
  return query.fait ? NOTICES[query.fait] : undefined;
}

type Render = (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => Promise<unknown>;

export async function registerInstruction(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  const deps: InstructionDeps = { db, outbox: context.outbox, baseUrl: context.config.BASE_URL };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath = '/instruction') =>
    sendPage(reply, { status, title, main, currentPath });

  const viewer = (request: FastifyRequest) => ({ accountId: accountOf(request).id, role: accessOf<CallAccess>(request).role });

  const renderCall: Render = async (request, reply, status, state) => {
    const access = accessOf<CallAccess>(request);
    const [found, reviewers] = await Promise.all([
      comparison(db, access.appel.id, viewer(request)),
      access.role === 'instructeur' ? reviewersOf(db, access.appel.id) : Promise.resolve([]),
    ]);
    return send(reply, status, `Instruction — ${access.appel.titre}`, callPage(access, { comparison: found, reviewers }, csrfField(request), state));
  };
  const renderApplication: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    const view = await applicationForInstruction(db, access.candidature.id, viewer(request));
    return send(reply, status, `${view.titre} — Instruction`, instructionApplicationPage(access, view, csrfField(request), state));
  };
  const renderFunding: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    return send(
      reply,
      status,
      `Financement — ${access.candidature.titre}`,
      fundingPage(access, await fundingOf(db, access.candidature.id), csrfField(request), state),
    );
  };
  const renderThread: Render = async (request, reply, status, state) => {
    const access = accessOf<OwnerAccess>(request);
    return send(
      reply,
      status,
      `Échanges — ${access.candidature.titre}`,
      applicantThreadPage(access, await messagesOf(db, access.candidature.id), csrfField(request), state),
      '/candidatures',
    );
  };

  /** A form of these pages: parse → act, which says where to go → redirect; or the page again (web/forms.ts). */
  function submit<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string,
    render: Render,
    parse: Submission<T, string>['parse'],
    act: (input: T) => Promise<string>,
  ) {
    return submitForm({
      reply,
      form,
      values: request.body as FormBody,
      parse,
      act,
      redirect: (to) => to,
      render: (status, state) => render(request, reply, status, state),
    });
  }

  const callView = { preValidation: callGuard(db, 'view') };
  const callManage = { preValidation: callGuard(db, 'manage') };
  const appView = { preValidation: applicationGuard(db, 'view') };
  const appManage = { preValidation: applicationGuard(db, 'manage') };
  const form = (params: z.ZodType = idParams) => ({ hide: true, params, body: formBody });

  app.get('/instruction', { schema: { hide: true }, preValidation: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    return send(reply, 200, 'Instruction', instructionHomePage(await myCalls(db, account.id, isPlatformAdmin(account))));
  });

  // A call: its applications, reviewers, grid, comparison, exports, bulk notification.
  app.get('/instruction/appels/:id', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...callView }, async (request, reply) =>
    renderCall(request, reply, 200, { notice: noticeOf(request.query) }),
  );

  app.get('/instruction/appels/:id/comparaison', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return send(reply, 200, `Tableau comparatif — ${access.appel.titre}`, comparisonPage(access, await comparison(db, access.appel.id, viewer(request))));
  });

  app.get('/instruction/appels/:id/candidatures.csv', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(access.appel.id, 'csv')}"`)
      .send(comparisonCsv(await comparison(db, access.appel.id, viewer(request))));
  });

  app.get('/instruction/appels/:id/candidatures.xlsx', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${exportName(access.appel.id, 'xlsx')}"`)
      .send(await comparisonXlsx(await comparison(db, access.appel.id, viewer(request)), access.appel.titre));
  });

  app.post('/instruction/appels/:id/notifications', { schema: form(), ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    const told = await notifyResults(deps, accountOf(request), access.appel.id);
    return reply.redirect(`/instruction/appels/${access.appel.id}?fait=notifications&notifiees=${told}`, 303);
  });

  app.post('/instruction/appels/:id/evaluateurs', { schema: form(), ...callManage }, async (request, reply) =>
    submit(request, reply, 'evaluateur', renderCall, reviewerForm, async (input) => {
      const { appel } = accessOf<CallAccess>(request);
      await assignReviewer(db, accountOf(request), appel.id, input.email);
      return `/instruction/appels/${appel.id}?fait=evaluateur`;
    }),
  );

  app.post('/instruction/appels/:id/evaluateurs/retrait', { schema: form(), ...callManage }, async (request, reply) =>
    submit(request, reply, 'evaluateur', renderCall, reviewerRemoval, async (input) => {
      const { appel } = accessOf<CallAccess>(request);
      await removeReviewer(db, accountOf(request), appel.id, input.compte);
      return `/instruction/appels/${appel.id}?fait=retrait`;
    }),
  );

  app.post('/instruction/appels/:id/grille', { schema: form(), ...callManage }, async (request, reply) =>
    submit(request, reply, 'critere', renderCall, criterionForm, async (input) => {
      const { appel } = accessOf<CallAccess>(request);
      await addCriterion(db, accountOf(request), appel.id, input);
      return `/instruction/appels/${appel.id}?fait=critere`;
    }),
  );

  // An application: reading, scoring, conflict, annotations, decisions, messages.
  const back = (request: FastifyRequest, fait: string) => `/instruction/candidatures/${accessOf<ApplicationAccess>(request).candidature.id}?fait=${fait}`;

  app.get('/instruction/candidatures/:id', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...appView }, async (request, reply) =>
    renderApplication(request, reply, 200, { notice: noticeOf(request.query) }),
  );

  app.post('/instruction/candidatures/:id/evaluation', { schema: form(), ...appView }, async (request, reply) =>
    submit(request, reply, 'notation', renderApplication, undefined, async () => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await score(db, accountOf(request), appel.id, candidature.id, scoreInput(request.body, await gridOf(db, appel.id)));
      return back(request, 'notation');
    }),
  );

  app.post('/instruction/candidatures/:id/conflit', { schema: form(), preValidation: applicationGuard(db, 'conflict') }, async (request, reply) =>
    submit(request, reply, 'conflit', renderApplication, conflictForm, async (input) => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await declareConflict(db, accountOf(request), candidature.id, input.motif);
      return `/instruction/appels/${appel.id}?fait=conflit`;
    }),
  );

  app.post('/instruction/candidatures/:id/annotations', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'annotation', renderApplication, annotationForm, async (input) => {
      await annotate(db, accountOf(request), accessOf<ApplicationAccess>(request).candidature.id, input.texte);
      return back(request, 'annotation');
    }),
  );

  app.post('/instruction/candidatures/:id/statut', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'decision', renderApplication, statusForm, async ({ statut, motif }) => {
      await changeStatus(deps, accountOf(request), accessOf<ApplicationAccess>(request).candidature.id, statut, motif);
      return back(request, 'decision');
    }),
  );

  app.post('/instruction/candidatures/:id/messages', { schema: form(), ...appManage }, async (request, reply) =>
    submit(request, reply, 'message', renderApplication, messageForm, async (input) => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await postMessage(deps, accountOf(request), { id: candidature.id, appelId: appel.id }, 'instruction', input.texte);
      return back(request, 'message');
    }),
  );

  // Funding follow-up of a laureate.
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

  // The applicant's side of the thread.
  const owner = { preValidation: ownerGuard(db) };

  app.get('/candidatures/:id/messages', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...owner }, async (request, reply) =>
    renderThread(request, reply, 200, { notice: noticeOf(request.query) }),
  );

  app.post('/candidatures/:id/messages', { schema: form(), ...owner }, async (request, reply) =>
    submit(request, reply, 'message', renderThread, messageForm, async (input) => {
      const { appel, candidature } = accessOf<OwnerAccess>(request);
      if (candidature.statut === 'brouillon') throw new RuleError('echanges_fermes', 'Les échanges s’ouvrent une fois la candidature déposée.');
      await postMessage(deps, accountOf(request), { id: candidature.id, appelId: appel.id }, 'candidat', input.texte);
      return `/candidatures/${candidature.id}/messages?fait=message`;
    }),
  );
}
