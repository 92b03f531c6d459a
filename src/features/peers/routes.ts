/**
 * Peers of a cooperation: the API, the page, its admins' setting (open to transfert de savoir-faire, to
 * visites apprenantes) and the request to meet, sent by mail to the peer's admins without showing anyone's address.
 */
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canEditCooperation } from '../../domain/authorization.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { hit } from '../../platform/http/rate-limit.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { idParams, integerParam } from '../../platform/params.ts';
import { HttpError, notFound } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { sendPage } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { adminAddresses, type CooperationProfile, findPeers, type PeerAnswer, readCooperation } from './queries.ts';

const NOT_FOUND = 'Cette coopération n’existe pas.';
/** A person may ask to meet five peers a day: enough to start, too few to spam the network. */
const REQUESTS_PER_DAY = { name: 'pairs:account', limit: 5, windowSeconds: 24 * 60 * 60 };
const MAX_MESSAGE = 2000;

const peerAnswerSchema = z.object({
  cooperation: z.object({ id: z.number().int(), nom: z.string(), ouverte_transfert: z.boolean(), ouverte_visites: z.boolean() }),
  pairs: z.array(
    z.object({
      id: z.number().int(),
      nom: z.string(),
      modele: modele.schema,
      stade: stade.schema.nullable(),
      commune: z.object({ code: z.string(), nom: z.string() }).nullable(),
      ouverte_transfert: z.boolean().describe('Ouverte au transfert de savoir-faire'),
      ouverte_visites: z.boolean().describe('Ouverte aux visites apprenantes'),
      raisons: z.array(z.string()).describe('Pourquoi elle est proposée : ce qu’elle partage, son avance, son ouverture'),
    }),
  ),
});

const pairParams = z.object({
  id: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant est un nombre entier positif'),
  pair: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant du pair est un nombre entier positif'),
});

const editable = (request: FastifyRequest, c: CooperationProfile) =>
  canEditCooperation(request.account ?? null, { id: c.id, regionCodes: c.region_code ? [c.region_code] : [] });

function peersPage(request: FastifyRequest, answer: PeerAnswer, canAct: boolean, notice?: string): SafeHtml {
  const c = answer.cooperation;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: `/cooperations/${c.id}`, label: c.nom }, { label: 'Pairs' }])}
<h1>Des pairs pour « ${c.nom} »</h1>
${notice ? html`<div class="notice" role="status"><p>${notice}</p></div>` : ''}
<p>Des coopérations qui lui ressemblent (modèle, finalité, modèle économique, secteur), plus avancées, et qui accueillent
le transfert de savoir-faire ou les visites apprenantes (document 001 : « accompagnement par des pairs, visites apprenantes »).</p>
${
  answer.pairs.length
    ? html`<ul>${answer.pairs.map(
        (p) => html`<li><h2><a href="/cooperations/${p.id}">${p.nom}</a></h2>
<p>${modele.label(p.modele)}${p.stade ? ` · ${stade.label(p.stade)}` : ''}${p.commune ? ` · ${p.commune.nom}` : ''}</p>
<p>Pourquoi : ${p.raisons.join(' ; ')}.</p>
${
  canAct
    ? html`<form method="post" action="/cooperations/${c.id}/pairs/${p.id}/demande">${csrfField(request)}
<div class="field"><label for="message-${p.id}">Votre message à « ${p.nom} »</label>
<textarea id="message-${p.id}" name="message" rows="4" maxlength="${MAX_MESSAGE}" required></textarea></div>
<button class="button" type="submit">Demander une rencontre<span class="visually-hidden"> à ${p.nom}</span></button></form>`
    : ''
}</li>`,
      )}</ul>`
    : html`<p>Aucune coopération ouverte aux pairs ne lui ressemble pour l’instant.</p>`
}
${
  canAct
    ? html`<h2>Accueillir des pairs</h2><form method="post" action="/cooperations/${c.id}/pairs/ouverture">${csrfField(request)}
<fieldset class="field"><legend>« ${c.nom} » accueille</legend>
<label><input type="checkbox" name="transfert" value="oui" ${c.ouverte_transfert ? html`checked` : ''}> le transfert de savoir-faire</label>
<label><input type="checkbox" name="visites" value="oui" ${c.ouverte_visites ? html`checked` : ''}> des visites apprenantes</label></fieldset>
<button class="button" type="submit">Enregistrer</button></form>`
    : html`<p>Les administrateurs de cette coopération peuvent demander une rencontre à ces pairs et dire s’ils en accueillent.</p>`
}
<p><a href="/api/v1/cooperations/${c.id}/pairs">Ces pairs en JSON</a></p>`;
}

export async function registerPeers(app: TypedApp, { database, territories, config }: AppContext) {
  const db = database.db;
  const cooperation = async (id: number) => (await readCooperation(db, id)) ?? Promise.reject(notFound(NOT_FOUND));

  app.get(
    '/api/v1/cooperations/:id/pairs',
    {
      schema: {
        tags: ['Coopérations'],
        summary: 'Pairs d’une coopération : semblables, plus avancées, ouvertes au transfert de savoir-faire ou aux visites apprenantes',
        params: idParams,
        response: { 200: peerAnswerSchema },
      },
    },
    async (request) => findPeers(db, territories, await cooperation(request.params.id)),
  );

  app.get('/cooperations/:id/pairs', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const me = await cooperation(request.params.id);
    const notice = {
      demande: 'Votre demande est envoyée aux administrateurs de ce pair ; ni leur adresse ni la vôtre ne sont montrées.',
      ouverture: 'C’est enregistré.',
    }[String((request.query as Record<string, unknown>).fait)];
    return sendPage(reply, { title: `Pairs — ${me.name}`, main: peersPage(request, await findPeers(db, territories, me), editable(request, me), notice) });
  });

  app.post('/cooperations/:id/pairs/ouverture', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const me = await cooperation(request.params.id);
    ensure(editable(request, me));
    const open = (name: string) => formValue(request.body, name) === 'oui';
    await db.execute(
      sql`update cooperation set ouverte_transfert = ${open('transfert')}, ouverte_visites = ${open('visites')}, updated_at = now() where id = ${me.id}`,
    );
    return reply.redirect(`/cooperations/${me.id}/pairs?fait=ouverture`, 303);
  });

  app.post(
    '/cooperations/:id/pairs/:pair/demande',
    { schema: { hide: true, params: pairParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const account = accountOf(request);
      const me = await cooperation(request.params.id);
      ensure(editable(request, me), 'Seuls les administrateurs de la coopération peuvent demander une rencontre en son nom.');
      const message = (formValue(request.body, 'message') ?? '').trim();
      if (message.length === 0 || message.length > MAX_MESSAGE)
        throw new RuleError('pairs.message', `Écrivez un message de 1 à ${MAX_MESSAGE} caractères : qui vous êtes et ce que vous aimeriez voir ou apprendre.`, {
          field: 'message',
        });
      const peer = (await findPeers(db, territories, me)).pairs.find((p) => p.id === request.params.pair);
      if (!peer)
        throw new RuleError(
          'pairs.pas_un_pair',
          'Cette coopération n’est pas proposée comme pair de la vôtre : elle n’accueille pas de pairs, ou ne vous ressemble pas.',
        );
      const recipients = await adminAddresses(db, peer.id);
      if (recipients.length === 0)
        throw new RuleError('pairs.sans_administrateur', 'Ce pair n’a pas encore d’administrateur sur Maillage : contactez-le par son site ou sa fiche.');
      if (!(await hit(db, REQUESTS_PER_DAY, String(account.id))).allowed)
        throw new HttpError(429, `Vous avez envoyé ${REQUESTS_PER_DAY.limit} demandes aujourd’hui : réessayez demain.`);
      const link = new URL(`/cooperations/${me.id}`, config.BASE_URL).toString();
      const subject = `Demande de rencontre : « ${me.name} » aimerait découvrir « ${peer.nom} »`;
      const text = `${account.displayName}, pour la coopération « ${me.name} », vous écrit par Maillage :\n\n${message}\n\nDécouvrir « ${me.name} » : ${link}\nMaillage ne lui a pas donné votre adresse : répondez-lui par les coordonnées de sa fiche si vous le souhaitez.\n`;
      const body = html`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${subject}</title></head><body>
<p>${account.displayName}, pour la coopération « ${me.name} », vous écrit par Maillage :</p><blockquote><p>${message}</p></blockquote>
<p><a href="${link}">Découvrir « ${me.name} »</a>. Maillage ne lui a pas donné votre adresse : répondez-lui par les coordonnées de sa fiche si vous le souhaitez.</p></body></html>`;
      await db.transaction(async (tx) => {
        for (const to of recipients) await enqueueMail(tx, { purpose: 'demande_pairs', to, subject, text, html: body.toString() });
      });
      return reply.redirect(`/cooperations/${me.id}/pairs?fait=demande`, 303);
    },
  );
}
