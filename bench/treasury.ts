/**
 * Treasury simulations for the benchmark: 36-month plans as a structure would type them (monthly wages, rent,
 * sales with client delays, a dozen one-off lines, grant tranches paid late), with and without the profile that
 * makes orientation look for schemes. Deterministic: case k is the same on every run.
 */
import type { FastifyInstance } from 'fastify';

const COMMUNES = ['26281', '29019', '87085', '59350', '13055', '35238', '67482', '31555'];

export function treasuryCases(count: number) {
  return Array.from({ length: count }, (_, k) => {
    const oneOffs = Array.from({ length: 12 }, (_, i) => ({
      libelle: `Facture ${i + 1}`,
      montant: 150_000 + 10_000 * ((k + i) % 7),
      mois: `${2027 + Math.floor((i * 3) / 12)}-${String(((i * 3) % 12) + 1).padStart(2, '0')}`,
      delai_jours: 30 * (i % 3),
    }));
    const tranches = Array.from({ length: 6 }, (_, i) => ({
      libelle: `Subvention, tranche ${i + 1}`,
      montant: 1_200_000 + 100_000 * i,
      date_convenue: `${2027 + Math.floor(i / 2)}-${i % 2 ? '09' : '03'}-15`,
      date_prevue: `${2027 + Math.floor((i + (k % 3)) / 2)}-${(i + (k % 3)) % 2 ? '09' : '03'}-30`,
    }));
    return {
      label: `36 mois, ${k % 2 ? 'avec' : 'sans'} profil`,
      body: {
        debut: '2027-01',
        duree_mois: 36,
        solde_initial: 500_000 + 100_000 * k,
        seuil: 300_000,
        delai_clients_jours: 45,
        delai_fournisseurs_jours: 30,
        encaissements: [{ libelle: 'Ventes', montant: 700_000, mois: '2027-01', jusqu_a: '2029-12' }, ...oneOffs],
        decaissements: [
          { libelle: 'Salaires', montant: 900_000, mois: '2027-01', jusqu_a: '2029-12', delai_jours: 0 },
          { libelle: 'Loyer', montant: 150_000, mois: '2027-01', jusqu_a: '2029-12' },
          ...oneOffs.map((line) => ({ ...line, libelle: `Achat ${line.libelle}`, montant: line.montant / 2 })),
        ],
        tranches,
        ...(k % 2
          ? { profil: { modele: 'PTCE', finalite: 'systemique', modele_economique: 'hybride', stade: 'consolidation', commune: COMMUNES[k % COMMUNES.length] } }
          : {}),
      },
    };
  });
}

export async function simulate(app: FastifyInstance, body: object): Promise<void> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/tresorerie/simulation', payload: body });
  if (response.statusCode !== 200) throw new Error(`simulation : HTTP ${response.statusCode} ${response.body.slice(0, 300)}`);
}
