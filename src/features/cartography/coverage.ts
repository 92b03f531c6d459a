/**
 * Analytical cartography (001's proposal): for a stage, how many schemes answer each need on each territory,
 * and so where a need has none (zones blanches). It reuses orientation's data, rules and functions: a scheme
 * answers a need when orientation's `coveredNeeds` says so, and counts on a territory when orientation's
 * `coversPlace` takes the territory in — so a scheme whose source does not give its coverage counts everywhere,
 * as orientation proposes it everywhere (« à vérifier »).
 */
import { stade as stadeEnum } from '../../domain/cooperation.ts';
import { ruleReference, type NeedRule, type Stade } from '../../domain/needs.ts';
import { coveredNeeds, coversPlace, type Place, type SchemeForOrientation } from '../../domain/orientation.ts';
import { departementsCovered, regionsOfDepartements, type TerritoryIndex } from '../../platform/territory-index.ts';
import type { OrientationData } from '../orientation/service.ts';

export type CartographyLevel = 'departement' | 'region';

/** The rule of the page, in one sentence (shown under the title). */
export const COVERAGE_RULE =
  'Un dispositif compte sur un territoire quand il répond au besoin, qu’il est ouvert au stade choisi et que sa couverture comprend ce territoire, même en partie ; un dispositif dont la source ne donne pas la couverture compte partout, comme dans l’orientation qui le propose en signalant la couverture à vérifier.';

/**
 * A scheme's coverage seen at the map's level: the départements (or régions) where it acts, at least partly,
 * so that orientation's `coversPlace` decides for a whole area. National and unknown coverages stay as they are.
 */
function coverageAt(couverture: SchemeForOrientation['couverture'], index: TerritoryIndex, level: CartographyLevel): SchemeForOrientation['couverture'] {
  if (!couverture || couverture.niveau === 'national') return couverture;
  const departements = departementsCovered(index, couverture);
  return { ...couverture, niveau: level, codes: [...(level === 'departement' ? departements : regionsOfDepartements(index, departements))] };
}

export interface CoverageFilters {
  stade: Stade;
  niveau: CartographyLevel;
  porteur?: string;
  besoin?: string;
}

export function needCoverage(data: OrientationData, index: TerritoryIndex, filters: CoverageFilters, porteurs: Map<number, string[]>) {
  const needs = data.rules.filter((rule) => rule.condition.stades.includes(filters.stade) && (!filters.besoin || rule.code === filters.besoin));
  const schemes = data.schemes.filter(
    (s) => s.actif && (s.stades.length === 0 || s.stades.includes(filters.stade)) && (!filters.porteur || (porteurs.get(s.id) ?? []).includes(filters.porteur)),
  );
  const areaCodes = filters.niveau === 'departement' ? [...index.departements.keys()] : [...index.regions.keys()];
  const counts = new Map<string, Map<string, number>>(needs.map((need) => [need.code, new Map(areaCodes.map((code) => [code, 0]))]));
  const withoutCoverage: string[] = [];
  const places: Place[] = areaCodes.map((code) => ({ [filters.niveau]: code, label: code }));
  for (const scheme of schemes) {
    const answered = coveredNeeds(scheme, needs);
    if (answered.length === 0) continue;
    if (!scheme.couverture) withoutCoverage.push(scheme.nom);
    const couverture = coverageAt(scheme.couverture, index, filters.niveau);
    for (const place of places) {
      if (coversPlace(couverture, place) !== true) continue;
      const area = place[filters.niveau]!;
      for (const need of answered) {
        const perArea = counts.get(need.code)!;
        perArea.set(area, (perArea.get(area) ?? 0) + 1);
      }
    }
  }
  const nameOf = (code: string) => (filters.niveau === 'departement' ? index.name('departement', code) : index.name('region', code)) ?? code;
  return {
    stade: filters.stade,
    libelle_stade: stadeEnum.label(filters.stade),
    niveau: filters.niveau,
    porteur: filters.porteur ?? null,
    besoins: needs.map((need: NeedRule) => {
      const perArea = counts.get(need.code)!;
      const territoires = [...perArea].map(([code, dispositifs]) => ({ code, nom: nameOf(code), dispositifs }));
      return {
        code: need.code,
        type: need.type,
        libelle: need.libelle,
        regle: ruleReference(need),
        zones_blanches: territoires.filter((t) => t.dispositifs === 0).length,
        territoires,
      };
    }),
    dispositifs_sans_couverture_connue: withoutCoverage,
    regle_couverture: COVERAGE_RULE,
    version_regles: data.version,
  };
}

export type NeedCoverage = ReturnType<typeof needCoverage>;
