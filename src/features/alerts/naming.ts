/** The name an alert gets when its author gives none: what it follows, in words (« Coopérations — Bretagne, PTCE »). */
import type { AlertKind } from '../../domain/alert.ts';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { secteur } from '../../domain/sector.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { MAX_NAME_LENGTH } from './schemas.ts';

const KIND_TITLES: Record<AlertKind, string> = {
  recherche_cooperations: 'Coopérations',
  recherche_organisations: 'Structures',
  recherche_dispositifs: 'Dispositifs',
  profil_orientation: 'Orientation',
  recherche_appels: 'Appels à projets',
};

const LABELS: Record<string, (code: string) => string> = {
  modele: modele.label,
  stade: stade.label,
  finalite: finalite.label,
  modele_economique: modeleEconomique.label,
  secteur: secteur.label,
  type: (code) => ((typeAccompagnement.codes as readonly string[]).includes(code) ? typeAccompagnement.label(code) : typeFinancement.label(code)),
};
/** Parameters worth naming, in this order (the others — booleans, legal forms… — stay in the saved query). */
const NAMED = ['q', 'commune', 'epci', 'departement', 'region', 'territoire', 'modele', 'stade', 'finalite', 'modele_economique', 'secteur', 'type', 'nature'];

export function defaultAlertName(kind: AlertKind, query: Record<string, unknown>, territories: TerritoryIndex): string {
  const parts = NAMED.flatMap((key) => {
    const value = query[key];
    if (typeof value !== 'string' || value === '') return [];
    if (key === 'q') return [`« ${value} »`];
    if (key === 'commune' || key === 'epci' || key === 'departement' || key === 'region') return [territories.name(key, value) ?? value];
    return [LABELS[key]?.(value) ?? value];
  });
  const name = `${KIND_TITLES[kind]} — ${parts.length ? parts.join(', ') : 'toutes les nouveautés'}`;
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH - 1)}…` : name;
}
