/**
 * Fixtures of the instruction tests: the demo AMI PTCE 2021 with its grid, submitted applications written
 * straight into the database (their submission is the calls feature's subject, tested there), and small
 * HTTP helpers with a signed-in account's cookie and CSRF token.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { firstRow, rows, type Db } from '../../src/db/database.ts';
import { loadAmiPtceInstructionIfMissing } from '../../src/data/calls/ami-ptce-grid.ts';
import type { TestAccount } from './accounts.ts';
import { siretFrom } from './siret.ts';

const ANSWERS = {
  nom_dynamique: 'Coopérations du Val de Drôme',
  territoire: '26281',
  description: 'Une dynamique de coopération entre structures de l’ESS et entreprises du bassin de Romans.',
  candidat_phase2: false,
  contact_nom: 'Claude Martin',
  contact_email: 'claude.martin@exemple.fr',
};

/** The AMI's id and grid (loaded if missing), and a second call for « the instructor of another call ». */
export async function prepareCalls(db: Db): Promise<{ amiId: number; otherId: number; grid: { id: number; max: number }[] }> {
  await loadAmiPtceInstructionIfMissing(db);
  const ami = (await firstRow<{ id: number }>(db, sql`select id::int as id from appel where key = 'ami-ptce-2021'`))!;
  const other = await firstRow<{ id: number }>(
    db,
    sql`insert into appel (key, title, statut) values ('autre-appel', 'Un autre appel', 'publie')
    on conflict (key) do update set title = excluded.title returning id::int as id`,
  );
  const grid = await rows<{ id: number; max: number }>(
    db,
    sql`select id::int as id, echelle_max as max from grille_critere
    where appel_id = ${ami.id} order by position`,
  );
  return { amiId: ami.id, otherId: other!.id, grid };
}

let next = 1;
/** A submitted (déposée) application of `owner` to the call, with its lead, history and answers. */
export async function depositedApplication(db: Db, appelId: number, owner: TestAccount, titre = `Dynamique ${next}`): Promise<number> {
  const n = next++;
  const created = await firstRow<{ id: number }>(
    db,
    sql`insert into candidature (appel_id, formulaire_version, account_id, porteur_type, title,
      statut, donnees, submitted_at, numero_depot)
    values (${appelId}, 1, ${owner.id}, 'cooperation', ${titre}, 'deposee', ${JSON.stringify(ANSWERS)}::jsonb,
      '2021-06-01T10:00:00Z', ${`2021-${appelId}-T${process.pid}-${n}`})
    returning id::int as id`,
  );
  const id = created!.id;
  await db.execute(sql`insert into candidature_membre (candidature_id, position, role, siret, name)
    values (${id}, 0, 'chef_de_file', ${siretFrom(1000 + n)}, ${`Association ${titre}`})`);
  await db.execute(sql`insert into candidature_transition (candidature_id, from_statut, to_statut, actor_label, at)
    values (${id}, null, 'brouillon', 'Candidat', '2021-05-20T10:00:00Z'), (${id}, 'brouillon', 'deposee', 'Candidat', '2021-06-01T10:00:00Z')`);
  return id;
}

/** Sets an application's state as if instruction had brought it there (the path itself is tested by HTTP). */
export async function forceStatus(db: Db, id: number, statut: string): Promise<void> {
  await db.execute(sql`update candidature set statut = ${statut} where id = ${id}`);
}

export async function assignReviewer(db: Db, appelId: number, reviewer: TestAccount): Promise<void> {
  await db.execute(sql`insert into appel_evaluateur (appel_id, account_id) values (${appelId}, ${reviewer.id}) on conflict do nothing`);
}

export async function count(db: Db, table: string): Promise<number> {
  return (await firstRow<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))!.n;
}

const cookieOf = (who: TestAccount) => [...who.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A form post as a browser sends it (CSRF field included) by `who`, or by a visitor when null. */
export function postForm(app: FastifyInstance, who: TestAccount | null, url: string, fields: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(who ? { _csrf: who.csrf, ...fields } : fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: cookieOf(who) } : {}) },
  });
}

export function getAs(app: FastifyInstance, who: TestAccount | null, url: string) {
  return app.inject({ method: 'GET', url, headers: who ? { cookie: cookieOf(who) } : {} });
}
