/**
 * The receipt of a submitted application: the same facts as the printable page, as a PDF (pdf-lib, standard
 * Helvetica: text is reduced to the WinAnsi characters that font can draw).
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { statutCandidature } from '../../../domain/application.ts';
import { formatParis } from '../../../domain/call.ts';
import type { FormDefinition } from '../../../domain/form.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { answerLines } from './answers.ts';
import type { Candidature } from './service.ts';

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Characters Helvetica cannot draw become their nearest plain form (spaces) or « ? ». */
function drawable(text: string): string {
  return text
    .replace(/[\u00a0\u202f\u2009]/g, ' ')
    .replace(/[\r\t]/g, ' ')
    .replace(/./gu, (c) => ((c.charCodeAt(0) <= 0xff && c.charCodeAt(0) >= 0x20) || WIN_ANSI_EXTRA.has(c) ? c : '?'));
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of drawable(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

export async function receiptPdf(candidature: Candidature, definition: FormDefinition, territories: TerritoryIndex): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(drawable(`Récépissé de dépôt ${candidature.numero_depot ?? ''}`));
  pdf.setLanguage('fr-FR');
  pdf.setCreator('Maillage');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 50;
  let page: PDFPage = pdf.addPage([595.28, 841.89]); // A4
  let y = page.getHeight() - margin;
  const width = page.getWidth() - 2 * margin;
  const write = (text: string, options: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10;
    for (const line of wrap(text, font, size, width)) {
      if (y < margin + size) {
        page = pdf.addPage([595.28, 841.89]);
        y = page.getHeight() - margin;
      }
      page.drawText(line, { x: margin, y, size, font, color: rgb(0.12, 0.16, 0.22) });
      y -= size * 1.35;
    }
    y -= options.gap ?? 0;
  };
  write('Récépissé de dépôt de candidature', { font: bold, size: 16, gap: 6 });
  write(candidature.appel.titre, { font: bold, size: 11, gap: 6 });
  write(`Numéro de dépôt : ${candidature.numero_depot ?? '—'}`);
  write(`Déposée le ${candidature.depose_le ? formatParis(new Date(candidature.depose_le)) : '—'} (heure de Paris)`);
  write(`Candidature : ${candidature.titre}`);
  write(`État : ${statutCandidature.label(candidature.statut)} — formulaire version ${candidature.formulaire_version}`, { gap: 6 });
  write(candidature.porteur === 'groupement' ? 'Groupement' : 'Coopération', { font: bold, size: 11 });
  for (const m of candidature.membres) write(`${m.role === 'chef_de_file' ? 'Chef de file' : 'Co-candidat'} : ${m.nom} (SIRET ${m.siret})`);
  y -= 6;
  write('Réponses', { font: bold, size: 11 });
  for (const line of answerLines(definition, candidature.donnees, territories)) {
    if (line.kind === 'section') write(line.text, { font: bold, size: 10, gap: 2 });
    else write(`${line.label} : ${line.value}`, { gap: 2 });
  }
  y -= 10;
  write('Ce récépissé atteste le dépôt de la candidature à la date indiquée, sur l’horloge du serveur de Maillage. Il ne préjuge pas de sa recevabilité.', {
    size: 8,
  });
  return pdf.save();
}
