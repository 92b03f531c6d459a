/**
 * The supplier search in one SQL statement: ESS structures of an activity, inside the box of the radius (the
 * B-tree indexes of migration 0042), within the exact radius of the commune, or inside a territory.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { nafLabel } from '../../data/naf.ts';
import { checkedRows, type Db } from '../../db/database.ts';
import { statutEss } from '../../domain/organisation.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { secteur } from '../../domain/sector.ts';
import { boxAround, checkSupplierQuestion, DEFAULT_RADIUS_KM, distanceKm, haversineTermWithin, type Point, roundKm } from '../../domain/suppliers.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { SupplierAnswer, SupplierFilters, SupplierSearch } from './schemas.ts';

/** The most rows an export carries: a tender's annex, not a national dump (the Atlas exports are for that). */
export const EXPORT_MAX_ROWS = 5000;

/** How many located structures of a commune make its mean position when its centre is unknown. */
const CENTRE_SAMPLE = 200;

const centreSchema = z.object({ latitude: z.number().nullable(), longitude: z.number().nullable() });

/**
 * The commune's centre when Maillage knows it (`maillage import communes`), else the mean position of the
 * structures located there (arrondissements included): a commune nobody located cannot be a centre.
 */
async function communeCentre(db: Db, code: string): Promise<{ point: Point; origine: 'centre_commune' | 'structures_commune' }> {
  const [own] = await checkedRows(db, centreSchema, sql`select latitude, longitude from commune where code = ${code}`);
  if (own?.latitude != null && own.longitude != null) return { point: { latitude: own.latitude, longitude: own.longitude }, origine: 'centre_commune' };
  // A sample is enough for a mean position, and keeps a city of thousands of structures as quick as a village.
  const [mean] = await checkedRows(
    db,
    centreSchema,
    sql`select avg(latitude) as latitude, avg(longitude) as longitude from (
      select latitude, longitude from organisation
      where commune_code in (select c.code from commune c where c.code = ${code} or c.parent_code = ${code})
        and latitude is not null and longitude is not null
      limit ${CENTRE_SAMPLE}) s`,
  );
  if (mean?.latitude != null && mean.longitude != null) return { point: { latitude: mean.latitude, longitude: mean.longitude }, origine: 'structures_commune' };
  throw new RuleError(
    'fournisseurs.centre_inconnu',
    'La position de cette commune n’est pas connue de Maillage : cherchez plutôt dans son département ou son EPCI.',
    { field: 'commune' },
  );
}

function checkTerritories(territories: TerritoryIndex, filters: SupplierFilters): void {
  const unknown = (field: string, message: string) => new RuleError('fournisseurs.territoire_inconnu', message, { field });
  if (filters.commune && !territories.communes.has(filters.commune)) throw unknown('commune', `Commune inconnue du COG : ${filters.commune}.`);
  if (filters.region && !territories.regions.has(filters.region)) throw unknown('region', `Région inconnue du COG : ${filters.region}.`);
  if (filters.departement && !territories.departements.has(filters.departement))
    throw unknown('departement', `Département inconnu du COG : ${filters.departement}.`);
  if (filters.epci && !territories.epcis.has(filters.epci)) throw unknown('epci', `EPCI inconnu : ${filters.epci}.`);
}

/**
 * The haversine term of domain/suppliers.ts in SQL, the centre's share computed here: a filter and a rank,
 * cheaper than the distance itself (no square root nor arcsine on each of the thousands of structures around a city).
 */
function haversineTermSql(centre: Point): SQL {
  const halfRadians = Math.PI / 360;
  return sql`(power(sin((o.latitude - ${centre.latitude}::float8) * ${halfRadians}::float8), 2)
    + ${Math.cos(centre.latitude * 2 * halfRadians)}::float8 * cos(o.latitude * ${2 * halfRadians}::float8)
    * power(sin((o.longitude - ${centre.longitude}::float8) * ${halfRadians}::float8), 2))`;
}

/**
 * The hits: inside the radius, ranked by their haversine term (computed once a row: `offset 0` keeps the
 * planner from copying it into the filter), or inside the territory, ranked by name.
 */
function hitsSql(conditions: SQL[], centre: Point | null, radiusKm: number | null): SQL {
  const where = sql.join(conditions, sql` and `);
  if (!centre || radiusKm === null) return sql`select o.id, null::float8 as rank, o.name from organisation o where ${where}`;
  return sql`select id, rank, null::text as name from (
      select o.id, ${haversineTermSql(centre)} as rank from organisation o where ${where} offset 0
    ) s where rank <= ${haversineTermWithin(radiusKm)}::float8`;
}

const rowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  siret: z.string().nullable(),
  naf_code: z.string().nullable(),
  secteur: secteur.schema.nullable(),
  statut_ess: statutEss.schema,
  commune_code: z.string().nullable(),
  address: z.string().nullable(),
  website: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  charte: z.boolean(),
  is_example: z.boolean(),
});
const answerSchema = z.object({ total: z.number().int(), rows: z.array(rowSchema) });

/** ESS suppliers for a buyer's question, one page of them (an export asks for its rows as one page). */
export async function findSuppliers(db: Db, territories: TerritoryIndex, search: SupplierSearch): Promise<SupplierAnswer> {
  checkSupplierQuestion({
    naf: search.naf,
    secteur: search.secteur,
    commune: search.commune,
    rayonKm: search.rayon_km,
    territory: search.region ?? search.departement ?? search.epci,
  });
  checkTerritories(territories, search);
  const centre = search.commune ? await communeCentre(db, search.commune) : null;
  const radius = centre ? (search.rayon_km ?? DEFAULT_RADIUS_KM) : null;

  // Written as the predicate of the indexes of migrations 0029 and 0042, so that the planner may use them; within a radius
  // the hits read only what those indexes hold (id, position), and the page alone reads the rows.
  const conditions: SQL[] = [sql`o.statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus')`];
  if (search.naf) conditions.push(sql`o.naf_code = ${search.naf}`);
  if (search.secteur) conditions.push(sql`o.secteur = ${search.secteur}`);
  if (search.region) conditions.push(sql`o.region_code = ${search.region}`);
  if (search.departement) conditions.push(sql`o.departement_code = ${search.departement}`);
  if (search.epci) conditions.push(sql`o.epci_code = ${search.epci}`);
  if (centre && radius !== null) {
    // Written as the indexes of migration 0042 read it: the activity, then a latitude band, then longitudes.
    const box = boxAround(centre.point, radius);
    conditions.push(
      sql`o.latitude is not null and o.longitude is not null`,
      sql`o.latitude between ${box.south}::float8 and ${box.north}::float8`,
      sql`o.longitude between ${box.west}::float8 and ${box.east}::float8`,
    );
  }
  const offset = (search.page - 1) * search.par_page;
  const [answer] = await checkedRows(
    db,
    answerSchema,
    sql`
    with hits as materialized (${hitsSql(conditions, centre?.point ?? null, radius)}), page as (
      select id, rank, name as rank_name from hits order by rank nulls last, name, id limit ${search.par_page} offset ${offset}
    )
    select (select count(*) from hits)::int as total, coalesce((
      select json_agg(p order by p.rank nulls last, p.rank_name, p.id) from (
        select o.id::int as id, o.name, o.siret, o.naf_code, o.secteur, o.statut_ess, o.commune_code, o.address,
          o.website, o.latitude, o.longitude, o.charte_circuit_court_signee_le is not null as charte,
          o.is_example, h.rank, h.rank_name
        from page h join organisation o on o.id = h.id) p
    ), '[]'::json) as rows`,
  );
  const { total, rows } = answer!;
  const commune = search.commune ? territories.communes.get(search.commune)! : null;
  return {
    total,
    page: search.page,
    par_page: search.par_page,
    centre: centre && commune ? { commune: { code: commune.code, nom: commune.name }, ...centre.point, origine: centre.origine } : null,
    rayon_km: radius,
    resultats: rows.map((r) => {
      const place = r.commune_code ? territories.communes.get(r.commune_code) : undefined;
      return {
        id: r.id,
        nom: r.name,
        siret: r.siret,
        code_naf: r.naf_code,
        libelle_naf: nafLabel(r.naf_code),
        secteur: r.secteur,
        statut_ess: r.statut_ess,
        commune: place ? { code: place.code, nom: place.name } : null,
        adresse: r.address,
        site_web: r.website,
        latitude: r.latitude,
        longitude: r.longitude,
        distance_km:
          centre && r.latitude !== null && r.longitude !== null ? roundKm(distanceKm(centre.point, { latitude: r.latitude, longitude: r.longitude })) : null,
        charte_circuit_court: r.charte,
        exemple: r.is_example,
      };
    }),
  };
}
