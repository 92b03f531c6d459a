/**
 * Analytical cartography (001's proposal): for a stage, how many schemes answer each need on each territory,
 * and so where a need has none (zones blanches). It reuses orientation's data and rules: a scheme answers a
 * need exactly when orientation would say so.
 */
import { stade as stadeEnum } from '../../domain/cooperation.ts';
import { ruleReference, type NeedRule, type Stade } from '../../domain/needs.ts';
import { coveredNeeds, type SchemeForOrientation } from '../../domain/orientation.ts';
import { departementsCovered, regionsOfDepartements, type TerritoryIndex } from '../../platform/territory-index.ts';
import type { OrientationData } from '../orientation/service.ts';

export type CartographyLevel = 'departement' | 'region';

/** The départements (or régions) where a scheme acts, at least partly; null coverage = unknown, left out. */
function areasOf(scheme: SchemeForOrientation, index: TerritoryIndex, level: CartographyLevel): Set<string> {
  if (!scheme.couverture) return new Set();
  const departements = departementsCovered(index, scheme.couverture);
  return level === 'departement' ? departements : regionsOfDepartements(index, departements);
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
  for (const scheme of schemes) {
    const answered = coveredNeeds(scheme, needs);
    if (answered.length === 0) continue;
    if (!scheme.couverture) withoutCoverage.push(scheme.nom);
    for (const area of areasOf(scheme, index, filters.niveau)) {
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
  };
}

export type NeedCoverage = ReturnType<typeof needCoverage>;
