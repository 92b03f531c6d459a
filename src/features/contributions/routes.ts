/**
 * Contribution pages: propose a new organisation, cooperation or scheme; propose (or, with the right, make)
 * an edit of one; a contribution's own page; the version history of every object; error reports (visitors
 * too, rate-limited) and claims of an organisation by its SIRET.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { firstRow, rows, type Db } from '../../db/database.ts';
import { isModerator, moderatesAny } from '../../domain/authorization.ts';
import { contributionKind, type ContributionKind } from '../../domain/contribution.ts';
import { diffRecords } from '../../domain/diff.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { notFound, TooManyRequests } from '../../web/errors.ts';
import { formValues } from '../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { accountOf, forbidden, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { hit, type RateRule } from '../../platform/http/rate-limit.ts';
import { KIND_PATHS, objectName, objectRegions, objectUrl } from './objects.ts';
import { claimRole, claimSchema, proposalInput, proposalReader, reportSchema } from './schemas.ts';
import { loadTarget, mayEditDirectly, submitProposal } from './service.ts';
import { listVersions } from './versions.ts';
import {
  claimFormPage,
  claimSentPage,
  contributionPage,
  historyPage,
  KIND_ARTICLE,
  myContributionsPage,
  newChoicePage,
  proposalFormPage,
  reportFormPage,
  reportSentPage,
  type ContributionView,
  type MyContribution,
} from './views.ts';
import { idParams } from '../../platform/params.ts';
import { authorDuplicates } from './duplicates/notices.ts';

/** Error reports are open to visitors: counted per address, so that a script cannot flood the queues. */
export const REPORT_RATE: RateRule = { name: 'report:ip', limit: 10, windowSeconds: 60 * 60 };

const NEW_SEGMENTS: Record<string, ContributionKind> = { structure: 'organisation', cooperation: 'cooperation', dispositif: 'dispositif' };
const newParams = z.object({
  type: z.enum(
    ['structure', 'cooperation', 'dispositif'],
    'Cette adresse ne mène à aucun formulaire : proposez une structure, une coopération ou un dispositif.',
  ),
});

const NOT_FOUND: Record<ContributionKind, (id: number) => string> = {
  organisation: (id) => `Aucune structure ne porte l'identifiant ${id}.`,
  cooperation: (id) => `Aucune coopération ne porte l'identifiant ${id}.`,
  dispositif: (id) => `Aucun dispositif ne porte l'identifiant ${id}.`,
};

const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath?: string) =>
  sendPage(reply, { status, title, main, currentPath });

async function existingName(db: Db, kind: ContributionKind, id: number): Promise<string> {
  const name = await objectName(db, kind, id);
  if (name === undefined) throw notFound(NOT_FOUND[kind](id));
  return name;
}

export async function registerContributionPages(app: TypedApp, context: AppContext) {
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

    // Error reports ----------------------------------------------------------------------------------------------
    app.get(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const name = await existingName(db, kind, request.params.id);
      return render(reply, 200, `Signaler une erreur : ${name}`, reportFormPage(request, kind, request.params.id, name, {}), section(kind));
    });

    app.post(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      const name = await existingName(db, kind, id);
      return submitForm({
        reply,
        values: formValues(request.body, ['message', 'email']),
        parse: reportSchema,
        act: async (report) => {
          const limit = await hit(db, REPORT_RATE, request.ip);
          if (!limit.allowed) {
            throw new TooManyRequests('Trop de signalements envoyés depuis votre connexion : patientez une heure avant de réessayer.', limit.retryAfterSeconds);
          }
          const regions = (await objectRegions(db, kind, id, territories)) ?? [];
          await db.execute(sql`insert into error_report (kind, object_id, message, email, account_id, region_codes)
            values (${kind}, ${id}, ${report.message}, ${report.email}, ${request.account?.id ?? null}, string_to_array(${regions.join(',')}, ','))`);
        },
        done: () => render(reply, 200, 'Merci pour votre signalement', reportSentPage(kind, id, name), section(kind)),
        render: (status, state) => render(reply, status, `Signaler une erreur : ${name}`, reportFormPage(request, kind, id, name, state), section(kind)),
      });
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

  // Claims -------------------------------------------------------------------------------------------------------
  async function claimable(id: number) {
    const organisation = await firstRow<{ name: string; siret: string | null; region_code: string | null }>(
      db,
      sql`select name, siret, region_code from organisation where id = ${id}`,
    );
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
        const inserted = await firstRow<{ id: number }>(
          db,
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

  // « Mes contributions »: what the signed-in person proposed, and what became of it.
  app.get('/contributions', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const mine = await rows<MyContribution>(
      db,
      sql`select id::int as id, kind, action, status, target_id::int as target_id,
        data->>'nom' as nom, created_at from contribution where author_id = ${accountOf(request).id} order by created_at desc, id desc limit 200`,
    );
    return render(reply, 200, 'Mes contributions', myContributionsPage(mine, isModerator(accountOf(request))));
  });
}

/** A contribution with its author's name and its régions' names, or undefined. */
export async function findContribution(db: Db, id: number, territories: AppContext['territories']) {
  const row = await firstRow<Omit<ContributionView, 'region_names'> & { author_id: number | null; region_codes: string[] }>(
    db,
    sql`
    select c.id::int as id, c.kind, c.action, c.status, c.data, c.base, c.target_id::int as target_id, c.reason, c.created_at, c.decided_at,
      c.author_id::int as author_id, c.region_codes, case when a.deleted_at is null then a.display_name end as author_name
    from contribution c left join account a on a.id = c.author_id where c.id = ${id}`,
  );
  if (!row) return undefined;
  if (!contributionKind.codes.includes(row.kind)) return undefined;
  return { ...row, region_names: row.region_codes.map((code) => territories.name('region', code) ?? code) };
}
