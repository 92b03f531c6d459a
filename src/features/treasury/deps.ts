/** What the treasury's routes share: the database, the orientation data, the structure of a member, a saved plan's forecast. */
import type { FastifyRequest } from 'fastify';
import { keepsTreasuryOf } from '../../domain/authorization.ts';
import type { AppContext } from '../../platform/app-context.ts';
import { accountOf, ensure } from '../../platform/http/guards.ts';
import { idParams, integerParam } from '../../platform/params.ts';
import type { OrientationDataCache } from '../orientation/service.ts';
import { agreementTranches, savedPlan, structureOf, type Structure } from './queries.ts';
import type { SimulationInput } from './schemas.ts';
import { checkedForecast, tensionSchemes, withFieldsNamed } from './service.ts';

export const planParams = idParams.extend({
  plan: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant du plan est un nombre entier positif').describe('Identifiant du plan'),
});

const MEMBERS_ONLY = 'Les plans de trésorerie d’une structure sont réservés à ses membres.';

export type TreasuryDeps = ReturnType<typeof treasuryDeps>;

export function treasuryDeps(context: AppContext, orientationData: OrientationDataCache) {
  const { database, territories } = context;
  const db = database.db;

  /** The structure, once the signed-in person is checked to belong to it. */
  const memberStructure = async (request: FastifyRequest, id: number): Promise<Structure> => {
    const structure = await structureOf(db, id);
    ensure(structure.siret !== null && keepsTreasuryOf(accountOf(request), structure.siret), MEMBERS_ONLY);
    return structure;
  };

  /** A saved plan forecast with what the structure's agreements still owe, and the schemes for its tensions. */
  const savedForecast = async (structure: Structure, planId: number) => {
    const saved = await savedPlan(db, structure.id, planId);
    const { profil, ...plan } = saved.plan;
    const owed = saved.avec_conventions ? await agreementTranches(db, structure.siret, plan.debut) : [];
    const data = await orientationData.get();
    const result = checkedForecast({ ...plan, tranches: [...plan.tranches, ...owed] }, data);
    const dispositifs = profil ? await tensionSchemes(db, territories, data, result, profil) : [];
    return { ...saved, tranches_conventions: owed, ...result, dispositifs };
  };

  /** The stateless simulation: the forecast of a plan, and the schemes for its tensions when a profile is given. */
  const simulate = async ({ profil, ...plan }: SimulationInput) => {
    const data = await orientationData.get();
    const result = checkedForecast(plan, data);
    const dispositifs = profil ? await tensionSchemes(db, territories, data, result, profil) : [];
    return { ...result, dispositifs };
  };

  /** Checks a plan as the simulation would (months in order, known schemes) before anything is written; `rename` names the field at fault. */
  const checkPlanToWrite = async (plan: SimulationInput, rename: (field: string) => string) => {
    const data = await orientationData.get();
    withFieldsNamed(rename, () => checkedForecast(plan, data));
  };

  return { db, territories, memberStructure, savedForecast, simulate, checkPlanToWrite };
}
