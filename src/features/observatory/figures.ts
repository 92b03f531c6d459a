/**
 * The figures of the observatory, built once for the page and for their CSV: each bar has its code, its
 * label, its value and the Atlas search that lists what it counts (the same filters, so the search finds
 * exactly that many cooperations).
 */
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import type { Db } from '../../db/database.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { publishedAggregates } from '../indicators/aggregates.ts';
import { searchPageUrl } from '../atlas/urls.ts';
import type { AtlasFilters } from '../atlas/schemas.ts';
import type { CooperationCounts, Dimension } from './queries.ts';
import { REFERENCE_DOCUMENT, REFERENCE_FIGURES } from './reference-figures.ts';

export interface FigureLine {
  code: string;
  label: string;
  value: number;
  /** The Atlas search that produces the figure. */
  href?: string;
  source?: string;
  /** For a reference figure: how many cooperations of that model the Atlas lists. */
  inAtlas?: number;
}

export interface Figure {
  id: FigureId;
  title: string;
  labelHeading: string;
  valueLabel: string;
  lines: FigureLine[];
  note?: string;
}

export const FIGURE_IDS = ['modeles', 'regions', 'stades', 'finalites', 'modeles-economiques', 'chiffres-de-reference', 'indicateur'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

const NOT_SAID = 'Non renseigné';

const search = (filters: Partial<AtlasFilters>) => searchPageUrl('cooperations', filters);

/** One line per code of a vocabulary (zeros included), then the cooperations that do not say. */
function vocabularyLines(counts: Map<string | null, number>, labels: Record<string, string>, filter: (code: string) => Partial<AtlasFilters>): FigureLine[] {
  const lines: FigureLine[] = Object.entries(labels).map(([code, label]) => ({ code, label, value: counts.get(code) ?? 0, href: search(filter(code)) }));
  const unsaid = counts.get(null) ?? 0;
  return unsaid > 0 ? [...lines, { code: '', label: NOT_SAID, value: unsaid }] : lines;
}

function regionLines(counts: Map<string | null, number>, territories: TerritoryIndex, model: string | undefined): FigureLine[] {
  const only = model ? { modele: model as AtlasFilters['modele'] } : {};
  const lines: FigureLine[] = [...territories.regions.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((region) => ({ code: region.code, label: region.name, value: counts.get(region.code) ?? 0, href: search({ ...only, region: region.code }) }));
  const unsaid = counts.get(null) ?? 0;
  return unsaid > 0 ? [...lines, { code: '', label: 'Sans commune connue', value: unsaid }] : lines;
}

export function observatoryFigures(
  counts: CooperationCounts,
  territories: TerritoryIndex,
  model: string | undefined,
): Record<Exclude<FigureId, 'indicateur'>, Figure> {
  const ofDimension = (dimension: Dimension) => counts[dimension];
  const modelLabel = model ? modele.labels[model as keyof typeof modele.labels] : undefined;
  return {
    modeles: {
      id: 'modeles',
      title: 'Coopérations par modèle',
      labelHeading: 'Modèle',
      valueLabel: 'Coopérations',
      lines: vocabularyLines(ofDimension('modele'), modele.labels, (code) => ({ modele: code as AtlasFilters['modele'] })),
    },
    regions: {
      id: 'regions',
      title: modelLabel ? `Coopérations « ${modelLabel} » par région` : 'Coopérations par région',
      labelHeading: 'Région',
      valueLabel: 'Coopérations',
      lines: regionLines(ofDimension('region'), territories, model),
    },
    stades: {
      id: 'stades',
      title: 'Coopérations par stade',
      labelHeading: 'Stade',
      valueLabel: 'Coopérations',
      lines: vocabularyLines(ofDimension('stade'), stade.labels, (code) => ({ stade: code as AtlasFilters['stade'] })),
    },
    finalites: {
      id: 'finalites',
      title: 'Coopérations par finalité (typologie du Labo de l’ESS)',
      labelHeading: 'Finalité',
      valueLabel: 'Coopérations',
      lines: vocabularyLines(ofDimension('finalite'), finalite.labels, (code) => ({ finalite: code as AtlasFilters['finalite'] })),
    },
    'modeles-economiques': {
      id: 'modeles-economiques',
      title: 'Coopérations par modèle économique (typologie du Labo de l’ESS)',
      labelHeading: 'Modèle économique',
      valueLabel: 'Coopérations',
      lines: vocabularyLines(ofDimension('modele_economique'), modeleEconomique.labels, (code) => ({
        modele_economique: code as AtlasFilters['modele_economique'],
      })),
    },
    'chiffres-de-reference': {
      id: 'chiffres-de-reference',
      title: 'Chiffres de référence du Labo de l’ESS',
      labelHeading: 'Chiffre',
      valueLabel: 'Valeur',
      note: REFERENCE_DOCUMENT,
      lines: REFERENCE_FIGURES.map((figure) => ({
        code: figure.code,
        label: figure.libelle,
        value: figure.valeur,
        source: `${figure.source} (cité par le document 001)`,
        href: figure.modele ? search({ modele: figure.modele }) : undefined,
        inAtlas: figure.modele ? (counts.modele.get(figure.modele) ?? 0) : undefined,
      })),
    },
  };
}

/** An indicator's validated values summed by period (the published aggregates), each period linked to the API answer that gives it. */
export async function indicatorFigure(db: Db, territories: TerritoryIndex, code: string): Promise<Figure> {
  const aggregates = await publishedAggregates(db, territories, { indicateur: code, par: 'periode' });
  const api = `/api/v1/indicateurs/${aggregates.indicateur.code}/agregats`;
  return {
    id: 'indicateur',
    title: `${aggregates.indicateur.libelle} (${aggregates.indicateur.unite}), valeurs validées par période`,
    labelHeading: 'Période',
    valueLabel: aggregates.indicateur.unite,
    note: aggregates.indicateur.source,
    lines: aggregates.resultats.map((r) => ({
      code: r.periode,
      label: r.periode,
      value: r.valeur,
      href: `${api}?periode_debut=${r.periode}&periode_fin=${r.periode}`,
      source: `${r.cooperations} coopération${r.cooperations > 1 ? 's' : ''}`,
    })),
  };
}
