/**
 * What the form builder's routes share: the guard (a person who manages no call is refused with 403; a call one
 * does not manage answers 404 as in call management), the page sender and the save loop. Forms post with their
 * CSRF field (checked by the accounts hook) and the version and revision they were drawn from; a save answers a
 * redirect with a notice, or the page again with its errors (400, nothing written), or the form's page with the
 * reason when someone saved in between (409, nothing written): the forms toolkit's loop.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, checkedFirstRow } from '../../../db/database.ts';
import { isInstructor } from '../../../domain/authorization.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import type { AppContext } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf, ensure } from '../../../platform/http/guards.ts';
import { idParams } from '../../../platform/params.ts';
import { formBody, type FormBody } from '../../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { managedCallGuard } from '../management/access.ts';
import { readStamp } from './schemas.ts';
import { currentForm, saveForm, type CurrentForm } from './service.ts';
import { BUILDER_FORM, builderPage, type CallRef } from './views.ts';

export const NOTICES = {
  section: 'La section est enregistrée.',
  champ: 'Le champ est enregistré.',
  ordre: 'Le nouvel ordre est enregistré.',
  suppression: 'L’élément est supprimé.',
  import: 'La définition importée est enregistrée.',
} as const;

export const noticeQuery = z.object({
  fait: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
  version: z.coerce.number().int().min(1).optional().catch(undefined),
});

const builderGuardRow = z.object({
  id: z.number(),
  titre: z.string(),
  exemple: z.boolean(),
});

/** A person who manages no call is told so (403); the call itself is then checked like every managed call's page. */
function builderGuard(db: Db) {
  const managed = managedCallGuard((id) =>
    checkedFirstRow(db, builderGuardRow, sql`select id::int as id, title as titre, is_example as exemple from appel where id = ${id}`),
  );
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (request.account) ensure(isInstructor(request.account), 'Le formulaire d’un appel se modifie par les personnes qui gèrent cet appel.');
    return managed.guard(request, reply);
  };
  return { guard, callOf: managed.callOf };
}

export interface Edit<T> {
  fait: keyof typeof NOTICES;
  /** Reads the posted values: InvalidForm with every error at once. */
  read: (body: FormBody) => T;
  /** The audit's name of the operation. */
  operation: (input: T) => string;
  edit: (definition: FormDefinition, input: T) => FormDefinition;
  /** The page the form came from, drawn again with the errors and what was typed (by default the form's page). */
  again?: (form: CurrentForm, state: FormState) => SafeHtml;
  /** The input a problem of the whole definition is shown beside. */
  problemField?: string;
  /** Buttons and hidden inputs only: the errors are said above the form's page. */
  hiddenInputs?: boolean;
}

export function builderKit(context: AppContext) {
  const db = context.database.db;
  const deps = { db, maxMb: context.config.MAX_UPLOAD_MB };
  const { guard, callOf } = builderGuard(db);
  const base = (call: CallRef) => `/gestion/appels/${call.id}/formulaire`;
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/gestion' });
  const renderBuilder = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => {
    const call = callOf(request);
    return send(reply, status, `Formulaire — ${call.titre}`, builderPage(call, await currentForm(db, call.id), csrfField(request), state));
  };

  /**
   * Saves an edit read from the posted form. A refusal of the whole edit (someone saved in between, a form without
   * its version) is told on the form's page; errors of inputs on the page the form came from.
   */
  function save<T>(request: FastifyRequest, reply: FastifyReply, edit: Edit<T>) {
    const call = callOf(request);
    const again = edit.again ?? ((form: CurrentForm, state: FormState) => builderPage(call, form, csrfField(request), state));
    return submitForm({
      reply,
      form: BUILDER_FORM,
      values: request.body as FormBody,
      hiddenInputs: edit.hiddenInputs,
      parse: (values) => ({ stamp: readStamp(values), input: edit.read(values as FormBody) }),
      act: ({ stamp, input }) =>
        saveForm(deps, accountOf(request), call.id, stamp, (definition) => edit.edit(definition, input), edit.operation(input), edit.problemField),
      redirect: (version) => `${base(call)}?fait=${edit.fait}&version=${version}`,
      render: async (status, state) =>
        state.alert
          ? renderBuilder(request, reply, status, state)
          : send(reply, status, `Formulaire — ${call.titre}`, again(await currentForm(db, call.id), state)),
    });
  }

  return { db, deps, callOf, send, renderBuilder, save, guarded: { preValidation: guard }, post: { hide: true, params: idParams, body: formBody } };
}

export type BuilderKit = ReturnType<typeof builderKit>;
