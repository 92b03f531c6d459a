/**
 * /gestion/appels/:id/formulaire: the form builder of a call, for those who manage it (canManageCall). The
 * guard runs before the schemas: a visitor is sent to sign in, a person who manages no call is refused (403),
 * and a call one does not manage answers 404 as in call management (a call in preparation stays private).
 * Forms post with their CSRF field (checked by the accounts hook) and the version and revision they were drawn
 * from; a save answers a redirect with a notice, or the page again with its errors (400, nothing written), or
 * the form's page with the reason when someone saved in between (409, nothing written): the forms toolkit's loop.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { firstValue, formBody, type FormBody } from '../../../web/form-body.ts';
import { firstRow, type Db } from '../../../db/database.ts';
import { isInstructor } from '../../../domain/authorization.ts';
import { formDefinitionSchema, type FieldKind, type FormDefinition } from '../../../domain/form.ts';
import {
  addField,
  addSection,
  buildField,
  buildSection,
  findField,
  FormEditError,
  levelOf,
  moveField,
  moveSection,
  precedingFields,
  removeField,
  removeSection,
  sectionOf,
  SUB_FIELD_KINDS,
  updateField,
  updateSection,
  type Direction,
  type FieldRef,
} from '../../../domain/form-editing.ts';
import { notFound } from '../../../web/errors.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { accountOf, ensure } from '../../../platform/http/guards.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { idParams } from '../../../platform/params.ts';
import { jsonFieldProblem } from '../../../platform/http/input-guard.ts';
import { managedCallGuard } from '../management/access.ts';
import {
  fieldInputOf,
  fieldPageQuery,
  fieldPlaceSchema,
  importSchema,
  read,
  readFieldPost,
  readSection,
  readStamp,
  sectionPageQuery,
  targetOf,
  targetSchema,
  type Target,
} from './schemas.ts';
import { currentForm, saveForm, type CurrentForm } from './service.ts';
import { BUILDER_FORM, builderPage, fieldPage, sectionPage, type CallRef, type FieldTarget } from './views.ts';

const NOTICES = {
  section: 'La section est enregistrée.',
  champ: 'Le champ est enregistré.',
  ordre: 'Le nouvel ordre est enregistré.',
  suppression: 'L’élément est supprimé.',
  import: 'La définition importée est enregistrée.',
} as const;

const noticeQuery = z.object({
  fait: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
  version: z.coerce.number().int().min(1).optional().catch(undefined),
});

/** A person who manages no call is told so (403); the call itself is then checked like every managed call's page. */
function builderGuard(db: Db) {
  const managed = managedCallGuard((id) => firstRow<CallRef>(db, sql`select id::int as id, title as titre, is_example as exemple from appel where id = ${id}`));
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (request.account) ensure(isInstructor(request.account), 'Le formulaire d’un appel se modifie par les personnes qui gèrent cet appel.');
    return managed.guard(request, reply);
  };
  return { guard, callOf: managed.callOf };
}

export async function registerFormBuilder(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  const deps = { db, maxMb: context.config.MAX_UPLOAD_MB };
  const { guard, callOf } = builderGuard(db);
  const guarded = { preValidation: guard };
  const post = { hide: true, params: idParams, body: formBody };
  const base = (call: CallRef) => `/gestion/appels/${call.id}/formulaire`;
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/gestion' });

  const renderBuilder = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => {
    const call = callOf(request);
    return send(reply, status, `Formulaire — ${call.titre}`, builderPage(call, await currentForm(db, call.id), csrfField(request), state));
  };

  interface Edit<T> {
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

  app.get('/gestion/appels/:id/formulaire', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...guarded }, async (request, reply) => {
    const { fait, version } = request.query;
    const notice = fait ? `${NOTICES[fait]}${version ? ` Formulaire en version ${version}.` : ''}` : undefined;
    return renderBuilder(request, reply, 200, { notice });
  });

  app.get('/gestion/appels/:id/formulaire.json', { schema: { hide: true, params: idParams }, ...guarded }, async (request, reply) => {
    const form = await currentForm(db, callOf(request).id);
    return reply
      .type('application/json; charset=utf-8')
      .header('x-formulaire-version', String(form.version))
      .header('content-disposition', `attachment; filename="formulaire-appel-${callOf(request).id}-v${form.version}.json"`)
      .send(JSON.stringify(form.definition, null, 2));
  });

  app.post('/gestion/appels/:id/formulaire/import', { schema: post, ...guarded }, async (request, reply) =>
    save(request, reply, {
      fait: 'import',
      operation: () => 'import',
      problemField: 'definition',
      read: (body) => {
        const { definition } = read(importSchema, body);
        const problem = jsonFieldProblem(definition); // too deep, or a character PostgreSQL cannot store
        if (problem) throw new InvalidForm([{ field: 'definition', message: problem }]);
        try {
          return JSON.parse(definition) as unknown;
        } catch {
          throw new InvalidForm([{ field: 'definition', message: 'Ce texte n’est pas du JSON valide : collez la définition telle qu’elle a été exportée.' }]);
        }
      },
      // The schema's output drops what a definition does not hold; its problems are reported by the save.
      edit: (_definition, json) => {
        const parsed = formDefinitionSchema.safeParse(json);
        return parsed.success ? parsed.data : (json as FormDefinition);
      },
    }),
  );

  // A section: the page to add or edit one, and its save.
  app.get(
    '/gestion/appels/:id/formulaire/section',
    { schema: { hide: true, params: idParams, querystring: sectionPageQuery }, ...guarded },
    async (request, reply) => {
      const call = callOf(request);
      const form = await currentForm(db, call.id);
      const { position } = request.query;
      if (position !== undefined && !form.definition.sections[position]) throw notFound('Cette section n’existe pas (ou plus) dans le formulaire.');
      const preceding = precedingFields(form.definition, { beforeSection: position ?? form.definition.sections.length });
      return send(reply, 200, `Section — ${call.titre}`, sectionPage(call, form, position, preceding, csrfField(request), {}));
    },
  );

  app.post('/gestion/appels/:id/formulaire/section', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const position = sectionPageQuery.safeParse({ position: (request.body as FormBody).position }).data?.position;
    return save(request, reply, {
      fait: 'section',
      read: readSection,
      problemField: 'titre',
      operation: () => (position === undefined ? 'section.ajout' : 'section.modification'),
      edit: (definition, input) => {
        const section = buildSection(input, precedingFields(definition, { beforeSection: position ?? definition.sections.length }));
        return position === undefined ? addSection(definition, section) : updateSection(definition, position, section);
      },
      again: (form, state) => {
        const at = position !== undefined && form.definition.sections[position] ? position : undefined;
        return sectionPage(
          call,
          form,
          at,
          precedingFields(form.definition, { beforeSection: at ?? form.definition.sections.length }),
          csrfField(request),
          state,
        );
      },
    });
  });

  // A field: the page to add or edit one (a group's sub-field too), and its save.
  function fieldTarget(definition: FormDefinition, place: { cle?: string; groupe?: string; section?: number; type?: FieldKind }): FieldTarget {
    const groupe = place.groupe ? findField(definition, { cle: place.groupe }) : undefined;
    if (groupe && groupe.type !== 'groupe') throw new FormEditError(`« ${groupe.libelle} » n’est pas un groupe.`);
    if (place.cle) {
      const ref: FieldRef = { cle: place.cle, groupe: place.groupe };
      const field = findField(definition, ref);
      const preceding = precedingFields(
        definition,
        groupe ? { section: 0, groupe: groupe.cle, cle: field.cle } : { section: sectionOf(definition, field.cle), cle: field.cle },
      );
      return { type: field.type, field, groupe, preceding, maxMb: deps.maxMb };
    }
    const type = place.type ?? 'texte';
    if (groupe && !SUB_FIELD_KINDS.includes(type)) throw new FormEditError('Un groupe ne peut contenir ni fichier ni autre groupe.');
    if (!groupe && (place.section === undefined || !definition.sections[place.section]))
      throw new FormEditError('Cette section n’existe pas (ou plus) dans le formulaire.');
    return {
      type,
      section: groupe ? undefined : place.section,
      groupe,
      preceding: precedingFields(definition, { section: place.section ?? 0, groupe: groupe?.cle }),
      maxMb: deps.maxMb,
    };
  }

  app.get(
    '/gestion/appels/:id/formulaire/champ',
    { schema: { hide: true, params: idParams, querystring: fieldPageQuery }, ...guarded },
    async (request, reply) => {
      const call = callOf(request);
      const form = await currentForm(db, call.id);
      let target: FieldTarget;
      try {
        target = fieldTarget(form.definition, request.query);
      } catch (error) {
        if (error instanceof FormEditError) throw notFound(error.message);
        throw error;
      }
      return send(reply, 200, `Champ — ${call.titre}`, fieldPage(call, form, target, csrfField(request), {}));
    },
  );

  app.post('/gestion/appels/:id/formulaire/champ', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const place = fieldPlaceSchema.safeParse(request.body).data ?? {};
    const where = { cle: place.cle_actuelle, groupe: place.groupe, section: place.section, type: place.type };
    return save(request, reply, {
      fait: 'champ',
      read: (body) => readFieldPost(body).input,
      operation: () => (where.cle ? 'champ.modification' : 'champ.ajout'),
      edit: (definition, input) => {
        const target = fieldTarget(definition, where);
        const level = levelOf(definition, target.groupe?.cle);
        const field = buildField(fieldInputOf(input, target.type), { level, preceding: target.preceding, existing: target.field, maxMb: deps.maxMb });
        return target.field
          ? updateField(definition, { cle: target.field.cle, groupe: target.groupe?.cle }, field)
          : addField(definition, { section: target.section ?? 0, groupe: target.groupe?.cle }, field);
      },
      again: (form, state) => {
        try {
          return fieldPage(call, form, fieldTarget(form.definition, where), csrfField(request), state);
        } catch (error) {
          if (error instanceof FormEditError) return builderPage(call, form, csrfField(request), { alert: error.message });
          throw error;
        }
      },
    });
  });

  // Moving or removing a section or a field, from the form's page.
  app.post('/gestion/appels/:id/formulaire/element', { schema: post, ...guarded }, async (request, reply) => {
    const operation = firstValue((request.body as FormBody).operation);
    return save(request, reply, {
      fait: operation === 'supprimer' ? 'suppression' : 'ordre',
      hiddenInputs: true,
      read: (body): { target: Target; operation: Direction | 'supprimer' } => {
        const { cible } = read(targetSchema, body);
        if (operation !== 'monter' && operation !== 'descendre' && operation !== 'supprimer') {
          throw new InvalidForm([{ field: 'operation', message: 'Choisissez « Monter », « Descendre » ou « Supprimer ».' }]);
        }
        return { target: targetOf(cible), operation };
      },
      operation: ({ target }) => `${target.kind}.${operation}`,
      edit: (definition, { target, operation: move }) => {
        if (target.kind === 'section') return move === 'supprimer' ? removeSection(definition, target.index) : moveSection(definition, target.index, move);
        const ref = { cle: target.cle, groupe: target.groupe };
        return move === 'supprimer' ? removeField(definition, ref) : moveField(definition, ref, move);
      },
    });
  });
}
