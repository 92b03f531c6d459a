/**
 * The circuit-court charter (document 003, proposal 3: « la rédaction d'une charte par les acteurs des circuits
 * courts »): a structure's admins say it signed it, and the supplier search says so to buyers.
 */
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { canEditOrganisation } from '../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { badRequest, notFound } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { sendPage } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';

const organisationSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  siret: z.string().nullable(),
  region_code: z.string().nullable(),
  signee_le: z.string().nullable(),
});
type CharterOrganisation = z.infer<typeof organisationSchema>;

const SELECT = sql`select id::int as id, name, siret, region_code, to_char(charte_circuit_court_signee_le, 'DD/MM/YYYY') as signee_le from organisation`;

/** The structures a person administers (by the SIRET of their role). */
function administered(db: Db, request: FastifyRequest): Promise<CharterOrganisation[]> {
  const sirets = (request.account?.roles ?? []).filter((g) => g.role === 'organisation_admin').map((g) => g.scopeCode);
  if (sirets.length === 0) return Promise.resolve([]);
  return checkedRows(
    db,
    organisationSchema,
    sql`${SELECT} where siret in (${sql.join(
      sirets.map((s) => sql`${s}`),
      sql`, `,
    )}) order by name`,
  );
}

function charterPage(request: FastifyRequest, organisations: CharterOrganisation[], notice: boolean): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/fournisseurs', label: 'Fournisseurs en circuit court' }, { label: 'Charte' }])}
<h1>La charte des acteurs du circuit court</h1>
${notice ? html`<div class="notice" role="status"><p>C’est enregistré : la recherche de fournisseurs le dit désormais aux acheteurs.</p></div>` : ''}
<p>Le Labo de l’ESS (document 003) propose, plutôt qu’un label ou une norme, « la rédaction d’une charte par les acteurs
utilisant les circuits courts », reprenant les critères « inaliénables au modèle circuit court » : une relation de
« confiance, de solidarité, de transparence et de proximité », au-delà du seul secteur alimentaire.</p>
<p>Une structure qui a signé cette charte peut le déclarer ici ; ses administrateurs en répondent. La recherche de
fournisseurs l’indique à côté de son nom et dans ses exports.</p>
${
  request.account
    ? organisations.length
      ? html`<h2>Vos structures</h2><ul>${organisations.map(
          (o) => html`<li><form method="post" action="/fournisseurs/charte/${o.id}">${csrfField(request)}
<p><strong>${o.name}</strong> : ${o.signee_le ? `charte déclarée signée le ${o.signee_le}` : 'charte non déclarée'}.
<input type="hidden" name="signee" value="${o.signee_le ? 'non' : 'oui'}">
<button class="button" type="submit">${o.signee_le ? 'Retirer la déclaration' : 'Déclarer la charte signée'}<span class="visually-hidden"> pour ${o.name}</span></button></p>
</form></li>`,
        )}</ul>`
      : html`<p>Vous n’administrez aucune structure : revendiquez d’abord la vôtre depuis sa fiche.</p>`
    : html`<p><a href="/compte/connexion?retour=%2Ffournisseurs%2Fcharte">Connectez-vous</a> pour déclarer la charte pour votre structure.</p>`
}`;
}

export function registerCharter(app: TypedApp, { database }: AppContext) {
  const db = database.db;

  app.get('/fournisseurs/charte', { schema: { hide: true } }, async (request, reply) => {
    const notice = (request.query as Record<string, unknown>).enregistre === '1';
    return sendPage(reply, { title: 'Charte du circuit court', main: charterPage(request, await administered(db, request), notice) });
  });

  app.post('/fournisseurs/charte/:id', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    const signee = formValue(request.body, 'signee');
    if (signee !== 'oui' && signee !== 'non') throw badRequest('Choisissez « oui » (charte signée) ou « non » (déclaration retirée).');
    const [organisation] = await checkedRows(db, organisationSchema, sql`${SELECT} where id = ${request.params.id}`);
    if (!organisation) throw notFound('Cette structure n’existe pas.');
    ensure(canEditOrganisation(account, { siret: organisation.siret ?? '', regionCode: organisation.region_code }));
    await db.transaction(async (tx) => {
      await tx.execute(sql`update organisation set charte_circuit_court_signee_le = ${signee === 'oui' ? sql`current_date` : sql`null`},
        updated_at = now() where id = ${organisation.id}`);
      await recordAudit(tx, {
        actor: account,
        action: 'organisation.charte_circuit_court',
        object: { kind: 'organisation', id: organisation.id },
        details: { signee: signee === 'oui' },
      });
    });
    return reply.redirect('/fournisseurs/charte?enregistre=1', 303);
  });
}
