/**
 * /gestion/appels/:id/formulaire: the form builder of a call, for those who manage it (canManageCall): the form's
 * page, its JSON export and import, sections, and moving or removing an element; fields are in field-routes.ts and
 * what the routes share (guard, save loop) in routes-kit.ts.
 */
import { firstValue, type FormBody } from '../../../web/form-body.ts';
import { formDefinitionSchema, type FormDefinition } from '../../../domain/form.ts';
import {
  addSection,
  buildSection,
  moveField,
  moveSection,
  precedingFields,
  removeField,
  removeSection,
  updateSection,
  type Direction,
} from '../../../domain/form-editing.ts';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { jsonFieldProblem } from '../../../platform/http/input-guard.ts';
import { idParams } from '../../../platform/params.ts';
import { notFound } from '../../../web/errors.ts';
import { InvalidForm } from '../../../web/forms.ts';
import { registerFieldRoutes } from './field-routes.ts';
import { builderKit, NOTICES, noticeQuery } from './routes-kit.ts';
import { importSchema, read, readSection, sectionPageQuery, targetOf, targetSchema, type Target } from './schemas.ts';
import { currentForm } from './service.ts';
import { sectionPage } from './views.ts';

export async function registerFormBuilder(app: TypedApp, context: AppContext) {
  const kit = builderKit(context);
  const { db, callOf, send, renderBuilder, save, guarded, post } = kit;

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

  registerFieldRoutes(app, kit);
}
