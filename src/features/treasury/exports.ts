/**
 * Exports of a structure's forecast: CSV for French Excel (`;`, UTF-8 BOM, decimal comma) and XLSX (exceljs),
 * one row a month, amounts in euros.
 */
import ExcelJS from 'exceljs';
import type { Forecast } from '../../domain/treasury.ts';
import { csvLine, UTF8_BOM } from '../../web/csv.ts';

const HEADER = ['Mois', 'Solde de début (€)', 'Encaissements (€)', 'Décaissements (€)', 'Solde de fin (€)', 'En tension', 'Causes'];

function rowsOf(result: Forecast): (string | number)[][] {
  return result.mois.map((m) => [
    m.mois,
    m.solde_debut / 100,
    m.encaissements / 100,
    m.decaissements / 100,
    m.solde_fin / 100,
    m.tension ? 'oui' : 'non',
    m.causes.map((c) => c.libelle).join(' '),
  ]);
}

export function forecastCsv(result: Forecast): string {
  return (
    UTF8_BOM +
    csvLine(HEADER, 'excel-fr') +
    rowsOf(result)
      .map((row) => csvLine(row, 'excel-fr'))
      .join('')
  );
}

export async function forecastXlsx(result: Forecast, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet('Trésorerie', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([title]).font = { bold: true };
  sheet.addRow(HEADER).font = { bold: true };
  for (const row of rowsOf(result)) sheet.addRow(row);
  for (const [i, column] of sheet.columns.entries()) {
    column.width = i === 6 ? 80 : 18;
    if (i >= 1 && i <= 4) column.numFmt = '#,##0.00';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** « tresorerie-12-3.csv »: the structure and the plan. */
export function exportName(organisationId: number, planId: number, extension: 'csv' | 'xlsx'): string {
  return `tresorerie-${organisationId}-${planId}.${extension}`;
}
