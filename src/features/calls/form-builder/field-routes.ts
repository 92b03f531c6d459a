/** The form builder's field pages: add or edit a field (a group's sub-field too), and its save. */
import type { FieldKind, FormDefinition } from '../../../domain/form.ts';
import {
  addField,
  buildField,
  findField,
  FormEditError,
  levelOf,
  precedingFields,
  sectionOf,
  SUB_FIELD_KINDS,
  updateField,
  type FieldRef,
} from '../../../domain/form-editing.ts';
import type { TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { idParams } from '../../../platform/params.ts';
import { notFound } from '../../../web/errors.ts';
import type { BuilderKit } from './routes-kit.ts';
import { fieldInputOf, fieldPageQuery, fieldPlaceSchema, readFieldPost } from './schemas.ts';
import { currentForm } from './service.ts';
import { builderPage, fieldPage, type FieldTarget } from './views.ts';

export function registerFieldRoutes(app: TypedApp, kit: BuilderKit) {
  const { db, deps, callOf, send, save, guarded, post } = kit;
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
}
