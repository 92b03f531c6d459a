/**
 * Contribution pages: propose a new organisation, cooperation or scheme; propose (or, with the right, make)
 * an edit of one; a contribution's own page; the version history of every object; « Mes contributions ». Error
 * reports are in report-routes.ts, claims in claim-routes.ts, what they share in pages-kit.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { type Db, checkedRows, checkedFirstRow, column } from '../../db/database.ts';
import { isModerator, moderatesAny } from '../../domain/authorization.ts';
import { contributionKind, type ContributionKind } from '../../domain/contribution.ts';
import { diffRecords } from '../../domain/diff.ts';
import { notFound } from '../../web/errors.ts';
import { InvalidForm, submitForm } from '../../web/forms.ts';
import { accountOf, forbidden, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { KIND_PATHS, objectUrl } from './objects.ts';
import { proposalInput, proposalReader } from './schemas.ts';
import { loadTarget, mayEditDirectly, submitProposal } from './service.ts';
import { listVersions } from './versions.ts';
import { contributionPage, historyPage, KIND_ARTICLE, myContributionsPage, newChoicePage, proposalFormPage } from './views.ts';
import { idParams } from '../../platform/params.ts';
import { authorDuplicates } from './duplicates/notices.ts';
import { registerClaims } from './claim-routes.ts';
import { existingName, NOT_FOUND, render } from './pages-kit.ts';
import { registerErrorReports } from './report-routes.ts';

const NEW_SEGMENTS: Record<string, ContributionKind> = { structure: 'organisation', cooperation: 'cooperation', dispositif: 'dispositif' };
const newParams = z.object({
  type: z.enum(
    ['structure', 'cooperation', 'dispositif'],
    'Cette adresse ne mène à aucun formulaire : proposez une structure, une coopération ou un dispositif.',
  ),
});

const mineRow = z.object({
  id: z.number(),
  kind: contributionKind.schema,
  action: z.enum(['creation', 'modification']),
  status: z.string(),
  target_id: z.number().nullable(),
  nom: z.string().nullable(),
  created_at: column.instant,
});

export async function registerContributionPages(app: TypedApp, context: AppContext) {
  registerErrorReports(app, context);
  registerClaims(app, context);
  const { database, territories } = context;
  const db = database.db;
  const section = (kind: ContributionKind) => `/${KIND_PATHS[kind]}`;

  /** Validates a proposal form and submits it; the form again (400) with every error when it is not valid. */
  async function handleProposal(request: FastifyRequest, reply: FastifyReply, kind: ContributionKind, targetId: number | null) {
    const account = accountOf(request);
    const target = targetId === null ? null : ((await loadTarget(db, kind, targetId, context)) ?? null);
    if (targetId !== null && !target) throw notFound(NOT_FOUND[kind](targetId));
    const name = targetId === null ? null : await existingName(db, kind, targetId);
    const direct = !!target && mayEditDirectly(account, kind, target.id, target.current, target.regions);
    const action = target ? 'modification' : 'creation';
    return submitForm({
      reply,
      values: proposalInput(kind, request.body, target?.current),
      parse: proposalReader(kind, action, territories),
      act: async (data) => {
        if (target && diffRecords(target.current, data).length === 0) {
          throw new InvalidForm([{ field: '', message: 'Vous n’avez modifié aucun champ : rien n’est envoyé.' }]);
        }
        return submitProposal(context, account, { kind, action, target, data });
      },
      redirect: (result) =>
        result.type === 'applied' ? `${objectUrl(kind, result.objectId)}/historique` : `/contributions/${result.contributionId}?envoyee=1`,
      render: (status, state) =>
        render(
          reply,
          status,
          name ? `Proposer une modification : ${name}` : `Proposer ${KIND_ARTICLE[kind]}`,
          proposalFormPage(request, { kind, target: target && { id: target.id, name: name! }, state, direct }),
          section(kind),
        ),
    });
  }

  app.get('/contributions/nouvelle', { schema: { hide: true } }, async (_request, reply) => render(reply, 200, 'Proposer une fiche', newChoicePage()));

  app.get('/contributions/nouvelle/:type', { schema: { hide: true, params: newParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const kind = NEW_SEGMENTS[request.params.type]!;
    return render(reply, 200, `Proposer ${KIND_ARTICLE[kind]}`, proposalFormPage(request, { kind, target: null, state: {}, direct: false }), section(kind));
  });

  app.post('/contributions/nouvelle/:type', { schema: { hide: true, params: newParams }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    handleProposal(request, reply, NEW_SEGMENTS[request.params.type]!, null),
  );

  for (const kind of contributionKind.codes) {
    const base = `/${KIND_PATHS[kind]}/:id`;
    app.get(`${base}/modifier`, { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
      const target = await loadTarget(db, kind, request.params.id, context);
      if (!target) throw notFound(NOT_FOUND[kind](request.params.id));
      const name = await existingName(db, kind, target.id);
      const direct = mayEditDirectly(accountOf(request), kind, target.id, target.current, target.regions);
      return render(
        reply,
        200,
        `Proposer une modification : ${name}`,
        proposalFormPage(request, { kind, target: { id: target.id, name }, state: { values: target.current }, direct }),
        section(kind),
      );
    });

    app.post(`${base}/modifier`, { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) =>
      handleProposal(request, reply, kind, request.params.id),
    );

    app.get(`${base}/historique`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const name = await existingName(db, kind, request.params.id);
      const versions = await listVersions(db, kind, request.params.id);
      return render(reply, 200, `Historique : ${name}`, historyPage(kind, request.params.id, name, versions), section(kind));
    });
  }

  // A contribution's page: its author, and the moderators of its régions.
  app.get(
    '/contributions/:id',
    { schema: { hide: true, params: idParams, querystring: z.object({ envoyee: z.string().optional() }) }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const account = accountOf(request);
      const c = await findContribution(db, request.params.id, territories);
      if (!c) throw notFound(`Aucune contribution ne porte le numéro ${request.params.id}.`);
      if (c.author_id !== account.id && !moderatesAny(account, c.region_codes)) throw forbidden();
      const message =
        request.query.envoyee !== undefined ? 'Merci : votre proposition est transmise à la modération. Vous recevrez sa décision par e-mail.' : undefined;
      const warning = message ? await authorDuplicates(db, c, territories) : '';
      return render(reply, 200, `Contribution n° ${c.id}`, contributionPage(c, message, warning));
    },
  );

  // « Mes contributions »: what the signed-in person proposed, and what became of it.
  app.get('/contributions', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const mine = await checkedRows(
      db,
      mineRow,
      sql`select id::int as id, kind, action, status, target_id::int as target_id,
        data->>'nom' as nom, created_at from contribution where author_id = ${accountOf(request).id} order by created_at desc, id desc limit 200`,
    );
    return render(reply, 200, 'Mes contributions', myContributionsPage(mine, isModerator(accountOf(request))));
  });
}

const findContributionRow = z.object({
  id: z.number(),
  kind: contributionKind.schema,
  action: z.enum(['creation', 'modification']),
  status: z.string(),
  data: column.json,
  base: column.json.nullable(),
  target_id: z.number().nullable(),
  reason: z.string().nullable(),
  created_at: column.instant,
  decided_at: column.instant.nullable(),
  author_name: z.string().nullable(),
  author_id: z.number().nullable(),
  region_codes: z.array(z.string()),
});

/** A contribution with its author's name and its régions' names, or undefined. */
export async function findContribution(db: Db, id: number, territories: AppContext['territories']) {
  const row = await checkedFirstRow(
    db,
    findContributionRow,
    sql`
    select c.id::int as id, c.kind, c.action, c.status, c.data, c.base, c.target_id::int as target_id, c.reason, c.created_at, c.decided_at,
      c.author_id::int as author_id, c.region_codes, case when a.deleted_at is null then a.display_name end as author_name
    from contribution c left join account a on a.id = c.author_id where c.id = ${id}`,
  );
  if (!row) return undefined;
  if (!contributionKind.codes.includes(row.kind)) return undefined;
  return { ...row, region_names: row.region_codes.map((code) => territories.name('region', code) ?? code) };
}
