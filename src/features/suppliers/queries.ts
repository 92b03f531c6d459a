/**
 * The supplier search in one SQL statement: ESS structures of an activity, inside the box of the radius (the
 * GiST indexes of migration 0029), at their exact distance from the commune, or inside a territory.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { nafLabel } from '../../data/naf.ts';
import { checkedRows, type Db } from '../../db/database.ts';
import { statutEss } from '../../domain/organisation.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { secteur } from '../../domain/sector.ts';
import { boxAround, checkSupplierQuestion, DEFAULT_RADIUS_KM, type Point, roundKm } from '../../domain/suppliers.ts';
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

/** Great-circle distance in SQL, the formula of domain/suppliers.ts distanceKm. */
function distanceSql(centre: Point): SQL {
  const lat = sql`${centre.latitude}::float8`;
  const lon = sql`${centre.longitude}::float8`;
  return sql`(2 * 6371.0088 * asin(least(1, sqrt(
    power(sin(radians(o.latitude - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(o.latitude)) * power(sin(radians(o.longitude - ${lon}) / 2), 2)))))`;
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
  distance_km: z.number().nullable(),
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

  // Written as the predicate of the indexes of migration 0029, so that the planner may use them; within a radius
  // the hits read only what those indexes hold (id, position), and the page alone reads the rows.
  const conditions: SQL[] = [sql`o.statut_ess in ('ess_de_droit', 'ess_commerciale', 'agrement_esus')`];
  if (search.naf) conditions.push(sql`o.naf_code = ${search.naf}`);
  if (search.secteur) conditions.push(sql`o.secteur = ${search.secteur}`);
  if (search.region) conditions.push(sql`o.region_code = ${search.region}`);
  if (search.departement) conditions.push(sql`o.departement_code = ${search.departement}`);
  if (search.epci) conditions.push(sql`o.epci_code = ${search.epci}`);
  let distance = sql`null::float8`;
  if (centre && radius !== null) {
    const box = boxAround(centre.point, radius);
    distance = distanceSql(centre.point);
    conditions.push(
      sql`o.latitude is not null and o.longitude is not null`,
      sql`point(o.longitude, o.latitude) <@ box(point(${box.west}::float8, ${box.south}::float8), point(${box.east}::float8, ${box.north}::float8))`,
      sql`${distance} <= ${radius}::float8`,
    );
  }
  const offset = (search.page - 1) * search.par_page;
  const [answer] = await checkedRows(
    db,
    answerSchema,
    sql`
    with hits as materialized (
      select o.id, ${distance} as distance_km, ${centre ? sql`null::text` : sql`o.name`} as name
      from organisation o where ${sql.join(conditions, sql` and `)}
    ), page as (
      select id, distance_km, name as rank_name from hits order by distance_km nulls last, name, id limit ${search.par_page} offset ${offset}
    )
    select (select count(*) from hits)::int as total, coalesce((
      select json_agg(p order by p.distance_km nulls last, p.rank_name, p.id) from (
        select o.id::int as id, o.name, o.siret, o.naf_code, o.secteur, o.statut_ess, o.commune_code, o.address,
          o.website, o.latitude, o.longitude, h.distance_km, o.charte_circuit_court_signee_le is not null as charte,
          o.is_example, h.rank_name
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
        distance_km: r.distance_km === null ? null : roundKm(r.distance_km),
        charte_circuit_court: r.charte,
        exemple: r.is_example,
      };
    }),
  };
}
