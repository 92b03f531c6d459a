/**
 * Who may use each instruction route, through HTTP on each real database: every route × the applicant, another
 * applicant, an instructor of the call, an instructor of another call, a reviewer, a reviewer who declared a
 * conflict on the application, a visitor and a platform admin. Each request is made by a fresh account (the
 * applicant excepted: it is the owner of the application) with a valid CSRF token and a valid body, so that what
 * refuses is the authorization alone. A conflicted reviewer gets 404 everywhere on that application.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Grant } from '../src/domain/authorization.ts';
import { buildTestApp, type TestApp } from './support/app.ts';
import { signedInAs, type TestAccount } from './support/accounts.ts';
import { sql } from 'drizzle-orm';
import { assignReviewer, depositedApplication, forceStatus, getAs, postForm, prepareCalls } from './support/instruction.ts';

const PROFILES = ['candidat', 'autre_candidat', 'instructeur', 'instructeur_autre_appel', 'evaluateur', 'evaluateur_en_conflit', 'visiteur', 'admin'] as const;
type Profile = (typeof PROFILES)[number];

interface World {
  amiId: number;
  otherId: number;
  app: number;
  grid: { id: number }[];
  tranche: number;
  rapport: number;
}

interface Row {
  method: 'GET' | 'POST';
  route: string;
  url: (w: World) => string;
  allowed: readonly Profile[];
  body?: (w: World) => Record<string, string>;
}

const INSTRUCTORS: Profile[] = ['instructeur', 'admin'];
const CALL_READERS: Profile[] = ['instructeur', 'evaluateur', 'evaluateur_en_conflit', 'admin'];
const APP_READERS: Profile[] = ['instructeur', 'evaluateur', 'admin'];
const SIGNED_IN = PROFILES.filter((p) => p !== 'visiteur');

const call = (w: World) => `/instruction/appels/${w.amiId}`;
const app = (w: World) => `/instruction/candidatures/${w.app}`;

export const MATRIX: Row[] = [
  { method: 'GET', route: '/instruction', url: () => '/instruction', allowed: SIGNED_IN },
  { method: 'GET', route: '/instruction/appels/:id', url: call, allowed: CALL_READERS },
  { method: 'GET', route: '/instruction/appels/:id/comparaison', url: (w) => `${call(w)}/comparaison`, allowed: INSTRUCTORS },
  { method: 'GET', route: '/instruction/appels/:id/candidatures.csv', url: (w) => `${call(w)}/candidatures.csv`, allowed: INSTRUCTORS },
  { method: 'GET', route: '/instruction/appels/:id/candidatures.xlsx', url: (w) => `${call(w)}/candidatures.xlsx`, allowed: INSTRUCTORS },
  { method: 'POST', route: '/instruction/appels/:id/notifications', url: (w) => `${call(w)}/notifications`, allowed: INSTRUCTORS },
  {
    method: 'POST',
    route: '/instruction/appels/:id/evaluateurs',
    url: (w) => `${call(w)}/evaluateurs`,
    allowed: INSTRUCTORS,
    body: () => ({ email: 'evaluation.designee@exemple.fr' }),
  },
  {
    method: 'POST',
    route: '/instruction/appels/:id/evaluateurs/retrait',
    url: (w) => `${call(w)}/evaluateurs/retrait`,
    allowed: INSTRUCTORS,
    body: () => ({ compte: '1' }),
  },
  {
    method: 'POST',
    route: '/instruction/appels/:id/grille',
    url: (w) => `${call(w)}/grille`,
    allowed: INSTRUCTORS,
    body: () => ({ libelle: 'Critère de test', poids: '1', min: '0', max: '5' }),
  },
  { method: 'GET', route: '/instruction/candidatures/:id', url: app, allowed: APP_READERS },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/evaluation',
    url: (w) => `${app(w)}/evaluation`,
    allowed: APP_READERS,
    body: (w) => Object.fromEntries(w.grid.map((c) => [`note_${c.id}`, '3'])),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/conflit',
    url: (w) => `${app(w)}/conflit`,
    allowed: ['evaluateur'],
    body: () => ({ motif: 'Ancien salarié' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/annotations',
    url: (w) => `${app(w)}/annotations`,
    allowed: INSTRUCTORS,
    body: () => ({ texte: 'Dossier solide.' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/statut',
    url: (w) => `${app(w)}/statut`,
    allowed: INSTRUCTORS,
    body: () => ({ statut: 'complement_demande', motif: 'Précisez le budget.' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/messages',
    url: (w) => `${app(w)}/messages`,
    allowed: INSTRUCTORS,
    body: () => ({ texte: 'Bonjour.' }),
  },
  { method: 'GET', route: '/instruction/candidatures/:id/financement', url: (w) => `${app(w)}/financement`, allowed: INSTRUCTORS },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement',
    url: (w) => `${app(w)}/financement`,
    allowed: INSTRUCTORS,
    body: () => ({ debut: '2021-12-01' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/tranches',
    url: (w) => `${app(w)}/financement/tranches`,
    allowed: INSTRUCTORS,
    body: () => ({ libelle: 'Tranche de test', montant: '1 000', echeance: '2022-01-01' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/tranches/:tranche',
    url: (w) => `${app(w)}/financement/tranches/${w.tranche}`,
    allowed: INSTRUCTORS,
    body: () => ({ montant: '100 000' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/versements',
    url: (w) => `${app(w)}/financement/versements`,
    allowed: INSTRUCTORS,
    body: (w) => ({ tranche: String(w.tranche), montant: '1', verse_le: '2022-01-15' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/rapports',
    url: (w) => `${app(w)}/financement/rapports`,
    allowed: INSTRUCTORS,
    body: () => ({ libelle: 'Rapport d’étape', echeance: '2022-12-31' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/rapports/:rapport',
    url: (w) => `${app(w)}/financement/rapports/${w.rapport}`,
    allowed: INSTRUCTORS,
    body: () => ({ action: 'remis' }),
  },
  {
    method: 'POST',
    route: '/instruction/candidatures/:id/financement/rapports/:rapport/indicateurs',
    url: (w) => `${app(w)}/financement/rapports/${w.rapport}/indicateurs`,
    allowed: INSTRUCTORS,
    body: () => ({ periode: '2022', indicateurs: 'etp' }),
  },
  { method: 'GET', route: '/candidatures/:id/messages', url: (w) => `/candidatures/${w.app}/messages`, allowed: ['candidat'] },
  {
    method: 'POST',
    route: '/candidatures/:id/messages',
    url: (w) => `/candidatures/${w.app}/messages`,
    allowed: ['candidat'],
    body: () => ({ texte: 'Merci.' }),
  },
];

/** Refused: sign-in asked (401 or redirect), forbidden (403) or said not to exist (404). */
function refused(status: number, location: string | undefined): boolean {
  return status === 401 || status === 403 || status === 404 || (status === 303 && !!location?.startsWith('/compte/connexion'));
}

describe(`Instruction : autorisations de chaque route`, () => {
  let t: TestApp;
  let w: World;
  let owner: TestAccount;

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    const { amiId, otherId, grid } = await prepareCalls(db);
    owner = await signedInAs(t.app, db, [], { displayName: 'Candidate principale' });
    const appId = await depositedApplication(db, amiId, owner);
    await forceStatus(db, appId, 'en_instruction');
    // A convention with one tranche and one report, so that the funding routes have objects to act on.
    const convention = await db.execute(sql`insert into convention (candidature_id, debut) values (${appId}, '2021-12-01') returning id`);
    const conventionId = Number((convention as unknown as { rows: { id: string }[] }).rows[0]!.id);
    const tranche = await db.execute(sql`insert into convention_tranche (convention_id, position, label, montant, echeance)
      values (${conventionId}, 0, 'Années 1 et 2', 100000, '2021-12-01') returning id`);
    const rapport = await db.execute(
      sql`insert into rapport_echeance (convention_id, label, echeance) values (${conventionId}, 'Rapport', '2022-06-30') returning id`,
    );
    w = {
      amiId,
      otherId,
      app: appId,
      grid,
      tranche: Number((tranche as unknown as { rows: { id: string }[] }).rows[0]!.id),
      rapport: Number((rapport as unknown as { rows: { id: string }[] }).rows[0]!.id),
    };
  });
  after(async () => t.close());

  async function account(profile: Profile): Promise<TestAccount | null> {
    const db = t.database.db;
    const grants: Record<Profile, Grant[]> = {
      candidat: [],
      autre_candidat: [],
      evaluateur: [],
      evaluateur_en_conflit: [],
      visiteur: [],
      instructeur: [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(w.amiId) }],
      instructeur_autre_appel: [{ role: 'instructor', scopeKind: 'appel', scopeCode: String(w.otherId) }],
      admin: [{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }],
    };
    if (profile === 'visiteur') return null;
    if (profile === 'candidat') return owner;
    const who = await signedInAs(t.app, db, grants[profile]);
    if (profile === 'autre_candidat') await depositedApplication(db, w.amiId, who);
    if (profile === 'evaluateur' || profile === 'evaluateur_en_conflit') await assignReviewer(db, w.amiId, who);
    if (profile === 'evaluateur_en_conflit') {
      await db.execute(sql`insert into conflit_interet (candidature_id, account_id) values (${w.app}, ${who.id})`);
    }
    return who;
  }

  test('chaque route de l’instruction est dans la table', () => {
    const mine = t.app.routeTable
      .filter((r) => r.url.startsWith('/instruction') || r.url === '/candidatures/:id/messages')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    assert.deepEqual(mine, MATRIX.map((r) => `${r.method} ${r.route}`).sort());
  });

  for (const row of MATRIX) {
    test(`${row.method} ${row.route}`, async () => {
      for (const profile of PROFILES) {
        const who = await account(profile);
        const url = row.url(w);
        const response = row.method === 'GET' ? await getAs(t.app, who, url) : await postForm(t.app, who, url, row.body?.(w) ?? {});
        const location = response.headers.location as string | undefined;
        const detail = `${profile} → ${response.statusCode} ${location ?? ''} ${response.body.slice(0, 300)}`;
        assert.ok(response.statusCode < 500, detail);
        assert.equal(!refused(response.statusCode, location), row.allowed.includes(profile), detail);
        if (profile === 'evaluateur_en_conflit' && row.route.startsWith('/instruction/candidatures/')) assert.equal(response.statusCode, 404, detail);
        if (profile === 'instructeur_autre_appel' && row.route.startsWith('/instruction/appels/')) assert.equal(response.statusCode, 403, detail);
        if (profile === 'instructeur_autre_appel' && row.route.startsWith('/instruction/candidatures/')) assert.equal(response.statusCode, 404, detail);
      }
    });
  }

  test('un évaluateur en conflit ne voit pas la candidature dans la liste ; le candidat ne voit ni notes ni annotations', async () => {
    const db = t.database.db;
    const conflicted = (await account('evaluateur_en_conflit'))!;
    const list = await getAs(t.app, conflicted, `/instruction/appels/${w.amiId}`);
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, new RegExp(`/instruction/candidatures/${w.app}"`));
    const reviewer = (await account('evaluateur'))!;
    assert.match((await getAs(t.app, reviewer, `/instruction/appels/${w.amiId}`)).body, new RegExp(`/instruction/candidatures/${w.app}"`));
    await db.execute(
      sql`insert into candidature_annotation (candidature_id, author_label, body) values (${w.app}, 'Instructeur', 'Annotation très confidentielle')`,
    );
    const thread = await getAs(t.app, owner, `/candidatures/${w.app}/messages`);
    assert.equal(thread.statusCode, 200);
    assert.doesNotMatch(thread.body, /Annotation très confidentielle|Fiches de notation|Note moyenne/);
    assert.doesNotMatch((await getAs(t.app, reviewer, `/instruction/candidatures/${w.app}`)).body, /Annotation très confidentielle/);
  });
});
