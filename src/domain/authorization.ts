/**
 * Who may do what: the roles of the platform and their scopes, as pure rules. Every route asks one of these
 * functions (through the guards of features/accounts/guards.ts); the roles × routes matrix test checks them
 * from the outside. A platform admin may do everything; nobody else holds a power outside their scope.
 */
import { defineEnum, type EnumCode } from './enum.ts';

export const role = defineEnum({
  contributor: 'Contributeur ou contributrice',
  organisation_member: 'Membre d’une structure',
  organisation_admin: 'Administration d’une structure',
  cooperation_admin: 'Administration d’une coopération',
  scheme_publisher: 'Publication de dispositifs',
  instructor: 'Gestion et instruction d’un appel à projets',
  regional_moderator: 'Modération régionale',
  platform_admin: 'Administration de la plateforme',
});
export type Role = EnumCode<typeof role>;

/** What a role holds on: the whole platform, a région (COG code), an organisation (SIRET), a cooperation (id)… */
export const scopeKind = defineEnum({
  platform: 'Toute la plateforme',
  region: 'Région',
  departement: 'Département',
  organisation: 'Structure (SIRET)',
  cooperation: 'Coopération',
  dispositif: 'Porteur de dispositifs',
  appel: 'Appel à projets',
});
export type ScopeKind = EnumCode<typeof scopeKind>;

/** A role on a scope (scopeCode '' for the whole platform). */
export interface Grant {
  role: Role;
  scopeKind: ScopeKind | string;
  scopeCode: string;
}

/** The person acting, as the rules need them; null for a visitor. */
export interface Actor {
  id: number;
  emailVerified: boolean;
  roles: readonly Grant[];
}

export function isPlatformAdmin(actor: Actor | null): boolean {
  return !!actor?.roles.some((g) => g.role === 'platform_admin');
}

/** Holds the role on exactly this scope (or is platform admin). */
export function holds(actor: Actor | null, wanted: Role, kind: ScopeKind, code: string): boolean {
  if (!actor) return false;
  if (isPlatformAdmin(actor)) return true;
  return actor.roles.some((g) => g.role === wanted && g.scopeKind === kind && g.scopeCode === code);
}

/** The régions a person moderates: 'all' for a platform admin, else the région codes of their moderator roles. */
export function moderatedRegions(actor: Actor | null): 'all' | string[] {
  if (!actor) return [];
  if (isPlatformAdmin(actor)) return 'all';
  return actor.roles.filter((g) => g.role === 'regional_moderator' && g.scopeKind === 'region').map((g) => g.scopeCode);
}

/** Instructs at least one call (the calls themselves are checked route by route). */
export function isInstructor(actor: Actor | null): boolean {
  return isPlatformAdmin(actor) || !!actor?.roles.some((g) => g.role === 'instructor');
}

export function isModerator(actor: Actor | null): boolean {
  const regions = moderatedRegions(actor);
  return regions === 'all' || regions.length > 0;
}

/**
 * May moderate an object located in these régions. An object with no known région (a national scheme, an
 * organisation without commune) is for platform admins only.
 */
export function moderatesAny(actor: Actor | null, regionCodes: readonly string[]): boolean {
  const regions = moderatedRegions(actor);
  if (regions === 'all') return true;
  return regionCodes.some((code) => regions.includes(code));
}

/** May contribute (propose, report): any signed-in person whose address is verified. */
export function canContribute(actor: Actor | null): boolean {
  return !!actor?.emailVerified;
}

/** May edit an organisation directly (no moderation): its admins, and moderators of its région. */
export function canEditOrganisation(actor: Actor | null, organisation: { siret: string; regionCode: string | null }): boolean {
  return (
    holds(actor, 'organisation_admin', 'organisation', organisation.siret) || moderatesAny(actor, organisation.regionCode ? [organisation.regionCode] : [])
  );
}

/** Belongs to the organisation (member or admin): sees its private pages. */
export function belongsToOrganisation(actor: Actor | null, siret: string): boolean {
  return holds(actor, 'organisation_member', 'organisation', siret) || holds(actor, 'organisation_admin', 'organisation', siret);
}

/**
 * May read and write a structure's treasury plans: its members and admins alone. Unlike every other rule, a platform
 * admin's powers do not reach them: a treasury forecast is private to the structure.
 */
export function keepsTreasuryOf(actor: Actor | null, siret: string): boolean {
  return (actor?.roles ?? []).some(
    (g) => (g.role === 'organisation_member' || g.role === 'organisation_admin') && g.scopeKind === 'organisation' && g.scopeCode === siret,
  );
}

/**
 * Answers the bookings of a pooled offer (confirms or declines them): the person who published it, or a member of
 * the structure it was published for, so that the offer outlives its author's account.
 */
export function answersBookingsOf(actor: Actor | null, offer: { publisherId: number | null; structureSiret: string | null }): boolean {
  if (!actor) return false;
  return offer.publisherId === actor.id || (offer.structureSiret !== null && belongsToOrganisation(actor, offer.structureSiret));
}

/** May edit a cooperation directly: its admins, and moderators of one of its régions. */
export function canEditCooperation(actor: Actor | null, cooperation: { id: number; regionCodes: readonly string[] }): boolean {
  return holds(actor, 'cooperation_admin', 'cooperation', String(cooperation.id)) || moderatesAny(actor, cooperation.regionCodes);
}

/**
 * May publish and edit a scheme directly: a scheme publisher for one of its providers (scope: the provider's
 * name as the catalogue writes it), or a moderator of a région it covers.
 */
export function canPublishDispositif(actor: Actor | null, dispositif: { porteurs: readonly string[]; regionCodes: readonly string[] }): boolean {
  return dispositif.porteurs.some((porteur) => holds(actor, 'scheme_publisher', 'dispositif', porteur)) || moderatesAny(actor, dispositif.regionCodes);
}

/**
 * May create a call for proposals: funders who publish schemes (a scheme publisher, for a call one of their
 * providers organises) and platform admins. Whoever creates a call is made its instructor: a call is run by
 * the funder's agents who configure it and instruct its applications.
 */
export function canCreateCall(actor: Actor | null, organiser: string): boolean {
  return holds(actor, 'scheme_publisher', 'dispositif', organiser);
}

/** May create calls for at least one organiser: the header then leads to the calls' management. */
export function createsCalls(actor: Actor | null): boolean {
  return isPlatformAdmin(actor) || !!actor?.roles.some((g) => g.role === 'scheme_publisher');
}

/** May configure a call (text, phases, form, grid, publication): its instructors and platform admins. */
export function canManageCall(actor: Actor | null, appelId: number): boolean {
  return holds(actor, 'instructor', 'appel', String(appelId));
}

/** A funding agreement as its reports' rules see it: the funded cooperation, if any, and the call. */
export interface FundedScope {
  cooperation_id: number | null;
  appel_id: number;
}

/** Reports against a funding agreement's due dates: the admins of the funded cooperation (platform admins too). */
export function reportsOnFunding(actor: Actor | null, funded: FundedScope): boolean {
  return funded.cooperation_id !== null && holds(actor, 'cooperation_admin', 'cooperation', String(funded.cooperation_id));
}

/** Reads a funding agreement's due dates and what was reported: its reporters and the call's instructors. */
export function readsFundingReports(actor: Actor | null, funded: FundedScope): boolean {
  return reportsOnFunding(actor, funded) || canManageCall(actor, funded.appel_id);
}

/** May grant and withdraw roles, and read the audit log. */
export function canAdministerPlatform(actor: Actor | null): boolean {
  return isPlatformAdmin(actor);
}
