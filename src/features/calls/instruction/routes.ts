/**
 * The instruction routes: the home page of a person's calls and a call's pages (applications, reviewers, grid,
 * comparison, exports, bulk notification); an application's pages are in application-routes.ts and its funding
 * follow-up in funding-routes.ts. What they share (guards, forms loop, notices) is in routes-kit.ts.
 */
import { isPlatformAdmin } from '../../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf, requireAccount } from '../../../platform/http/guards.ts';
import { idParams } from '../../../platform/params.ts';
import { accessOf, type CallAccess } from './access.ts';
import { registerApplicationInstruction } from './application-routes.ts';
import { comparisonCsv, comparisonXlsx, exportName } from './exports.ts';
import { registerFundingFollowUp } from './funding-routes.ts';
import { comparison, myCalls, reviewersOf } from './queries.ts';
import { instructionKit, noticeOf, noticeQuery, type InstructionKit, type Render } from './routes-kit.ts';
import { criterionForm, reviewerForm, reviewerRemoval } from './schemas.ts';
import { addCriterion, assignReviewer, notifyResults, removeReviewer } from './service.ts';
import { callPage, comparisonPage, instructionHomePage } from './views-call.ts';

export async function registerInstruction(app: TypedApp, context: AppContext) {
  const kit = instructionKit(context);
  app.get('/instruction', { schema: { hide: true }, preValidation: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    return kit.send(reply, 200, 'Instruction', instructionHomePage(await myCalls(kit.db, account.id, isPlatformAdmin(account))));
  });
  registerCallInstruction(app, kit);
  registerApplicationInstruction(app, kit);
  registerFundingFollowUp(app, kit);
}

function registerCallInstruction(app: TypedApp, kit: InstructionKit) {
  const { db, deps, send, viewer, submit, form } = kit;
  const { callView, callManage } = kit.guards;
  const renderCall: Render = async (request, reply, status, state) => {
    const access = accessOf<CallAccess>(request);
    const [found, reviewers] = await Promise.all([
      comparison(db, access.appel.id, viewer(request)),
      access.role === 'instructeur' ? reviewersOf(db, access.appel.id) : Promise.resolve([]),
    ]);
    return send(reply, status, `Instruction — ${access.appel.titre}`, callPage(access, { comparison: found, reviewers }, csrfField(request), state));
  };

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
}
