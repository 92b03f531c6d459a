import { parseArgs } from 'node:util';
import type { Db } from '../../db/database.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { kindOfProjet, saveTerritoireProjet } from './projets.ts';
import { loadTerritoryIndex } from '../../platform/territory-index.ts';

const USAGE = `Usage : maillage territoire-projet --nom NOM --type TYPE [--communes 56011,56237] [--epci 245600465] [--description …] [--source …]
  TYPE : ${kindOfProjet.codes.join(', ')}
  Les communes sont données par leur code COG ; --epci ajoute toutes les communes des EPCI cités (SIREN).
  Un territoire du même nom est remplacé.`;

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];

/** `maillage territoire-projet …`; returns the exit code. */
export async function runTerritoireProjet(db: Db, args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        nom: { type: 'string' },
        type: { type: 'string' },
        communes: { type: 'string' },
        epci: { type: 'string' },
        description: { type: 'string' },
        source: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`Option invalide : ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help || !values.nom || !values.type) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const saved = await saveTerritoireProjet(db, await loadTerritoryIndex(db), {
      name: values.nom,
      kind: values.type as never,
      communes: list(values.communes),
      epcis: list(values.epci),
      description: values.description,
      source: values.source,
    });
    console.log(`Territoire de projet « ${values.nom} » enregistré (${saved.communes} communes) : /territoires/projet/${saved.slug}`);
    return 0;
  } catch (error) {
    if (error instanceof RuleError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}
