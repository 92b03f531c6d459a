import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor, Grant } from './authorization.ts';
import {
  checkAcceptsIntentions,
  checkEditable,
  checkPeriod,
  checkTransition,
  parisToday,
  progressOf,
  runsCampaignsOf,
  type CampaignState,
} from './campaign.ts';
import { checkInvestment, checkIsClub, declaresCigalesClub, recordsInvestmentsOf } from './campaign-cigales.ts';
import { RuleError } from './rule-error.ts';

/** The RuleError's code and kind, or null when the rule let it through. */
function refusal(run: () => void): { code: string; kind: string; field?: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    assert.ok(error instanceof RuleError, String(error));
    return { code: error.code, kind: error.kind, ...(error.field ? { field: error.field } : {}) };
  }
}

const actor = (...roles: Grant[]): Actor => ({ id: 1, emailVerified: true, roles });
const SIRET = '10000000900009';

test('une campagne s’ouvre puis se clôt, une étape à la fois ; close, elle le reste', () => {
  assert.equal(
    refusal(() => checkTransition('brouillon', 'ouverte')),
    null,
  );
  assert.equal(
    refusal(() => checkTransition('ouverte', 'close')),
    null,
  );
  assert.deepEqual(
    refusal(() => checkTransition('brouillon', 'close')),
    { code: 'campagne.transition_interdite', kind: 'conflict' },
  );
  assert.deepEqual(
    refusal(() => checkTransition('ouverte', 'brouillon')),
    { code: 'campagne.transition_interdite', kind: 'conflict' },
  );
  assert.deepEqual(
    refusal(() => checkTransition('ouverte', 'ouverte')),
    { code: 'campagne.deja_dans_cet_etat', kind: 'conflict' },
  );
  for (const to of ['brouillon', 'ouverte'] as CampaignState[]) {
    assert.deepEqual(
      refusal(() => checkTransition('close', to)),
      { code: 'campagne.close', kind: 'conflict' },
    );
  }
});

test('seul un brouillon se modifie', () => {
  assert.equal(
    refusal(() => checkEditable('brouillon')),
    null,
  );
  assert.equal(refusal(() => checkEditable('ouverte'))?.code, 'campagne.publiee');
  assert.equal(refusal(() => checkEditable('close'))?.code, 'campagne.publiee');
});

test('la fin ne précède pas le début (champ « fin »)', () => {
  assert.equal(
    refusal(() => checkPeriod('2027-03-01', '2027-03-01')),
    null,
  );
  assert.deepEqual(
    refusal(() => checkPeriod('2027-03-02', '2027-03-01')),
    { code: 'campagne.fin_avant_debut', kind: 'invalid', field: 'fin' },
  );
});

test('les intentions : campagne ouverte, entre son début et sa fin (jours de Paris, bornes comprises)', () => {
  const open = { etat: 'ouverte' as const, debut: '2027-03-01', fin: '2027-04-30' };
  assert.equal(
    refusal(() => checkAcceptsIntentions(open, '2027-03-01')),
    null,
  );
  assert.equal(
    refusal(() => checkAcceptsIntentions(open, '2027-04-30')),
    null,
  );
  assert.equal(refusal(() => checkAcceptsIntentions(open, '2027-02-28'))?.code, 'campagne.pas_commencee');
  assert.equal(refusal(() => checkAcceptsIntentions(open, '2027-05-01'))?.code, 'campagne.terminee');
  assert.equal(refusal(() => checkAcceptsIntentions({ ...open, etat: 'brouillon' }, '2027-03-10'))?.code, 'campagne.non_ouverte');
  assert.equal(refusal(() => checkAcceptsIntentions({ ...open, etat: 'close' }, '2027-03-10'))?.code, 'campagne.close');
});

test('le jour de Paris : 23 h 30 UTC le 31 mars est déjà le 1er avril à Paris', () => {
  assert.equal(parisToday(new Date('2027-03-31T23:30:00Z')), '2027-04-01');
  assert.equal(parisToday(new Date('2027-12-31T22:59:00Z')), '2027-12-31');
});

test('la progression : en texte, bornée à 100 pour la barre, le dépassement dit', () => {
  const half = progressOf(1_000_000, 500_000, 3);
  assert.equal(half.percent, 50);
  assert.equal(half.exceeded, false);
  assert.match(half.text, /^5\s000,00\s€ sur 10\s000,00\s€ recherchés \(50 %\), 3 intentions\.$/);
  const over = progressOf(1_000_000, 1_250_000, 1);
  assert.equal(over.percent, 100);
  assert.equal(over.exceeded, true);
  assert.match(over.text, /\(125 %\), 1 intention\. Le montant recherché est dépassé/);
  assert.match(progressOf(1_000_000, 0, 0).text, /aucune intention/);
});

test('les campagnes d’une structure : ses membres, pas un administrateur de la plateforme', () => {
  const organisation = { kind: 'organisation' as const, id: 3, siret: SIRET };
  assert.ok(runsCampaignsOf(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: SIRET }), organisation));
  assert.ok(runsCampaignsOf(actor({ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: SIRET }), organisation));
  assert.ok(!runsCampaignsOf(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: '10000001700003' }), organisation));
  assert.ok(!runsCampaignsOf(actor({ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }), organisation));
  assert.ok(!runsCampaignsOf(null, organisation));
  assert.ok(!runsCampaignsOf(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: '' }), { ...organisation, siret: null }));
  const cooperation = { kind: 'cooperation' as const, id: 7 };
  assert.ok(runsCampaignsOf(actor({ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: '7' }), cooperation));
  assert.ok(!runsCampaignsOf(actor({ role: 'cooperation_admin', scopeKind: 'cooperation', scopeCode: '8' }), cooperation));
  assert.ok(!runsCampaignsOf(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: '7' }), cooperation));
});

test('Cigales : déclaré par les administrateurs ou la modération de la région ; investissements par les membres du club', () => {
  const club = { siret: SIRET, regionCode: '84' };
  assert.ok(declaresCigalesClub(actor({ role: 'organisation_admin', scopeKind: 'organisation', scopeCode: SIRET }), club));
  assert.ok(declaresCigalesClub(actor({ role: 'regional_moderator', scopeKind: 'region', scopeCode: '84' }), club));
  assert.ok(!declaresCigalesClub(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: SIRET }), club));
  assert.ok(!declaresCigalesClub(actor({ role: 'regional_moderator', scopeKind: 'region', scopeCode: '11' }), club));
  assert.ok(recordsInvestmentsOf(actor({ role: 'organisation_member', scopeKind: 'organisation', scopeCode: SIRET }), { id: 3, siret: SIRET }));
  assert.ok(!recordsInvestmentsOf(actor({ role: 'platform_admin', scopeKind: 'platform', scopeCode: '' }), { id: 3, siret: SIRET }));
});

test('Cigales : un investissement fait, dans une autre entreprise, par un club déclaré', () => {
  assert.equal(
    refusal(() => checkInvestment({ clubId: 1, entrepriseId: 2, date: '2027-03-01' }, '2027-03-01')),
    null,
  );
  assert.deepEqual(
    refusal(() => checkInvestment({ clubId: 1, entrepriseId: 2, date: '2027-03-02' }, '2027-03-01')),
    {
      code: 'cigales.date_future',
      kind: 'invalid',
      field: 'date_investissement',
    },
  );
  assert.equal(refusal(() => checkInvestment({ clubId: 1, entrepriseId: 1, date: '2027-03-01' }, '2027-03-01'))?.field, 'entreprise_siret');
  assert.deepEqual(
    refusal(() => checkIsClub(false)),
    { code: 'cigales.pas_un_club', kind: 'conflict' },
  );
});
