/**
 * Peers of a cooperation: the API, the page, its admins' setting (open to transfert de savoir-faire, to
 * visites apprenantes) and the request to meet, sent by mail to the peer's admins without showing anyone's address.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canEditCooperation } from '../../domain/authorization.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { hit } from '../../platform/http/rate-limit.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { idParams, integerParam, optionalParam } from '../../platform/params.ts';
import { notFound, TooManyRequests } from '../../web/errors.ts';
import { formValues } from '../../web/form-body.ts';
import { type FormState, sendPage, submitForm } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { adminAddresses, type CooperationProfile, findPeers, peerHeader, readCooperation, setOpenness } from './queries.ts';
import { MAX_MESSAGE, opennessPage, PEERS_ON_COOPERATION_PAGE, peersPage, peersSection, REQUEST_FORM } from './views.ts';

const NOT_FOUND = 'Cette coopération n’existe pas.';
/** A person may ask to meet five peers a day: enough to start, too few to spam the network. */
const REQUESTS_PER_DAY = { name: 'pairs:account', limit: 5, windowSeconds: 24 * 60 * 60 };
const ADMINS_ONLY = 'Seuls les administrateurs de la coopération (et la modération de sa région) disent si elle accueille des pairs.';

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

const editable = (request: FastifyRequest, c: CooperationProfile) =>
  canEditCooperation(request.account ?? null, { id: c.id, regionCodes: c.region_code ? [c.region_code] : [] });

const DONE = {
  demande: 'Votre demande est envoyée aux administrateurs de ce pair ; ni leur adresse ni la vôtre ne sont montrées.',
  ouverture: 'C’est enregistré.',
} as const;
const doneQuery = z.object({ fait: optionalParam(z.enum(Object.keys(DONE) as [keyof typeof DONE])).catch(undefined) });

const requestSchema = z.object({
  pair: integerParam(1, Number.MAX_SAFE_INTEGER, 'choisissez le pair à rencontrer'),
  message: z
    .string({ error: `écrivez un message de 1 à ${MAX_MESSAGE} caractères` })
    .trim()
    .min(1, 'écrivez qui vous êtes et ce que vous aimeriez voir ou apprendre')
    .max(MAX_MESSAGE, `le message compte au plus ${MAX_MESSAGE} caractères`),
});

/** Posted boxes read as the setting they say: ticked « oui », else not. */
const opennessSchema = z.object({ transfert: z.literal('oui').optional(), visites: z.literal('oui').optional() });

/** The section of a cooperation's page (installed by app.ts as a page widget): the closest peers and, for its admins, the request. */
export async function peersWidget({ database, territories }: AppContext, request: FastifyRequest, cooperationId: number): Promise<SafeHtml> {
  const me = await readCooperation(database.db, cooperationId);
  if (!me) return html``;
  return peersSection(request, await findPeers(database.db, territories, me), editable(request, me), {}, PEERS_ON_COOPERATION_PAGE);
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

  const showPeers = async (request: FastifyRequest, reply: FastifyReply, me: CooperationProfile, status: number, state: FormState) =>
    sendPage(reply, { title: `Pairs — ${me.name}`, main: peersPage(request, await findPeers(db, territories, me), editable(request, me), state), status });

  app.get('/cooperations/:id/pairs', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const { fait } = doneQuery.parse(request.query ?? {});
    return showPeers(request, reply, await cooperation(request.params.id), 200, { notice: fait ? DONE[fait] : undefined });
  });

  const showOpenness = (request: FastifyRequest, reply: FastifyReply, me: CooperationProfile, status: number, state: FormState) =>
    sendPage(reply, { title: `Accueillir des pairs — ${me.name}`, main: opennessPage(request, peerHeader(me), state), status });

  app.get('/cooperations/:id/pairs/ouverture', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const me = await cooperation(request.params.id);
    ensure(editable(request, me), ADMINS_ONLY);
    const { fait } = doneQuery.parse(request.query ?? {});
    return showOpenness(request, reply, me, 200, { notice: fait ? DONE[fait] : undefined });
  });

  app.post('/cooperations/:id/pairs/ouverture', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const me = await cooperation(request.params.id);
    ensure(editable(request, me), ADMINS_ONLY);
    return submitForm({
      reply,
      values: formValues(request.body, ['transfert', 'visites']),
      parse: opennessSchema,
      act: (open) => setOpenness(db, accountOf(request), me.id, { transfert: open.transfert === 'oui', visites: open.visites === 'oui' }),
      redirect: () => `/cooperations/${me.id}/pairs/ouverture?fait=ouverture`,
      render: (status, state) => showOpenness(request, reply, me, status, state),
    });
  });

  app.post('/cooperations/:id/pairs/demande', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const account = accountOf(request);
    const me = await cooperation(request.params.id);
    ensure(editable(request, me), 'Seuls les administrateurs de la coopération peuvent demander une rencontre en son nom.');
    return submitForm({
      reply,
      form: REQUEST_FORM,
      values: formValues(request.body, ['pair', 'message']),
      parse: requestSchema,
      act: async ({ pair, message }) => {
        const peer = (await findPeers(db, territories, me)).pairs.find((p) => p.id === pair);
        if (!peer)
          throw new RuleError(
            'pairs.pas_un_pair',
            'Cette coopération n’est pas proposée comme pair de la vôtre : elle n’accueille pas de pairs, ou ne vous ressemble pas.',
          );
        const recipients = await adminAddresses(db, peer.id);
        if (recipients.length === 0)
          throw new RuleError('pairs.sans_administrateur', 'Ce pair n’a pas encore d’administrateur sur Maillage : contactez-le par son site ou sa fiche.');
        const limit = await hit(db, REQUESTS_PER_DAY, String(account.id));
        if (!limit.allowed)
          throw new TooManyRequests(`Vous avez envoyé ${REQUESTS_PER_DAY.limit} demandes aujourd’hui : réessayez demain.`, limit.retryAfterSeconds);
        const link = new URL(`/cooperations/${me.id}`, config.BASE_URL).toString();
        await db.transaction(async (tx) => {
          for (const to of recipients) await enqueueMail(tx, meetingMail(to, { asker: account.displayName, from: me.name, to: peer.nom, message, link }));
        });
      },
      redirect: () => `/cooperations/${me.id}/pairs?fait=demande`,
      render: (status, state) => showPeers(request, reply, me, status, state),
    });
  });
}

function meetingMail(to: string, m: { asker: string; from: string; to: string; message: string; link: string }) {
  const subject = `Demande de rencontre : « ${m.from} » aimerait découvrir « ${m.to} »`;
  const text = `${m.asker}, pour la coopération « ${m.from} », vous écrit par Maillage :\n\n${m.message}\n\nDécouvrir « ${m.from} » : ${m.link}\nMaillage ne lui a pas donné votre adresse : répondez-lui par les coordonnées de sa fiche si vous le souhaitez.\n`;
  const body = html`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${subject}</title></head><body>
<p>${m.asker}, pour la coopération « ${m.from} », vous écrit par Maillage :</p><blockquote><p>${m.message}</p></blockquote>
<p><a href="${m.link}">Découvrir « ${m.from} »</a>. Maillage ne lui a pas donné votre adresse : répondez-lui par les coordonnées de sa fiche si vous le souhaitez.</p></body></html>`;
  return { purpose: 'demande_pairs', to, subject, text, html: body.toString() };
}
