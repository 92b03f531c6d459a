/** Claims of an organisation by its SIRET: a verified person asks to be its member or admin; the région's moderators decide. */
import { sql } from 'drizzle-orm';
import { checkedFirstRow, idRow } from '../../db/database.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { formValues } from '../../web/form-body.ts';
import { submitForm } from '../../web/forms.ts';
import { NOT_FOUND, render } from './pages-kit.ts';
import { claimRole, claimSchema } from './schemas.ts';
import { claimFormPage, claimSentPage } from './views.ts';
import { z } from 'zod';

const organisationRow = z.object({ name: z.string(), siret: z.string().nullable(), region_code: z.string().nullable() });

export function registerClaims(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  // Claims -------------------------------------------------------------------------------------------------------
  async function claimable(id: number) {
    const organisation = await checkedFirstRow(db, organisationRow, sql`select name, siret, region_code from organisation where id = ${id}`);
    if (!organisation) throw notFound(NOT_FOUND.organisation(id));
    if (!organisation.siret) {
      throw new RuleError(
        'sans_siret',
        'Cette structure n’a pas de SIRET : elle ne peut pas être revendiquée. Proposez d’abord une modification de sa fiche avec son SIRET.',
        { kind: 'invalid' },
      );
    }
    return { ...organisation, siret: organisation.siret };
  }

  app.get('/organisations/:id/revendiquer', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const organisation = await claimable(request.params.id);
    return render(reply, 200, `Revendiquer : ${organisation.name}`, claimFormPage(request, request.params.id, organisation.name, {}), '/organisations');
  });

  app.post('/organisations/:id/revendiquer', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const account = accountOf(request);
    const { id } = request.params;
    const organisation = await claimable(id);
    return submitForm({
      reply,
      values: formValues(request.body, ['role', 'justification']),
      parse: claimSchema,
      act: async (claim) => {
        const inserted = await checkedFirstRow(
          db,
          idRow,
          sql`insert into organisation_claim (organisation_id, siret, account_id, role, justification, region_codes)
          values (${id}, ${organisation.siret}, ${account.id}, ${claimRole[claim.role]}, ${claim.justification},
            string_to_array(${organisation.region_code ?? ''}, ','))
          on conflict (account_id, organisation_id) where status = 'en_attente' do nothing returning id::int as id`,
        );
        if (!inserted) {
          throw new RuleError('demande_en_attente', 'Vous avez déjà une demande en attente pour cette structure : la modération l’examinera.', {
            kind: 'invalid',
          });
        }
      },
      done: () => render(reply, 200, 'Demande envoyée', claimSentPage(id, organisation.name), '/organisations'),
      render: (status, state) =>
        render(reply, status, `Revendiquer : ${organisation.name}`, claimFormPage(request, id, organisation.name, state), '/organisations'),
    });
  });
}
