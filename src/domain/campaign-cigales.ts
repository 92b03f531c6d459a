/**
 * Cigales clubs (Clubs d’Investisseurs pour une Gestion Alternative et Locale de l’Épargne Solidaire): an
 * organisation declared a club records the investments its members made together in local enterprises.
 */
import { canEditOrganisation, type Actor } from './authorization.ts';
import { runsCampaignsOf } from './campaign.ts';
import { defineEnum, type EnumCode } from './enum.ts';
import { RuleError } from './rule-error.ts';

export const cigalesInstrument = defineEnum({
  parts_sociales: 'Parts sociales ou actions',
  compte_courant: 'Compte courant d’associé',
  pret: 'Prêt',
});
export type CigalesInstrument = EnumCode<typeof cigalesInstrument>;

/** Declares (or withdraws) an organisation as a Cigales club: those who edit the organisation directly. */
export function declaresCigalesClub(actor: Actor | null, organisation: { siret: string | null; regionCode: string | null }): boolean {
  // Without a SIRET, no admin can hold the organisation: its région's moderators alone declare it.
  return canEditOrganisation(actor, { siret: organisation.siret ?? '', regionCode: organisation.regionCode });
}

/** Records the club's investments: the club's own members and admins (not a platform admin: it is the club's record). */
export function recordsInvestmentsOf(actor: Actor | null, club: { id: number; siret: string | null }): boolean {
  return runsCampaignsOf(actor, { kind: 'organisation', ...club });
}

/** An investment is in another enterprise, made on or before today (Paris days « AAAA-MM-JJ »). */
export function checkInvestment(investment: { clubId: number; entrepriseId: number; date: string }, today: string): void {
  if (investment.entrepriseId === investment.clubId) {
    throw new RuleError('cigales.club_lui_meme', 'Un club n’investit pas en lui-même : indiquez l’entreprise financée.', { field: 'entreprise_siret' });
  }
  if (investment.date > today) {
    throw new RuleError('cigales.date_future', 'Un investissement s’enregistre une fois fait : sa date ne peut pas être dans le futur.', {
      field: 'date_investissement',
    });
  }
}

/** Refuses what a club that is not declared may not record. */
export function checkIsClub(isClub: boolean): void {
  if (!isClub) {
    throw new RuleError(
      'cigales.pas_un_club',
      'Cette structure n’est pas déclarée club Cigales : ses administrateurs, ou la modération de sa région, la déclarent d’abord.',
    );
  }
}
