/**
 * Whether an applicant may apply to a call: the call's eligibility (domain/call.ts eligibiliteSchema) read by
 * the orientation's own profile rule (domain/orientation.ts profileIneligibility), on what is known of the
 * applicant. A cooperation of the Atlas speaks for itself (modèle, stade, finalité, modèle économique; its
 * own legal form and its members'); what it leaves blank, the declared profile completes. A groupement (or a
 * cooperation not in the Atlas) declares its profile; its legal forms and ESUS agreement are those of its
 * structures found in the Atlas by SIRET. An ESUS requirement is met when one of these structures holds it.
 */
import { sql } from 'drizzle-orm';
import { textArray, type Db, checkedFirstRow } from '../../../db/database.ts';
import type { Eligibilite } from '../../../domain/call.ts';
import { profileIneligibility, type KnownProfile } from '../../../domain/orientation.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import type { Profil } from './schemas.ts';
import { z } from 'zod';

export interface Applicant {
  cooperationId: number | null;
  profil: Profil | null;
  sirets: readonly string[];
}

interface Facts {
  profile: KnownProfile;
  formesJuridiques: string[];
  agrementEsus: boolean;
}

const applicantFactsRow = z.object({
  modele: z.string().nullable(),
  stade: z.string().nullable(),
  finalite: z.string().nullable(),
  modele_economique: z.string().nullable(),
  formes: z.array(z.string()),
  esus: z.boolean(),
});

async function applicantFacts(db: Db, applicant: Applicant): Promise<Facts> {
  const row = await checkedFirstRow(
    db,
    applicantFactsRow,
    sql`
    with structures as (
      select o.legal_form, o.statut_ess from organisation o where o.siret = any(${textArray(applicant.sirets)})
      union all
      select o.legal_form, o.statut_ess from cooperation_member m join organisation o on o.id = m.organisation_id
      where m.cooperation_id = ${applicant.cooperationId}
      union all
      select c.legal_form, null from cooperation c where c.id = ${applicant.cooperationId}
    )
    select k.modele, k.stade, k.finalite, k.modele_economique,
      array(select distinct legal_form from structures where legal_form is not null) as formes,
      exists (select 1 from structures where statut_ess = 'agrement_esus') as esus
    from (select 1) one left join cooperation k on k.id = ${applicant.cooperationId}`,
  );
  const atlas = Object.fromEntries(
    Object.entries({ modele: row!.modele, stade: row!.stade, finalite: row!.finalite, modele_economique: row!.modele_economique }).filter(
      ([, value]) => value !== null,
    ),
  ) as KnownProfile;
  return { profile: { ...applicant.profil, ...atlas }, formesJuridiques: row!.formes, agrementEsus: row!.esus };
}

/** Each profile field and the eligibility list that restricts it. */
const RESTRICTED_BY = { stade: 'stades', modele: 'modeles', finalite: 'finalites', modele_economique: 'modeles_economiques' } as const;
const PROFILE_FIELDS = Object.keys(RESTRICTED_BY) as (keyof typeof RESTRICTED_BY)[];

/** The restrictions on profile fields the applicant does not state, left out (nothing to check them against). */
function onStatedFields(eligibilite: Eligibilite, profile: KnownProfile): Eligibilite {
  const kept = { ...eligibilite };
  for (const field of PROFILE_FIELDS) if (profile[field] === undefined) delete kept[RESTRICTED_BY[field]];
  return kept;
}

const sentence = (reason: string) => (reason.startsWith('réservé') ? `Cet appel est ${reason}` : reason[0]!.toUpperCase() + reason.slice(1));

/**
 * Refuses an ineligible applicant with every reason, writing nothing. At the start (`when` 'debut') a profile
 * field the call restricts must be stated: bad input, the remedy being to give it. At submission ('depot') only what
 * is stated is checked again, since an application has no way to state its profile afterwards (one started
 * before the call restricted it, or before profiles were asked). A stated profile that does not fit: a conflict.
 */
export async function ensureEligible(db: Db, eligibilite: Eligibilite, applicant: Applicant, when: 'debut' | 'depot'): Promise<void> {
  const facts = await applicantFacts(db, applicant);
  const checked = when === 'depot' ? onStatedFields(eligibilite, facts.profile) : eligibilite;
  const problems = profileIneligibility(checked, facts.profile, facts.formesJuridiques, facts.agrementEsus);
  if (!problems.length) return;
  const text = `${problems.map(sentence).join('. ')}.`;
  const unstated = PROFILE_FIELDS.some((field) => checked[RESTRICTED_BY[field]]?.length && facts.profile[field] === undefined);
  if (unstated) {
    throw new RuleError(
      'profil_requis',
      `${text} Indiquez le profil de la coopération ou du groupement (stade, modèle, finalité, modèle économique) : l’éligibilité à l’appel en dépend.`,
      { kind: 'invalid' },
    );
  }
  throw new RuleError('non_eligible', `Candidature non éligible. ${text}`);
}
