/**
 * `maillage import rna`: a « waldec » file of the Répertoire national des associations (one per département
 * on data.gouv.fr, `;`-separated, quoted fields allowed). Each active association becomes an organisation with
 * its RNA id, its SIRET when it has one, its object, the address and commune of its seat; it joins the SIRENE
 * record of its SIRET when there is one (rna-writer.ts). Dissolved associations are not imported (counted
 * apart): an organisation has no state column, it would look active. Batches, journal, resume and report are
 * the other imports' (pipeline.ts).
 */
import { isDissolved, rnaProblem, waldecAddress, waldecText, waldecWebsite } from '../../domain/rna.ts';
import { normaliseIdentifier } from '../../domain/siret.ts';
import type { Database } from '../../db/database.ts';
import { columnIndexes, type CsvFile } from './csv-source.ts';
import { type FileImportOptions, importFile } from './line-feed.ts';
import type { Outcome } from './pipeline.ts';
import type { ImportSummary } from './report.ts';
import { associationWriter, type AssociationRow } from './rna-writer.ts';
import { communeProblem, loadCommuneDepartements, MAX_NAME_LENGTH, siretProblem } from './validation.ts';

export const RNA_SOURCE = 'Ministère de l’Intérieur, Répertoire national des associations (RNA, waldec)';

/** Columns of the waldec files this import reads (the files have 39; the others are left aside). */
export const WALDEC_COLUMNS = [
  'id',
  'siret',
  'date_disso',
  'titre',
  'titre_court',
  'objet',
  'adrs_complement',
  'adrs_numvoie',
  'adrs_repetition',
  'adrs_typevoie',
  'adrs_libvoie',
  'adrs_distrib',
  'adrs_codeinsee',
  'adrs_codepostal',
  'adrs_libcommune',
  'siteweb',
  'position',
] as const;

/** « Association loi 1901 ou assimilé » (INSEE catégorie juridique, level II), ESS de droit by the law of 2014. */
const ASSOCIATION_LEGAL_FORM = '92';

const DISSOLVED = { ignored: 'closed' } as const satisfies Outcome;

export type RnaImportOptions = FileImportOptions;

/** The name on the map: the title, or the short title when the title does not fit. */
function associationName(title: string, shortTitle: string): string | null {
  return [title, shortTitle].find((name) => name && name.length <= MAX_NAME_LENGTH) ?? null;
}

/** Turns a waldec row into what to do with it. */
function waldecConverter(file: CsvFile, communes: ReadonlyMap<string, string>) {
  const at = columnIndexes(file, WALDEC_COLUMNS, 'Fichier RNA');
  return (fields: string[]): Outcome<AssociationRow> => {
    const get = (column: (typeof WALDEC_COLUMNS)[number]) => fields[at[column]]!.trim();
    const rna = get('id');
    const problem = rnaProblem(rna);
    if (problem) return { rejected: problem, siret: rna };
    if (isDissolved(get('position'), get('date_disso'))) return DISSOLVED;
    const siret = normaliseIdentifier(get('siret'));
    const commune = get('adrs_codeinsee');
    const refusal = (siret ? siretProblem(siret) : null) ?? communeProblem(commune, communes);
    if (refusal) return { rejected: refusal, siret: rna };
    const name = associationName(waldecText(get('titre')), waldecText(get('titre_court')));
    if (!name) return { rejected: `titre absent ou trop long (plus de ${MAX_NAME_LENGTH} caractères)`, siret: rna };
    return {
      row: {
        rna,
        siret: siret || null,
        siren: siret ? siret.slice(0, 9) : null,
        name,
        legal_form: ASSOCIATION_LEGAL_FORM,
        statut_ess: 'ess_de_droit',
        commune_code: commune,
        address: waldecAddress({
          complement: get('adrs_complement'),
          number: get('adrs_numvoie'),
          repetition: get('adrs_repetition'),
          streetType: get('adrs_typevoie'),
          street: get('adrs_libvoie'),
          distribution: get('adrs_distrib'),
          postcode: get('adrs_codepostal'),
          town: get('adrs_libcommune'),
        }),
        website: waldecWebsite(get('siteweb')),
        description: waldecText(get('objet')) || null,
        source: RNA_SOURCE,
      },
    };
  };
}

export async function importRna(database: Database, options: RnaImportOptions): Promise<ImportSummary> {
  const communes = await loadCommuneDepartements(database.db);
  return importFile(database, options, {
    kind: 'rna',
    label: 'Fichier RNA',
    delimiter: ';',
    writer: associationWriter,
    converter: async (file) => waldecConverter(file, communes),
  });
}
