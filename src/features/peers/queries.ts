/** Peers in SQL: the cooperation, the open candidates (few: only those that said they welcome peers), their admins. */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { type PeerProfile, rankPeers } from '../../domain/peers.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';

export const MAX_PEERS = 20;

const profileRow = z.object({
  id: z.number().int(),
  name: z.string(),
  modele: modele.schema,
  finalite: z.string().nullable(),
  modele_economique: z.string().nullable(),
  secteur: z.string().nullable(),
  stade: stade.schema.nullable(),
  commune_code: z.string().nullable(),
  region_code: z.string().nullable(),
  ouverte_transfert: z.boolean(),
  ouverte_visites: z.boolean(),
});
export type CooperationProfile = z.infer<typeof profileRow>;

const COLUMNS = sql`id::int as id, name, modele, finalite, modele_economique, secteur, stade, commune_code, region_code, ouverte_transfert, ouverte_visites`;

const profile = (row: CooperationProfile): PeerProfile => ({
  id: row.id,
  modele: row.modele,
  finalite: row.finalite,
  modeleEconomique: row.modele_economique,
  secteur: row.secteur,
  stade: row.stade,
  ouverteTransfert: row.ouverte_transfert,
  ouverteVisites: row.ouverte_visites,
});

export async function readCooperation(db: Db, id: number): Promise<CooperationProfile | undefined> {
  return (await checkedRows(db, profileRow, sql`select ${COLUMNS} from cooperation where id = ${id}`))[0];
}

/** The cooperation as the answer names it, without its peers. */
export const peerHeader = (me: CooperationProfile): PeerAnswer['cooperation'] => ({
  id: me.id,
  nom: me.name,
  ouverte_transfert: me.ouverte_transfert,
  ouverte_visites: me.ouverte_visites,
});

/** Its admins' setting: whether it welcomes transfert de savoir-faire and visites apprenantes (audited). */
export async function setOpenness(db: Db, account: CurrentAccount, id: number, open: { transfert: boolean; visites: boolean }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`update cooperation set ouverte_transfert = ${open.transfert}, ouverte_visites = ${open.visites}, updated_at = now() where id = ${id}`);
    await recordAudit(tx, { actor: account, action: 'cooperation.pairs_ouverture', object: { kind: 'cooperation', id }, details: open });
  });
}

export interface PeerAnswer {
  cooperation: { id: number; nom: string; ouverte_transfert: boolean; ouverte_visites: boolean };
  pairs: {
    id: number;
    nom: string;
    modele: CooperationProfile['modele'];
    stade: CooperationProfile['stade'];
    commune: { code: string; nom: string } | null;
    ouverte_transfert: boolean;
    ouverte_visites: boolean;
    raisons: string[];
  }[];
}

export async function findPeers(db: Db, territories: TerritoryIndex, me: CooperationProfile): Promise<PeerAnswer> {
  const candidates = await checkedRows(
    db,
    profileRow,
    sql`select ${COLUMNS} from cooperation where (ouverte_transfert or ouverte_visites) and stade is not null and id <> ${me.id}`,
  );
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return {
    cooperation: peerHeader(me),
    pairs: rankPeers(profile(me), candidates.map(profile), MAX_PEERS).map((peer) => {
      const c = byId.get(peer.id)!;
      const commune = c.commune_code ? territories.communes.get(c.commune_code) : undefined;
      return {
        id: c.id,
        nom: c.name,
        modele: c.modele,
        stade: c.stade,
        commune: commune ? { code: commune.code, nom: commune.name } : null,
        ouverte_transfert: c.ouverte_transfert,
        ouverte_visites: c.ouverte_visites,
        raisons: peer.raisons,
      };
    }),
  };
}

/** The addresses of a cooperation's admins: the request reaches them, and the asker never sees them. */
export async function adminAddresses(db: Db, cooperationId: number): Promise<string[]> {
  const found = await checkedRows(
    db,
    z.object({ email: z.string() }),
    sql`select distinct a.email from account_role r join account a on a.id = r.account_id and a.deleted_at is null
      where r.role = 'cooperation_admin' and r.scope_kind = 'cooperation' and r.scope_code = ${String(cooperationId)}`,
  );
  return found.map((r) => r.email);
}
