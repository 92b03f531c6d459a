/** The files of an application as the form and its pages see them: one per file field, by field key. */
import { sql } from 'drizzle-orm';
import { type Db, checkedRows } from '../../../db/database.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import { z } from 'zod';

export const storedFileRow = z.object({ id: z.string(), champ: z.string(), nom: z.string(), type: z.string(), taille: z.number() });
export type StoredFile = z.infer<typeof storedFileRow>;

export async function storedFiles(db: Db, candidatureId: number): Promise<Record<string, StoredFile>> {
  const found = await checkedRows(
    db,
    storedFileRow,
    sql`select id, field_key as champ, original_name as nom, content_type as type,
      size_bytes::int as taille
    from candidature_fichier where candidature_id = ${candidatureId}`,
  );
  return Object.fromEntries(found.map((f) => [f.champ, f]));
}

/**
 * The answers with each file field set to the file stored for it ({ id, nom }) or left empty: a file field
 * is filled by sending a file, so what a client writes there is never taken, and a value always names a file
 * of this very application.
 */
export function withStoredFiles(definition: FormDefinition, donnees: unknown, stored: Record<string, StoredFile>): Record<string, unknown> {
  const values: Record<string, unknown> = donnees && typeof donnees === 'object' && !Array.isArray(donnees) ? { ...donnees } : {};
  for (const field of definition.sections.flatMap((s) => s.champs)) {
    if (field.type !== 'fichier') continue;
    const file = stored[field.cle];
    if (file) values[field.cle] = { id: file.id, nom: file.nom };
    else delete values[field.cle];
  }
  return values;
}
