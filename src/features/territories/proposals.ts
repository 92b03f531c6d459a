/**
 * Territoires de projet proposed on the site: a signed-in person gives a name, a kind and the communes or EPCI
 * of the perimeter; the proposal waits in the moderation queue of the régions of its communes, and a moderator
 * of one of them accepts it (the territoire de projet is written in the same transaction) or refuses it with a
 * reason. The decision follows the life of every contribution (domain/contribution.ts: `decide`), and its author
 * is told by mail.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { moderatesAny } from '../../domain/authorization.ts';
import { decide } from '../../domain/contribution.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { contributionDecisionMail } from '../../platform/mail/templates.ts';
import { forbidden } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { kindOfProjet, perimeterCommunes, saveTerritoireProjet, slugify } from './projets.ts';

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim().normalize('NFC') : value);
const ONE_VALUE = 'Ce champ attend une seule valeur : renvoyez le formulaire depuis la page.';

function optionalText(max: number) {
  return z.preprocess(
    (value) => (trimmed(value) === '' ? undefined : trimmed(value)),
    z.string(ONE_VALUE).max(max, `Ce texte dépasse ${max} caractères : raccourcissez-le.`).optional(),
  );
}

/** Codes typed in one field, separated by commas, spaces or line breaks. */
const codes = (message: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : (value ?? [])),
    z.array(z.string(message), message).max(2000, 'Indiquez 2 000 codes au plus.'),
  );

/** Codes of one level, each known to the COG; `unknown` words the refusal of those that are not. */
function knownCodes(index: TerritoryIndex, level: 'commune' | 'epci', separate: string, unknown: (codes: string) => string) {
  return codes(separate).superRefine((list, context) => {
    const missing = list.filter((code) => !index.has(level, code));
    if (missing.length) context.addIssue({ code: 'custom', message: unknown(missing.slice(0, 10).join(', ')) });
  });
}

export function proposalSchema(index: TerritoryIndex) {
  return z
    .object({
      nom: z.preprocess(
        trimmed,
        z
          .string('Indiquez le nom du territoire de projet.')
          .min(2, 'Indiquez le nom du territoire de projet (2 caractères au moins).')
          .max(200, 'Le nom dépasse 200 caractères : raccourcissez-le.'),
      ),
      type: z.preprocess(
        (value) => (value === '' ? undefined : value),
        z.enum(kindOfProjet.codes, 'Choisissez le type de territoire de projet dans la liste proposée.'),
      ),
      communes: knownCodes(
        index,
        'commune',
        'Séparez les codes des communes par des virgules.',
        (list) => `Ces codes ne sont pas des communes du Code officiel géographique : ${list}. Vérifiez-les (ex. 26281 pour Romans-sur-Isère).`,
      ),
      epcis: knownCodes(
        index,
        'epci',
        'Séparez les SIREN des EPCI par des virgules.',
        (list) => `Ces SIREN ne sont pas des EPCI connus : ${list}. Un SIREN d’EPCI compte 9 chiffres (ex. 200068781).`,
      ),
      description: optionalText(2000),
      source: optionalText(500),
    })
    .superRefine((data, context) => {
      if (data.communes.length + data.epcis.length === 0) {
        context.addIssue({ code: 'custom', path: ['communes'], message: 'Indiquez au moins une commune ou un EPCI du territoire.' });
      }
    });
}

export type TerritoireProposal = z.output<ReturnType<typeof proposalSchema>>;

const nameRow = z.object({ name: z.string() });

async function ensureNameFree(db: Db, name: string): Promise<void> {
  const taken = await checkedFirstRow(db, nameRow, sql`select name from territoire_projet where slug = ${slugify(name)}`);
  if (taken) {
    throw new RuleError('territoire_projet_existant', `Un territoire de projet porte déjà ce nom (« ${taken.name} ») : choisissez un autre nom.`, {
      field: 'nom',
    });
  }
}

/** Puts the proposal in the queue of the régions of its communes; returns its number. */
export async function submitTerritoireProposal(context: AppContext, author: CurrentAccount, data: TerritoireProposal): Promise<number> {
  const db = context.database.db;
  await ensureNameFree(db, data.nom);
  const index = context.territories;
  const regions = new Set<string>();
  for (const code of perimeterCommunes(index, data.communes, data.epcis)) {
    const region = index.communes.get(code)?.regionCode;
    if (region) regions.add(region);
  }
  const created = await checkedFirstRow(
    db,
    idRow,
    sql`insert into territoire_projet_proposal (name, kind, communes, epcis, description, source, region_codes, author_id)
    values (${data.nom}, ${data.type}, string_to_array(${data.communes.join(',')}, ','), string_to_array(${data.epcis.join(',')}, ','),
      ${data.description ?? null}, ${data.source ?? null}, string_to_array(${[...regions].sort().join(',')}, ','), ${author.id})
    returning id::int as id`,
  );
  return created!.id;
}

const proposalRow = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  communes: z.array(z.string()),
  epcis: z.array(z.string()),
  description: z.string().nullable(),
  source: z.string().nullable(),
  region_codes: z.array(z.string()),
  status: z.enum(['en_attente', 'acceptee', 'refusee']),
  author_name: z.string().nullable(),
  reason: z.string().nullable(),
  slug: z.string().nullable(),
  created_at: z.coerce.date(),
});

export type TerritoireProposalRow = z.output<typeof proposalRow>;

const PROPOSAL_COLUMNS = sql`p.id::int as id, p.name, p.kind, p.communes, p.epcis, p.description, p.source, p.region_codes, p.status,
  case when a.deleted_at is null then a.display_name end as author_name, p.reason, p.slug, p.created_at`;

export async function findTerritoireProposal(db: Db, id: number): Promise<TerritoireProposalRow | undefined> {
  const [row] = await checkedRows(
    db,
    proposalRow,
    sql`select ${PROPOSAL_COLUMNS} from territoire_projet_proposal p left join account a on a.id = p.author_id where p.id = ${id}`,
  );
  return row;
}

export type TerritoireDecision = { type: 'accepter' } | { type: 'refuser'; motif: string };

const authorRow = z.object({ email: z.string(), display_name: z.string() });

/**
 * Accepts (the territoire de projet is written) or refuses a waiting proposal, in one transaction that locks
 * it, checks that the moderator holds one of its régions and applies the transition guard.
 */
export async function decideTerritoireProposal(context: AppContext, actor: CurrentAccount, id: number, decision: TerritoireDecision) {
  const db = context.database.db;
  await db.transaction(async (tx) => {
    const [p] = await checkedRows(
      tx,
      proposalRow,
      sql`select ${PROPOSAL_COLUMNS} from territoire_projet_proposal p left join account a on a.id = p.author_id where p.id = ${id} for update of p`,
    );
    if (!p) throw new RuleError('proposition_inconnue', `Aucune proposition de territoire de projet ne porte le numéro ${id}.`, { kind: 'not_found' });
    if (!moderatesAny(actor, p.region_codes)) throw forbidden('Cette proposition relève de la modération d’une autre région.');
    const status = decide(p.status, decision);
    let slug: string | null = null;
    if (status === 'acceptee') {
      await ensureNameFree(tx, p.name);
      slug = (
        await saveTerritoireProjet(tx, context.territories, {
          name: p.name,
          kind: p.kind as never,
          communes: p.communes,
          epcis: p.epcis,
          description: p.description ?? undefined,
          source: p.source ?? undefined,
        })
      ).slug;
    }
    const reason = decision.type === 'refuser' ? decision.motif.trim() : null;
    await tx.execute(sql`update territoire_projet_proposal set status = ${status}, moderator_id = ${actor.id}, reason = ${reason},
      slug = ${slug}, decided_at = now() where id = ${id}`);
    await recordAudit(tx, {
      actor,
      action: status === 'acceptee' ? 'moderation.accept' : 'moderation.refuse',
      object: { kind: 'territoire_projet_proposal', id },
      details: { nom: p.name, slug, motif: reason },
    });
    // The author is told, as for every contribution (a mail job, sent once the decision is committed).
    const author = await checkedFirstRow(
      tx,
      authorRow,
      sql`select a.email, a.display_name from territoire_projet_proposal p join account a on a.id = p.author_id and a.deleted_at is null where p.id = ${id}`,
    );
    if (author) {
      await enqueueMail(
        tx,
        contributionDecisionMail(author.email, author.display_name, {
          accepted: status === 'acceptee',
          amended: false,
          what: p.name,
          reason,
          link: new URL(slug ? `/territoires/projet/${slug}` : '/territoires', context.config.BASE_URL).toString(),
        }),
      );
    }
  });
  context.onAtlasChange();
}
