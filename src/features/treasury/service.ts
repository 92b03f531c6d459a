/**
 * A treasury plan, checked and forecast, with the schemes of the catalogue that answer its tension months:
 * the orientation engine (src/domain/orientation.ts, fed by the orientation service's data and place) run on
 * the needs the tension raises instead of the matrices of 001.
 */
import type { Db } from '../../db/database.ts';
import { orient } from '../../domain/orientation.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { checkPlan, forecast, monthRanges, treasuryNeeds, type Forecast, type TreasuryPlan } from '../../domain/treasury.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { OrientationInput } from '../orientation/schemas.ts';
import { resolvePlace, type OrientationData } from '../orientation/service.ts';

/** Refuses a tranche naming a scheme the catalogue does not hold (field « tranches.N.dispositif_id »). */
export function checkSchemes(plan: TreasuryPlan, data: OrientationData): void {
  const known = new Set(data.schemes.map((scheme) => scheme.id));
  plan.tranches.forEach((tranche, i) => {
    if (tranche.dispositif_id !== undefined && !known.has(tranche.dispositif_id)) {
      throw new RuleError('dispositif_inconnu', `Aucun dispositif n°${tranche.dispositif_id} au catalogue : retirez cet identifiant ou corrigez-le.`, {
        field: `tranches.${i}.dispositif_id`,
      });
    }
  });
}

/** The plan's forecast, once its months are in order and its schemes known; throws a RuleError otherwise. */
export function checkedForecast(plan: TreasuryPlan, data: OrientationData): Forecast {
  checkPlan(plan);
  checkSchemes(plan, data);
  return forecast(plan);
}

/**
 * Runs a check whose RuleError names its field as the plan's JSON does (« encaissements.2.jusqu_a »), naming it
 * instead as the caller receives it: the API's body nests the plan under « plan », the page form numbers its lines
 * as posted.
 */
export function withFieldsNamed<T>(rename: (field: string) => string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof RuleError && error.field) throw new RuleError(error.code, error.message, { field: rename(error.field), kind: error.kind });
    throw error;
  }
}

/** The schemes that answer the forecast's tension months for this profile, each with « pourquoi ». */
export async function tensionSchemes(db: Db, index: TerritoryIndex, data: OrientationData, result: Forecast, profil: OrientationInput, now = new Date()) {
  const needs = treasuryNeeds(result);
  if (needs.length === 0) return [];
  const place = await resolvePlace(db, index, profil);
  const { dispositifs } = orient(
    {
      profile: {
        modele: profil.modele,
        finalite: profil.finalite,
        modele_economique: profil.modele_economique,
        stade: profil.stade,
        nouveaux_chantiers: profil.nouveaux_chantiers,
      },
      place,
      formesJuridiques: profil.formes_juridiques,
      agrementEsus: profil.agrement_esus,
      now,
    },
    needs,
    data.candidatesFor(place),
  );
  const months = `Mois en tension : ${monthRanges(result.mois_en_tension)}.`;
  return dispositifs.map(({ id, nom, pourquoi }) => ({ id, nom, pourquoi: `${months} ${pourquoi}` }));
}
