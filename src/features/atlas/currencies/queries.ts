/**
 * The reference list of local currencies and the organisations' acceptance of them. Every write is one transaction
 * with its audit entry; the triggers of migration 0041 renew the Atlas's answers kept in memory.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../../db/database.ts';
import { slugify } from '../../../domain/form-editing.ts';
import { compareFrench } from '../../../domain/french.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { currencySchema, type Currency, type CurrencyInput } from './schemas.ts';

const rowSchema = currencySchema.extend({ id: z.number() });
const columns = sql`m.id::int as id, m.slug, m.nom, m.territoire, m.site_web`;

const byName = <T extends { nom: string }>(list: T[]) => list.sort((a, b) => compareFrench(a.nom, b.nom));

export async function allCurrencies(db: Db) {
  return byName(await checkedRows(db, rowSchema, sql`select ${columns} from monnaie_locale m`));
}

/** The currencies an organisation accepts, by name. */
export async function currenciesOf(db: Db, organisationId: number): Promise<Currency[]> {
  const found = await checkedRows(
    db,
    rowSchema,
    sql`select ${columns} from organisation_monnaie_locale a join monnaie_locale m on m.id = a.monnaie_locale_id
    where a.organisation_id = ${organisationId}`,
  );
  return byName(found.map(({ id: _, ...currency }) => currency));
}

/** The currency of this slug, or a French 400 naming `field`. */
export async function knownCurrency(db: Db, slug: string, field: string): Promise<Currency & { id: number }> {
  const [found] = await checkedRows(db, rowSchema, sql`select ${columns} from monnaie_locale m where m.slug = ${slug}`);
  if (!found) {
    throw new RuleError('monnaie_locale_inconnue', `Monnaie locale inconnue : ${slug}. La liste des monnaies connues est sur /monnaies-locales.`, { field });
  }
  return found;
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

/** Adds a currency to the reference list; a name already there is a 409. */
export async function createCurrency(db: Db, account: CurrentAccount, input: CurrencyInput): Promise<Currency> {
  const slug = slugify(input.nom).replace(/_/g, '-').slice(0, 80).replace(/-+$/, '');
  if (!slug) throw new RuleError('monnaie_locale_nom', 'Le nom doit contenir au moins une lettre ou un chiffre.', { field: 'nom' });
  return db.transaction(async (tx) => {
    const [created] = await checkedRows(
      tx,
      rowSchema,
      sql`insert into monnaie_locale as m (slug, nom, territoire, site_web, created_by)
      values (${slug}, ${input.nom}, ${input.territoire}, ${input.site_web ?? null}, ${account.id})
      on conflict do nothing returning ${columns}`,
    );
    if (!created) throw new RuleError('monnaie_locale_existante', `Une monnaie locale porte déjà ce nom ou cet identifiant (${slug}).`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'monnaie_locale.create',
      object: { kind: 'monnaie_locale', id: created.id },
      details: { slug, nom: input.nom },
    });
    const { id: _, ...currency } = created;
    return currency;
  });
}

/** Replaces the currencies an organisation accepts; every slug must be known (400 naming « monnaies.N »). */
export async function setAcceptance(
  db: Db,
  account: CurrentAccount,
  organisationId: number,
  slugs: readonly string[],
  fieldOf: (index: number) => string = (i) => `monnaies.${i}`,
): Promise<void> {
  const wanted = [...new Set(slugs)];
  await db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const [i, slug] of wanted.entries()) ids.push((await knownCurrency(tx, slug, fieldOf(i))).id);
    await tx.execute(sql`delete from organisation_monnaie_locale where organisation_id = ${organisationId}`);
    for (const id of ids) {
      await tx.execute(sql`insert into organisation_monnaie_locale (organisation_id, monnaie_locale_id) values (${organisationId}, ${id})`);
    }
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'organisation.monnaies_locales',
      object: { kind: 'organisation', id: organisationId },
      details: { monnaies: wanted },
    });
  });
}
