/**
 * The instruction side of the demo AMI PTCE 2021 (004_37a44aab6c3ef982.txt): its evaluation grid and the shape
 * of a phase-2 laureate's funding.
 *
 * 004 publishes no scoring grid. Each criterion below is a stated aim of the AMI, quoted with `source`; the
 * weights and the 0–5 scale are Maillage's (004 gives none), and so is the « collectivités » criterion's use of
 * a working-group theme as a criterion. Funding: « un financement de l'État de 100 000€ pour 2 ans avec une aide
 * complémentaire en année 3 en fonction de l'avancée du dossier les 2 premières années »: one firm tranche of
 * 100 000 € and one conditional tranche whose amount 004 does not give (left unset). When the firm tranche is due
 * (at the start of the agreement) and that year 3 starts 24 months later is Maillage's reading.
 */
import { sql } from 'drizzle-orm';
import { jsonRecords, type Db, checkedFirstRow } from '../../db/database.ts';
import { z } from 'zod';

const S004 = '004_37a44aab6c3ef982.txt';
const MAILLAGE = 'Poids et échelle : choix de Maillage (004 n’en donne pas).';

export const amiPtceGrid = [
  {
    label: 'Dynamique locale d’émergence d’un PTCE',
    description: `La candidature montre une dynamique locale d’émergence d’un nouveau PTCE. ${MAILLAGE}`,
    poids: 1,
    echelle_min: 0,
    echelle_max: 5,
    source: `${S004} — « l'identification des dynamiques locale d'émergence de nouveaux PTCE »`,
  },
  {
    label: 'Passerelles entre l’ESS et l’économie classique',
    description: `La dynamique relie des structures de l’ESS et des entreprises de l’économie classique. ${MAILLAGE}`,
    poids: 1,
    echelle_min: 0,
    echelle_max: 5,
    source: `${S004} — les PTCE, « véritables passerelles entre l'ESS et l'économie classique »`,
  },
  {
    label: 'Animation territoriale des coopérations',
    description: `La dynamique anime les coopérations de son bassin de vie. ${MAILLAGE}`,
    poids: 1,
    echelle_min: 0,
    echelle_max: 5,
    source: `${S004} — « animateurs de bassins de vie » ; « financer l'animation territoriale des coopérations »`,
  },
  {
    label: 'Coopération avec les collectivités territoriales',
    description: `Les collectivités du territoire sont parties prenantes. Thème d’un groupe de travail de l’AMI, lu comme critère par Maillage. ${MAILLAGE}`,
    poids: 1,
    echelle_min: 0,
    echelle_max: 5,
    source: `${S004} — groupe de travail « Construction de coopérations avec les collectivités territoriales »`,
  },
  {
    label: 'Caractère décisif de l’appui financier de l’État (phase 2)',
    description: `Un appui financier de l’État serait particulièrement décisif pour l’émergence du PTCE. ${MAILLAGE}`,
    poids: 1,
    echelle_min: 0,
    echelle_max: 5,
    source: `${S004} — territoires « pour lesquelles un appui financier de l'État pourrait être particulièrement décisif afin de s'assurer de l'émergence du PTCE »`,
  },
];

export const amiPtceTranches = [
  {
    label: 'Années 1 et 2 : financement de l’État',
    montant: 100_000,
    mois: 0,
    conditionnelle: false,
    condition: null,
    source: `${S004} — « un financement de l'État de 100 000€ pour 2 ans » (échéance au début de la convention : lecture de Maillage)`,
  },
  {
    label: 'Année 3 : aide complémentaire',
    montant: null,
    mois: 24,
    conditionnelle: true,
    condition: 'En fonction de l’avancée du dossier les 2 premières années (montant non précisé par l’AMI)',
    source: `${S004} — « avec une aide complémentaire en année 3 en fonction de l'avancée du dossier les 2 premières années »`,
  },
];

const callRow = z.object({ id: z.number(), has_grid: z.boolean() });

/**
 * Adds the grid and the funding shape to the demo AMI PTCE 2021 when it is there without them (call it after
 * loadDemoCallsIfEmpty). Returns whether it wrote anything.
 */
export async function loadAmiPtceInstructionIfMissing(db: Db): Promise<boolean> {
  const call = await checkedFirstRow(
    db,
    callRow,
    sql`select id::int as id,
      exists (select 1 from grille_critere g where g.appel_id = a.id) as has_grid
    from appel a where key = 'ami-ptce-2021'`,
  );
  if (!call || call.has_grid) return false;
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into grille_critere (appel_id, position, label, description, poids, echelle_min, echelle_max, source)
      select ${call.id}, g.position, g.label, g.description, g.poids, g.echelle_min, g.echelle_max, g.source
      from json_to_recordset(${jsonRecords(amiPtceGrid.map((g, position) => ({ ...g, position })))}) as g(position int, label text,
        description text, poids numeric, echelle_min int, echelle_max int, source text)`);
    await tx.execute(sql`insert into appel_tranche_modele (appel_id, position, label, montant, mois, conditionnelle, condition, source)
      select ${call.id}, t.position, t.label, t.montant, t.mois, t.conditionnelle, t.condition, t.source
      from json_to_recordset(${jsonRecords(amiPtceTranches.map((t, position) => ({ ...t, position })))}) as t(position int, label text,
        montant numeric, mois int, conditionnelle boolean, condition text, source text)`);
  });
  return true;
}
