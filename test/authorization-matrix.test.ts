/**
 * The authorization matrix: every route of the application × every role, allowed or refused, checked through
 * HTTP on each real database. A route missing from the table fails the first test, so that no route is ever
 * added without saying who may use it. Refused means 401/403/404 or a redirect to the sign-in page; allowed
 * means anything else short of a server error. Objects of another organisation, cooperation or région are
 * covered by the profiles that hold a role elsewhere (e.g. the moderator of another région).
 *
 * The application runs with every optional part turned on (OpenID Connect, against a local provider).
 *
 * Every request of the table is made by a fresh account holding the profile's roles, with a valid CSRF token
 * and a valid body, so that what refuses is the authorization and nothing else.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { firstRow, rows } from '../src/db/database.ts';
import type { Grant } from '../src/domain/authorization.ts';
import { folderStore } from '../src/platform/file-store.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { assetUrl } from '../src/web/assets.ts';
import { Client, csrfOf, signedInAs, TEST_PASSWORD, type TestAccount } from './support/accounts.ts';
import { depositedApplication, forceStatus, prepareCalls } from './support/instruction.ts';
import { oidcSettings, startProviderForMaillage, type OidcTestProvider } from './support/oidc-provider.ts';

/** The objects the routes are tried on: demo data, in one région, and a second région for « elsewhere ». */
interface World {
  organisation: { id: number; siret: string; region: string };
  cooperation: { id: number; region: string };
  dispositif: { id: number; porteur: string };
  otherRegion: string;
  /** An account the admin routes act upon. */
  someone: TestAccount;
  /** A pending contribution, an open error report and a pending claim, in the organisation's région. */
  contribution: number;
  report: number;
  claim: number;
  /** An alert of `someone`: nobody else may touch it. */
  alert: number;
  /** The AMI PTCE of the demo, a draft of `someone` to it, and another call. */
  appel: number;
  candidature: number;
  otherAppel: number;
  /** An application of `someone` under instruction, its agreement's tranche and report, the AMI's grid. */
  instruite: number;
  tranche: number;
  rapport: number;
  grid: { id: number }[];
  /** Two structures of the organisation's commune, alike enough to be a likely duplicate. */
  pair: [number, number];
  /** A file of the draft `candidature`. */
  fichier: string;
  /** A comment of `someone` on the AMI (left from its concertation). */
  commentaire: number;
  /** A treasury plan of the organisation, and one of another structure. */
  planTresorerie: number;
  planAutre: number;
}

const PROFILES = {
  visiteur: () => null,
  non_verifie: () => [],
  contributeur: () => [],
  membre_structure: (w: World) => [{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: w.organisation.siret }],
  admin_structure: (w: World) => [{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: w.organisation.siret }],
  admin_cooperation: (w: World) => [{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: String(w.cooperation.id) }],
  editeur_dispositifs: (w: World) => [{ role: 'scheme_publisher', scopeKind: 'dispositif', scopeCode: w.dispositif.porteur }],
  moderateur_region: (w: World) => [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: w.organisation.region }],
  moderateur_autre_region: (w: World) => [{ role: 'regional_moderator', scopeKind: 'region', scopeCode: w.otherRegion }],
  instructeur_appel: (w: World) => [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(w.appel) }],
  instructeur_autre_appel: (w: World) => [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(w.otherAppel) }],
  admin_plateforme: () => [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }],
} satisfies Record<string, (w: World) => Grant[] | null>;
type Profile = keyof typeof PROFILES;
const ALL = Object.keys(PROFILES) as Profile[];
const SIGNED_IN = ALL.filter((p) => p !== 'visiteur');
const VERIFIED = SIGNED_IN.filter((p) => p !== 'non_verifie');
const INSTRUCTORS: Profile[] = ['instructeur_appel', 'admin_plateforme'];
/** Who sees a structure's private pages (belongsToOrganisation): its members and admins, and platform admins. */
/** A structure's treasury is its own: a platform admin does not read it. */
const TREASURY_KEEPERS: Profile[] = ['membre_structure', 'admin_structure'];

interface Row {
  /** The route as registered: 'METHOD /path/:param'. */
  route: string;
  /** Who may use it. */
  allowed: readonly Profile[];
  /** The URL tried (defaults to the route's path, for routes without parameters). */
  url?: (w: World) => string;
  /** A valid body (form fields, or JSON under /api/). */
  body?: (w: World) => Record<string, unknown>;
}

const publicPage = (route: string, url?: Row['url']): Row => ({ route: `GET ${route}`, allowed: ALL, url });

const MATRIX: Row[] = [
  // Public pages and API: everyone, signed in or not.
  publicPage('/'),
  publicPage('/recherche'),
  publicPage('/cooperations'),
  publicPage('/organisations'),
  publicPage('/cooperations/:id', (w) => `/cooperations/${w.cooperation.id}`),
  publicPage('/organisations/:id', (w) => `/organisations/${w.organisation.id}`),
  publicPage('/territoires'),
  publicPage('/territoires/:type/:code', (w) => `/territoires/region/${w.organisation.region}`),
  publicPage('/dispositifs'),
  publicPage('/dispositifs/:id', (w) => `/dispositifs/${w.dispositif.id}`),
  publicPage('/orientation'),
  publicPage('/orientation/resultat', () => '/orientation/resultat?stade=emergence&commune=26281'),
  publicPage('/orientation/regles'),
  publicPage('/cartographie'),
  publicPage('/observatoire'),
  publicPage('/observatoire/:figure.csv', () => '/observatoire/modeles.csv'),
  publicPage('/donnees'),
  publicPage('/donnees/schemas/:jeu.json', () => '/donnees/schemas/cooperations.json'),
  publicPage('/donnees/:jeu.csv.gz', () => '/donnees/appels.csv.gz'),
  publicPage('/donnees/:jeu.json.gz', () => '/donnees/appels.json.gz'),
  publicPage('/api/v1/donnees'),
  publicPage('/carte'),
  publicPage('/carte/maplibre-gl-worker.mjs'),
  publicPage('/favicon.ico'),
  publicPage('/api'),
  publicPage('/api/openapi.json'),
  // Operations: health for the proxy and supervisors; metrics open only with METRICS_TOKEN (unset here: 404 for all).
  publicPage('/sante/vivant'),
  publicPage('/sante/pret'),
  { route: 'GET /metriques', allowed: [] },
  publicPage('/assets/*', () => assetUrl('app.css')),
  publicPage('/api/v1/organisations'),
  publicPage('/api/v1/cooperations'),
  publicPage('/api/v1/organisations/:id', (w) => `/api/v1/organisations/${w.organisation.id}`),
  publicPage('/api/v1/cooperations/:id', (w) => `/api/v1/cooperations/${w.cooperation.id}`),
  // PTCE self-diagnostic: public report and criteria; declarations by those who edit the cooperation directly.
  publicPage('/api/v1/cooperations/:id/diagnostic-ptce', (w) => `/api/v1/cooperations/${w.cooperation.id}/diagnostic-ptce`),
  publicPage('/cooperations/:id/diagnostic-ptce', (w) => `/cooperations/${w.cooperation.id}/diagnostic-ptce`),
  publicPage('/diagnostic-ptce'),
  // No declaration holds a file in the matrix: everyone gets the same 404.
  {
    route: 'GET /cooperations/:id/diagnostic-ptce/criteres/:code/fichiers/:fichier',
    allowed: [],
    url: (w) => `/cooperations/${w.cooperation.id}/diagnostic-ptce/criteres/utilite_sociale/fichiers/${w.fichier}`,
  },
  {
    route: 'GET /cooperations/:id/diagnostic-ptce/criteres/:code',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/diagnostic-ptce/criteres/utilite_sociale`,
  },
  {
    route: 'POST /cooperations/:id/diagnostic-ptce/criteres/:code',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/diagnostic-ptce/criteres/utilite_sociale`,
    body: () => ({ rempli: 'oui', texte: 'Preuve de la matrice' }),
  },
  // Indicators: public list and aggregates; values entered by those who edit the cooperation; custom indicators
  // of the AMI defined by its instructors (the second allowed post finds the code taken: 400, still allowed).
  publicPage('/api/v1/indicateurs'),
  publicPage('/api/v1/indicateurs/:code/agregats', () => '/api/v1/indicateurs/etp/agregats?region=84'),
  publicPage('/cooperations/:id/indicateurs', (w) => `/cooperations/${w.cooperation.id}/indicateurs`),
  {
    route: 'POST /api/v1/indicateurs',
    allowed: INSTRUCTORS,
    body: (w) => ({ code: 'indicateur_matrice', libelle: 'Indicateur de la matrice', type: 'entier', unite: 'unités', appel_id: w.appel }),
  },
  {
    route: 'POST /api/v1/cooperations/:id/indicateurs',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/api/v1/cooperations/${w.cooperation.id}/indicateurs`,
    body: () => ({ indicateur: 'etp', periode: '2025', valeur: 2 }),
  },
  {
    route: 'POST /cooperations/:id/indicateurs',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/indicateurs`,
    body: () => ({ indicateur: 'etp', periode: '2025', valeur: '2' }),
  },
  {
    route: 'GET /indicateurs/validation',
    allowed: ['moderateur_region', 'moderateur_autre_region', 'instructeur_appel', 'instructeur_autre_appel', 'admin_plateforme'],
  },
  // The value the rows above wrote (entry 1, in the cooperation's région): decided once, then 409 (allowed).
  {
    route: 'POST /indicateurs/saisies/:id/decision',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/indicateurs/saisies/1/decision',
    body: () => ({ decision: 'valider' }),
  },
  {
    route: 'POST /api/v1/indicateurs/saisies/:id/decision',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/api/v1/indicateurs/saisies/1/decision',
    body: () => ({ decision: 'valider' }),
  },
  // Custom indicators: their pages for a call's instructors and a cooperation's admins (a porteur not theirs: 400,
  // still allowed); the AMI's indicator defined above is edited by its instructors only.
  {
    route: 'GET /indicateurs/personnalises',
    allowed: ['admin_cooperation', 'instructeur_appel', 'instructeur_autre_appel', 'admin_plateforme'],
  },
  {
    route: 'POST /indicateurs/personnalises',
    allowed: ['admin_cooperation', 'instructeur_appel', 'instructeur_autre_appel', 'admin_plateforme'],
    body: (w) => ({ porteur: `appel:${w.appel}`, code: 'indicateur_page', libelle: 'Indicateur de la page', type: 'entier', unite: 'unités' }),
  },
  { route: 'GET /indicateurs/personnalises/:code', allowed: INSTRUCTORS, url: () => '/indicateurs/personnalises/indicateur_matrice' },
  {
    route: 'POST /indicateurs/personnalises/:code',
    allowed: INSTRUCTORS,
    url: () => '/indicateurs/personnalises/indicateur_matrice',
    body: () => ({ libelle: 'Indicateur de la matrice', type: 'entier', unite: 'unités' }),
  },
  {
    route: 'POST /api/v1/indicateurs/:code',
    allowed: INSTRUCTORS,
    url: () => '/api/v1/indicateurs/indicateur_matrice',
    body: () => ({ libelle: 'Indicateur de la matrice', type: 'entier', unite: 'unités' }),
  },
  ...['organisations', 'cooperations'].flatMap((kind) =>
    ['csv', 'json', 'geojson'].map((format) => publicPage(`/api/v1/${kind}.${format}`, () => `/api/v1/${kind}.${format}?region=84`)),
  ),
  publicPage('/api/v1/territoires'),
  publicPage('/api/v1/territoires/:type/:code', (w) => `/api/v1/territoires/region/${w.organisation.region}`),
  publicPage('/api/v1/dispositifs'),
  publicPage('/api/v1/dispositifs/:id', (w) => `/api/v1/dispositifs/${w.dispositif.id}`),
  publicPage('/api/v1/dispositifs/schema-dispositif-aide.csv'),
  publicPage('/api/v1/appels/:id/subventions.csv', (w) => `/api/v1/appels/${w.appel}/subventions.csv`),
  publicPage('/api/v1/appels/:id/subventions.json', (w) => `/api/v1/appels/${w.appel}/subventions.json`),
  publicPage('/api/v1/subventions.csv'),
  publicPage('/integration'),
  publicPage('/integration/liste'),
  publicPage('/integration/carte'),
  { route: 'POST /api/v1/orientation', allowed: ALL, body: () => ({ stade: 'emergence', commune: '26281' }) },
  { route: 'POST /api/v1/tresorerie/simulation', allowed: ALL, body: () => ({ debut: '2027-01', duree_mois: 12, solde_initial: 0 }) },
  // Treasury plans of a structure: its members alone, not even a platform admin. Deleting is tried on another structure's plan (404 to all,
  // members included); members delete their own in treasury-plans.test.ts.
  ...['GET /api/v1/organisations/:id/tresorerie', 'GET /organisations/:id/tresorerie'].map(
    (route): Row => ({ route, allowed: TREASURY_KEEPERS, url: (w) => `${route.split(' ')[1]!.replace(':id', String(w.organisation.id))}` }),
  ),
  {
    route: 'POST /api/v1/organisations/:id/tresorerie',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/api/v1/organisations/${w.organisation.id}/tresorerie`,
    body: () => ({ nom: 'Plan', plan: { debut: '2027-01', duree_mois: 12, solde_initial: 0 } }),
  },
  ...[
    'GET /api/v1/organisations/:id/tresorerie/:plan',
    'GET /organisations/:id/tresorerie/:plan',
    'GET /organisations/:id/tresorerie/:plan.csv',
    'GET /organisations/:id/tresorerie/:plan.xlsx',
  ].map(
    (route): Row => ({
      route,
      allowed: TREASURY_KEEPERS,
      url: (w) => route.split(' ')[1]!.replace(':id', String(w.organisation.id)).replace(':plan', String(w.planTresorerie)),
    }),
  ),
  {
    route: 'POST /api/v1/organisations/:id/tresorerie/:plan',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/api/v1/organisations/${w.organisation.id}/tresorerie/${w.planTresorerie}`,
    body: () => ({ nom: 'Plan revu', plan: { debut: '2027-01', duree_mois: 12, solde_initial: 100 } }),
  },
  {
    route: 'POST /api/v1/organisations/:id/tresorerie/:plan/suppression',
    allowed: [],
    url: (w) => `/api/v1/organisations/${w.organisation.id}/tresorerie/${w.planAutre}/suppression`,
  },
  // The plan form's pages: the structure's members alone; the simulation page is anyone's.
  { route: 'GET /organisations/:id/tresorerie/nouveau', allowed: TREASURY_KEEPERS, url: (w) => `/organisations/${w.organisation.id}/tresorerie/nouveau` },
  {
    route: 'POST /organisations/:id/tresorerie/nouveau',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/organisations/${w.organisation.id}/tresorerie/nouveau`,
    body: () => ({ nom: 'Plan', debut: '2027-01', duree_mois: '12', solde_initial: '0' }),
  },
  {
    route: 'GET /organisations/:id/tresorerie/:plan/modifier',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/organisations/${w.organisation.id}/tresorerie/${w.planTresorerie}/modifier`,
  },
  {
    route: 'POST /organisations/:id/tresorerie/:plan/modifier',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/organisations/${w.organisation.id}/tresorerie/${w.planTresorerie}/modifier`,
    body: () => ({ nom: 'Plan revu', debut: '2027-01', duree_mois: '12', solde_initial: '1' }),
  },
  publicPage('/tresorerie/simulation'),
  { route: 'POST /tresorerie/simulation', allowed: ALL, body: () => ({ debut: '2027-01', duree_mois: '12', solde_initial: '0' }) },
  // Local currencies: the list is public, its entries added by moderation (a second addition of the same name is a 409, allowed);
  // an organisation's acceptance set by those who edit it directly.
  publicPage('/api/v1/monnaies-locales'),
  publicPage('/monnaies-locales'),
  ...['POST /api/v1/monnaies-locales', 'POST /monnaies-locales'].map(
    (route): Row => ({
      route,
      allowed: ['moderateur_region', 'moderateur_autre_region', 'admin_plateforme'],
      body: () => ({ nom: 'Monnaie de la matrice', territoire: 'Matrice' }),
    }),
  ),
  ...['GET /organisations/:id/monnaies-locales', 'POST /organisations/:id/monnaies-locales', 'POST /api/v1/organisations/:id/monnaies-locales'].map(
    (route): Row => ({
      route,
      allowed: ['admin_structure', 'moderateur_region', 'admin_plateforme'],
      url: (w) => route.split(' ')[1]!.replace(':id', String(w.organisation.id)),
      body: route.includes('/api/') ? () => ({ monnaies: [] }) : route.startsWith('POST') ? () => ({}) : undefined,
    }),
  ),
  publicPage('/api/v1/cartographie'),
  publicPage('/api/v1/fournisseurs', () => '/api/v1/fournisseurs?secteur=agriculture_alimentation&departement=26'),
  publicPage('/fournisseurs'),
  publicPage('/fournisseurs.csv', () => '/fournisseurs.csv?secteur=agriculture_alimentation&departement=26'),
  publicPage('/fournisseurs.xlsx', () => '/fournisseurs.xlsx?secteur=agriculture_alimentation&departement=26'),
  publicPage('/fournisseurs/charte'),
  // The knowledge base: its first resources are the seeded examples (ids from 1).
  publicPage('/api/v1/ressources'),
  publicPage('/api/v1/ressources/:id', () => '/api/v1/ressources/1'),
  publicPage('/ressources'),
  publicPage('/ressources/:id', () => '/ressources/1'),
  // Proposals of resources: the creations come first (proposals 1, 2… of the organisation's région, each by a fresh account,
  // so that no profile is their author); the moderators of that région decide them (the second decision: 409, allowed).
  ...(['GET', 'POST'] as const).map(
    (method): Row => ({
      route: `${method} /ressources/proposer`,
      allowed: VERIFIED,
      body:
        method === 'POST'
          ? (w) => ({
              titre: 'Ressource de la matrice',
              type: 'methode',
              resume: 'Une ressource proposée par la matrice.',
              corps: 'Le contenu de la ressource proposée par la matrice.',
              region: w.organisation.region,
            })
          : undefined,
    }),
  ),
  ...(['GET', 'POST'] as const).map(
    (method): Row => ({
      route: `${method} /ressources/:id/modifier`,
      allowed: VERIFIED,
      url: () => '/ressources/1/modifier',
      body:
        method === 'POST'
          ? () => ({
              titre: 'Ressource modifiée par la matrice',
              type: 'methode',
              resume: 'Résumé modifié par la matrice.',
              corps: 'Contenu modifié par la matrice, assez long.',
            })
          : undefined,
    }),
  ),
  publicPage('/ressources/:id/historique', () => '/ressources/1/historique'),
  { route: 'GET /ressources/propositions/:id', allowed: ['moderateur_region', 'admin_plateforme'], url: () => '/ressources/propositions/1' },
  { route: 'POST /ressources/propositions/:id/accepter', allowed: ['moderateur_region', 'admin_plateforme'], url: () => '/ressources/propositions/1/accepter' },
  {
    route: 'POST /ressources/propositions/:id/refuser',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/ressources/propositions/2/refuser',
    body: () => ({ motif: 'Motif' }),
  },
  // Files of resource 1 (national: platform admins manage them); the body is not multipart, so the admin gets 400 (allowed).
  { route: 'POST /ressources/:id/fichiers', allowed: ['admin_plateforme'], url: () => '/ressources/1/fichiers' },
  // No resource holds a file in the matrix: everyone gets the same 404 (knowledge-contributions.test.ts covers who may remove one).
  { route: 'GET /ressources/:id/fichiers/:fichier', allowed: [], url: (w) => `/ressources/1/fichiers/${w.fichier}` },
  { route: 'POST /ressources/:id/fichiers/:fichier/suppression', allowed: [], url: (w) => `/ressources/1/fichiers/${w.fichier}/suppression` },
  // Files of a proposal: its author alone adds or removes them (no profile wrote proposal 3: 403); its moderators read them,
  // but none is joined to it: 404 (knowledge-contributions.test.ts covers who reads and removes one).
  { route: 'POST /ressources/propositions/:id/fichiers', allowed: [], url: () => '/ressources/propositions/3/fichiers' },
  { route: 'GET /ressources/propositions/:id/fichiers/:fichier', allowed: [], url: (w) => `/ressources/propositions/3/fichiers/${w.fichier}` },
  {
    route: 'POST /ressources/propositions/:id/fichiers/:fichier/suppression',
    allowed: [],
    url: (w) => `/ressources/propositions/3/fichiers/${w.fichier}/suppression`,
  },
  // The mutualisation board: the POST comes first, so that the matrix's first entry (id 1) exists for the rows after it.
  publicPage('/api/v1/mutualisation'),
  {
    route: 'POST /api/v1/mutualisation',
    allowed: VERIFIED,
    body: () => ({ sens: 'offre', categorie: 'local', titre: 'Salle de la matrice', commune: '26281' }),
  },
  publicPage('/api/v1/mutualisation/:id', () => '/api/v1/mutualisation/1'),
  publicPage('/api/v1/mutualisation/:id/calendrier.ics', () => '/api/v1/mutualisation/1/calendrier.ics'),
  {
    route: 'POST /api/v1/mutualisation/:id/reservations',
    allowed: VERIFIED,
    url: () => '/api/v1/mutualisation/1/reservations',
    body: () => ({ debut: '2031-03-01T09:00:00+01:00', fin: '2031-03-01T10:00:00+01:00' }),
  },
  // Only the account that published the offer decides, and no profile of the matrix published it.
  {
    route: 'POST /api/v1/mutualisation/:id/reservations/:reservation/decision',
    allowed: [],
    url: () => '/api/v1/mutualisation/1/reservations/1/decision',
    body: () => ({ decision: 'confirmee' }),
  },
  // Its pages: the board and an entry are public; one publishes for a structure one belongs to; any verified account books.
  publicPage('/mutualisation'),
  publicPage('/mutualisation/:id', () => '/mutualisation/1'),
  { route: 'GET /mutualisation/publier', allowed: VERIFIED },
  {
    route: 'POST /mutualisation/publier',
    allowed: ['membre_structure', 'admin_structure', 'admin_plateforme'],
    body: (w) => ({ structure: String(w.organisation.id), sens: 'offre', categorie: 'equipement', titre: 'Broyeur de la matrice', commune: '26281' }),
  },
  {
    route: 'POST /mutualisation/:id/reserver',
    allowed: VERIFIED,
    url: () => '/mutualisation/1/reserver',
    body: () => ({ debut: '2031-03-02', debut_heure: '09:00', fin: '2031-03-02', fin_heure: '10:00' }),
  },
  {
    route: 'POST /mutualisation/:id/reservations/:reservation/decision',
    allowed: [],
    url: () => '/mutualisation/1/reservations/1/decision',
    body: () => ({ decision: 'refusee' }),
  },
  // Peers of a cooperation: public; its admins (and the moderators of its région) set its openness and ask to meet.
  publicPage('/api/v1/cooperations/:id/pairs', (w) => `/api/v1/cooperations/${w.cooperation.id}/pairs`),
  publicPage('/cooperations/:id/pairs', (w) => `/cooperations/${w.cooperation.id}/pairs`),
  {
    route: 'POST /cooperations/:id/pairs/ouverture',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/pairs/ouverture`,
    body: () => ({ visites: 'oui' }),
  },
  {
    route: 'GET /cooperations/:id/pairs/ouverture',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/pairs/ouverture`,
  },
  {
    route: 'POST /cooperations/:id/pairs/demande',
    allowed: ['admin_cooperation', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/cooperations/${w.cooperation.id}/pairs/demande`,
    body: (w) => ({ pair: String(w.cooperation.id), message: 'Bonjour' }),
  },
  // Citizen campaigns: run by the structure's members alone (not a platform admin: the intentions' authors are theirs). The first
  // POST creates campaign 1, opened by the next row, so that the public rows after them see it; a second opening is a 409 (allowed).
  publicPage('/campagnes'),
  publicPage('/api/v1/campagnes'),
  { route: 'GET /campagnes/nouvelle', allowed: SIGNED_IN },
  {
    route: 'POST /api/v1/campagnes',
    allowed: TREASURY_KEEPERS,
    body: (w) => ({
      organisation_id: w.organisation.id,
      titre: 'Campagne de la matrice',
      objet: 'Matrice',
      montant_recherche: 100_000,
      instrument: 'don',
      debut: new Date().toISOString().slice(0, 10),
      fin: '2099-12-31',
    }),
  },
  {
    route: 'POST /campagnes/nouvelle',
    allowed: TREASURY_KEEPERS,
    body: (w) => ({
      structure: `organisation:${w.organisation.id}`,
      titre: 'Campagne de la matrice',
      objet: 'Matrice',
      montant_recherche: '1 000',
      instrument: 'pret',
      debut: '2098-01-01',
      fin: '2099-12-31',
    }),
  },
  { route: 'POST /api/v1/campagnes/:id/etat', allowed: TREASURY_KEEPERS, url: () => '/api/v1/campagnes/1/etat', body: () => ({ etat: 'ouverte' }) },
  { route: 'POST /campagnes/:id/etat', allowed: TREASURY_KEEPERS, url: () => '/campagnes/2/etat', body: () => ({ etat: 'ouverte' }) },
  {
    route: 'POST /api/v1/campagnes/:id',
    allowed: TREASURY_KEEPERS,
    url: () => '/api/v1/campagnes/3',
    body: () => ({ titre: 'Campagne revue', objet: 'Matrice', montant_recherche: 100_000, instrument: 'don', debut: '2098-01-01', fin: '2099-12-31' }),
  },
  { route: 'GET /campagnes/:id/modifier', allowed: TREASURY_KEEPERS, url: () => '/campagnes/3/modifier' },
  {
    route: 'POST /campagnes/:id/modifier',
    allowed: TREASURY_KEEPERS,
    url: () => '/campagnes/3/modifier',
    body: () => ({ titre: 'Campagne revue', objet: 'Matrice', montant_recherche: '1 000', instrument: 'don', debut: '2098-01-01', fin: '2099-12-31' }),
  },
  publicPage('/api/v1/campagnes/:id', () => '/api/v1/campagnes/1'),
  publicPage('/campagnes/:id', () => '/campagnes/1'),
  {
    route: 'POST /api/v1/campagnes/:id/intentions',
    allowed: ALL,
    url: () => '/api/v1/campagnes/1/intentions',
    body: () => ({ montant: 1000, nom: 'Personne de la matrice', email: 'matrice@exemple.fr' }),
  },
  {
    route: 'POST /campagnes/:id/intentions',
    allowed: ALL,
    url: () => '/campagnes/1/intentions',
    body: () => ({ montant: '10', nom: 'Personne de la matrice', email: 'matrice-formulaire@exemple.fr' }),
  },
  ...['GET /api/v1/campagnes/:id/intentions', 'GET /campagnes/:id/suivi', 'GET /campagnes/:id/intentions.csv', 'GET /campagnes/:id/intentions.xlsx'].map(
    (route): Row => ({ route, allowed: TREASURY_KEEPERS, url: () => route.split(' ')[1]!.replace(':id', '1') }),
  ),
  // Cigales clubs: declared by the structure's admins and its région's moderators; investments recorded by the club's members (an
  // investment of the club in itself is a 400, which is allowed).
  publicPage('/api/v1/organisations/:id/cigales', (w) => `/api/v1/organisations/${w.organisation.id}/cigales`),
  publicPage('/organisations/:id/cigales', (w) => `/organisations/${w.organisation.id}/cigales`),
  {
    route: 'POST /api/v1/organisations/:id/club-cigales',
    allowed: ['admin_structure', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/api/v1/organisations/${w.organisation.id}/club-cigales`,
    body: () => ({ club: true }),
  },
  {
    route: 'POST /organisations/:id/cigales/declaration',
    allowed: ['admin_structure', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/organisations/${w.organisation.id}/cigales/declaration`,
    body: () => ({ club: 'oui' }),
  },
  {
    route: 'POST /api/v1/organisations/:id/investissements-cigales',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/api/v1/organisations/${w.organisation.id}/investissements-cigales`,
    body: (w) => ({ entreprise_siret: w.organisation.siret, montant: 1000, date_investissement: '2026-01-05', instrument: 'pret' }),
  },
  {
    route: 'POST /organisations/:id/cigales/investissements',
    allowed: TREASURY_KEEPERS,
    url: (w) => `/organisations/${w.organisation.id}/cigales/investissements`,
    body: (w) => ({ entreprise_siret: w.organisation.siret, montant: '10', date_investissement: '2026-01-05', instrument: 'pret' }),
  },
  // The charter of a structure: declared by its admins and the moderators of its région.
  {
    route: 'POST /fournisseurs/charte/:id',
    allowed: ['admin_structure', 'moderateur_region', 'admin_plateforme'],
    url: (w) => `/fournisseurs/charte/${w.organisation.id}`,
    body: () => ({ signee: 'oui' }),
  },
  publicPage('/api/v1/carte/clusters', () => '/api/v1/carte/clusters?bbox=-5.5,41,10,51.5&zoom=5'),
  publicPage('/api/v1/carte/choropleth'),

  // Accounts: the sign-up and sign-in pages are open to all; the account itself to signed-in people.
  publicPage('/compte/inscription'),
  publicPage('/compte/inscription/confirmation'),
  publicPage('/compte/verification', () => `/compte/verification?jeton=${'a'.repeat(43)}`),
  publicPage('/compte/connexion'),
  publicPage('/compte/deconnexion'),
  publicPage('/compte/mot-de-passe-oublie'),
  publicPage('/compte/mot-de-passe-oublie/confirmation'),
  publicPage('/compte/reinitialisation', () => `/compte/reinitialisation?jeton=${'a'.repeat(43)}`),
  {
    route: 'POST /compte/inscription',
    allowed: ALL,
    body: () => ({ email: `matrice-${Math.random().toString(36).slice(2)}@exemple.test`, nom: 'Matrice', mot_de_passe: 'une phrase de passe assez longue' }),
  },
  { route: 'POST /compte/connexion', allowed: ALL, body: (w) => ({ email: w.someone.email, mot_de_passe: TEST_PASSWORD }) },
  { route: 'POST /compte/mot-de-passe-oublie', allowed: ALL, body: () => ({ email: 'personne@exemple.test' }) },
  { route: 'POST /compte/reinitialisation', allowed: ALL, body: () => ({ jeton: 'a'.repeat(43), mot_de_passe: 'une phrase de passe assez longue' }) },
  { route: 'GET /compte', allowed: SIGNED_IN },
  { route: 'POST /compte/verification/renvoi', allowed: SIGNED_IN },
  { route: 'POST /compte/deconnexion', allowed: ALL },
  // RGPD: one's own data and account; deletion is confirmed with the password (each row's account is fresh).
  { route: 'GET /compte/donnees.json', allowed: SIGNED_IN },
  { route: 'GET /compte/suppression', allowed: SIGNED_IN },
  { route: 'POST /compte/suppression', allowed: SIGNED_IN, body: () => ({ confirmation: TEST_PASSWORD }) },
  publicPage('/compte/suppression/effectuee'),
  // OpenID Connect (registered when configured: the matrix runs with a local provider).
  publicPage('/compte/oidc/connexion'),
  publicPage('/compte/oidc/retour'),
  publicPage('/compte/oidc/deconnexion'),
  // Alerts: one's own; another person's alert answers 404, whoever asks.
  { route: 'GET /compte/alertes', allowed: SIGNED_IN },
  { route: 'POST /compte/alertes', allowed: SIGNED_IN, body: () => ({ type: 'recherche_cooperations', requete: 'region=84' }) },
  { route: 'POST /compte/alertes/:id/frequence', allowed: [], url: (w) => `/compte/alertes/${w.alert}/frequence`, body: () => ({ frequence: 'quotidienne' }) },
  { route: 'POST /compte/alertes/:id/suppression', allowed: [], url: (w) => `/compte/alertes/${w.alert}/suppression` },

  // Contributions: proposals and edits for verified accounts (queued, or applied at once by those who may edit);
  // history and error reports for everyone; a contribution's page for its author and the moderators of its région.
  publicPage('/contributions/nouvelle'),
  { route: 'GET /contributions', allowed: SIGNED_IN },
  { route: 'GET /contributions/nouvelle/:type', allowed: VERIFIED, url: () => '/contributions/nouvelle/cooperation' },
  {
    route: 'POST /contributions/nouvelle/:type',
    allowed: VERIFIED,
    url: () => '/contributions/nouvelle/cooperation',
    body: () => ({ nom: 'Coopération de la matrice', modele: 'PTCE', commune: '26362' }),
  },
  { route: 'GET /contributions/:id', allowed: ['moderateur_region', 'admin_plateforme'], url: (w) => `/contributions/${w.contribution}` },
  // Territoires de projet proposed on the site: each verified profile's post queues one in the organisation's
  // région (Valence); the decision rows below act on the first two of them (numbers 1 and 2).
  { route: 'GET /territoires/proposer', allowed: VERIFIED },
  {
    route: 'POST /territoires/proposer',
    allowed: VERIFIED,
    body: () => ({ nom: 'Territoire de la matrice', type: 'pays', communes: '26362' }),
  },
  { route: 'GET /organisations/:id/modifier', allowed: VERIFIED, url: (w) => `/organisations/${w.organisation.id}/modifier` },
  {
    route: 'POST /organisations/:id/modifier',
    allowed: VERIFIED,
    url: (w) => `/organisations/${w.organisation.id}/modifier`,
    body: (w) => ({ siret: w.organisation.siret, nom: 'Structure de la matrice', commune: '26362', statut_ess: 'ess_de_droit' }),
  },
  { route: 'GET /cooperations/:id/modifier', allowed: VERIFIED, url: (w) => `/cooperations/${w.cooperation.id}/modifier` },
  {
    route: 'POST /cooperations/:id/modifier',
    allowed: VERIFIED,
    url: (w) => `/cooperations/${w.cooperation.id}/modifier`,
    body: () => ({ nom: 'Coopération modifiée par la matrice', modele: 'PTCE', commune: '26362' }),
  },
  { route: 'GET /dispositifs/:id/modifier', allowed: VERIFIED, url: (w) => `/dispositifs/${w.dispositif.id}/modifier` },
  {
    route: 'POST /dispositifs/:id/modifier',
    allowed: VERIFIED,
    url: (w) => `/dispositifs/${w.dispositif.id}/modifier`,
    body: (w) => ({ nom: 'Dispositif de la matrice', porteurs: w.dispositif.porteur }),
  },
  publicPage('/organisations/:id/historique', (w) => `/organisations/${w.organisation.id}/historique`),
  publicPage('/cooperations/:id/historique', (w) => `/cooperations/${w.cooperation.id}/historique`),
  publicPage('/dispositifs/:id/historique', (w) => `/dispositifs/${w.dispositif.id}/historique`),
  publicPage('/api/v1/organisations/:id/historique', (w) => `/api/v1/organisations/${w.organisation.id}/historique`),
  publicPage('/api/v1/cooperations/:id/historique', (w) => `/api/v1/cooperations/${w.cooperation.id}/historique`),
  publicPage('/api/v1/dispositifs/:id/historique', (w) => `/api/v1/dispositifs/${w.dispositif.id}/historique`),
  publicPage('/organisations/:id/signaler', (w) => `/organisations/${w.organisation.id}/signaler`),
  publicPage('/cooperations/:id/signaler', (w) => `/cooperations/${w.cooperation.id}/signaler`),
  publicPage('/dispositifs/:id/signaler', (w) => `/dispositifs/${w.dispositif.id}/signaler`),
  { route: 'POST /organisations/:id/signaler', allowed: ALL, url: (w) => `/organisations/${w.organisation.id}/signaler`, body: () => ({ message: 'Erreur' }) },
  { route: 'POST /cooperations/:id/signaler', allowed: ALL, url: (w) => `/cooperations/${w.cooperation.id}/signaler`, body: () => ({ message: 'Erreur' }) },
  { route: 'POST /dispositifs/:id/signaler', allowed: ALL, url: (w) => `/dispositifs/${w.dispositif.id}/signaler`, body: () => ({ message: 'Erreur' }) },
  { route: 'GET /organisations/:id/revendiquer', allowed: VERIFIED, url: (w) => `/organisations/${w.organisation.id}/revendiquer` },
  {
    route: 'POST /organisations/:id/revendiquer',
    allowed: VERIFIED,
    url: (w) => `/organisations/${w.organisation.id}/revendiquer`,
    body: () => ({ role: 'membre', justification: 'Matrice' }),
  },

  // Moderation: moderators see the queue of their régions; decisions need the object's région (or platform admin).
  { route: 'GET /moderation', allowed: ['moderateur_region', 'moderateur_autre_region', 'admin_plateforme'] },
  { route: 'GET /moderation/contributions/:id', allowed: ['moderateur_region', 'admin_plateforme'], url: (w) => `/moderation/contributions/${w.contribution}` },
  {
    route: 'GET /moderation/contributions/:id/modifier',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/contributions/${w.contribution}/modifier`,
  },
  {
    route: 'POST /moderation/contributions/:id/modifier',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/contributions/${w.contribution}/modifier`,
    body: () => ({ nom: 'Proposition amendée', modele: 'PTCE', commune: '26362' }),
  },
  {
    route: 'POST /moderation/contributions/:id/accepter',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/contributions/${w.contribution}/accepter`,
  },
  {
    route: 'POST /moderation/contributions/:id/refuser',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/contributions/${w.contribution}/refuser`,
    body: () => ({ motif: 'Motif' }),
  },
  {
    route: 'POST /moderation/signalements/:id/traiter',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/signalements/${w.report}/traiter`,
  },
  {
    route: 'POST /moderation/revendications/:id/accepter',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/revendications/${w.claim}/accepter`,
  },
  {
    route: 'POST /moderation/revendications/:id/refuser',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: (w) => `/moderation/revendications/${w.claim}/refuser`,
    body: () => ({ motif: 'Motif' }),
  },
  {
    route: 'GET /moderation/territoires-projet/:id',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/moderation/territoires-projet/1',
  },
  {
    route: 'POST /moderation/territoires-projet/:id/accepter',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/moderation/territoires-projet/1/accepter',
  },
  {
    route: 'POST /moderation/territoires-projet/:id/refuser',
    allowed: ['moderateur_region', 'admin_plateforme'],
    url: () => '/moderation/territoires-projet/2/refuser',
    body: () => ({ motif: 'Motif' }),
  },
  { route: 'GET /moderation/doublons', allowed: ['moderateur_region', 'moderateur_autre_region', 'admin_plateforme'] },
  ...(['', '/pas-un-doublon', '/fusionner'] as const).map(
    (end): Row => ({
      route: `${end ? 'POST' : 'GET'} /moderation/doublons/:type/:id/:autre${end}`,
      allowed: ['moderateur_region', 'admin_plateforme'],
      url: (w) => `/moderation/doublons/organisations/${w.pair[0]}/${w.pair[1]}${end}`,
      body: end === '/fusionner' ? (w) => ({ conserver: String(w.pair[0]) }) : undefined,
    }),
  ),

  // Calls for proposals: public; applying needs a verified address (the AMI is closed by the real clock:
  // starting answers 409, which is « allowed »); an application is seen by its applicant only — every fresh
  // profile, platform admin included, gets 404.
  publicPage('/appels'),
  publicPage('/appels/:id', (w) => `/appels/${w.appel}`),
  publicPage('/api/v1/appels'),
  publicPage('/api/v1/appels/:id', (w) => `/api/v1/appels/${w.appel}`),
  { route: 'GET /appels/:id/candidater', allowed: VERIFIED, url: (w) => `/appels/${w.appel}/candidater` },
  {
    route: 'POST /appels/:id/candidater',
    allowed: VERIFIED,
    url: (w) => `/appels/${w.appel}/candidater`,
    body: () => ({
      titre: 'Matrice',
      porteur: 'cooperation',
      chef_siret: '10000000900009',
      chef_nom: 'Structure de la matrice',
      'profil.stade': 'emergence',
      'profil.modele': 'PTCE',
      'profil.finalite': 'systemique',
      'profil.modele_economique': 'hybride',
    }),
  },
  {
    route: 'POST /api/v1/appels/:id/candidatures',
    allowed: VERIFIED,
    url: (w) => `/api/v1/appels/${w.appel}/candidatures`,
    body: () => ({
      titre: 'Matrice',
      porteur: 'cooperation',
      chef_de_file: { siret: '10000000900009', nom: 'Structure de la matrice' },
      profil: { stade: 'emergence', modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride' },
    }),
  },
  // Concertation: the AMI is published, so a new comment answers 409 (« allowed »); its managers answer and hide.
  {
    route: 'POST /appels/:id/commentaires',
    allowed: VERIFIED,
    url: (w) => `/appels/${w.appel}/commentaires`,
    body: () => ({ section: 'general', texte: 'Commentaire de la matrice' }),
  },
  {
    route: 'POST /appels/:id/commentaires/:commentaire/reponse',
    allowed: INSTRUCTORS,
    url: (w) => `/appels/${w.appel}/commentaires/${w.commentaire}/reponse`,
    body: () => ({ texte: 'Réponse de la matrice' }),
  },
  {
    route: 'POST /appels/:id/commentaires/:commentaire/masquage',
    allowed: INSTRUCTORS,
    url: (w) => `/appels/${w.appel}/commentaires/${w.commentaire}/masquage`,
    body: () => ({ motif: 'Propos abusifs' }),
  },
  { route: 'GET /candidatures', allowed: SIGNED_IN },
  { route: 'GET /candidatures/:id', allowed: [], url: (w) => `/candidatures/${w.candidature}` },
  { route: 'POST /candidatures/:id', allowed: [], url: (w) => `/candidatures/${w.candidature}`, body: () => ({ version: '1', action: 'enregistrer' }) },
  { route: 'GET /candidatures/:id/recepisse', allowed: [], url: (w) => `/candidatures/${w.candidature}/recepisse` },
  { route: 'GET /candidatures/:id/recepisse.pdf', allowed: [], url: (w) => `/candidatures/${w.candidature}/recepisse.pdf` },
  { route: 'GET /api/v1/candidatures/:id', allowed: [], url: (w) => `/api/v1/candidatures/${w.candidature}` },
  {
    route: 'POST /api/v1/candidatures/:id/brouillon',
    allowed: [],
    url: (w) => `/api/v1/candidatures/${w.candidature}/brouillon`,
    body: () => ({ version: 1, donnees: {} }),
  },
  // Files of an application: its applicant (not a profile here: tested in files-upload); a draft's files are
  // its owner's alone (the call's instructors read them once it is submitted, tested in files-upload).
  { route: 'GET /candidatures/:id/fichiers/:fichier', allowed: [], url: (w) => `/candidatures/${w.candidature}/fichiers/${w.fichier}` },
  { route: 'POST /candidatures/:id/fichiers/:champ', allowed: [], url: (w) => `/candidatures/${w.candidature}/fichiers/statuts` },
  {
    route: 'POST /candidatures/:id/fichiers/:fichier/suppression',
    allowed: [],
    url: (w) => `/candidatures/${w.candidature}/fichiers/${w.fichier}/suppression`,
  },
  { route: 'POST /api/v1/candidatures/:id/depot', allowed: [], url: (w) => `/api/v1/candidatures/${w.candidature}/depot`, body: () => ({}) },

  // Instruction: the call's instructors and platform admins; reviewers are assigned per call (tried in
  // test/instruction-access.test.ts with conflicts of interest); the applicant alone reads their thread.
  { route: 'GET /instruction', allowed: SIGNED_IN },
  // Calls managed by funders (their instructors): the demo AMI is published, so these posts answer 409 without writing.
  { route: 'GET /gestion/appels', allowed: SIGNED_IN },
  { route: 'GET /gestion/appels/nouveau', allowed: ['editeur_dispositifs', 'admin_plateforme'] },
  {
    route: 'POST /gestion/appels/nouveau',
    allowed: ['editeur_dispositifs', 'admin_plateforme'],
    body: (w) => ({ titre: 'Appel de la matrice', organisateur: w.dispositif.porteur }),
  },
  { route: 'GET /gestion/appels/:id', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}` },
  {
    route: 'POST /gestion/appels/:id/informations',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/informations`,
    body: () => ({ titre: 'AMI national PTCE 2021', cle: 'ami-ptce-2021', couverture_niveau: 'national' }),
  },
  {
    route: 'POST /gestion/appels/:id/organisateurs',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/organisateurs`,
    body: () => ({ 'organisateurs.0.nom': 'Organisateur de la matrice', 'organisateurs.0.siret': '' }),
  },
  { route: 'POST /gestion/appels/:id/phases', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}/phases`, body: () => ({}) },
  {
    route: 'POST /gestion/appels/:id/eligibilite',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/eligibilite`,
    body: () => ({ stades: 'emergence', modeles: 'PTCE' }),
  },
  {
    route: 'POST /gestion/appels/:id/statut',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/statut`,
    body: () => ({ statut: 'brouillon', confirmation: 'oui' }),
  },
  // The form builder: a stale revision answers 409, so the AMI's form is never changed by the matrix.
  { route: 'GET /gestion/appels/:id/formulaire', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}/formulaire` },
  { route: 'GET /gestion/appels/:id/formulaire.json', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}/formulaire.json` },
  { route: 'GET /gestion/appels/:id/formulaire/section', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}/formulaire/section?position=0` },
  { route: 'GET /gestion/appels/:id/formulaire/champ', allowed: INSTRUCTORS, url: (w) => `/gestion/appels/${w.appel}/formulaire/champ?section=0&type=texte` },
  {
    route: 'POST /gestion/appels/:id/formulaire/section',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/formulaire/section`,
    body: () => ({ version: '1', revision: '0000000000000000', titre: 'Section de la matrice' }),
  },
  {
    route: 'POST /gestion/appels/:id/formulaire/champ',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/formulaire/champ`,
    body: () => ({ version: '1', revision: '0000000000000000', section: '0', type: 'texte', libelle: 'Question de la matrice' }),
  },
  {
    route: 'POST /gestion/appels/:id/formulaire/element',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/formulaire/element`,
    body: () => ({ version: '1', revision: '0000000000000000', cible: 'section:0', operation: 'descendre' }),
  },
  {
    route: 'POST /gestion/appels/:id/formulaire/import',
    allowed: INSTRUCTORS,
    url: (w) => `/gestion/appels/${w.appel}/formulaire/import`,
    body: () => ({ version: '1', revision: '0000000000000000', definition: JSON.stringify({ sections: [{ titre: 'Importée', champs: [] }] }) }),
  },
  ...(['', '/comparaison', '/candidatures.csv', '/candidatures.xlsx'] as const).map(
    (end): Row => ({
      route: `GET /instruction/appels/:id${end}`,
      allowed: INSTRUCTORS,
      url: (w) => `/instruction/appels/${w.appel}${end}`,
    }),
  ),
  { route: 'POST /instruction/appels/:id/notifications', allowed: INSTRUCTORS, url: (w) => `/instruction/appels/${w.appel}/notifications` },
  {
    route: 'POST /instruction/appels/:id/evaluateurs',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/appels/${w.appel}/evaluateurs`,
    body: (w) => ({ email: w.someone.email }),
  },
  {
    route: 'POST /instruction/appels/:id/evaluateurs/retrait',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/appels/${w.appel}/evaluateurs/retrait`,
    body: (w) => ({ compte: String(w.someone.id) }),
  },
  {
    route: 'POST /instruction/appels/:id/grille',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/appels/${w.appel}/grille`,
    body: () => ({ libelle: 'Critère de la matrice', poids: '1', min: '0', max: '5' }),
  },
  { route: 'GET /instruction/candidatures/:id', allowed: INSTRUCTORS, url: (w) => `/instruction/candidatures/${w.instruite}` },
  {
    route: 'POST /instruction/candidatures/:id/evaluation',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/evaluation`,
    body: (w) => Object.fromEntries(w.grid.map((c) => [`note_${c.id}`, '3'])),
  },
  {
    route: 'POST /instruction/candidatures/:id/conflit',
    allowed: [],
    url: (w) => `/instruction/candidatures/${w.instruite}/conflit`,
    body: () => ({ motif: 'Matrice' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/annotations',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/annotations`,
    body: () => ({ texte: 'Annotation de la matrice' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/statut',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/statut`,
    body: () => ({ statut: 'complement_demande', motif: 'Précisez le budget.' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/messages',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/messages`,
    body: () => ({ texte: 'Bonjour.' }),
  },
  { route: 'GET /instruction/candidatures/:id/financement', allowed: INSTRUCTORS, url: (w) => `/instruction/candidatures/${w.instruite}/financement` },
  {
    route: 'POST /instruction/candidatures/:id/financement',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement`,
    body: () => ({ debut: '2021-12-01' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/financement/tranches',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/tranches`,
    body: () => ({ libelle: 'Tranche', montant: '1 000', echeance: '2022-01-01' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/financement/tranches/:tranche',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/tranches/${w.tranche}`,
    body: () => ({ montant: '100 000' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/financement/versements',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/versements`,
    body: (w) => ({ tranche: String(w.tranche), montant: '1', verse_le: '2022-01-15' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/financement/rapports',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/rapports`,
    body: () => ({ libelle: 'Rapport d’étape', echeance: '2022-12-31' }),
  },
  {
    route: 'POST /instruction/candidatures/:id/financement/rapports/:rapport',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/rapports/${w.rapport}`,
    body: () => ({ action: 'remis' }),
  },
  // Indicators a due date expects: named by the call's instructors; the due dates read by them (the application
  // of the matrix carries no cooperation, so nobody reports against them: its admins would).
  {
    route: 'POST /instruction/candidatures/:id/financement/rapports/:rapport/indicateurs',
    allowed: INSTRUCTORS,
    url: (w) => `/instruction/candidatures/${w.instruite}/financement/rapports/${w.rapport}/indicateurs`,
    body: () => ({ periode: '2022', indicateurs: 'etp' }),
  },
  {
    route: 'POST /api/v1/candidatures/:id/rapports/:rapport/indicateurs',
    allowed: INSTRUCTORS,
    url: (w) => `/api/v1/candidatures/${w.instruite}/rapports/${w.rapport}/indicateurs`,
    body: () => ({ periode: '2022', indicateurs: ['etp'] }),
  },
  { route: 'GET /api/v1/candidatures/:id/rapports', allowed: INSTRUCTORS, url: (w) => `/api/v1/candidatures/${w.instruite}/rapports` },
  { route: 'GET /candidatures/:id/rapports', allowed: INSTRUCTORS, url: (w) => `/candidatures/${w.instruite}/rapports` },
  {
    route: 'POST /api/v1/candidatures/:id/rapports/:rapport/saisies',
    allowed: [],
    url: (w) => `/api/v1/candidatures/${w.instruite}/rapports/${w.rapport}/saisies`,
    body: () => ({ valeurs: [{ indicateur: 'etp', valeur: 2 }] }),
  },
  {
    route: 'POST /candidatures/:id/rapports/:rapport',
    allowed: [],
    url: (w) => `/candidatures/${w.instruite}/rapports/${w.rapport}`,
    body: () => ({ 'valeur.etp': '2' }),
  },
  { route: 'GET /candidatures/:id/messages', allowed: [], url: (w) => `/candidatures/${w.instruite}/messages` },
  { route: 'POST /candidatures/:id/messages', allowed: [], url: (w) => `/candidatures/${w.instruite}/messages`, body: () => ({ texte: 'Merci.' }) },

  // Administration: platform admins only.
  { route: 'GET /admin', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/journal', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/courriels', allowed: ['admin_plateforme'] },
  { route: 'POST /admin/courriels/relance', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/statistiques', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/statistiques.csv', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/comptes/:id', allowed: ['admin_plateforme'], url: (w) => `/admin/comptes/${w.someone.id}` },
  {
    route: 'POST /admin/comptes/:id/roles',
    allowed: ['admin_plateforme'],
    url: (w) => `/admin/comptes/${w.someone.id}/roles`,
    body: (w) => ({ role: 'regional_moderator', portee: w.otherRegion }),
  },
  {
    route: 'POST /admin/comptes/:id/roles/retrait',
    allowed: ['admin_plateforme'],
    url: (w) => `/admin/comptes/${w.someone.id}/roles/retrait`,
    body: () => ({ role: 'contributor', type_portee: 'platform', portee: '' }),
  },
  { route: 'GET /admin/regles-besoins', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/regles-besoins/modifier', allowed: ['admin_plateforme'] },
  { route: 'GET /admin/regles-besoins/versions/:version', allowed: ['admin_plateforme'], url: () => '/admin/regles-besoins/versions/1' },
  // Without any rule changed: the admin gets the form back (400), everyone else is refused before it is read.
  { route: 'POST /admin/regles-besoins', allowed: ['admin_plateforme'], body: () => ({ version_de_depart: '1', motif: 'Matrice des autorisations' }) },
];

/** A client acting as the profile: a fresh account with its roles, or a visitor holding an anonymous CSRF cookie. */
async function actorFor(t: TestApp, world: World, profile: Profile): Promise<{ client: Client; csrf: string }> {
  const grants = PROFILES[profile](world);
  if (grants === null) {
    const client = new Client(t.app);
    return { client, csrf: csrfOf((await client.get('/compte/connexion')).body) };
  }
  const account = await signedInAs(t.app, t.database.db, grants, { verified: profile !== 'non_verifie' });
  return { client: account.client, csrf: account.csrf };
}

async function attempt(t: TestApp, world: World, row: Row, profile: Profile): Promise<LightMyRequestResponse> {
  const [method, path] = row.route.split(' ') as [string, string];
  const url = row.url ? row.url(world) : path;
  const { client, csrf } = await actorFor(t, world, profile);
  if (method === 'GET') return client.get(url);
  const body = row.body ? row.body(world) : {};
  if (url.startsWith('/api/')) return client.postJson(url, body, { 'x-csrf-token': csrf });
  return client.post(url, { _csrf: csrf, ...(body as Record<string, string>) });
}

function isRefusal(response: LightMyRequestResponse): boolean {
  if ([401, 403, 404].includes(response.statusCode)) return true;
  return response.statusCode === 303 && String(response.headers.location).startsWith('/compte/connexion');
}

describe(`Matrice des autorisations : chaque route × chaque rôle`, () => {
  let t: TestApp;
  let provider: OidcTestProvider;
  let world: World;
  before(async () => {
    provider = await startProviderForMaillage();
    t = await buildTestApp({ config: oidcSettings(provider) });
    const db = t.database.db;
    // A structure of the Drôme (région 84, where demo cooperations are) with a valid SIRET.
    const organisation = await firstRow<World['organisation']>(
      db,
      sql`insert into organisation
        (siret, siren, name, commune_code, departement_code, region_code, statut_ess)
      values ('10000000900009', '100000009', 'Structure de la matrice', '26362', '26', '84', 'ess_de_droit')
      returning id::int as id, siret, region_code as region`,
    );
    const cooperation = await firstRow<World['cooperation']>(
      db,
      sql`select id::int as id, region_code as region
      from cooperation where region_code = ${organisation!.region} order by id limit 1`,
    );
    const dispositif = await firstRow<World['dispositif']>(
      db,
      sql`select d.id::int as id, p.name as porteur
      from dispositif d join dispositif_porteur p on p.dispositif_id = d.id order by d.id limit 1`,
    );
    const otherRegion = organisation!.region === '11' ? '84' : '11';
    const regions = `{${organisation!.region}}`;
    const proposer = await signedInAs(t.app, db);
    const contribution = await firstRow<{ id: number }>(
      db,
      sql`insert into contribution (kind, action, data, region_codes, author_id)
      values ('cooperation', 'creation', ${JSON.stringify({ nom: 'Proposition de la matrice', modele: 'PTCE', commune: '26362' })}::jsonb,
        ${regions}::text[], ${proposer.id}) returning id::int as id`,
    );
    const report = await firstRow<{ id: number }>(
      db,
      sql`insert into error_report (kind, object_id, message, region_codes)
      values ('organisation', ${organisation!.id}, 'Erreur de la matrice', ${regions}::text[]) returning id::int as id`,
    );
    const claim = await firstRow<{ id: number }>(
      db,
      sql`insert into organisation_claim (organisation_id, siret, account_id, role, justification, region_codes)
      values (${organisation!.id}, ${organisation!.siret}, ${proposer.id}, 'organisation_member', 'Matrice', ${regions}::text[])
      returning id::int as id`,
    );
    const someone = await signedInAs(t.app, db);
    const alert = await firstRow<{ id: number }>(
      db,
      sql`insert into alert (account_id, name, kind, query)
      values (${someone.id}, 'Alerte de la matrice', 'recherche_cooperations', '{"region":"84"}'::jsonb) returning id::int as id`,
    );
    const appel = await firstRow<{ id: number }>(db, sql`select id::int as id from appel where key = 'ami-ptce-2021'`);
    const candidature = await firstRow<{ id: number }>(
      db,
      sql`insert into candidature (appel_id, formulaire_version, account_id, porteur_type, title)
      values (${appel!.id}, 1, ${someone.id}, 'cooperation', 'Candidature de la matrice') returning id::int as id`,
    );
    const { otherId, grid } = await prepareCalls(db);
    const instruite = await depositedApplication(db, appel!.id, someone);
    await forceStatus(db, instruite, 'en_instruction');
    const convention = await firstRow<{ id: number }>(
      db,
      sql`insert into convention (candidature_id, debut) values (${instruite}, '2021-12-01')
      returning id::int as id`,
    );
    const tranche = await firstRow<{ id: number }>(
      db,
      sql`insert into convention_tranche (convention_id, position, label, montant, echeance)
      values (${convention!.id}, 0, 'Années 1 et 2', 100000, '2021-12-01') returning id::int as id`,
    );
    const rapport = await firstRow<{ id: number }>(
      db,
      sql`insert into rapport_echeance (convention_id, label, echeance)
      values (${convention!.id}, 'Rapport', '2022-06-30') returning id::int as id`,
    );
    const pair = await rows<{ id: number }>(
      db,
      sql`insert into organisation (name, commune_code, departement_code, region_code)
      values ('Ressourcerie de la matrice', '26362', '26', '84'), ('La ressourcerie de la matrice', '26362', '26', '84') returning id::int as id`,
    );
    const store = folderStore(resolve('var/test/files'));
    const received = await store.receive(Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]), 1024);
    const fichier = await store.keep(received);
    await db.execute(sql`insert into candidature_fichier (id, candidature_id, field_key, original_name, content_type, size_bytes, sha256, uploaded_by)
      values (${fichier}, ${candidature!.id}, 'statuts', 'statuts.pdf', 'application/pdf', ${received.size}, ${received.sha256}, ${someone.id})`);
    const commentaire = await firstRow<{ id: number }>(
      db,
      sql`insert into appel_commentaire (appel_id, account_id, body)
      values (${appel!.id}, ${someone.id}, 'Commentaire de la matrice') returning id::int as id`,
    );
    const plans = await rows<{ id: number }>(
      db,
      sql`insert into plan_tresorerie (organisation_id, nom, plan)
      select o.id, 'Plan de la matrice', ${JSON.stringify({ debut: '2027-01', duree_mois: 12, solde_initial: 0 })}::jsonb
      from organisation o where o.id = ${organisation!.id} or o.id = (select min(id) from organisation where id <> ${organisation!.id})
      order by o.id = ${organisation!.id} desc returning id::int as id`,
    );
    world = {
      planTresorerie: plans[0]!.id,
      planAutre: plans[1]!.id,
      pair: [pair[0]!.id, pair[1]!.id],
      fichier,
      commentaire: commentaire!.id,
      organisation: organisation!,
      cooperation: cooperation!,
      dispositif: dispositif!,
      otherRegion,
      someone,
      contribution: contribution!.id,
      report: report!.id,
      claim: claim!.id,
      alert: alert!.id,
      appel: appel!.id,
      candidature: candidature!.id,
      otherAppel: otherId,
      instruite,
      tranche: tranche!.id,
      rapport: rapport!.id,
      grid,
    };
  });
  after(async () => {
    await t.close();
    await provider.close();
  });

  test('chaque route de l’application figure dans la matrice, une seule fois', () => {
    const listed = MATRIX.map((row) => row.route);
    assert.deepEqual(
      listed.filter((route, i) => listed.indexOf(route) !== i),
      [],
      'routes en double',
    );
    const registered = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(
      registered.filter((route) => !listed.includes(route)),
      [],
      'routes absentes de la matrice',
    );
    assert.deepEqual(
      listed.filter((route) => !registered.includes(route)),
      [],
      'routes de la matrice qui n’existent plus',
    );
  });

  for (const row of MATRIX) {
    test(row.route, async () => {
      for (const profile of ALL) {
        const response = await attempt(t, world, row, profile);
        assert.ok(response.statusCode < 500, `${row.route} (${profile}) : erreur serveur ${response.statusCode}`);
        const allowed = row.allowed.includes(profile);
        assert.equal(
          !isRefusal(response),
          allowed,
          `${row.route} (${profile}) : ${allowed ? 'devrait être permis' : 'devrait être refusé'}, reçu ${response.statusCode} ${String(response.headers.location ?? '')}`,
        );
      }
    });
  }
});
