/**
 * Exports of a call's applications with their scores, for its instructors: CSV for French Excel (`;`, UTF-8
 * BOM, decimal comma) and XLSX (exceljs). One row per application: who, state, when, the average note of each
 * criterion, the number of sheets, the weighted total over 100 and the rank.
 */
import ExcelJS from 'exceljs';
import { statutCandidature } from '../../../domain/application.ts';
import { csvLine, UTF8_BOM } from '../../../web/csv.ts';
import type { Comparison } from './queries.ts';

function table(c: Comparison): { header: string[]; body: (string | number | null)[][] } {
  const header = [
    'Numéro de dépôt',
    'Titre',
    'Chef de file',
    'SIRET du chef de file',
    'Compte candidat',
    'Statut',
    'Déposée le',
    ...c.grille.map((k) => `${k.libelle} (${k.min}–${k.max}, poids ${k.poids})`),
    'Fiches de notation',
    'Total pondéré sur 100',
    'Rang',
  ];
  const body = c.lignes.map((l) => [
    l.numero_depot,
    l.titre,
    l.chef_de_file,
    l.chef_siret,
    l.candidat,
    statutCandidature.label(l.statut),
    l.depose_le,
    ...c.grille.map((k) => l.moyennes[k.id] ?? null),
    l.fiches,
    l.total,
    l.rang,
  ]);
  return { header, body };
}

export function comparisonCsv(c: Comparison): string {
  const { header, body } = table(c);
  return UTF8_BOM + csvLine(header, 'excel-fr') + body.map((row) => csvLine(row, 'excel-fr')).join('');
}

export async function comparisonXlsx(c: Comparison, appel: string): Promise<Buffer> {
  const { header, body } = table(c);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet('Candidatures', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([appel]).font = { bold: true };
  sheet.addRow(header).font = { bold: true };
  for (const row of body) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The file name of a call's export. */
export function exportName(appelId: number, extension: 'csv' | 'xlsx'): string {
  return `candidatures-appel-${appelId}.${extension}`;
}
