/**
 * The needs a territory leaves without any scheme, stage by stage: the needs of the matrices (001) at that
 * stage that no active scheme available there answers. Orientation's own rules decide: a scheme answers a
 * need when `coveredNeeds` says so, and serves a stage unless its restrictions exclude it (`profileFailures`).
 */
import { stade as stadeEnum } from './cooperation.ts';
import type { NeedRule, Stade } from './needs.ts';
import { coveredNeeds, profileFailures, type SchemeForOrientation } from './orientation.ts';

export interface UncoveredNeeds {
  stade: Stade;
  besoins: NeedRule[];
}

/** `available`: the schemes acting on the territory, at least partly (the catalogue's « disponibles »). */
export function uncoveredNeeds(rules: readonly NeedRule[], available: readonly SchemeForOrientation[]): UncoveredNeeds[] {
  return stadeEnum.codes.map((stade) => {
    const needs = rules.filter((rule) => rule.condition.stades.includes(stade));
    const serving = available.filter((scheme) => scheme.actif && profileFailures({ stades: scheme.stades }, { stade }, [], false).length === 0);
    const answered = new Set(serving.flatMap((scheme) => coveredNeeds(scheme, needs).map((need) => need.code)));
    const seen = new Set<string>();
    // A need may come from several rows of the matrices (one per condition): it is listed once.
    const besoins = needs.filter((need) => !answered.has(need.code) && !seen.has(need.code) && seen.add(need.code));
    return { stade, besoins };
  });
}
