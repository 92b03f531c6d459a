/**
 * Citizen investment and loan campaigns: a structure seeks an amount through parts sociales,
 * a loan or gifts; people record intentions (Maillage handles no payment); the structure opens, follows and closes
 * the campaign. Pure rules: the life of a campaign (one transition guard), what a campaign and an intention must
 * say, progress, and who runs a structure's campaigns. Amounts are integer cents, dates Paris calendar days.
 */
import type { Actor } from './authorization.ts';
import { defineEnum, type EnumCode } from './enum.ts';
import { euros } from './funding.ts';
import { RuleError } from './rule-error.ts';

export const campaignInstrument = defineEnum({
  parts_sociales: 'Parts sociales',
  pret: 'Prêt',
  don: 'Don',
});
export type CampaignInstrument = EnumCode<typeof campaignInstrument>;

export const campaignState = defineEnum({
  brouillon: 'Brouillon',
  ouverte: 'Ouverte',
  close: 'Close',
});
export type CampaignState = EnumCode<typeof campaignState>;

/** 10 millions d’euros: above any local campaign, far under the integers JavaScript adds exactly. */
export const MAX_CAMPAIGN_CENTS = 1_000_000_000;

/** The structure that runs a campaign: an organisation (its members by SIRET) or a cooperation (its admins). */
export type CampaignStructure = { kind: 'organisation'; id: number; siret: string | null } | { kind: 'cooperation'; id: number };

/**
 * Runs the structure's campaigns and sees who pledged: the organisation's members and admins, or the cooperation's
 * admins. As for treasury plans, a platform admin's powers do not reach them: the intentions' authors are
 * personal data the structure alone holds.
 */
export function runsCampaignsOf(actor: Actor | null, structure: CampaignStructure): boolean {
  return (actor?.roles ?? []).some((g) =>
    structure.kind === 'organisation'
      ? structure.siret !== null &&
        (g.role === 'organisation_member' || g.role === 'organisation_admin') &&
        g.scopeKind === 'organisation' &&
        g.scopeCode === structure.siret
      : g.role === 'cooperation_admin' && g.scopeKind === 'cooperation' && g.scopeCode === String(structure.id),
  );
}

const NEXT: Record<CampaignState, CampaignState | null> = { brouillon: 'ouverte', ouverte: 'close', close: null };

/** The one transition guard: brouillon → ouverte → close, one step at a time; a closed campaign stays closed. */
export function checkTransition(from: CampaignState, to: CampaignState): void {
  if (NEXT[from] === to) return;
  if (from === to) throw new RuleError('campagne.deja_dans_cet_etat', `La campagne est déjà ${campaignState.label(to).toLowerCase()}.`);
  if (from === 'close') throw new RuleError('campagne.close', 'Cette campagne est close : elle ne peut plus changer d’état.');
  throw new RuleError(
    'campagne.transition_interdite',
    `Une campagne ${campaignState.label(from).toLowerCase()} ne peut devenir ${campaignState.label(to).toLowerCase()} : une campagne s’ouvre, puis se clôt.`,
  );
}

/** What is set on a campaign in draft: a draft alone may change. */
export function checkEditable(state: CampaignState): void {
  if (state !== 'brouillon') {
    throw new RuleError('campagne.publiee', 'Une campagne ouverte ou close ne se modifie plus : seules les campagnes en brouillon changent.');
  }
}

/** The end comes on or after the start (« AAAA-MM-JJ » dates compare as text). */
export function checkPeriod(debut: string, fin: string): void {
  if (fin < debut)
    throw new RuleError('campagne.fin_avant_debut', 'La date de fin précède la date de début : indiquez une fin au plus tôt le jour du début.', {
      field: 'fin',
    });
}

/** Whether a campaign takes intentions on this Paris day: open, and within its dates. */
export function checkAcceptsIntentions(campaign: { etat: CampaignState; debut: string; fin: string }, today: string): void {
  if (campaign.etat === 'brouillon') throw new RuleError('campagne.non_ouverte', 'Cette campagne n’est pas encore ouverte : elle ne reçoit pas d’intentions.');
  if (campaign.etat === 'close') throw new RuleError('campagne.close', 'Cette campagne est close : elle ne reçoit plus d’intentions.');
  if (today < campaign.debut)
    throw new RuleError('campagne.pas_commencee', `Cette campagne commence le ${frenchDate(campaign.debut)} : revenez à partir de ce jour.`);
  if (today > campaign.fin)
    throw new RuleError('campagne.terminee', `Cette campagne a pris fin le ${frenchDate(campaign.fin)} : elle ne reçoit plus d’intentions.`);
}

export interface Progress {
  /** Sum of the intentions, in cents. */
  total: number;
  count: number;
  /** 0 to 100, for the <progress> element (a total past the target shows a full bar). */
  percent: number;
  /** Intentions beyond the amount sought: allowed, and said. */
  exceeded: boolean;
  /** The progress in words, what the bar shows. */
  text: string;
}

export function progressOf(sought: number, total: number, count: number): Progress {
  const percent = Math.min(100, Math.floor((total * 100) / sought));
  const people = count === 0 ? 'aucune intention' : count === 1 ? '1 intention' : `${count} intentions`;
  const exceeded = total > sought;
  const text = `${euros(total)} sur ${euros(sought)} recherchés (${Math.floor((total * 100) / sought)} %), ${people}.${
    exceeded ? ' Le montant recherché est dépassé : les intentions restent possibles jusqu’à la clôture.' : ''
  }`;
  return { total, count, percent, exceeded, text };
}

/** Said to whoever pledges past the amount sought: it is allowed, the structure decides what to take. */
export const EXCEEDED_NOTICE =
  'Avec votre intention, les intentions dépassent le montant recherché : elle est enregistrée, et la structure vous dira ce qu’elle retient.';

/** « 15 mars 2027 » from « 2027-03-15 ». */
export function frenchDate(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Paris, « AAAA-MM-JJ ». */
export function parisToday(now = new Date()): string {
  return parisDay.format(now);
}
