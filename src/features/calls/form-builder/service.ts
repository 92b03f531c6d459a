/**
 * Saving a call's form. Versioning rule: while no application (candidature, draft included) uses the latest
 * version, a save rewrites that version in place; once one does, the save creates version n+1, and every
 * application keeps the version it was filled with. Each save names the version and revision (a hash of the
 * definition) its editor read: anything else means someone saved in between, and the save is refused (a conflict).
 * The whole definition is checked (shape, rules across fields, platform limits) before anything is written,
 * and the write and its audit entry share one transaction.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedFirstRow, column } from '../../../db/database.ts';
import { checkDefinition, formDefinitionSchema, type FormDefinition } from '../../../domain/form.ts';
import { conditionProblems, platformProblems } from '../../../domain/form-editing.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { InvalidForm } from '../../../web/forms.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { z } from 'zod';

export const STALE_MESSAGE =
  'Le formulaire a été modifié entre-temps (dans un autre onglet ou par une autre personne) : ' +
  'rechargez la page pour voir sa dernière version, puis refaites votre modification. Rien n’a été enregistré.';

export interface CurrentForm {
  /** 0 while the call has no form yet. */
  version: number;
  /** A hash of the definition as stored: what an edit form carries back to detect a save in between. */
  revision: string;
  definition: FormDefinition;
  /** Applications (drafts included) using this version. */
  candidatures: number;
  /** Applications on earlier versions. */
  anciennes: number;
}

export function revisionOf(definition: FormDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}

const EMPTY: FormDefinition = { sections: [] };

const currentFormRow = z.object({ version: z.number(), definition: column.jsonAs<FormDefinition>(), candidatures: z.number(), anciennes: z.number() });

export async function currentForm(db: Db, appelId: number): Promise<CurrentForm> {
  const row = await checkedFirstRow(
    db,
    currentFormRow,
    sql`
    select f.version, f.definition,
      (select count(*) from candidature c where c.appel_id = f.appel_id and c.formulaire_version = f.version)::int as candidatures,
      (select count(*) from candidature c where c.appel_id = f.appel_id and c.formulaire_version < f.version)::int as anciennes
    from appel_formulaire f where f.appel_id = ${appelId} order by f.version desc limit 1`,
  );
  const definition = row?.definition ?? EMPTY;
  return { version: row?.version ?? 0, revision: revisionOf(definition), definition, candidatures: row?.candidatures ?? 0, anciennes: row?.anciennes ?? 0 };
}

/** « Section 2, champ 3, champ 1 du groupe : … » from the path of a schema issue. */
function issuePlace(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const index = path[i + 1];
    if (key === 'sections' && typeof index === 'number') {
      parts.push(`section ${index + 1}`);
      i++;
    } else if (key === 'champs' && typeof index === 'number') {
      parts.push(`champ ${index + 1}`);
      i++;
    } else if (key === 'options' && typeof index === 'number') {
      parts.push(`option ${index + 1}`);
      i++;
    } else parts.push(`« ${String(key)} »`);
  }
  const text = parts.join(', ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : 'Formulaire';
}

/** Every problem of a definition, in French: its shape, the rules across its fields and conditions, the platform's limits. */
export function definitionProblems(definition: unknown, maxMb: number): string[] {
  const parsed = formDefinitionSchema.safeParse(definition);
  if (!parsed.success) return parsed.error.issues.slice(0, 20).map((issue) => `${issuePlace(issue.path)} : ${issue.message}`);
  return [...checkDefinition(parsed.data), ...conditionProblems(parsed.data), ...platformProblems(parsed.data, maxMb)];
}

export interface SaveDeps {
  db: Db;
  maxMb: number;
}

const latestRow = z.object({ version: z.number(), definition: column.jsonAs<FormDefinition>() });

/**
 * Applies an edit to the latest version read under lock and writes it by the versioning rule; returns the
 * version written. `problemField`: the input a problem of the whole definition is shown on.
 */
export async function saveForm(
  deps: SaveDeps,
  account: CurrentAccount,
  appelId: number,
  expected: { version: number; revision: string },
  edit: (definition: FormDefinition) => FormDefinition,
  operation: string,
  problemField = 'libelle',
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    // The call's row first: two saves of one call run one after the other. Then the form row FOR UPDATE, which
    // also waits for an application being started on it (its foreign key holds a share lock on that row).
    await tx.execute(sql`select id from appel where id = ${appelId} for update`);
    const latest = await checkedFirstRow(
      tx,
      latestRow,
      sql`select version, definition from appel_formulaire
      where appel_id = ${appelId} order by version desc limit 1 for update`,
    );
    const current = latest ?? { version: 0, definition: EMPTY };
    if (current.version !== expected.version || revisionOf(current.definition) !== expected.revision) throw new RuleError('formulaire_perime', STALE_MESSAGE);
    // An edit the domain refuses throws FormEditError, beside the input it names.
    const next = edit(current.definition);
    const problems = definitionProblems(next, deps.maxMb);
    if (problems.length) throw new InvalidForm(problems.map((message) => ({ field: problemField, message })));
    const used = latest && (await firstRow(tx, sql`select 1 from candidature where appel_id = ${appelId} and formulaire_version = ${latest.version} limit 1`));
    let version: number;
    if (latest && !used) {
      version = latest.version;
      await tx.execute(sql`update appel_formulaire set definition = ${JSON.stringify(next)}::jsonb where appel_id = ${appelId} and version = ${version}`);
    } else {
      version = current.version + 1;
      await tx.execute(sql`insert into appel_formulaire (appel_id, version, definition) values (${appelId}, ${version}, ${JSON.stringify(next)}::jsonb)`);
    }
    await recordAudit(tx, {
      actor: { id: account.id, displayName: account.displayName },
      action: 'appel.formulaire',
      object: { kind: 'appel', id: appelId },
      details: { operation, version, nouvelle_version: version !== current.version },
    });
    return version;
  });
}
