/**
 * What an import tells its user: the CSV report of every rejected row (French Excel dialect, so that it
 * opens as is), and the French summary printed at the end.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { csvLine, UTF8_BOM } from '../../web/csv.ts';
import type { ImportCounts } from './runs.ts';

export interface Rejection {
  file: string;
  line: number;
  siret: string;
  reason: string;
}

export class RejectionReport {
  /** Creates the report, or continues it when `append` is set and it exists (a resumed import). */
  constructor(
    readonly path: string,
    append: boolean,
    /** What identifies a line of the source: its SIRET, or its RNA id, or its SIREN. */
    identifier: 'siret' | 'rna' | 'siren' = 'siret',
  ) {
    mkdirSync(dirname(path), { recursive: true });
    if (!append || !existsSync(path)) writeFileSync(path, UTF8_BOM + csvLine(['fichier', 'ligne', identifier, 'motif'], 'excel-fr'));
  }

  add(rejections: readonly Rejection[]): void {
    if (rejections.length === 0) return;
    appendFileSync(this.path, rejections.map((r) => csvLine([basename(r.file), r.line, r.siret, r.reason], 'excel-fr')).join(''));
  }
}

/** Where the report of a file goes by default: one per source file, so that a resumed import continues it. */
export function defaultReportPath(dataDir: string, sourceFile: string): string {
  return join(dataDir, 'imports', `rejets-${basename(sourceFile, extname(sourceFile))}.csv`);
}

export interface ImportSummary {
  runId: number;
  /** Totals of the run, previous attempts included when it was resumed. */
  counts: ImportCounts;
  /** Line after which this attempt started (0 for a fresh import). */
  resumedAfterLine: number;
  /** Rows read by this attempt, its duration and its rate. */
  rowsRead: number;
  durationMs: number;
  rowsPerSecond: number;
  reportPath: string;
  /** SIRENE only: legal units read and kept for the join. */
  legalUnits?: { read: number; kept: number };
  /** The imports whose lines are not organisations of their own: associations of the RNA, SIREN of the ESS France list. */
  kind?: 'rna' | 'ess_france';
}

const number = (value: number) => value.toLocaleString('fr-FR');

/** What the lines became, in the words of each import. */
function outcomeLines({ counts, legalUnits, kind }: ImportSummary): (string | undefined)[] {
  if (kind === 'ess_france') {
    return [
      `  SIREN trouvés dans la base : ${number(counts.written)} (déjà marqués ESS : ${number(counts.unchanged)})`,
      `  rejetés (SIREN invalide, ou absent de la base : non créé) : ${number(counts.rejected)}`,
    ];
  }
  return [
    `  importées (nouvelles) : ${number(counts.inserted)}`,
    `  mises à jour : ${number(counts.written - counts.inserted)} (dont inchangées : ${number(counts.unchanged)})`,
    legalUnits && `  ignorées : ${number(counts.closed + counts.notEss)} (fermées : ${number(counts.closed)}, hors ESS : ${number(counts.notEss)})`,
    kind === 'rna' ? `  ignorées (associations dissoutes) : ${number(counts.closed)}` : undefined,
    `  rejetées : ${number(counts.rejected)}`,
  ];
}

export function formatSummary(summary: ImportSummary): string {
  const { counts, legalUnits } = summary;
  const resumed = summary.resumedAfterLine > 0;
  const seconds = (summary.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  return [
    `Import terminé en ${seconds} s${resumed ? ` (repris après la ligne ${number(summary.resumedAfterLine)})` : ''}`,
    legalUnits && `  unités légales lues : ${number(legalUnits.read)} (retenues : ${number(legalUnits.kept)})`,
    `  lignes lues : ${number(counts.read)}${resumed ? ` (dont ${number(summary.rowsRead)} depuis la reprise)` : ''}`,
    ...outcomeLines(summary),
    `  débit : ${number(Math.round(summary.rowsPerSecond))} lignes/s`,
    `Rapport des rejets : ${summary.reportPath}`,
  ]
    .filter(Boolean)
    .join('\n');
}
