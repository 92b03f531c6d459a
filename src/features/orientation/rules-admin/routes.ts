/**
 * /admin/regles-besoins (platform admins only, checked before anything else is read): the versions of the needs
 * rules, each one readable, and the form that saves the next one. A save invalidates orientation's data, so
 * that the very next orientation and cartography of this instance use it (others within 30 s).
 *
 * Here rather than under admin/: the rules are orientation's data, read and cached by orientation, and this
 * keeps features from importing one another.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FieldError } from '../../../domain/rule-error.ts';
import { typeAccompagnement, typeFinancement } from '../../../domain/dispositif.ts';
import type { RuleRevision } from '../../../domain/needs.ts';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { accountOf, requirePlatformAdmin } from '../../../platform/http/guards.ts';
import { integerParam } from '../../../platform/params.ts';
import { notFound } from '../../../web/errors.ts';
import { formBody } from '../../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm, type FormState, type FormValues } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { listRuleSets, readRuleSet, saveRuleSet, type RuleSetEdit } from '../rule-sets.ts';
import type { OrientationDataCache } from '../service.ts';
import { editPage, RULES_ADMIN_PATH, ruleInput, versionPage, versionsPage } from './views.ts';

const MAX_MOTIF = 500;
const versionParams = z.object({ version: integerParam(1, 1_000_000, 'la version est un nombre entier positif') });
const savedQuery = z.object({ version: integerParam(1, 1_000_000, 'version').optional().catch(undefined) });

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === '' ? [] : [String(value)]);

/** Reads the posted form: the base version, the reason, and a revision for each rule whose wording was posted. */
function readEdit(values: FormValues): RuleSetEdit {
  const errors: FieldError[] = [];
  const base = Number(values.version_de_depart);
  if (!Number.isInteger(base) || base < 1) errors.push({ field: '', message: 'Version de départ manquante : rouvrez la page de modification.' });
  const motif = String(values.motif ?? '').trim();
  if (!motif) errors.push({ field: 'motif', message: 'Indiquez le motif de la modification : il reste avec la version.' });
  else if (motif.length > MAX_MOTIF) errors.push({ field: 'motif', message: `Le motif ne peut dépasser ${MAX_MOTIF} caractères.` });
  const revisions: Record<string, RuleRevision> = {};
  for (const name of Object.keys(values).filter((key) => key.endsWith('.libelle'))) {
    const code = name.slice(0, -'.libelle'.length);
    const kinds = <T extends string>(part: 'accompagnement' | 'financement', allowed: Readonly<Record<T, string>>): T[] => {
      const chosen = list(values[ruleInput(code, part)]);
      if (chosen.some((kind) => !(kind in allowed))) errors.push({ field: ruleInput(code, part), message: 'Sorte de dispositif inconnue.' });
      return chosen.filter((kind): kind is T => kind in allowed);
    };
    revisions[code] = {
      libelle: String(values[name] ?? ''),
      couvert_par: { accompagnement: kinds('accompagnement', typeAccompagnement.labels), financement: kinds('financement', typeFinancement.labels) },
    };
  }
  if (errors.length) throw new InvalidForm(errors);
  return { base, motif, revisions };
}

export async function registerNeedsRulesAdmin(app: TypedApp, { database }: AppContext, data: OrientationDataCache) {
  const db = database.db;
  const guarded = { preValidation: requirePlatformAdmin };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/admin' });

  app.get(RULES_ADMIN_PATH, { schema: { hide: true, querystring: savedQuery }, ...guarded }, async (request, reply) => {
    const saved = request.query.version;
    const notice = saved ? `La version ${saved} est enregistrée : l’orientation et la cartographie l’utilisent dès maintenant.` : undefined;
    return send(reply, 200, 'Règles de besoins — Administration', versionsPage(await listRuleSets(db), notice));
  });

  app.get(`${RULES_ADMIN_PATH}/versions/:version`, { schema: { hide: true, params: versionParams }, ...guarded }, async (request, reply) => {
    const ruleSet = await readRuleSet(db, request.params.version);
    if (!ruleSet) throw notFound(`Aucune version ${request.params.version} des règles de besoins.`);
    return send(reply, 200, `Règles de besoins, version ${ruleSet.meta.version} — Administration`, versionPage(ruleSet.meta, ruleSet.rules));
  });

  const editForm = async (reply: FastifyReply, request: Parameters<typeof editPage>[0], status: number, state: FormState) => {
    const active = await readRuleSet(db);
    if (!active) throw new Error('Aucune version active des règles de besoins.');
    return send(reply, status, 'Modifier les règles de besoins — Administration', editPage(request, active.meta, active.rules, state));
  };

  app.get(`${RULES_ADMIN_PATH}/modifier`, { schema: { hide: true }, ...guarded }, async (request, reply) => editForm(reply, request, 200, {}));

  app.post(RULES_ADMIN_PATH, { schema: { hide: true, body: formBody }, ...guarded }, async (request, reply) => {
    const account = accountOf(request);
    return submitForm({
      reply,
      values: request.body,
      parse: readEdit,
      act: async (edit) => {
        const version = await saveRuleSet(db, { id: account.id, displayName: account.displayName }, edit);
        data.invalidate();
        return version;
      },
      redirect: (version) => `${RULES_ADMIN_PATH}?version=${version}`,
      render: (status, state) => editForm(reply, request, status, state),
    });
  });
}
