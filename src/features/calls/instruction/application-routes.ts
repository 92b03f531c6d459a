/** The instruction of one application (reading, scoring, conflict, annotations, decisions, messages) and the applicant's side of the thread. */
import type { FastifyRequest } from 'fastify';
import { RuleError } from '../../../domain/rule-error.ts';
import type { TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf } from '../../../platform/http/guards.ts';
import { idParams } from '../../../platform/params.ts';
import { accessOf, applicationGuard, type ApplicationAccess, type OwnerAccess } from './access.ts';
import { applicationForInstruction, gridOf, messagesOf } from './queries.ts';
import { noticeOf, noticeQuery, type InstructionKit, type Render } from './routes-kit.ts';
import { annotationForm, conflictForm, messageForm, scoreInput, statusForm } from './schemas.ts';
import { annotate, changeStatus, declareConflict, postMessage, score } from './service.ts';
import { applicantThreadPage, instructionApplicationPage } from './views-application.ts';

export function registerApplicationInstruction(app: TypedApp, kit: InstructionKit) {
  const { db, deps, send, viewer, submit, form } = kit;
  const { appView, appManage, owner } = kit.guards;
  const renderApplication: Render = async (request, reply, status, state) => {
    const access = accessOf<ApplicationAccess>(request);
    const view = await applicationForInstruction(db, kit.territories, access.candidature.id, viewer(request));
    return send(reply, status, `${view.titre} — Instruction`, instructionApplicationPage(access, view, csrfField(request), state));
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

  // The applicant's side of the thread.
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
