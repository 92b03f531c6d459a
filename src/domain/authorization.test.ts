import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  answersBookingsOf,
  canAdministerPlatform,
  canContribute,
  canCreateCall,
  canManageCall,
  createsCalls,
  canEditCooperation,
  canEditOrganisation,
  canPublishDispositif,
  holds,
  isInstructor,
  isModerator,
  keepsTreasuryOf,
  moderatedRegions,
  moderatesAny,
  readsFundingReports,
  reportsOnFunding,
  type Actor,
  type Grant,
} from './authorization.ts';

const actor = (grants: Grant[], emailVerified = true): Actor => ({
  id: 1,
  emailVerified,
  roles: [{ role: 'contributor', scopeKind: 'platform', scopeCode: '' }, ...grants],
});
const admin = actor([{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
const moderatorAura = actor([{ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }]);
const contributor = actor([]);
const organisation = { siret: '10000000900009', regionCode: '84' };

test('un visiteur ne peut rien, pas même contribuer', () => {
  assert.equal(canContribute(null), false);
  assert.equal(canEditOrganisation(null, organisation), false);
  assert.equal(isModerator(null), false);
  assert.deepEqual(moderatedRegions(null), []);
});

test('contribuer demande une adresse confirmée', () => {
  assert.equal(canContribute(contributor), true);
  assert.equal(canContribute(actor([], false)), false);
});

test('la modération porte sur les régions tenues, l’administration sur toutes', () => {
  assert.deepEqual(moderatedRegions(moderatorAura), ['84']);
  assert.equal(moderatedRegions(admin), 'all');
  assert.equal(moderatesAny(moderatorAura, ['84', '11']), true);
  assert.equal(moderatesAny(moderatorAura, ['11']), false);
  // An object without région (a national scheme) is for platform admins only.
  assert.equal(moderatesAny(moderatorAura, []), false);
  assert.equal(moderatesAny(admin, []), true);
});

test('une structure se modifie par ses administrateurs ou la modération de sa région, pas par ses simples membres', () => {
  assert.equal(canEditOrganisation(actor([{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: organisation.siret }]), organisation), true);
  assert.equal(canEditOrganisation(actor([{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]), organisation), false);
  assert.equal(canEditOrganisation(actor([{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: '73282932000074' }]), organisation), false);
  assert.equal(canEditOrganisation(moderatorAura, organisation), true);
  assert.equal(canEditOrganisation(moderatorAura, { ...organisation, regionCode: '11' }), false);
});

test('une coopération se modifie par ses administrateurs ; un dispositif par les éditeurs d’un de ses porteurs', () => {
  const cooperationAdmin = actor([{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: '7' }]);
  assert.equal(canEditCooperation(cooperationAdmin, { id: 7, regionCodes: ['11'] }), true);
  assert.equal(canEditCooperation(cooperationAdmin, { id: 8, regionCodes: ['11'] }), false);
  const publisher = actor([{ role: 'scheme_publisher', scopeKind: 'dispositif', scopeCode: 'France Active' }]);
  assert.equal(canPublishDispositif(publisher, { porteurs: ['France Active', 'Bpifrance'], regionCodes: [] }), true);
  assert.equal(canPublishDispositif(publisher, { porteurs: ['ADIE'], regionCodes: [] }), false);
});

test('un rôle tenu sur une portée ne vaut pas sur une autre ; l’administration vaut partout', () => {
  const instructor = actor([{ role: 'instructor', scopeKind: 'appel', scopeCode: '1' }]);
  assert.equal(holds(instructor, 'instructor', 'appel', '1'), true);
  assert.equal(holds(instructor, 'instructor', 'appel', '2'), false);
  assert.equal(isInstructor(instructor), true);
  assert.equal(isInstructor(contributor), false);
  assert.equal(holds(admin, 'instructor', 'appel', '2'), true);
  assert.equal(canAdministerPlatform(admin), true);
  assert.equal(canAdministerPlatform(moderatorAura), false);
});

test('un appel se crée par un éditeur de dispositifs pour un porteur qu’il publie ; il se gère par ses instructeurs', () => {
  const publisher = actor([{ role: 'scheme_publisher', scopeKind: 'dispositif', scopeCode: 'Banque des Territoires' }]);
  assert.equal(canCreateCall(publisher, 'Banque des Territoires'), true);
  assert.equal(canCreateCall(publisher, 'France Active'), false);
  assert.equal(canCreateCall(contributor, 'Banque des Territoires'), false);
  assert.equal(canCreateCall(admin, 'France Active'), true);
  const instructor = actor([{ role: 'instructor', scopeKind: 'appel', scopeCode: '3' }]);
  assert.equal(canManageCall(instructor, 3), true);
  assert.equal(canManageCall(instructor, 4), false);
  assert.equal(canManageCall(publisher, 3), false);
  assert.equal(canManageCall(admin, 4), true);
  assert.equal(createsCalls(publisher), true);
  assert.equal(createsCalls(instructor), false);
  assert.equal(createsCalls(admin), true);
});

test('la trésorerie d’une structure est à ses membres seuls : ni la modération ni l’administration ne la lisent', () => {
  const member = actor([{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: organisation.siret }]);
  const organisationAdmin = actor([{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: organisation.siret }]);
  assert.equal(keepsTreasuryOf(member, organisation.siret), true);
  assert.equal(keepsTreasuryOf(organisationAdmin, organisation.siret), true);
  assert.equal(keepsTreasuryOf(member, '20000000900003'), false);
  assert.equal(keepsTreasuryOf(admin, organisation.siret), false);
  assert.equal(keepsTreasuryOf(moderatorAura, organisation.siret), false);
  assert.equal(keepsTreasuryOf(null, organisation.siret), false);
});

test('les réservations d’une offre mutualisée : la personne qui la publie ou un membre de sa structure y répond', () => {
  const siret = '12345678900017';
  const offer = { publisherId: 7, structureSiret: siret };
  assert.equal(answersBookingsOf(actor([]), offer), false);
  assert.equal(answersBookingsOf({ ...actor([]), id: 7 }, offer), true);
  assert.equal(answersBookingsOf(actor([{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: siret }]), offer), true);
  assert.equal(answersBookingsOf(actor([{ role: 'organisation_member', scopeKind: 'organisation', scopeCode: '99999999900019' }]), offer), false);
  assert.equal(
    answersBookingsOf(actor([{ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: siret }]), { publisherId: null, structureSiret: null }),
    false,
  );
  assert.equal(answersBookingsOf(null, offer), false);
});

test('rapports d’une convention : l’administration de la coopération financée les remet, l’équipe d’instruction de l’appel les lit aussi', () => {
  const funded = { cooperation_id: 7, appel_id: 3 };
  const cooperationAdmin = actor([{ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: '7' }]);
  const instructor = actor([{ role: 'instructor', scopeKind: 'appel', scopeCode: '3' }]);
  assert.equal(reportsOnFunding(cooperationAdmin, funded), true);
  assert.equal(readsFundingReports(cooperationAdmin, funded), true);
  assert.equal(reportsOnFunding(instructor, funded), false);
  assert.equal(readsFundingReports(instructor, funded), true);
  assert.equal(readsFundingReports(contributor, funded), false);
  assert.equal(readsFundingReports(null, funded), false);
  // A grant to a groupement (no cooperation): only the call's instructors and the platform's admins.
  assert.equal(readsFundingReports(cooperationAdmin, { cooperation_id: null, appel_id: 3 }), false);
  assert.equal(reportsOnFunding(admin, funded), true);
});
