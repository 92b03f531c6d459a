import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PeerProfile, peerOf, rankPeers } from './peers.ts';

const me: PeerProfile = {
  id: 1,
  modele: 'PTCE',
  finalite: 'systemique',
  modeleEconomique: 'hybride',
  secteur: 'agriculture_alimentation',
  stade: 'emergence',
  ouverteTransfert: false,
  ouverteVisites: false,
};
const other = (id: number, changes: Partial<PeerProfile>): PeerProfile => ({ ...me, id, ouverteTransfert: true, ...changes });

test('un pair : ouvert, plus avancé, qui ressemble ; avec ses raisons', () => {
  const peer = peerOf(me, other(2, { stade: 'consolidation', ouverteVisites: true, secteur: null }));
  assert.deepEqual(peer?.raisons, [
    'Même modèle : Pôle territorial de coopération économique (PTCE)',
    'Même finalité : systémique',
    'Même modèle économique : hybride',
    'Plus avancée : consolidation (vous : émergence)',
    'Ouverte au transfert de savoir-faire',
    'Ouverte aux visites apprenantes',
  ]);
  assert.equal(peer?.avance, 2);
});

test('pas un pair : fermé, pas plus avancé, rien en commun, ou soi-même', () => {
  assert.equal(peerOf(me, other(2, { stade: 'creation', ouverteTransfert: false })), null);
  assert.equal(peerOf(me, other(2, { stade: 'emergence' })), null);
  assert.equal(peerOf(me, other(2, { stade: null })), null);
  assert.equal(peerOf(me, other(2, { stade: 'creation', modele: 'SCIC', finalite: 'ciblee', modeleEconomique: 'marchande', secteur: null })), null);
  assert.equal(peerOf(me, { ...me, ouverteTransfert: true, stade: 'creation' }), null);
  // « Sans modèle » is no likeness.
  const none = { ...me, modele: 'aucun', finalite: null, modeleEconomique: null, secteur: null };
  assert.equal(peerOf(none, other(2, { modele: 'aucun', finalite: null, modeleEconomique: null, secteur: null, stade: 'creation' })), null);
});

test('classement : les plus ressemblants, puis les plus proches en avance', () => {
  const ranked = rankPeers(
    me,
    [
      other(2, { stade: 'changement_echelle' }),
      other(3, { stade: 'creation', secteur: null }),
      other(4, { stade: 'creation' }),
      other(5, { stade: 'consolidation', modele: 'SCIC' }),
    ],
    3,
  );
  assert.deepEqual(
    ranked.map((p) => p.id),
    [4, 2, 3],
  );
});
