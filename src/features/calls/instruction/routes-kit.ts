/**
 * What the instruction routes share: the service dependencies, the page sender, the forms loop, the guards and the
 * notices shown after a redirect. Every route is guarded before its schemas (preValidation, see access.ts); forms
 * post with their CSRF field (checked by the accounts hook) and follow the forms toolkit's loop: a redirect on
 * success (with a notice), else the same page with its errors (400 bad input, 409 refused by the rules), with
 * nothing written.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/app-context.ts';
import { accountOf } from '../../../platform/http/guards.ts';
import { idParams } from '../../../platform/params.ts';
import { formBody, type FormBody } from '../../../web/form-body.ts';
import { sendPage, submitForm, type FormState, type Submission } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { accessOf, applicationGuard, callGuard, ownerGuard, type CallAccess } from './access.ts';
import type { InstructionDeps } from './service.ts';

const NOTICES: Record<string, string> = {
  evaluateur: 'La personne est désignée pour évaluer cet appel.',
  retrait: 'La personne n’évalue plus cet appel.',
  critere: 'Le critère est ajouté à la grille.',
  notation: 'Votre fiche de notation est enregistrée.',
  annotation: 'L’annotation est enregistrée.',
  message: 'Le message est envoyé.',
  decision: 'La décision est enregistrée.',
  conflit: 'Votre conflit d’intérêts est déclaré : la candidature ne vous est plus présentée.',
  convention: 'La convention est créée.',
  tranche: 'La tranche est enregistrée.',
  versement: 'Le versement est enregistré.',
  rapport: 'L’échéance de rapport est enregistrée.',
};

export const noticeQuery = z.object({ fait: z.string().max(40).optional(), notifiees: z.coerce.number().int().min(0).optional().catch(undefined) });

export function noticeOf(query: { fait?: string; notifiees?: number }): string | undefined {
  if (query.fait === 'notifications') {
    const n = query.notifiees ?? 0;
    return n
      ? `${n} décision${n > 1 ? 's notifiées' : ' notifiée'} : chaque candidat concerné va la recevoir par courriel.`
      : 'Aucune décision nouvelle à notifier : chacune l’a déjà été.';
  }
  return query.fait ? NOTICES[query.fait] : undefined;
}

/** Renders a page of these routes with a status and the state of its forms (errors, values, notice). */
export type Render = (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => Promise<unknown>;

export function instructionKit(context: AppContext) {
  const db = context.database.db;
  const deps: InstructionDeps = { db, baseUrl: context.config.BASE_URL };
  return {
    db,
    deps,
    territories: context.territories,
    send: (reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath = '/instruction') =>
      sendPage(reply, { status, title, main, currentPath }),
    /** Who reads a call's pages, and as what: their answers depend on it (a reviewer sees only their own scores). */
    viewer: (request: FastifyRequest) => ({ accountId: accountOf(request).id, role: accessOf<CallAccess>(request).role }),
    /** A form of these pages: parse → act, which says where to go → redirect; or the page again (web/forms.ts). */
    submit<T>(
      request: FastifyRequest,
      reply: FastifyReply,
      form: string,
      render: Render,
      parse: Submission<T, string>['parse'],
      act: (input: T) => Promise<string>,
    ) {
      return submitForm({
        reply,
        form,
        values: request.body as FormBody,
        parse,
        act,
        redirect: (to) => to,
        render: (status, state) => render(request, reply, status, state),
      });
    },
    guards: {
      callView: { preValidation: callGuard(db, 'view') },
      callManage: { preValidation: callGuard(db, 'manage') },
      appView: { preValidation: applicationGuard(db, 'view') },
      appManage: { preValidation: applicationGuard(db, 'manage') },
      owner: { preValidation: ownerGuard(db) },
    },
    /** The schema of a form post: hidden from OpenAPI, its path parameters, a urlencoded body. */
    form: (params: z.ZodType = idParams) => ({ hide: true, params, body: formBody }),
  };
}

export type InstructionKit = ReturnType<typeof instructionKit>;
