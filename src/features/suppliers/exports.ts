/**
 * The supplier list a buyer attaches to a tender: CSV for French Excel (`;`, UTF-8 BOM, decimal comma, formulas
 * neutralised by web/csv.ts) and XLSX (exceljs), with the question asked on top of the XLSX sheet.
 */
import ExcelJS from 'exceljs';
import { statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { csvLine, UTF8_BOM } from '../../web/csv.ts';
import type { SupplierAnswer } from './schemas.ts';

const HEADER = [
  'Nom',
  'SIRET',
  'Code NAF',
  'Activité (NAF)',
  'Secteur',
  'Statut ESS',
  'Commune',
  'Code commune',
  'Adresse',
  'Site web',
  'Distance (km)',
  'Charte circuit court signée',
  'Fiche d’exemple',
  'Fiche Maillage',
];

function body(answer: SupplierAnswer, baseUrl: string): (string | number | null)[][] {
  return answer.resultats.map((s) => [
    s.nom,
    s.siret,
    s.code_naf,
    s.libelle_naf,
    s.secteur ? secteur.label(s.secteur) : null,
    statutEss.label(s.statut_ess),
    s.commune?.nom ?? null,
    s.commune?.code ?? null,
    s.adresse,
    s.site_web,
    s.distance_km,
    s.charte_circuit_court ? 'oui' : 'non',
    s.exemple ? 'oui' : 'non',
    `${baseUrl}/organisations/${s.id}`,
  ]);
}

export function suppliersCsv(answer: SupplierAnswer, baseUrl: string): string {
  return (
    UTF8_BOM +
    csvLine(HEADER, 'excel-fr') +
    body(answer, baseUrl)
      .map((row) => csvLine(row, 'excel-fr'))
      .join('')
  );
}

export async function suppliersXlsx(answer: SupplierAnswer, baseUrl: string, question: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet('Fournisseurs', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([question]).font = { bold: true };
  sheet.addRow(HEADER).font = { bold: true };
  // exceljs writes texts as text cells: a name starting with « = » stays a text in XLSX.
  for (const row of body(answer, baseUrl)) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 20;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
