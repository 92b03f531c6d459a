/**
 * The treasury's pages: a structure's plans, one plan's forecast and its exports, the plan form (new, edit) for the
 * structure's members, and the public simulation. The form posts back to itself: « Ajouter des lignes » shows it
 * again with more blank lines, nothing saved; a refused plan is shown again with each error beside its input.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compareFrench } from '../../domain/french.ts';
import { addMonthsTo } from '../../domain/treasury.ts';
import type { TypedApp } from '../../platform/app-context.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { firstValue, formBody, type FormBody } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState, type FormValues } from '../../web/forms.ts';
import { planParams, type TreasuryDeps } from './deps.ts';
import { exportName, forecastCsv, forecastXlsx } from './exports.ts';
import { LISTS, planFormValues, postedLines, readPlanForm, type PlanForm, type PlanList } from './form.ts';
import { ADD_LINES, ADDED_LINES, BLANK_LINES, type PlanFormModel } from './form-views.ts';
import { insertPlan, plansOf, savedPlan, updatePlan, type Structure } from './queries.ts';
import type { SimulationInput } from './schemas.ts';
import { forecastPage, planFormPage, plansPage, simulationPage } from './views.ts';

const page = { currentPath: '/organisations' };

/** How many lines each list shows: a stored plan's lines and blank ones, or as many as were posted (and more if asked). */
function lineCounts(plan: SimulationInput | undefined, body?: FormBody): Record<PlanList, number> {
  const more = body && firstValue(body[ADD_LINES]) === 'oui' ? ADDED_LINES : 0;
  return Object.fromEntries(
    LISTS.map((list) => {
      const posted = body ? (postedLines(body, list).at(-1) ?? -1) + 1 : 0;
      return [list, body ? Math.max(posted, BLANK_LINES) + more : (plan?.[list].length ?? 0) + BLANK_LINES];
    }),
  ) as Record<PlanList, number>;
}

/** The first month of a new plan: the next one in Paris. */
function nextMonth(now = new Date()): string {
  const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(now);
  return addMonthsTo(paris.slice(0, 7), 1);
}

const blankPlan = (): FormValues => ({ debut: nextMonth(), duree_mois: '12', avec_conventions: 'oui' });

/**
 * The posted plan form: more lines, or parse → act → `success`, the form again with its errors (nothing written).
 * `stored`: the plan being edited, whose profile fields the form does not show are kept.
 */
function postPlanForm<R>(
  reply: FastifyReply,
  body: FormBody,
  options: {
    named: boolean;
    stored?: SimulationInput;
    render: (status: number, state: FormState, lines: Record<PlanList, number>) => unknown;
    act: (form: PlanForm) => Promise<R>;
  } & ({ redirect: (result: R) => string } | { done: (result: R) => unknown }),
) {
  const { render, named, stored } = options;
  if (firstValue(body[ADD_LINES]) === 'oui') return render(200, { values: body }, lineCounts(undefined, body));
  return submitForm<PlanForm, R>({
    ...options,
    reply,
    values: body,
    parse: (values) => readPlanForm(values as FormBody, named, stored),
    render: (status, state) => render(status, state, lineCounts(undefined, body)),
  });
}

export function registerPlanPages(app: TypedApp, deps: TreasuryDeps) {
  const { db, memberStructure, savedForecast } = deps;

  app.get('/organisations/:id/tresorerie', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    return sendPage(reply, { ...page, title: `Trésorerie — ${structure.nom}`, main: plansPage(structure, await plansOf(db, structure.id)) });
  });

  app.get('/organisations/:id/tresorerie/:plan', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure, request.params.plan);
    return sendPage(reply, { ...page, title: `${result.nom} — trésorerie`, main: forecastPage(structure, result, result) });
  });

  app.get('/organisations/:id/tresorerie/:plan.csv', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure, request.params.plan);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(structure.id, result.id, 'csv')}"`)
      .send(forecastCsv(result));
  });

  app.get('/organisations/:id/tresorerie/:plan.xlsx', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure, request.params.plan);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${exportName(structure.id, result.id, 'xlsx')}"`)
      .send(await forecastXlsx(result, `${structure.nom} — ${result.nom}`));
  });
}

/** The départements, for the profile's place. */
function departementChoices(deps: TreasuryDeps) {
  return [...deps.territories.departements.values()]
    .sort((a, b) => compareFrench(a.code, b.code))
    .map((d) => ({ value: d.code, label: `${d.name} (${d.code})` }));
}

export function registerPlanForms(app: TypedApp, deps: TreasuryDeps) {
  const { db, memberStructure } = deps;
  const departements = departementChoices(deps);

  const formModel = (
    request: FastifyRequest,
    action: string,
    state: FormState,
    stored: FormValues,
    lines: Record<PlanList, number>,
    plan?: boolean,
  ): PlanFormModel => ({
    action,
    csrf: csrfField(request),
    state,
    stored,
    lines,
    named: true,
    submit: plan ? 'Enregistrer les modifications' : 'Enregistrer le plan',
    departements,
  });

  const send = (reply: FastifyReply, status: number, structure: Structure, plan: { id: number; nom: string } | undefined, form: PlanFormModel) =>
    sendPage(reply, {
      ...page,
      status,
      title: plan ? `Modifier « ${plan.nom} » — trésorerie` : `Nouveau plan — trésorerie`,
      main: planFormPage(structure, plan, form),
    });

  const newPath = (structure: Structure) => `/organisations/${structure.id}/tresorerie/nouveau`;

  app.get('/organisations/:id/tresorerie/nouveau', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    return send(reply, 200, structure, undefined, formModel(request, newPath(structure), {}, blankPlan(), lineCounts(undefined)));
  });

  app.post(
    '/organisations/:id/tresorerie/nouveau',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const structure = await memberStructure(request, request.params.id);
      return postPlanForm(reply, request.body as FormBody, {
        named: true,
        act: async (form) => {
          await deps.checkPlanToWrite(form.plan, form.inputOf);
          return insertPlan(db, accountOf(request), structure.id, form);
        },
        redirect: (id) => `/organisations/${structure.id}/tresorerie/${id}`,
        render: (status, state, lines) => send(reply, status, structure, undefined, formModel(request, newPath(structure), state, {}, lines)),
      });
    },
  );

  const editPath = (structure: Structure, planId: number) => `/organisations/${structure.id}/tresorerie/${planId}/modifier`;

  app.get(
    '/organisations/:id/tresorerie/:plan/modifier',
    { schema: { hide: true, params: planParams }, preHandler: requireAccount },
    async (request, reply) => {
      const structure = await memberStructure(request, request.params.id);
      const saved = await savedPlan(db, structure.id, request.params.plan);
      const stored = planFormValues(saved.plan, saved);
      return send(reply, 200, structure, saved, formModel(request, editPath(structure, saved.id), {}, stored, lineCounts(saved.plan), true));
    },
  );

  app.post(
    '/organisations/:id/tresorerie/:plan/modifier',
    { schema: { hide: true, params: planParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const structure = await memberStructure(request, request.params.id);
      const saved = await savedPlan(db, structure.id, request.params.plan);
      return postPlanForm(reply, request.body as FormBody, {
        named: true,
        stored: saved.plan,
        act: async (form) => {
          await deps.checkPlanToWrite(form.plan, form.inputOf);
          await updatePlan(db, accountOf(request), structure.id, saved.id, form);
        },
        redirect: () => `/organisations/${structure.id}/tresorerie/${saved.id}`,
        render: (status, state, lines) => send(reply, status, structure, saved, formModel(request, editPath(structure, saved.id), state, {}, lines, true)),
      });
    },
  );
}

export function registerSimulationPage(app: TypedApp, deps: TreasuryDeps) {
  const departements = departementChoices(deps);
  const model = (request: FastifyRequest, state: FormState, lines: Record<PlanList, number>): PlanFormModel => ({
    action: '/tresorerie/simulation',
    csrf: csrfField(request),
    state,
    stored: blankPlan(),
    lines,
    named: false,
    submit: 'Calculer la prévision',
    departements,
  });
  const title = 'Simulation de trésorerie';
  // No menu entry holds the simulation, so no link is marked current.

  app.get('/tresorerie/simulation', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, { title, main: simulationPage(model(request, {}, lineCounts(undefined))) }),
  );

  app.post('/tresorerie/simulation', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const body = request.body as FormBody;
    const send = (status: number, state: FormState, lines: Record<PlanList, number>, result?: Awaited<ReturnType<TreasuryDeps['simulate']>>) =>
      sendPage(reply, {
        status,
        title: result ? `Résultat — ${title}` : title,
        main: simulationPage(model(request, state, lines), result),
      });
    return postPlanForm(reply, body, {
      named: false,
      act: async (form) => {
        await deps.checkPlanToWrite(form.plan, form.inputOf);
        return deps.simulate(form.plan);
      },
      done: (result) => send(200, { values: body }, lineCounts(undefined, body), result),
      render: send,
    });
  });
}
