/** The intentions of a campaign, for its structure: CSV (French Excel) and XLSX, amounts in euros, with the total. */
import { campaignInstrument } from '../../domain/campaign.ts';
import { type SheetTable, tableCsv, tableXlsx } from '../../web/spreadsheet.ts';
import type { Campaign } from './queries.ts';
import type { IntentionRow } from './schemas.ts';

function intentionsTable(campaign: Campaign, intentions: IntentionRow[]): SheetTable {
  const total = intentions.reduce((sum, i) => sum + i.montant, 0);
  return {
    sheet: 'Intentions',
    title: `${campaign.titre} — ${campaign.structure.nom} (${campaignInstrument.label(campaign.instrument)}, ${campaign.montant_recherche / 100} € recherchés)`,
    header: ['Date (Paris)', 'Nom', 'Adresse e-mail', 'Montant (€)', 'Message'],
    rows: [...intentions.map((i) => [i.cree_le, i.nom, i.email, i.montant / 100, i.message]), ['Total', null, null, total / 100, null]],
    moneyColumns: [3],
  };
}

export const intentionsCsv = (campaign: Campaign, intentions: IntentionRow[]) => tableCsv(intentionsTable(campaign, intentions));
export const intentionsXlsx = (campaign: Campaign, intentions: IntentionRow[]) => tableXlsx(intentionsTable(campaign, intentions));
export const exportName = (campaign: Campaign, extension: 'csv' | 'xlsx') => `campagne-${campaign.id}-intentions.${extension}`;
