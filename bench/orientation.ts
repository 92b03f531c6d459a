/**
 * Orientation at catalogue scale: 5 000 SYNTHETIC schemes (random kinds, stages, coverage at every COG level,
 * calendars), profiles in random communes of the whole COG, POST /api/v1/orientation through the real app.
 * Baseline, same run, same data: no in-memory data — the rules and the 5 000 schemes are read from the
 * database at every request (what a stateless handler without cache would do), then the same engine runs.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { jsonRecords, type Db } from '../src/db/database.ts';
import { finalite, modele, modeleEconomique, stade } from '../src/domain/cooperation.ts';
import { typeAccompagnement, typeFinancement } from '../src/domain/dispositif.ts';
import { readOrientationData, runOrientation } from '../src/features/orientation/service.ts';
import { loadTerritoryIndex, type TerritoryIndex } from '../src/platform/territory-index.ts';
import { Random } from './synthetic.ts';

export const SYNTHETIC_SCHEMES = 5_000;

function pickSome<T>(random: Random, values: readonly T[], max: number): T[] {
  const count = random.int(0, max);
  return [...new Set(Array.from({ length: count }, () => random.pick(values)))];
}

/** Inserts the synthetic schemes (key prefixed « synthetique- », source saying so) in one transaction. */
export async function insertSyntheticSchemes(db: Db, seed: number, count = SYNTHETIC_SCHEMES): Promise<void> {
  const random = new Random(seed + 7);
  const index = await loadTerritoryIndex(db);
  const codes = {
    region: [...index.regions.keys()],
    departement: [...index.departements.keys()],
    epci: [...index.epcis.keys()],
    commune: [...index.communes.keys()],
  };
  const levels = ['national', 'region', 'region', 'departement', 'departement', 'departement', 'epci', 'commune'] as const;
  const records = Array.from({ length: count }, (_, i) => {
    const level = random.pick(levels);
    const coverage = level === 'national' ? [] : Array.from({ length: random.int(1, 3) }, () => random.pick(codes[level]));
    const dated = random.next() < 0.3;
    const start = Date.UTC(2026, random.int(0, 11), random.int(1, 28));
    return {
      key: `synthetique-${i + 1}`,
      nom: `Dispositif synthétique n° ${i + 1}`,
      types_accompagnement: pickSome(random, typeAccompagnement.codes, 2),
      types_financement: pickSome(random, typeFinancement.codes, 2),
      stades: pickSome(random, stade.codes, 2),
      modeles: random.next() < 0.1 ? [random.pick(modele.codes)] : [],
      formes_juridiques: random.next() < 0.15 ? ['92'] : [],
      esus_requis: random.next() < 0.05,
      couverture_niveau: level,
      couverture_codes: coverage,
      calendrier: dated
        ? { type: 'date', ouverture: new Date(start).toISOString(), cloture: new Date(start + 90 * 86_400_000).toISOString() }
        : { type: 'permanent' },
    };
  });
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into dispositif (key, name, types_accompagnement, types_financement, stades, modeles, formes_juridiques,
        esus_requis, couverture_niveau, couverture_codes, calendrier, source)
      select key, nom, array(select json_array_elements_text(types_accompagnement)), array(select json_array_elements_text(types_financement)),
        array(select json_array_elements_text(stades)), array(select json_array_elements_text(modeles)),
        array(select json_array_elements_text(formes_juridiques)), esus_requis, couverture_niveau,
        array(select json_array_elements_text(couverture_codes)), calendrier::jsonb, 'Jeu synthétique de banc d’essai'
      from json_to_recordset(${jsonRecords(records)}) as d(key text, nom text, types_accompagnement json, types_financement json,
        stades json, modeles json, formes_juridiques json, esus_requis boolean, couverture_niveau text, couverture_codes json, calendrier json)`);
  });
}

export interface OrientationProfile {
  modele: string;
  finalite: string;
  modele_economique: string;
  stade: string;
  commune: string;
  formes_juridiques: string[];
  nouveaux_chantiers: boolean;
}

export async function orientationProfiles(db: Db, seed: number, count: number): Promise<OrientationProfile[]> {
  const random = new Random(seed + 11);
  const communes = [...(await loadTerritoryIndex(db)).communes.values()].filter((c) => !c.parentCode).map((c) => c.code);
  return Array.from({ length: count }, () => ({
    modele: random.pick(modele.codes),
    finalite: random.pick(finalite.codes),
    modele_economique: random.pick(modeleEconomique.codes),
    stade: random.pick(stade.codes),
    commune: random.pick(communes),
    formes_juridiques: random.next() < 0.5 ? ['9220'] : [],
    nouveaux_chantiers: random.next() < 0.5,
  }));
}

export async function orientViaApi(app: FastifyInstance, profile: OrientationProfile): Promise<number> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/orientation', payload: profile });
  if (response.statusCode !== 200) throw new Error(`orientation : ${response.statusCode} ${response.body.slice(0, 200)}`);
  return (response.json() as { dispositifs: unknown[] }).dispositifs.length;
}

/** The baseline: rules and schemes read again from the database for each request (the COG index is shared). */
export async function orientNaively(db: Db, index: TerritoryIndex, profile: OrientationProfile): Promise<number> {
  const data = await readOrientationData(db, index);
  const result = await runOrientation(db, index, data, profile as never);
  return result.dispositifs.length;
}
