/**
 * Awarded grants in the SCDL « subventions » format, the national schema French public bodies publish their
 * subsidies in (décret n° 2017-779, arrêté du 17 novembre 2017). Version 2.1.1, the latest one on
 * schema.data.gouv.fr (read in datagouv/schema.data.gouv.fr, site/scdl/subventions/latest/documentation.md and
 * latest/CHANGELOG.md; source https://gitlab.com/opendatafrance/scdl/subventions): 16 columns, in this order.
 * Dates AAAA-MM-JJ, amounts with a dot, notificationUE « oui » / « non », pourcentageSubvention from 0.01 to 1,
 * objet under 256 characters, idAttribuant a 14-digit SIRET, datesPeriodeVersement a date or a period
 * « AAAA-MM-JJ/AAAA-MM-JJ ». Pure: no I/O.
 *
 * Maillage's reading of an agreement (convention) of a laureate application:
 * - the attribuant is the first organiser of the call that has a SIRET; when none has one (the demo AMI's « État —
 *   DG Trésor » has none in the sources), the grant is left out with its reason, never given an invented SIRET:
 *   a file whose every row conforms can be published as is, and the reasons say what the funder must complete;
 * - the beneficiary is the lead (chef de file), a legal person named by its SIRET: no personal data;
 * - montant is what the agreement commits firmly: tranches whose amount is set, conditional ones only once their
 *   condition is recorded as met. A conditional tranche not granted yet (the AMI's year 3) is not an awarded
 *   subsidy; when it is granted, the next export includes it. The payment dates and conditions follow the same
 *   tranches;
 * - dateConvention is the agreement's start date (Maillage keeps no separate signing date); dispositifAide is the
 *   call's scheme as the schema-dispositif-aide export names it (its imported id_aide, else its key);
 * - the agreement is signed by the lead alone, so pourcentageSubvention is 1 (single beneficiary, as the schema
 *   says); nature « aide en numéraire »; notificationUE « non » (Maillage records no de minimis notification).
 */
export const SCDL_SCHEMA = {
  nom: 'scdl/subventions',
  version: '2.1.1',
  url: 'https://schema.data.gouv.fr/scdl/subventions/2.1.1/',
} as const;

/** The columns, in the schema's order. */
export const SCDL_FIELDS = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'referenceDecision',
  'nomBeneficiaire',
  'idBeneficiaire',
  'rnaBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'idRAE',
  'notificationUE',
  'pourcentageSubvention',
  'dispositifAide',
] as const;

export type ScdlField = (typeof SCDL_FIELDS)[number];

/** One row; numbers stay numbers (the CSV writes them with a dot), absent optional values are null. */
export interface SubventionScdl {
  nomAttribuant: string;
  idAttribuant: string;
  dateConvention: string;
  referenceDecision: string | null;
  nomBeneficiaire: string;
  idBeneficiaire: string;
  rnaBeneficiaire: string | null;
  objet: string;
  montant: number;
  nature: 'aide en numéraire';
  conditionsVersement: 'unique' | 'échelonné';
  datesPeriodeVersement: string;
  idRAE: string | null;
  notificationUE: 'oui' | 'non';
  pourcentageSubvention: number;
  dispositifAide: string | null;
}

/** What Maillage knows of one agreement, as read from the database. */
export interface AgreementSource {
  appel: { titre: string; dispositifAide: string | null };
  /** The first organiser with a SIRET, or null when none has one. */
  attribuant: { nom: string; siret: string } | null;
  candidature: { titre: string };
  /** The lead (chef de file), or null when the application has none. */
  beneficiaire: { nom: string; siret: string } | null;
  debut: string;
  tranches: readonly { montantCentimes: number | null; echeance: string; conditionnelle: boolean; conditionLevee: boolean }[];
}

export type ScdlMapping = { subvention: SubventionScdl } | { motif: string };

export const OBJET_MAX_LENGTH = 255;

/** « Appel — titre », shortened with an ellipsis to stay under the schema's 256 characters. */
export function objetOf(appel: string, titre: string): string {
  const objet = `${appel.trim()} — ${titre.trim()}`;
  return objet.length <= OBJET_MAX_LENGTH ? objet : `${objet.slice(0, OBJET_MAX_LENGTH - 1).trimEnd()}…`;
}

/** Firm tranches: an amount set, and no condition still pending (the « ferme » total of the funding page, funding.ts). */
function firmTranches(tranches: AgreementSource['tranches']) {
  return tranches.filter((t) => t.montantCentimes !== null && (!t.conditionnelle || t.conditionLevee));
}

/** The payment date (one tranche) or period « first/last » (several), from the firm tranches' due dates. */
export function paymentPeriod(echeances: readonly string[]): string {
  const sorted = [...echeances].sort();
  return sorted.length === 1 ? sorted[0]! : `${sorted[0]}/${sorted[sorted.length - 1]}`;
}

/** One agreement as an SCDL row, or the French reason it cannot be one without inventing data. */
export function toScdl(source: AgreementSource): ScdlMapping {
  if (!source.attribuant) {
    return { motif: 'Aucun organisateur de l’appel n’a de SIRET : idAttribuant est obligatoire et n’est pas inventé.' };
  }
  if (!source.beneficiaire) return { motif: 'La candidature n’a pas de chef de file : le bénéficiaire est inconnu.' };
  const firm = firmTranches(source.tranches);
  const fermeCentimes = firm.reduce((sum, t) => sum + t.montantCentimes!, 0);
  if (fermeCentimes <= 0) return { motif: 'Aucune tranche ferme au montant fixé : le montant attribué n’est pas encore connu.' };
  return {
    subvention: {
      nomAttribuant: source.attribuant.nom,
      idAttribuant: source.attribuant.siret,
      dateConvention: source.debut,
      referenceDecision: null,
      nomBeneficiaire: source.beneficiaire.nom,
      idBeneficiaire: source.beneficiaire.siret,
      rnaBeneficiaire: null,
      objet: objetOf(source.appel.titre, source.candidature.titre),
      montant: fermeCentimes / 100,
      nature: 'aide en numéraire',
      conditionsVersement: firm.length > 1 ? 'échelonné' : 'unique',
      datesPeriodeVersement: paymentPeriod(firm.map((t) => t.echeance)),
      idRAE: null,
      notificationUE: 'non',
      pourcentageSubvention: 1,
      dispositifAide: source.appel.dispositifAide,
    },
  };
}

/** The row's cells as the CSV writes them: amounts with a dot and two decimals, empty cells for null. */
export function scdlCells(s: SubventionScdl): string[] {
  return SCDL_FIELDS.map((field) => {
    const value = s[field];
    if (value === null) return '';
    return typeof value === 'number' ? value.toFixed(2) : value;
  });
}
