/**
 * `maillage import ess-france`: the « liste des entreprises de l'ESS » (ESS France and the Observatoire national
 * de l'ESS, on data.gouv.fr), a CSV with at least a SIREN column (header variants in domain/ess-list.ts).
 * Every organisation of a listed SIREN (each establishment) is marked ESS: ess_source names the list and its
 * statut_ess leaves « hors ESS » (domain/ess-list.ts). A SIREN absent from the base is reported, not created: the
 * list has no name nor address to create a record from. Batches, journal, resume and report are the other
 * imports' (pipeline.ts); an organisation already marked is not rewritten.
 */
import type pg from 'pg';
import { z } from 'zod';
import { sirenColumn, sirenFromCell, statutEssFromList } from '../../domain/ess-list.ts';
import type { Database } from '../../db/database.ts';
import { ImportInputError } from './errors.ts';
import { type FileImportOptions, importFile } from './line-feed.ts';
import type { BatchWriter, Outcome } from './pipeline.ts';
import type { ImportSummary } from './report.ts';

export const ESS_FRANCE_SOURCE = 'ESS France, liste des entreprises de l’ESS';
const ABSENT = 'SIREN absent de la base : rien n’est créé (importez d’abord ses établissements, par exemple avec l’import SIRENE)';

interface ListedUnit {
  siren: string;
}

export type EssFranceImportOptions = FileImportOptions;

const organisationRow = z.object({
  id: z.number().int(),
  siren: z.string(),
  legal_form: z.string().nullable(),
  statut_ess: z.string().nullable(),
  ess_source: z.string().nullable(),
});

/** Marks the organisations of the batch's SIREN: read them, decide in the domain, update those that change in one statement. */
async function markEss(client: pg.PoolClient, units: ListedUnit[]) {
  const sirens = units.map((unit) => unit.siren);
  const found = (
    await client.query('select id::int as id, siren, legal_form, statut_ess, ess_source from organisation where siren = any($1::text[]) for update', [sirens])
  ).rows.map((row) => organisationRow.parse(row));
  const changes = found
    .map((o) => ({ ...o, statut: statutEssFromList(o.statut_ess, o.legal_form) }))
    .filter((o) => o.statut !== o.statut_ess || o.ess_source !== ESS_FRANCE_SOURCE);
  if (changes.length > 0) {
    await client.query(
      `update organisation o set statut_ess = v.statut, ess_source = $3, updated_at = now()
       from unnest($1::bigint[], $2::text[]) as v(id, statut) where o.id = v.id`,
      [changes.map((o) => o.id), changes.map((o) => o.statut), ESS_FRANCE_SOURCE],
    );
  }
  const present = new Set(found.map((o) => o.siren));
  const updated = new Set(changes.map((o) => o.siren)).size;
  return {
    inserted: 0,
    updated,
    unchanged: present.size - updated,
    refused: new Map(sirens.filter((siren) => !present.has(siren)).map((siren) => [siren, ABSENT])),
  };
}

const listWriter: BatchWriter<ListedUnit> = { identifier: 'siren', key: (unit) => unit.siren, prepare: (units) => (client) => markEss(client, units) };

export async function importEssFrance(database: Database, options: EssFranceImportOptions): Promise<ImportSummary> {
  return importFile(database, options, {
    kind: 'ess_france',
    label: 'Liste ESS France',
    writer: listWriter,
    runOptions: (file) => ({ delimiter: file.delimiter }),
    converter: async (file) => {
      const at = sirenColumn(file.header);
      if (at === -1) {
        throw new ImportInputError(
          `Liste ESS France : colonne SIREN absente (en-têtes acceptés : SIREN, siren, Numéro SIREN, N° SIREN, numero_siren, code_siren, siren_ul ; ` +
            `en-tête du fichier : ${file.header.join(', ')}) (${file.path})`,
        );
      }
      return (fields: string[]): Outcome<ListedUnit> => {
        const cell = sirenFromCell(fields[at]!);
        return 'problem' in cell ? { rejected: cell.problem, siret: fields[at]!.trim() } : { row: cell };
      };
    },
  });
}
