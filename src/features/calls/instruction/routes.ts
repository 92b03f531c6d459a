/**
 * The instruction routes (pages and exports). Every route is guarded before its schemas (preValidation, see
 * access.ts); forms post with their CSRF field (checked by the accounts hook), answer a redirect on success
 * (with a notice) and the same page with its errors otherwise (400 bad input, 409 refused by the rules), with
 * nothing written.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { formBody } from '../../../web/form-body.ts';
import { isPlatformAdmin } from '../../../domain/authorization.ts';
import { HttpError } from '../../../web/errors.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { page } from '../../../web/layout.ts';
import { accountOf, requireAccount } from '../../../platform/http/guards.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { fieldErrors } from '../../accounts/schemas.ts';
import { accessOf, applicationGuard, callGuard, ownerGuard, type ApplicationAccess, type CallAccess, type OwnerAccess } from './access.ts';
import { comparisonCsv, comparisonXlsx, exportName } from './exports.ts';
import { addReport, addTranche, createAgreement, fundingOf, recordPayment, updateReport, updateTranche } from './funding.ts';
import { applicationForInstruction, comparison, gridOf, messagesOf, myCalls, reviewersOf } from './queries.ts';
import {
  annotationForm, conflictForm, conventionForm, criterionForm, messageForm, paymentForm, reportForm, reportUpdateForm,
  reviewerForm, reviewerRemoval, scoreInput, statusForm, stringFields, trancheForm, trancheUpdateForm,
} from './schemas.ts';
import {
  addCriterion, annotate, assignReviewer, changeStatus, declareConflict, InvalidForm, notifyResults, postMessage, removeReviewer, score,
  type InstructionDeps,
} from './service.ts';
import type { FormState } from './view-parts.ts';
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

/** Parses a form or throws InvalidForm with each field's message. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InvalidForm(fieldErrors(parsed.error));
  return parsed.data;
}

type Render = (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => Promise<unknown>;

export async function registerInstruction(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  const deps: InstructionDeps = { db, outbox: context.outbox, baseUrl: context.config.BASE_URL };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath = '/instruction') =>
    reply.status(status).type('text/html; charset=utf-8').send(page({ title, main, currentPath }));
  const titled = (status: number, title: string) => `${status >= 400 ? 'Erreur — ' : ''}${title}`;

  const viewer = (request: FastifyRequest) => ({ accountId: accountOf(request).id, role: accessOf<CallAccess>(request).role });

  const renderCall: Render = async (request, reply, status, state) => {
    const access = accessOf<CallAccess>(request);
    const [found, reviewers] = await Promise.all([
      comparison(db, access.appel.id, viewer(request)),
      access.role === 'instructeur' ? reviewersOf(db, access.appel.id) : Promise.resolve([]),
    ]);
    return send(reply, status, titled(status, `Instruction — ${access.appel.titre}`), callPage(access, { comparison: found, reviewers }, csrfField(request), state));
  };
  const renderApplication: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    const view = await applicationForInstruction(db, access.candidature.id, viewer(request));
    return send(reply, status, titled(status, `${view.titre} — Instruction`), instructionApplicationPage(access, view, csrfField(request), state));
  };
  const renderFunding: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    return send(reply, status, titled(status, `Financement — ${access.candidature.titre}`),
      fundingPage(access, await fundingOf(db, access.candidature.id), csrfField(request), state));
  };
  const renderThread: Render = async (request, reply, status, state) => {
    const access = accessOf<OwnerAccess>(request);
    return send(reply, status, titled(status, `Échanges — ${access.candidature.titre}`),
      applicantThreadPage(access, await messagesOf(db, access.candidature.id), csrfField(request), state), '/candidatures');
  };

  /** Runs a form's action: redirect on success, the page again with the errors on a refusal. */
  async function act(request: FastifyRequest, reply: FastifyReply, form: string, render: Render, run: () => Promise<string>) {
    try {
      return reply.redirect(await run(), 303);
    } catch (error) {
      if (error instanceof InvalidForm) return render(request, reply, 400, { form, errors: error.errors, values: stringFields(request.body) });
      if (error instanceof HttpError && error.status === 409) return render(request, reply, 409, { alert: error.message });
      throw error;
    }
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
  app.get('/instruction/appels/:id', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...callView },
    async (request, reply) => renderCall(request, reply, 200, { notice: noticeOf(request.query) }));

  app.get('/instruction/appels/:id/comparaison', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return send(reply, 200, `Tableau comparatif — ${access.appel.titre}`, comparisonPage(access, await comparison(db, access.appel.id, viewer(request))));
  });

  app.get('/instruction/appels/:id/candidatures.csv', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${exportName(access.appel.id, 'csv')}"`)
      .send(comparisonCsv(await comparison(db, access.appel.id, viewer(request))));
  });

  app.get('/instruction/appels/:id/candidatures.xlsx', { schema: { hide: true, params: idParams }, ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${exportName(access.appel.id, 'xlsx')}"`)
      .send(await comparisonXlsx(await comparison(db, access.appel.id, viewer(request)), access.appel.titre));
  });

  app.post('/instruction/appels/:id/notifications', { schema: form(), ...callManage }, async (request, reply) => {
    const access = accessOf<CallAccess>(request);
    const told = await notifyResults(deps, accountOf(request), access.appel.id);
    return reply.redirect(`/instruction/appels/${access.appel.id}?fait=notifications&notifiees=${told}`, 303);
  });

  app.post('/instruction/appels/:id/evaluateurs', { schema: form(), ...callManage }, async (request, reply) =>
    act(request, reply, 'evaluateur', renderCall, async () => {
      const { appel } = accessOf<CallAccess>(request);
      await assignReviewer(db, accountOf(request), appel.id, parse(reviewerForm, request.body).email);
      return `/instruction/appels/${appel.id}?fait=evaluateur`;
    }));

  app.post('/instruction/appels/:id/evaluateurs/retrait', { schema: form(), ...callManage }, async (request, reply) =>
    act(request, reply, 'evaluateur', renderCall, async () => {
      const { appel } = accessOf<CallAccess>(request);
      await removeReviewer(db, accountOf(request), appel.id, parse(reviewerRemoval, request.body).compte);
      return `/instruction/appels/${appel.id}?fait=retrait`;
    }));

  app.post('/instruction/appels/:id/grille', { schema: form(), ...callManage }, async (request, reply) =>
    act(request, reply, 'critere', renderCall, async () => {
      const { appel } = accessOf<CallAccess>(request);
      await addCriterion(db, accountOf(request), appel.id, parse(criterionForm, request.body));
      return `/instruction/appels/${appel.id}?fait=critere`;
    }));

  // An application: reading, scoring, conflict, annotations, decisions, messages.
  const back = (request: FastifyRequest, fait: string) => `/instruction/candidatures/${accessOf<ApplicationAccess>(request).candidature.id}?fait=${fait}`;

  app.get('/instruction/candidatures/:id', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...appView },
    async (request, reply) => renderApplication(request, reply, 200, { notice: noticeOf(request.query) }));

  app.post('/instruction/candidatures/:id/evaluation', { schema: form(), ...appView }, async (request, reply) =>
    act(request, reply, 'notation', renderApplication, async () => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await score(db, accountOf(request), appel.id, candidature.id, scoreInput(request.body, await gridOf(db, appel.id)));
      return back(request, 'notation');
    }));

  app.post('/instruction/candidatures/:id/conflit', { schema: form(), preValidation: applicationGuard(db, 'conflict') }, async (request, reply) =>
    act(request, reply, 'conflit', renderApplication, async () => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await declareConflict(db, accountOf(request), candidature.id, parse(conflictForm, request.body).motif);
      return `/instruction/appels/${appel.id}?fait=conflit`;
    }));

  app.post('/instruction/candidatures/:id/annotations', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'annotation', renderApplication, async () => {
      await annotate(db, accountOf(request), accessOf<ApplicationAccess>(request).candidature.id, parse(annotationForm, request.body).texte);
      return back(request, 'annotation');
    }));

  app.post('/instruction/candidatures/:id/statut', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'decision', renderApplication, async () => {
      const { statut, motif } = parse(statusForm, request.body);
      await changeStatus(deps, accountOf(request), accessOf<ApplicationAccess>(request).candidature.id, statut, motif);
      return back(request, 'decision');
    }));

  app.post('/instruction/candidatures/:id/messages', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'message', renderApplication, async () => {
      const { appel, candidature } = accessOf<ApplicationAccess>(request);
      await postMessage(deps, accountOf(request), { id: candidature.id, appelId: appel.id }, 'instruction', parse(messageForm, request.body).texte);
      return back(request, 'message');
    }));

  // Funding follow-up of a laureate.
  const fundingBack = (request: FastifyRequest, fait: string) =>
    `/instruction/candidatures/${accessOf<ApplicationAccess>(request).candidature.id}/financement?fait=${fait}`;
  const laureate = (request: FastifyRequest) => {
    const { appel, candidature } = accessOf<ApplicationAccess>(request);
    return { id: candidature.id, appelId: appel.id, statut: candidature.statut };
  };

  app.get('/instruction/candidatures/:id/financement', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...appManage },
    async (request, reply) => renderFunding(request, reply, 200, { notice: noticeOf(request.query) }));

  app.post('/instruction/candidatures/:id/financement', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'convention', renderFunding, async () => {
      await createAgreement(db, accountOf(request), laureate(request), parse(conventionForm, request.body).debut);
      return fundingBack(request, 'convention');
    }));

  app.post('/instruction/candidatures/:id/financement/tranches', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'tranche', renderFunding, async () => {
      await addTranche(db, accountOf(request), laureate(request).id, parse(trancheForm, request.body));
      return fundingBack(request, 'tranche');
    }));

  app.post('/instruction/candidatures/:id/financement/tranches/:tranche', { schema: form(trancheParams), ...appManage }, async (request, reply) => {
    const trancheId = (request.params as z.infer<typeof trancheParams>).tranche;
    return act(request, reply, `tranche-${trancheId}`, renderFunding, async () => {
      await updateTranche(db, accountOf(request), laureate(request).id, trancheId, parse(trancheUpdateForm, request.body));
      return fundingBack(request, 'tranche');
    });
  });

  app.post('/instruction/candidatures/:id/financement/versements', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'versement', renderFunding, async () => {
      await recordPayment(db, accountOf(request), laureate(request).id, parse(paymentForm, request.body) as { tranche: number; montant: number; verse_le: string });
      return fundingBack(request, 'versement');
    }));

  app.post('/instruction/candidatures/:id/financement/rapports', { schema: form(), ...appManage }, async (request, reply) =>
    act(request, reply, 'rapport', renderFunding, async () => {
      await addReport(db, accountOf(request), laureate(request).id, parse(reportForm, request.body));
      return fundingBack(request, 'rapport');
    }));

  app.post('/instruction/candidatures/:id/financement/rapports/:rapport', { schema: form(rapportParams), ...appManage }, async (request, reply) => {
    const rapportId = (request.params as z.infer<typeof rapportParams>).rapport;
    return act(request, reply, 'rapport', renderFunding, async () => {
      await updateReport(db, accountOf(request), laureate(request).id, rapportId, parse(reportUpdateForm, request.body));
      return fundingBack(request, 'rapport');
    });
  });

  // The applicant's side of the thread.
  const owner = { preValidation: ownerGuard(db) };

  app.get('/candidatures/:id/messages', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...owner },
    async (request, reply) => renderThread(request, reply, 200, { notice: noticeOf(request.query) }));

  app.post('/candidatures/:id/messages', { schema: form(), ...owner }, async (request, reply) =>
    act(request, reply, 'message', renderThread, async () => {
      const { appel, candidature } = accessOf<OwnerAccess>(request);
      if (candidature.statut === 'brouillon') throw new HttpError(409, 'Les échanges s’ouvrent une fois la candidature déposée.', 'Conflit');
      await postMessage(deps, accountOf(request), { id: candidature.id, appelId: appel.id }, 'candidat', parse(messageForm, request.body).texte);
      return `/candidatures/${candidature.id}/messages?fait=message`;
    }));
}
