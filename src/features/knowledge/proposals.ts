/**
 * The knowledge base contributed and moderated like the Atlas: a signed-in person with a verified address
 * proposes a new resource or an edit of one; the proposal waits in the queue of the moderators of its région
 * (a resource without région: platform admins), who accept it (the resource and its next version are written
 * in the same transaction) or refuse it with a reason; its author is told by mail either way. An edit carries
 * the resource as its author saw it, so that only the fields it changed are applied, onto the resource as it
 * is at the decision. The decision follows the life of every contribution (domain/contribution.ts: `decide`).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ORIGINAL_VERSION_LABEL } from '../../data/knowledge/load.ts';
import { checkedFirstRow, checkedRows, column, type Db } from '../../db/database.ts';
import { moderatesAny } from '../../domain/authorization.ts';
import { decide } from '../../domain/contribution.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { diffRecords, rebaseEdit } from '../../domain/diff.ts';
import { themeRessource, typeRessource } from '../../domain/knowledge.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { contributionDecisionMail } from '../../platform/mail/templates.ts';
import { readObjectSnapshot, recordFirstVersions } from '../../platform/object-snapshots.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { InvalidForm, readForm } from '../../web/forms.ts';
import { fileStorage } from './attachments.ts';
import { dropProposalFiles, moveProposalFiles } from './proposal-files.ts';

/** The fields of a proposal, in the form's order; a version's snapshot has the same names. */
export const RESOURCE_FIELDS = [
  'titre',
  'type',
  'resume',
  'corps',
  'themes',
  'stades',
  'modeles',
  'region',
  'departement',
  'source',
  'cooperations',
  'dispositifs',
] as const;

export const RESOURCE_LABELS: Record<string, string> = {
  titre: 'Titre',
  type: 'Type de ressource',
  resume: 'Résumé',
  corps: 'Contenu (Markdown)',
  themes: 'Thèmes',
  stades: 'Stades de coopération',
  modeles: 'Modèles de coopération',
  region: 'Région d’origine',
  departement: 'Département d’origine',
  source: 'Source',
  cooperations: 'Coopérations liées',
  dispositifs: 'Dispositifs liés',
};

const ONE_VALUE = 'Ce champ attend une seule valeur : renvoyez le formulaire depuis la page.';
const trimmed = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim().normalize('NFC') : value);
const blankToNull = (value: unknown) => (value === undefined || value === null || trimmed(value) === '' ? null : trimmed(value));

const requiredText = (missing: string, min: number, max: number) =>
  z.preprocess(
    trimmed,
    z
      .string(missing)
      .min(min, missing)
      .max(max, `Ce texte dépasse ${max.toLocaleString('fr-FR')} caractères : raccourcissez-le.`),
  );

const optionalText = (max: number) =>
  z.preprocess(blankToNull, z.string(ONE_VALUE).max(max, `Ce texte dépasse ${max} caractères : raccourcissez-le.`).nullable());

/** Ticked boxes: none, one (a string) or several. */
const choices = <T extends readonly [string, ...string[]]>(codes: T, message: string) =>
  z.preprocess(
    (value) => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.enum(codes, message)),
  );

/** Ids typed in one field — numbers or the addresses of their pages (…/cooperations/12) — or stored as numbers. */
const idList = (message: string) =>
  z
    .preprocess(
      (value) =>
        (Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : []).map((item) => {
          const match = /(?:^|\/)(\d{1,15})\/?$/.exec(String(item));
          return match ? Number(match[1]) : Number.NaN;
        }),
      z.array(z.number(message).int(message).positive(message), message).max(50, 'Indiquez 50 liens au plus.'),
    )
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

/** The proposal form's schema; the territory is checked against the COG and the région follows the département. */
export function resourceProposalSchema(index: TerritoryIndex) {
  return z
    .object({
      titre: requiredText('Indiquez le titre de la ressource (3 caractères au moins).', 3, 300),
      type: z.preprocess(blankToNull, z.enum(typeRessource.codes, 'Choisissez le type de ressource dans la liste proposée.')),
      resume: requiredText('Résumez la ressource en une ou deux phrases (10 caractères au moins).', 10, 1000),
      corps: requiredText('Écrivez le contenu de la ressource (20 caractères au moins).', 20, 100_000),
      themes: choices(themeRessource.codes, 'Choisissez les thèmes dans la liste proposée.'),
      stades: choices(stade.codes, 'Choisissez les stades dans la liste proposée.'),
      modeles: choices(modele.codes, 'Choisissez les modèles dans la liste proposée.'),
      region: z.preprocess(
        blankToNull,
        z
          .string(ONE_VALUE)
          .refine((code) => index.has('region', code), 'Choisissez la région dans la liste proposée.')
          .nullable(),
      ),
      departement: z.preprocess(
        blankToNull,
        z
          .string(ONE_VALUE)
          .refine((code) => index.has('departement', code), 'Ce département n’existe pas : choisissez-le dans la liste proposée.')
          .nullable(),
      ),
      source: optionalText(500),
      cooperations: idList('Indiquez les numéros des coopérations (ex. 12), séparés par des virgules.'),
      dispositifs: idList('Indiquez les numéros des dispositifs (ex. 7), séparés par des virgules.'),
    })
    .superRefine((data, context) => {
      const regionOfDepartement = data.departement === null ? null : index.departements.get(data.departement)?.regionCode;
      if (data.region !== null && regionOfDepartement && regionOfDepartement !== data.region)
        context.addIssue({ code: 'custom', path: ['departement'], message: 'Ce département n’est pas dans la région choisie : corrigez l’un ou l’autre.' });
    })
    .transform((data) => ({ ...data, region: data.departement ? (index.departements.get(data.departement)?.regionCode ?? data.region) : data.region }));
}

export type ResourceProposal = z.output<ReturnType<typeof resourceProposalSchema>>;

/** What a form posted, by field: text fields once, boxes as lists. */
export function proposalInput(body: unknown): Record<string, unknown> {
  const posted = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(RESOURCE_FIELDS.map((field) => [field, posted[field]]));
}

/** Refuses links to cooperations or schemes that do not exist, naming the field. */
async function ensureLinks(db: Db, data: ResourceProposal): Promise<void> {
  for (const [field, table, what] of [
    ['cooperations', 'cooperation', 'Aucune coopération'],
    ['dispositifs', 'dispositif', 'Aucun dispositif'],
  ] as const) {
    const ids = data[field];
    if (!ids.length) continue;
    const found = await checkedRows(
      db,
      z.object({ id: z.number().int() }),
      sql`select id::int as id from ${sql.raw(table)} where id = any(${`{${ids.join(',')}}`}::bigint[])`,
    );
    const missing = ids.filter((id) => !found.some((row) => row.id === id));
    if (missing.length)
      throw new RuleError('lien_inconnu', `${what} ne porte ${missing.length > 1 ? 'les numéros' : 'le numéro'} ${missing.join(', ')} : vérifiez-les.`, {
        field,
      });
  }
}

/** The resource as its versions keep it, or undefined. */
export const resourceSnapshot = (db: Db, id: number) => readObjectSnapshot<Record<string, unknown>>(db, 'ressource', id);

/** The régions whose moderators decide: those of the proposal and, for an edit, of the resource as it was. */
const regionsOf = (data: ResourceProposal, base: Record<string, unknown> | null) =>
  [...new Set([data.region, base?.region].filter((code): code is string => typeof code === 'string'))].sort();

/** Puts a proposal in the queue (nothing is written when it refuses); returns its number. */
export async function submitResourceProposal(
  context: AppContext,
  author: CurrentAccount,
  target: { id: number; base: Record<string, unknown> } | null,
  data: ResourceProposal,
): Promise<number> {
  const db = context.database.db;
  if (target && diffRecords(target.base, data, RESOURCE_FIELDS).length === 0)
    throw new InvalidForm([{ field: '', message: 'Vous n’avez modifié aucun champ : rien n’est envoyé.' }]);
  await ensureLinks(db, data);
  const created = await checkedFirstRow(
    db,
    z.object({ id: z.number().int() }),
    sql`insert into ressource_proposal (action, ressource_id, data, base, region_codes, author_id)
    values (${target ? 'modification' : 'creation'}, ${target?.id ?? null}, ${JSON.stringify(data)}::jsonb,
      ${target ? JSON.stringify(target.base) : null}::jsonb, ${`{${regionsOf(data, target?.base ?? null).join(',')}}`}::text[], ${author.id})
    returning id::int as id`,
  );
  return created!.id;
}

const proposalRow = z.object({
  id: z.number().int(),
  action: z.enum(['creation', 'modification']),
  ressource_id: z.number().int().nullable(),
  titre_actuel: z.string().nullable(),
  data: column.json,
  base: column.json.nullable(),
  region_codes: z.array(z.string()),
  status: z.enum(['en_attente', 'acceptee', 'refusee']),
  author_id: z.number().int().nullable(),
  author_name: z.string().nullable(),
  reason: z.string().nullable(),
  version: z.number().int().nullable(),
  created_at: z.coerce.date(),
  decided_at: z.coerce.date().nullable(),
});
export type ResourceProposalRow = z.output<typeof proposalRow>;

const PROPOSAL_COLUMNS = sql`p.id::int as id, p.action, p.ressource_id::int as ressource_id, r.titre as titre_actuel, p.data, p.base, p.region_codes,
  p.status, p.author_id::int as author_id, case when a.deleted_at is null then a.display_name end as author_name, p.reason, p.version,
  p.created_at, p.decided_at`;

export async function findResourceProposal(db: Db, id: number, lock = false): Promise<ResourceProposalRow | undefined> {
  return checkedFirstRow(
    db,
    proposalRow,
    sql`select ${PROPOSAL_COLUMNS} from ressource_proposal p left join ressource r on r.id = p.ressource_id
    left join account a on a.id = p.author_id where p.id = ${id} ${lock ? sql`for update of p` : sql``}`,
  );
}

const pendingRow = z.object({
  id: z.number().int(),
  action: z.enum(['creation', 'modification']),
  titre: z.string(),
  region_codes: z.array(z.string()),
  author_name: z.string().nullable(),
  fichiers: z.number().int(),
  created_at: z.coerce.date(),
});
export type PendingResourceProposal = z.output<typeof pendingRow>;

/** Waiting proposals of these régions ('all': every one, national ones included), oldest first. */
export async function pendingResourceProposals(db: Db, regions: 'all' | string[]): Promise<PendingResourceProposal[]> {
  const mine = regions === 'all' ? sql`true` : sql`p.region_codes && ${`{${regions.join(',')}}`}::text[]`;
  return checkedRows(
    db,
    pendingRow,
    sql`select p.id::int as id, p.action, coalesce(r.titre, p.data->>'titre') as titre, p.region_codes,
      case when a.deleted_at is null then a.display_name end as author_name,
      (select count(*)::int from ressource_fichier f where f.proposal_id = p.id) as fichiers, p.created_at
    from ressource_proposal p left join ressource r on r.id = p.ressource_id left join account a on a.id = p.author_id
    where p.status = 'en_attente' and ${mine} order by p.created_at, p.id limit 200`,
  );
}

/** Writes the resource (a new one when `id` is null) and its links from an accepted proposal; returns its id. */
async function writeResource(tx: Db, id: number | null, data: ResourceProposal): Promise<number> {
  const arrays = (list: readonly string[]) => `{${list.join(',')}}`;
  const values = sql`${data.titre}, ${data.type}, ${data.resume}, ${data.corps}, ${arrays(data.themes)}::text[], ${arrays(data.stades)}::text[],
    ${arrays(data.modeles)}::text[], ${data.region}, ${data.departement}, ${data.source}`;
  const written = await checkedFirstRow(
    tx,
    z.object({ id: z.number().int() }),
    id === null
      ? sql`insert into ressource (titre, type, resume, corps, themes, stades, modeles, region_code, departement_code, source)
        values (${values}) returning id::int as id`
      : sql`update ressource set (titre, type, resume, corps, themes, stades, modeles, region_code, departement_code, source, updated_at)
        = (${values}, now()) where id = ${id} returning id::int as id`,
  );
  const resourceId = written!.id;
  await tx.execute(sql`delete from ressource_cooperation where ressource_id = ${resourceId}`);
  await tx.execute(sql`delete from ressource_dispositif where ressource_id = ${resourceId}`);
  if (data.cooperations.length)
    await tx.execute(
      sql`insert into ressource_cooperation (ressource_id, cooperation_id) select ${resourceId}, unnest(${arrays(data.cooperations.map(String))}::bigint[])`,
    );
  if (data.dispositifs.length)
    await tx.execute(
      sql`insert into ressource_dispositif (ressource_id, dispositif_id) select ${resourceId}, unnest(${arrays(data.dispositifs.map(String))}::bigint[])`,
    );
  return resourceId;
}

/**
 * Records the resource's current state as its next version (a resource loaded before any had first gets its
 * state before), naming the files the version added (`fichiers_ajoutes`) when there are some.
 */
async function recordResourceVersion(tx: Db, id: number, authorId: number | null, addedFiles: string[]): Promise<number> {
  const last = await checkedFirstRow(
    tx,
    z.object({ version: z.number().int().nullable() }),
    sql`select max(version)::int as version from object_version where kind = 'ressource' and object_id = ${id}`,
  );
  const next = (last?.version ?? 0) + 1;
  const snapshot = { ...(await resourceSnapshot(tx, id)), ...(addedFiles.length ? { fichiers_ajoutes: addedFiles } : {}) };
  await tx.execute(sql`insert into object_version (kind, object_id, version, snapshot, author_id)
    values ('ressource', ${id}, ${next}, ${JSON.stringify(snapshot)}::jsonb, ${authorId})`);
  return next;
}

export type ResourceDecision = { type: 'accepter' } | { type: 'refuser'; motif: string };

/**
 * Accepts (writes the resource, gives it the proposal's files, writes its version) or refuses a waiting
 * proposal (deletes its files), in one transaction that locks it, checks that the moderator holds one of its
 * régions and applies the transition guard; the author's mail is a job of the same transaction. The bytes of
 * a refused proposal's files leave the disk after the commit.
 */
export async function decideResourceProposal(context: AppContext, actor: CurrentAccount, id: number, decision: ResourceDecision): Promise<void> {
  const dropped = await context.database.db.transaction(async (tx) => {
    const p = await findResourceProposal(tx, id, true);
    if (!p) throw new RuleError('proposition_inconnue', `Aucune proposition de ressource ne porte le numéro ${id}.`, { kind: 'not_found' });
    if (!moderatesAny(actor, p.region_codes)) throw forbidden('Cette proposition relève de la modération d’une autre région.');
    const status = decide(p.status, decision);
    let resourceId = p.ressource_id;
    let version: number | null = null;
    let data = p.data;
    if (status === 'acceptee') {
      const schema = resourceProposalSchema(context.territories);
      if (p.action === 'modification') {
        await tx.execute(sql`select id from ressource where id = ${p.ressource_id} for update`);
        const current = await resourceSnapshot(tx, p.ressource_id!);
        if (!current) throw new RuleError('ressource_disparue', 'La ressource que cette proposition modifie n’existe plus.', { kind: 'not_found' });
        data = rebaseEdit(current, p.base ?? {}, p.data);
        await recordFirstVersions(tx, 'ressource', [p.ressource_id!], ORIGINAL_VERSION_LABEL); // a seeded resource loaded before the loader wrote versions
      }
      // Checked again: the COG, the cooperations or the schemes it names may have changed since.
      const checked = readForm(schema, data);
      await ensureLinks(tx, checked);
      resourceId = await writeResource(tx, p.action === 'modification' ? p.ressource_id : null, checked);
      version = await recordResourceVersion(tx, resourceId, p.author_id, await moveProposalFiles(tx, actor, id, resourceId));
      data = checked;
    }
    const reason = decision.type === 'refuser' ? decision.motif.trim() : null;
    const droppedFiles = status === 'refusee' ? await dropProposalFiles(tx, id) : [];
    await tx.execute(sql`update ressource_proposal set status = ${status}, moderator_id = ${actor.id}, reason = ${reason}, decided_at = now(),
      ressource_id = ${resourceId}, version = ${version}, data = ${JSON.stringify(data)}::jsonb where id = ${id}`);
    await recordAudit(tx, {
      actor,
      action: status === 'acceptee' ? 'moderation.accept' : 'moderation.refuse',
      object: { kind: 'ressource_proposal', id },
      details: { ressource: resourceId, version, motif: reason, ...(droppedFiles.length ? { fichiers_supprimes: droppedFiles } : {}) },
    });
    const author = await checkedFirstRow(
      tx,
      z.object({ email: z.string(), display_name: z.string() }),
      sql`select email, display_name from account where id = ${p.author_id} and deleted_at is null`,
    );
    if (author) {
      const path = status === 'acceptee' ? `/ressources/${resourceId}` : `/ressources/propositions/${id}`;
      await enqueueMail(
        tx,
        contributionDecisionMail(author.email, author.display_name, {
          accepted: status === 'acceptee',
          amended: false,
          what: String(data.titre),
          reason,
          link: new URL(path, context.config.BASE_URL).toString(),
        }),
      );
    }
    return droppedFiles;
  });
  const { store } = fileStorage(context.config);
  for (const file of dropped) await store.remove(file);
}

const versionRow = z.object({
  version: z.number().int(),
  snapshot: column.json,
  at: z.coerce.date(),
  author_name: z.string().nullable(),
  deleted_author: z.boolean(),
  source_label: z.string().nullable(),
});
export type ResourceVersion = z.output<typeof versionRow>;

/** Every version of a resource, newest first. */
export async function resourceVersions(db: Db, id: number): Promise<ResourceVersion[]> {
  return checkedRows(
    db,
    versionRow,
    sql`select v.version, v.snapshot, v.at, case when a.deleted_at is null then a.display_name end as author_name,
      (v.author_id is not null and a.deleted_at is not null) or (v.author_id is null and v.source_label is null) as deleted_author, v.source_label
    from object_version v left join account a on a.id = v.author_id
    where v.kind = 'ressource' and v.object_id = ${id} order by v.version desc`,
  );
}
