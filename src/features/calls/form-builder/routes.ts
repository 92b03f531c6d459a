/**
 * /gestion/appels/:id/formulaire: the form builder of a call, for those who manage it (canManageCall). The
 * guard runs before the schemas: a visitor is sent to sign in, a person who manages no call is refused (403),
 * and a call one does not manage answers 404 as in call management (a call in preparation stays private).
 * Forms post with their CSRF field (checked by the accounts hook) and the version and revision they were drawn
 * from; a save answers a redirect with a notice, or the page again with its errors (400, nothing written), or
 * the form's page with the reason when someone saved in between (409, nothing written).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { formBody, type FormBody } from '../../../web/form-body.ts';
import { firstRow, type Db } from '../../../db/database.ts';
import { isInstructor } from '../../../domain/authorization.ts';
import { formDefinitionSchema, type FieldKind, type FormDefinition } from '../../../domain/form.ts';
import {
  addField, addSection, buildField, buildSection, findField, FormEditError, levelOf, moveField, moveSection, precedingFields, removeField,
  removeSection, sectionOf, SUB_FIELD_KINDS, updateField, updateSection, type FieldRef,
} from '../../../domain/form-editing.ts';
import { HttpError, notFound } from '../../../web/errors.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { page } from '../../../web/layout.ts';
import { accountOf, ensure } from '../../../platform/http/guards.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { idParams } from '../../../platform/params.ts';
import { managedCallGuard } from '../management/access.ts';
import {
  fieldInputOf, fieldPageQuery, fieldPlaceSchema, importSchema, read, readField, readSection, sectionPageQuery, stampSchema,
  targetOf, targetSchema,
} from './schemas.ts';
import { currentForm, InvalidEdit, saveForm, type BuilderError, type CurrentForm } from './service.ts';
import { builderPage, fieldPage, sectionPage, type CallRef, type FieldTarget, type PageState } from './views.ts';

const NOTICES = {
  section: 'La section est enregistrée.',
  champ: 'Le champ est enregistré.',
  ordre: 'Le nouvel ordre est enregistré.',
  suppression: 'L’élément est supprimé.',
  import: 'La définition importée est enregistrée.',
} as const;

const noticeQuery = z.object({
  fait: z.enum(Object.keys(NOTICES) as [keyof typeof NOTICES]).optional().catch(undefined),
  version: z.coerce.number().int().min(1).optional().catch(undefined),
});

/** A person who manages no call is told so (403); the call itself is then checked like every managed call's page. */
function builderGuard(db: Db) {
  const managed = managedCallGuard((id) => firstRow<CallRef>(db, sql`select id::int as id, title as titre from appel where id = ${id}`));
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
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) =>
    reply.status(status).type('text/html; charset=utf-8').send(page({ title: `${status >= 400 ? 'Erreur — ' : ''}${title}`, main, currentPath: '/gestion' }));

  const renderBuilder = async (request: FastifyRequest, reply: FastifyReply, status: number, state: PageState) => {
    const call = callOf(request);
    return send(reply, status, `Formulaire — ${call.titre}`, builderPage(call, await currentForm(db, call.id), csrfField(request), state));
  };

  /**
   * Saves an edit read from the posted form; on a refusal, `again` draws the page the form came from with the
   * errors and what was typed. A save in between (409) shows the form's page with the reason.
   */
  async function save(request: FastifyRequest, reply: FastifyReply, fait: keyof typeof NOTICES, operation: string,
    edit: ((definition: FormDefinition) => FormDefinition) | { errors: BuilderError[] },
    again: (form: CurrentForm, state: PageState) => SafeHtml, problemField?: string) {
    const call = callOf(request);
    const body = request.body as FormBody;
    const fail = async (status: number, errors: BuilderError[]) =>
      send(reply, status, `Formulaire — ${call.titre}`, again(await currentForm(db, call.id), { errors, values: body }));
    const stamp = read(stampSchema, body);
    if (!stamp.ok) return renderBuilder(request, reply, 400, { alert: stamp.errors[0]!.message });
    if ('errors' in edit) return fail(400, edit.errors);
    try {
      const version = await saveForm(deps, accountOf(request), call.id, stamp.value, edit, operation, problemField);
      return reply.redirect(`${base(call)}?fait=${fait}&version=${version}`, 303);
    } catch (error) {
      if (error instanceof InvalidEdit) return fail(400, error.errors);
      if (error instanceof FormEditError) return fail(400, [{ field: error.input, message: error.message }]);
      if (error instanceof HttpError && error.status === 409) return renderBuilder(request, reply, 409, { alert: error.message });
      throw error;
    }
  }

  app.get('/gestion/appels/:id/formulaire', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...guarded }, async (request, reply) => {
    const { fait, version } = request.query;
    const notice = fait ? `${NOTICES[fait]}${version ? ` Formulaire en version ${version}.` : ''}` : undefined;
    return renderBuilder(request, reply, 200, { notice });
  });

  app.get('/gestion/appels/:id/formulaire.json', { schema: { hide: true, params: idParams }, ...guarded }, async (request, reply) => {
    const form = await currentForm(db, callOf(request).id);
    return reply.type('application/json; charset=utf-8').header('x-formulaire-version', String(form.version))
      .header('content-disposition', `attachment; filename="formulaire-appel-${callOf(request).id}-v${form.version}.json"`)
      .send(JSON.stringify(form.definition, null, 2));
  });

  app.post('/gestion/appels/:id/formulaire/import', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const again = (form: CurrentForm, state: PageState) => builderPage(call, form, csrfField(request), state);
    const input = read(importSchema, request.body);
    if (!input.ok) return save(request, reply, 'import', 'import', { errors: input.errors }, again);
    let json: unknown;
    try {
      json = JSON.parse(input.value.definition);
    } catch {
      return save(request, reply, 'import', 'import', { errors: [{ field: 'definition', message: 'Ce texte n’est pas du JSON valide : collez la définition telle qu’elle a été exportée.' }] }, again);
    }
    // The schema's output drops what a definition does not hold; its problems are reported by the save.
    const parsed = formDefinitionSchema.safeParse(json);
    return save(request, reply, 'import', 'import', () => (parsed.success ? parsed.data : json as FormDefinition), again, 'definition');
  });

  // A section: the page to add or edit one, and its save.
  app.get('/gestion/appels/:id/formulaire/section', { schema: { hide: true, params: idParams, querystring: sectionPageQuery }, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const form = await currentForm(db, call.id);
    const { position } = request.query;
    if (position !== undefined && !form.definition.sections[position]) throw notFound('Cette section n’existe pas (ou plus) dans le formulaire.');
    const preceding = precedingFields(form.definition, { beforeSection: position ?? form.definition.sections.length });
    return send(reply, 200, `Section — ${call.titre}`, sectionPage(call, form, position, preceding, csrfField(request), {}));
  });

  app.post('/gestion/appels/:id/formulaire/section', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const body = request.body as FormBody;
    const place = read(sectionPageQuery, { position: body.position });
    const position = place.ok ? place.value.position : undefined;
    const again = (form: CurrentForm, state: PageState) => {
      const at = position !== undefined && form.definition.sections[position] ? position : undefined;
      return sectionPage(call, form, at, precedingFields(form.definition, { beforeSection: at ?? form.definition.sections.length }), csrfField(request), state);
    };
    const input = readSection(body);
    if (!input.ok) return save(request, reply, 'section', 'section', { errors: input.errors }, again);
    return save(request, reply, 'section', position === undefined ? 'section.ajout' : 'section.modification', (definition) => {
      const section = buildSection(input.value, precedingFields(definition, { beforeSection: position ?? definition.sections.length }));
      return position === undefined ? addSection(definition, section) : updateSection(definition, position, section);
    }, again, 'titre');
  });

  // A field: the page to add or edit one (a group's sub-field too), and its save.
  function fieldTarget(definition: FormDefinition, place: { cle?: string; groupe?: string; section?: number; type?: FieldKind }): FieldTarget {
    const groupe = place.groupe ? findField(definition, { cle: place.groupe }) : undefined;
    if (groupe && groupe.type !== 'groupe') throw new FormEditError(`« ${groupe.libelle} » n’est pas un groupe.`);
    if (place.cle) {
      const ref: FieldRef = { cle: place.cle, groupe: place.groupe };
      const field = findField(definition, ref);
      const preceding = precedingFields(definition, groupe ? { section: 0, groupe: groupe.cle, cle: field.cle } : { section: sectionOf(definition, field.cle), cle: field.cle });
      return { type: field.type, field, groupe, preceding, maxMb: deps.maxMb };
    }
    const type = place.type ?? 'texte';
    if (groupe && !SUB_FIELD_KINDS.includes(type)) throw new FormEditError('Un groupe ne peut contenir ni fichier ni autre groupe.');
    if (!groupe && (place.section === undefined || !definition.sections[place.section])) throw new FormEditError('Cette section n’existe pas (ou plus) dans le formulaire.');
    return { type, section: groupe ? undefined : place.section, groupe, preceding: precedingFields(definition, { section: place.section ?? 0, groupe: groupe?.cle }), maxMb: deps.maxMb };
  }

  app.get('/gestion/appels/:id/formulaire/champ', { schema: { hide: true, params: idParams, querystring: fieldPageQuery }, ...guarded }, async (request, reply) => {
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
  });

  app.post('/gestion/appels/:id/formulaire/champ', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const body = request.body as FormBody;
    const placed = read(fieldPlaceSchema, body);
    const place = placed.ok ? placed.value : {};
    const where = { cle: place.cle_actuelle, groupe: place.groupe, section: place.section, type: place.type };
    const again = (form: CurrentForm, state: PageState) => {
      try {
        return fieldPage(call, form, fieldTarget(form.definition, where), csrfField(request), state);
      } catch (error) {
        if (error instanceof FormEditError) return builderPage(call, form, csrfField(request), { alert: error.message });
        throw error;
      }
    };
    const input = readField(body);
    if (!placed.ok || !input.ok) return save(request, reply, 'champ', 'champ', { errors: [...(placed.ok ? [] : placed.errors), ...(input.ok ? [] : input.errors)] }, again);
    return save(request, reply, 'champ', where.cle ? 'champ.modification' : 'champ.ajout', (definition) => {
      const target = fieldTarget(definition, where);
      const level = levelOf(definition, target.groupe?.cle);
      const field = buildField(fieldInputOf(input.value, target.type), { level, preceding: target.preceding, existing: target.field, maxMb: deps.maxMb });
      return target.field
        ? updateField(definition, { cle: target.field.cle, groupe: target.groupe?.cle }, field)
        : addField(definition, { section: target.section ?? 0, groupe: target.groupe?.cle }, field);
    }, again);
  });

  // Moving or removing a section or a field, from the form's page.
  app.post('/gestion/appels/:id/formulaire/element', { schema: post, ...guarded }, async (request, reply) => {
    const call = callOf(request);
    const again = (form: CurrentForm, state: PageState) =>
      builderPage(call, form, csrfField(request), { alert: state.errors?.map((e) => e.message).join(' ') });
    const body = request.body as FormBody;
    const input = read(targetSchema, body);
    const operation = body.operation;
    if (!input.ok) return save(request, reply, 'ordre', 'ordre', { errors: input.errors }, again);
    if (operation !== 'monter' && operation !== 'descendre' && operation !== 'supprimer') {
      return save(request, reply, 'ordre', 'ordre', { errors: [{ field: 'operation', message: 'Choisissez « Monter », « Descendre » ou « Supprimer ».' }] }, again);
    }
    const target = targetOf(input.value.cible);
    return save(request, reply, operation === 'supprimer' ? 'suppression' : 'ordre', `${target.kind}.${operation}`, (definition) => {
      if (target.kind === 'section') {
        return operation === 'supprimer' ? removeSection(definition, target.index) : moveSection(definition, target.index, operation);
      }
      const ref = { cle: target.cle, groupe: target.groupe };
      return operation === 'supprimer' ? removeField(definition, ref) : moveField(definition, ref, operation);
    }, again);
  });
}
