/**
 * Peers for transfert de savoir-faire and visites apprenantes (document 001: « accompagnement par des pairs,
 * visites apprenantes »): cooperations like mine — model, finality, economic model, sector — that are further
 * along and say they welcome peers, each with the reasons it was chosen.
 */
import { finalite, modele, modeleEconomique, stade } from './cooperation.ts';
import { secteur } from './sector.ts';

export interface PeerProfile {
  id: number;
  modele: string;
  finalite: string | null;
  modeleEconomique: string | null;
  secteur: string | null;
  stade: string | null;
  ouverteTransfert: boolean;
  ouverteVisites: boolean;
}

export interface Peer {
  id: number;
  raisons: string[];
  /** How many traits it shares: the first key of the ranking. */
  ressemblance: number;
  /** How many stages ahead: the closer, the more useful (second key). */
  avance: number;
}

const STAGES = stade.codes as readonly string[];

/** The peer `other` is for `me`, with its reasons, or null when it is none (not open, not further along, nothing alike). */
export function peerOf(me: PeerProfile, other: PeerProfile): Peer | null {
  if (other.id === me.id || !(other.ouverteTransfert || other.ouverteVisites) || other.stade === null) return null;
  const mine = me.stade === null ? -1 : STAGES.indexOf(me.stade);
  const theirs = STAGES.indexOf(other.stade);
  if (theirs <= mine) return null;
  const alike: string[] = [];
  if (me.modele !== 'aucun' && me.modele === other.modele) alike.push(`Même modèle : ${modele.label(me.modele)}`);
  if (me.finalite && me.finalite === other.finalite) alike.push(`Même finalité : ${finalite.label(me.finalite).toLowerCase()}`);
  if (me.modeleEconomique && me.modeleEconomique === other.modeleEconomique)
    alike.push(`Même modèle économique : ${modeleEconomique.label(me.modeleEconomique).toLowerCase()}`);
  if (me.secteur && me.secteur === other.secteur) alike.push(`Même secteur : ${secteur.label(me.secteur)}`);
  if (alike.length === 0) return null;
  const ahead = `Plus avancée : ${stade.label(other.stade).toLowerCase()}${me.stade ? ` (vous : ${stade.label(me.stade).toLowerCase()})` : ''}`;
  const open = [
    ...(other.ouverteTransfert ? ['Ouverte au transfert de savoir-faire'] : []),
    ...(other.ouverteVisites ? ['Ouverte aux visites apprenantes'] : []),
  ];
  return { id: other.id, raisons: [...alike, ahead, ...open], ressemblance: alike.length, avance: theirs - mine };
}

/** The peers of `me` among `candidates`: the most alike first, then the closest ahead. */
export function rankPeers(me: PeerProfile, candidates: readonly PeerProfile[], limit: number): Peer[] {
  return candidates
    .map((c) => peerOf(me, c))
    .filter((p): p is Peer => p !== null)
    .sort((a, b) => b.ressemblance - a.ressemblance || a.avance - b.avance || a.id - b.id)
    .slice(0, limit);
}
