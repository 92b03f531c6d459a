/** The indicator page of a cooperation: its values (public once validated) and, for its editors, the entry form and its funding reports. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { firstValue, formBody, type FormBody } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { allIndicators } from './catalogue.ts';
import { cooperationEntries, saveEntry } from './entries.ts';
import { fundedApplicationsOf } from './reporting.ts';
import { cooperationOf, EDITORS_ONLY, editsCooperation, readEntry } from './routes-kit.ts';
import { entriesPage } from './views.ts';

export function registerEntryPages(app: TypedApp, { database }: AppContext) {
  const db = database.db;

  const showEntries = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const cooperation = await cooperationOf(db, id);
    const editor = editsCooperation(request.account ?? null, cooperation);
    const [entries, indicators, funded] = await Promise.all([
      cooperationEntries(db, id, editor),
      allIndicators(db),
      editor ? fundedApplicationsOf(db, id) : Promise.resolve([]),
    ]);
    const main = entriesPage({ request, cooperation: { id, nom: cooperation.name }, entries, indicators, funded, editor, state });
    return sendPage(reply, { status, title: `Indicateurs — ${cooperation.name}`, main, currentPath: '/cooperations' });
  };

  app.get(
    '/cooperations/:id/indicateurs',
    { schema: { hide: true, params: idParams, querystring: z.object({ saisie: z.string().optional() }) } },
    async (request, reply) =>
      showEntries(request, reply, request.params.id, 200, request.query.saisie ? { notice: 'La valeur est enregistrée : elle attend sa validation.' } : {}),
  );

  app.post(
    '/cooperations/:id/indicateurs',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const account = accountOf(request);
      const cooperation = await cooperationOf(db, request.params.id);
      ensure(editsCooperation(account, cooperation), EDITORS_ONLY);
      const body = request.body as FormBody;
      return submitForm({
        reply,
        values: body,
        act: async () =>
          saveEntry(
            db,
            account,
            cooperation.id,
            await readEntry(db, {
              indicateur: firstValue(body.indicateur),
              periode: firstValue(body.periode),
              valeur: firstValue(body.valeur),
              commentaire: firstValue(body.commentaire),
            }),
          ),
        redirect: () => `/cooperations/${cooperation.id}/indicateurs?saisie=ok`,
        render: (status, state) => showEntries(request, reply, cooperation.id, status, state),
      });
    },
  );
}
