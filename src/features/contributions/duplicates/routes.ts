/**
 * The moderators' duplicates (/moderation/doublons): the likely pairs of their régions, the comparison of two
 * records, the merge and « pas un doublon ». Every route is for moderators (requireModerator); the comparison
 * and both decisions also check that the moderator holds the régions of both records (403 otherwise).
 */
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { moderatedRegions } from '../../../domain/authorization.ts';
import { defaultKept, duplicateReason, mergePlan, type FieldSource, type RecordValues } from '../../../domain/duplicates.ts';
import { badRequest } from '../../../web/errors.ts';
import { formValue } from '../../../web/form-body.ts';
import { sendPage } from '../../../web/forms.ts';
import { accountOf, requireModerator } from '../../../platform/http/guards.ts';
import { fieldLabel } from '../form.ts';
import { readSnapshot } from '../objects.ts';
import { MERGE_FIELDS } from '../schemas.ts';
import { integerParam } from '../../../platform/params.ts';
import { duplicatePairs, type DuplicateKind } from './queries.ts';
import { dismissPair, loadPair, mergeRecords, type MergeRequest } from './service.ts';
import { comparePage, duplicatesPage } from './views.ts';

const PAGE = '/moderation/doublons';
const KINDS: Record<'organisations' | 'cooperations', DuplicateKind> = { organisations: 'organisation', cooperations: 'cooperation' };
const recordId = integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant est un nombre entier positif');
const pairParams = z.object({ type: z.enum(['organisations', 'cooperations']), id: recordId, autre: recordId });

const DONE: Record<string, string> = {
  fusion: 'Les deux fiches sont fusionnées : l’ancienne adresse mène à la fiche conservée, dont l’historique montre la fusion.',
  ecartee: 'La paire est écartée : elle ne sera plus proposée comme doublon.',
};

/** The merge asked by the form: the kept record (default: the plan's) and, per field, whose value it takes. */
function mergeRequest(body: unknown, kind: DuplicateKind, ids: [number, number], byDefault: number): MergeRequest {
  const raw = formValue(body, 'conserver');
  const keptId = raw === undefined ? byDefault : Number(raw);
  if (!ids.includes(keptId)) throw badRequest(`Choisissez la fiche conservée : la fiche n° ${ids[0]} ou la fiche n° ${ids[1]}.`);
  const otherId = keptId === ids[0] ? ids[1] : ids[0];
  const choices: Record<string, FieldSource> = {};
  for (const field of MERGE_FIELDS[kind]) {
    const chosen = formValue(body, `choix_${field}`);
    if (chosen === undefined) continue;
    if (Number(chosen) !== keptId && Number(chosen) !== otherId) {
      throw badRequest(`Pour le champ « ${fieldLabel(kind, field)} », choisissez la valeur de la fiche n° ${ids[0]} ou de la fiche n° ${ids[1]}.`);
    }
    choices[field] = Number(chosen) === keptId ? 'conservee' : 'autre';
  }
  return { keptId, otherId, choices };
}

export async function registerDuplicates(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;
  const communeName = (code: string | null) => (code ? (territories.name('commune', code) ?? code) : 'Commune inconnue');

  app.get(PAGE, { schema: { hide: true, querystring: z.object({ fait: z.string().optional() }) }, preHandler: requireModerator }, async (request, reply) => {
    const regions = moderatedRegions(accountOf(request));
    const [organisation, cooperation] = await Promise.all([duplicatePairs(db, 'organisation', regions), duplicatePairs(db, 'cooperation', regions)]);
    const scope =
      regions === 'all'
        ? 'Vous voyez les doublons probables de toutes les régions.'
        : `Doublons probables de vos régions : ${regions.map((code) => territories.name('region', code) ?? code).join(', ')}.`;
    return sendPage(reply, {
      title: 'Doublons probables',
      currentPath: '/moderation',
      main: duplicatesPage({ scope, pairs: { organisation, cooperation }, communeName, message: request.query.fait ? DONE[request.query.fait] : undefined }),
    });
  });

  app.get(`${PAGE}/:type/:id/:autre`, { schema: { hide: true, params: pairParams }, preHandler: requireModerator }, async (request, reply) => {
    const kind = KINDS[request.params.type];
    const records = await loadPair(db, accountOf(request), kind, request.params.id, request.params.autre);
    const [a, b] = records;
    const keptId = defaultKept(a, b);
    const [kept, other] = await Promise.all([readSnapshot(db, kind, keptId), readSnapshot(db, kind, keptId === a.id ? b.id : a.id)]);
    const reason = duplicateReason({ name: a.name, siret: a.siret, commune: a.commune_code }, { name: b.name, siret: b.siret, commune: b.commune_code });
    const plan = mergePlan(MERGE_FIELDS[kind], kept as RecordValues, other as RecordValues);
    return sendPage(reply, {
      title: `Comparer les fiches n° ${a.id} et n° ${b.id}`,
      currentPath: '/moderation',
      main: comparePage(request, { kind, records, reason, plan, keptId, communeName }),
    });
  });

  app.post(`${PAGE}/:type/:id/:autre/fusionner`, { schema: { hide: true, params: pairParams }, preHandler: requireModerator }, async (request, reply) => {
    const kind = KINDS[request.params.type];
    const [a, b] = await loadPair(db, accountOf(request), kind, request.params.id, request.params.autre);
    await mergeRecords(context, accountOf(request), kind, mergeRequest(request.body, kind, [a.id, b.id], defaultKept(a, b)));
    return reply.redirect(`${PAGE}?fait=fusion`, 303);
  });

  app.post(`${PAGE}/:type/:id/:autre/pas-un-doublon`, { schema: { hide: true, params: pairParams }, preHandler: requireModerator }, async (request, reply) => {
    await dismissPair(context, accountOf(request), KINDS[request.params.type], request.params.id, request.params.autre);
    return reply.redirect(`${PAGE}?fait=ecartee`, 303);
  });
}
