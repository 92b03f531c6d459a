/**
 * Analytical cartography (001's proposal): for a stage, how many schemes answer each need on each territory,
 * and so where a need has none (zones blanches). It reuses orientation's data and rules: a scheme answers a
 * need exactly when orientation would say so.
 */
import { stade as stadeEnum } from '../../domain/cooperation.ts';
import { ruleReference, type NeedRule, type Stade } from '../../domain/needs.ts';
import { coveredNeeds, type SchemeForOrientation } from '../../domain/orientation.ts';
import type { TerritoryIndex } from '../territories/territory-index.ts';
import type { OrientationData } from '../orientation/service.ts';

export type CartographyLevel = 'departement' | 'region';

/** The départements (or régions) where a scheme acts, at least partly; null coverage = unknown, left out. */
function areasOf(scheme: SchemeForOrientation, index: TerritoryIndex, level: CartographyLevel): Set<string> {
  const all = level === 'departement' ? [...index.departements.keys()] : [...index.regions.keys()];
  const couverture = scheme.couverture;
  if (!couverture) return new Set();
  if (couverture.niveau === 'national') return new Set(all);
  const areas = new Set<string>();
  const pick = (departement: string, region: string) => areas.add(level === 'departement' ? departement : region);
  for (const code of couverture.codes) {
    if (couverture.niveau === 'region') {
      if (level === 'region') areas.add(code);
      else for (const d of index.departements.values()) if (d.regionCode === code) areas.add(d.code);
    } else if (couverture.niveau === 'departement') {
      const d = index.departements.get(code);
      if (d) pick(d.code, d.regionCode);
    } else {
      for (const c of index.communes.values()) {
        if ((couverture.niveau === 'epci' && c.epciCode === code) || (couverture.niveau === 'commune' && c.code === code)) pick(c.departementCode, c.regionCode);
      }
    }
  }
  return areas;
}

export interface CoverageFilters { stade: Stade; niveau: CartographyLevel; porteur?: string; besoin?: string }

export function needCoverage(data: OrientationData, index: TerritoryIndex, filters: CoverageFilters, porteurs: Map<number, string[]>) {
  const needs = data.rules.filter((rule) => rule.condition.stades.includes(filters.stade) && (!filters.besoin || rule.code === filters.besoin));
  const schemes = data.schemes.filter((s) => s.actif && (s.stades.length === 0 || s.stades.includes(filters.stade))
    && (!filters.porteur || (porteurs.get(s.id) ?? []).includes(filters.porteur)));
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
        code: need.code, type: need.type, libelle: need.libelle, regle: ruleReference(need),
        zones_blanches: territoires.filter((t) => t.dispositifs === 0).length,
        territoires,
      };
    }),
    dispositifs_sans_couverture_connue: withoutCoverage,
  };
}

export type NeedCoverage = ReturnType<typeof needCoverage>;
