/**
 * A table as the two files people open in a spreadsheet: CSV for French Excel (`;`, UTF-8 BOM, decimal comma,
 * formulas neutralised by csv.ts) and XLSX (exceljs) with a title row, a bold header and the money columns
 * formatted. Amounts are given in euros (cents / 100) by the caller.
 */
import ExcelJS from 'exceljs';
import { csvLine, UTF8_BOM } from './csv.ts';

export type Cell = string | number | null;

export interface SheetTable {
  /** The sheet's name (31 characters at most in Excel). */
  sheet: string;
  /** The first row of the XLSX file: what the table is. */
  title: string;
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Indices of the columns holding euros. */
  moneyColumns?: readonly number[];
}

export function tableCsv({ header, rows }: Pick<SheetTable, 'header' | 'rows'>): string {
  return UTF8_BOM + csvLine(header, 'excel-fr') + rows.map((row) => csvLine(row, 'excel-fr')).join('');
}

export async function tableXlsx(table: SheetTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([table.title]).font = { bold: true };
  sheet.addRow([...table.header]).font = { bold: true };
  for (const row of table.rows) sheet.addRow([...row]);
  for (const [i, column] of sheet.columns.entries()) {
    column.width = 20;
    if (table.moneyColumns?.includes(i)) column.numFmt = '#,##0.00';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
