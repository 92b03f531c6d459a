/**
 * The rules of role administration (the /admin pages and the `maillage admin` command), pure: which scope each
 * role holds on, how a scope is written, and the one grant that may never go (the last platform admin's).
 * Whether a well-written code names something that exists (a région of the COG, an organisation of the Atlas…)
 * is checked by the caller, which has the data.
 */
import type { Role, ScopeKind } from './authorization.ts';
import { normaliseIdentifier, siretError } from './siret.ts';

/** The scope kinds a role can be granted on ('departement' is in the vocabulary, but no role uses it yet). */
export type GrantScopeKind = Exclude<ScopeKind, 'departement'>;

/** Each role holds on one kind of scope: a moderator on a région, an organisation admin on a SIRET… */
export const SCOPE_OF_ROLE: Record<Role, GrantScopeKind> = {
  contributor: 'platform',
  organisation_member: 'organisation',
  organisation_admin: 'organisation',
  cooperation_admin: 'cooperation',
  scheme_publisher: 'dispositif',
  instructor: 'appel',
  regional_moderator: 'region',
  platform_admin: 'platform',
};

/** What to type in the scope field, per kind: the hint of the form and the CLI. */
export const SCOPE_HINTS: Record<GrantScopeKind, string> = {
  platform: 'rien (toute la plateforme)',
  region: 'code COG de la région, plusieurs séparés par des virgules (ex. 84, 93)',
  organisation: 'SIRET de la structure (14 chiffres)',
  cooperation: 'numéro de la coopération (ex. 12)',
  dispositif: 'nom du porteur, tel que le catalogue l’écrit',
  appel: 'numéro de l’appel à projets',
};

export type ScopeCodes = { ok: true; codes: string[] } | { ok: false; message: string };

const PROVIDER_MAX = 300;
const refuse = (message: string): ScopeCodes => ({ ok: false, message });

function regionCodes(input: string): ScopeCodes {
  const codes = [...new Set(input.split(/[\s,;]+/).filter(Boolean))];
  if (codes.length === 0) return refuse('Indiquez le code COG de la région (ex. 84 pour Auvergne-Rhône-Alpes).');
  const bad = codes.find((code) => !/^\d{2,3}$/.test(code));
  if (bad) return refuse(`« ${bad} » n’est pas un code de région : 2 chiffres, 3 pour l’outre-mer (ex. 84, 975).`);
  return { ok: true, codes };
}

function numberCode(input: string, what: string): ScopeCodes {
  return /^[1-9]\d{0,15}$/.test(input) ? { ok: true, codes: [input] } : refuse(`Indiquez le numéro ${what} : un nombre entier (ex. 12).`);
}

/** Reads the scope typed for a kind: its normalised code(s), or why it is refused (French). */
export function parseScopeCodes(kind: GrantScopeKind, typed: string): ScopeCodes {
  const input = typed.trim();
  switch (kind) {
    case 'platform':
      return input === '' ? { ok: true, codes: [''] } : refuse('Ce rôle vaut pour toute la plateforme : laissez la portée vide.');
    case 'region':
      return regionCodes(input);
    case 'organisation': {
      const siret = normaliseIdentifier(input);
      const error = siret === '' ? 'Indiquez le SIRET de la structure (14 chiffres).' : siretError(siret);
      return error ? refuse(error) : { ok: true, codes: [siret] };
    }
    case 'cooperation':
      return numberCode(input, 'de la coopération');
    case 'appel':
      return numberCode(input, 'de l’appel à projets');
    case 'dispositif': {
      const name = input.replace(/\s+/g, ' ');
      if (name === '') return refuse('Indiquez le nom du porteur de dispositifs, tel que le catalogue l’écrit.');
      return [...name].length <= PROVIDER_MAX ? { ok: true, codes: [name] } : refuse(`Le nom du porteur compte ${PROVIDER_MAX} caractères au plus.`);
    }
  }
}

/**
 * Withdrawing this role (or deleting the account that holds it) would leave the platform with no administrator:
 * nobody could grant roles any more. `platformAdmins` counts the accounts holding platform_admin now.
 */
export function removesLastPlatformAdmin(role: Role, platformAdmins: number): boolean {
  return role === 'platform_admin' && platformAdmins <= 1;
}

export const LAST_ADMIN_MESSAGE =
  'Vous êtes la dernière personne à administrer la plateforme : nommez d’abord une autre administratrice ou un autre administrateur, sinon plus personne ne pourrait attribuer de rôles.';
