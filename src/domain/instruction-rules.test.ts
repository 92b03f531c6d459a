import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from './authorization.ts';
import { canDeclareConflict, canManage, roleOnApplication, roleOnCall } from './instruction-rules.ts';

const actor = (roles: Actor['roles']): Actor => ({ id: 1, emailVerified: true, roles });
const instructor = actor([{ role: 'instructor', scopeKind: 'appel', scopeCode: '7' }]);
const admin = actor([{ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }]);
const nobody = actor([]);
const deposee = { appelId: 7, statut: 'deposee' as const };
const free = { assigned: false, conflict: false };

test('l’instruction d’un appel n’est qu’à ses instructeurs (et à l’administration), pas à ceux d’un autre appel', () => {
  assert.equal(roleOnCall(instructor, 7, false), 'instructeur');
  assert.equal(roleOnCall(instructor, 8, false), null);
  assert.equal(roleOnCall(admin, 8, false), 'instructeur');
  assert.equal(roleOnCall(nobody, 7, true), 'evaluateur');
  assert.equal(roleOnCall(null, 7, true), null);
});

test('un évaluateur en conflit d’intérêts ne voit pas la candidature ; un brouillon n’est à personne', () => {
  assert.equal(roleOnApplication(nobody, deposee, { assigned: true, conflict: false }), 'evaluateur');
  assert.equal(roleOnApplication(nobody, deposee, { assigned: true, conflict: true }), null);
  assert.equal(roleOnApplication(instructor, { appelId: 7, statut: 'brouillon' }, free), null);
  assert.equal(roleOnApplication(instructor, deposee, free), 'instructeur');
});

test('seuls les instructeurs gèrent ; seuls les évaluateurs déclarent un conflit', () => {
  assert.equal(canManage('instructeur'), true);
  assert.equal(canManage('evaluateur'), false);
  assert.equal(canDeclareConflict('evaluateur'), true);
  assert.equal(canDeclareConflict('instructeur'), false);
});
