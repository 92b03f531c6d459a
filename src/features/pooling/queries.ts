/** The mutualisation board in SQL: entries with their structure, the search by territory and distance, the calendar. */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { boxAround, DEFAULT_RADIUS_KM, distanceKm, roundKm } from '../../domain/suppliers.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { notFound } from '../../web/errors.ts';
import { BOOKABLE, type boardSearchSchema, categorie, type entrySchema, reservationSchema, sens } from './schemas.ts';

const NOT_FOUND = 'Cette offre ou demande n’existe pas.';

const entryRow = z.object({
  id: z.number().int(),
  sens: sens.schema,
  categorie: categorie.schema,
  titre: z.string(),
  description: z.string(),
  commune_code: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  account_id: z.number().int().nullable(),
  structure_id: z.number().int().nullable(),
  structure_nom: z.string().nullable(),
  structure_siret: z.string().nullable(),
});
export type EntryRow = z.infer<typeof entryRow>;
const ENTRY = sql`select m.id::int as id, m.sens, m.categorie, m.titre, m.description, m.commune_code, m.latitude, m.longitude,
  m.account_id::int as account_id, o.id::int as structure_id, o.name as structure_nom, o.siret as structure_siret
  from mutualisation m left join organisation o on o.id = m.organisation_id`;

export type Entry = z.infer<typeof entrySchema>;

export function entryOf(row: EntryRow, territories: TerritoryIndex, distance: number | null = null): Entry {
  return {
    id: row.id,
    sens: row.sens,
    categorie: row.categorie,
    titre: row.titre,
    description: row.description,
    structure: row.structure_id === null ? null : { id: row.structure_id, nom: row.structure_nom ?? '' },
    commune: { code: row.commune_code, nom: territories.communes.get(row.commune_code)?.name ?? row.commune_code },
    reservable: BOOKABLE.has(row.categorie),
    distance_km: distance === null ? null : roundKm(distance),
  };
}

export async function readEntry(db: Db, id: number): Promise<EntryRow> {
  const [row] = await checkedRows(db, entryRow, sql`${ENTRY} where m.id = ${id}`);
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

type BoardSearch = z.output<typeof boardSearchSchema>;

/** Offers and requests by kind and territory; around a commune, those within the radius, nearest first. */
export async function searchBoard(db: Db, territories: TerritoryIndex, q: BoardSearch) {
  if (q.rayon_km !== undefined && !q.commune)
    throw new RuleError('mutualisation.rayon_sans_commune', 'Un rayon se mesure autour d’une commune : indiquez la commune.', { field: 'commune' });
  if (q.commune && !territories.communes.has(q.commune))
    throw new RuleError('mutualisation.commune_inconnue', `Commune inconnue du COG : ${q.commune}.`, { field: 'commune' });
  const where = [sql`true`];
  if (q.sens) where.push(sql`m.sens = ${q.sens}`);
  if (q.categorie) where.push(sql`m.categorie = ${q.categorie}`);
  if (q.region) where.push(sql`m.region_code = ${q.region}`);
  if (q.departement) where.push(sql`m.departement_code = ${q.departement}`);
  let centre: { latitude: number; longitude: number } | null = null;
  const radius = q.rayon_km ?? DEFAULT_RADIUS_KM;
  if (q.commune) {
    const [c] = await checkedRows(
      db,
      z.object({ latitude: z.number().nullable(), longitude: z.number().nullable() }),
      sql`select latitude, longitude from commune where code = ${q.commune}`,
    );
    if (c?.latitude == null || c.longitude == null)
      throw new RuleError('mutualisation.centre_inconnu', 'La position de cette commune n’est pas connue : cherchez dans son département.', {
        field: 'commune',
      });
    centre = { latitude: c.latitude, longitude: c.longitude };
    const box = boxAround(centre, radius);
    where.push(sql`m.latitude between ${box.south} and ${box.north} and m.longitude between ${box.west} and ${box.east}`);
  }
  const found = await checkedRows(db, entryRow, sql`${ENTRY} where ${sql.join(where, sql` and `)} order by m.created_at desc, m.id desc limit 5000`);
  const ranked = found
    .map((row) => ({
      row,
      distance: centre && row.latitude !== null && row.longitude !== null ? distanceKm(centre, { latitude: row.latitude, longitude: row.longitude }) : null,
    }))
    .filter((r) => !centre || (r.distance !== null && r.distance <= radius))
    .sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0));
  const start = (q.page - 1) * q.par_page;
  return {
    total: ranked.length,
    page: q.page,
    par_page: q.par_page,
    resultats: ranked.slice(start, start + q.par_page).map((r) => entryOf(r.row, territories, r.distance)),
  };
}
export type BoardAnswer = Awaited<ReturnType<typeof searchBoard>>;

export async function insertEntry(
  db: Db,
  accountId: number,
  entry: { sens: string; categorie: string; titre: string; description: string; commune: string; structure?: number },
): Promise<number> {
  const [row] = await checkedRows(
    db,
    z.object({ id: z.number().int() }),
    sql`insert into mutualisation (sens, categorie, titre, description, account_id, organisation_id, commune_code, departement_code, region_code, latitude, longitude)
      select ${entry.sens}, ${entry.categorie}, ${entry.titre}, ${entry.description}, ${accountId}, ${entry.structure ?? null}, code, departement_code,
        region_code, latitude, longitude
      from commune where code = ${entry.commune} returning id::int as id`,
  );
  return row!.id;
}

/** The structures a person belongs to (member or admin, by SIRET): those they may publish for. */
export async function structuresOf(db: Db, accountId: number) {
  return checkedRows(
    db,
    z.object({ id: z.number().int(), nom: z.string(), siret: z.string() }),
    sql`select distinct o.id::int as id, o.name as nom, o.siret from account_role r join organisation o on o.siret = r.scope_code
      where r.account_id = ${accountId} and r.scope_kind = 'organisation' and r.role in ('organisation_member', 'organisation_admin') order by nom, id`,
  );
}

export async function structureSiret(db: Db, id: number): Promise<string | null | undefined> {
  return (await checkedRows(db, z.object({ siret: z.string().nullable() }), sql`select siret from organisation where id = ${id}`))[0]?.siret;
}

const bookingRow = reservationSchema.extend({ demandeur: z.string().nullable() });
export type BookingRow = z.infer<typeof bookingRow>;

/** The bookings still to end, asked or confirmed, first to start first; who asked, for the owner's eyes only. */
export function upcomingBookings(db: Db, entryId: number): Promise<BookingRow[]> {
  return checkedRows(
    db,
    bookingRow,
    sql`select r.id::int as id, to_char(lower(r.periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as debut,
        to_char(upper(r.periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as fin, r.statut, a.display_name as demandeur
      from reservation r left join account a on a.id = r.account_id and a.deleted_at is null
      where r.mutualisation_id = ${entryId} and r.statut in ('demandee', 'confirmee') and upper(r.periode) > now() order by lower(r.periode)`,
  );
}

export async function accountEmail(db: Db, id: number | null): Promise<string | undefined> {
  if (id === null) return undefined;
  return (await checkedRows(db, z.object({ email: z.string() }), sql`select email from account where id = ${id} and deleted_at is null`))[0]?.email;
}
