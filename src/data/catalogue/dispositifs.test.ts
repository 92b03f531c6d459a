import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { calendrier, niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique } from '../../domain/organisation.ts';
import { champsACompleter, seedDispositifs, type SeedDispositif } from './dispositifs.ts';

const require = createRequire(import.meta.url);

/** The source documents (docs/SOURCES.md). */
const SEED_FILES = ['000_68dfcb3a868904b3.txt', '001_9ff37d146fd43ca5.txt', '002_8b069b548333f77d.txt', '003_b2746d46d32e7dc5.txt', '004_37a44aab6c3ef982.txt'];

/** The schemes the documents describe that the catalogue must hold at least. */
const MUST_HAVE = [
  'generateur-de-projets',
  'programme-accompagnement-specifique-cooperation',
  'accompagnement-cooperatif-thematique',
  'transfert-de-savoir-faire',
  'accompagnement-cooperatif-territorial',
  'accompagnement-economie-fonctionnalite-cooperation',
  'dla',
  'france-active',
  'adie',
  'nef',
  'credit-cooperatif',
  'cigales',
  'leader',
  'feader',
  'fse',
  'agrement-esus',
  'fonds-urgence-ess',
  'prets-garantis-par-l-etat',
  'contrats-a-impact',
  'dons-fiscalement-deductibles',
  'prets-participatifs',
  'crowdfunding',
  'fonds-de-dotation',
  'cifre',
  'credit-impot-recherche',
  'ami-ptce',
  'ami-fabrique-des-territoires',
  'tzcld',
];

const byKey = (key: string): SeedDispositif => {
  const found = seedDispositifs.find((d) => d.key === key);
  assert.ok(found, `${key} est au catalogue`);
  return found;
};

const allowed = (codes: readonly string[]) => new Set<string>(codes);

function assertCodes(values: readonly string[], codes: readonly string[], what: string): void {
  const set = allowed(codes);
  for (const value of values) assert.ok(set.has(value), `${what} : code inconnu « ${value} »`);
  assert.equal(new Set(values).size, values.length, `${what} : code en double`);
}

/** Every instant of a scheme, with where it is. */
function instants(d: SeedDispositif): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [];
  const cal = d.calendrier;
  if (!cal) return out;
  if (cal.ouverture) out.push({ where: `${d.key}.ouverture`, value: cal.ouverture });
  if (cal.cloture) out.push({ where: `${d.key}.cloture`, value: cal.cloture });
  for (const vague of cal.vagues ?? []) {
    if (vague.ouverture) out.push({ where: `${d.key} / ${vague.nom} / ouverture`, value: vague.ouverture });
    if (vague.cloture) out.push({ where: `${d.key} / ${vague.nom} / cloture`, value: vague.cloture });
  }
  return out;
}

/** The UTC offset of Europe/Paris at an instant, as « +02:00 ». */
function parisOffset(epochMs: number): string {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(new Date(epochMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  assert.ok(name, 'décalage de Europe/Paris');
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

test('chaque clé est unique et en kebab-case', () => {
  const keys = seedDispositifs.map((d) => d.key);
  assert.equal(new Set(keys).size, keys.length, 'clés uniques');
  for (const key of keys) assert.match(key, /^[a-z0-9]+(-[a-z0-9]+)*$/, key);
});

test('les dispositifs décrits par les documents sources sont au catalogue', () => {
  for (const key of MUST_HAVE) byKey(key);
});

test('chaque code appartient au vocabulaire du domaine', () => {
  for (const d of seedDispositifs) {
    assertCodes(d.types_accompagnement, typeAccompagnement.codes, `${d.key}.types_accompagnement`);
    assertCodes(d.types_financement, typeFinancement.codes, `${d.key}.types_financement`);
    assertCodes(d.stades, stade.codes, `${d.key}.stades`);
    assertCodes(d.finalites, finalite.codes, `${d.key}.finalites`);
    assertCodes(d.modeles_economiques, modeleEconomique.codes, `${d.key}.modeles_economiques`);
    assertCodes(d.modeles, modele.codes, `${d.key}.modeles`);
    assertCodes(d.formes_juridiques, formeJuridique.codes, `${d.key}.formes_juridiques`);
    if (d.couverture) assertCodes([d.couverture.niveau], niveauCouverture.codes, `${d.key}.couverture`);
    if (d.calendrier) assertCodes([d.calendrier.type], calendrier.codes, `${d.key}.calendrier`);
  }
});

test('la couverture nomme des territoires du COG', () => {
  const cog = (name: string): Set<string> => new Set((require(`@etalab/decoupage-administratif/data/${name}.json`) as { code: string }[]).map((t) => t.code));
  const known: Record<string, Set<string>> = { region: cog('regions'), departement: cog('departements'), epci: cog('epci'), commune: cog('communes') };
  for (const d of seedDispositifs) {
    if (!d.couverture) continue;
    if (d.couverture.niveau === 'national') {
      assert.deepEqual(d.couverture.codes, [], `${d.key} : national sans codes`);
      continue;
    }
    assert.ok(d.couverture.codes.length > 0, `${d.key} : au moins un territoire`);
    for (const code of d.couverture.codes) assert.ok(known[d.couverture.niveau]?.has(code), `${d.key} : ${d.couverture.niveau} ${code}`);
  }
});

test('chaque source nomme un document source existant', () => {
  const files = new Set(SEED_FILES);
  for (const d of seedDispositifs) {
    for (const part of d.source.split(' ; ')) {
      const match = /^(\S+\.txt) — \S.*$/.exec(part);
      assert.ok(match, `${d.key} : source « ${part} » de la forme « <fichier> — <repère> »`);
      assert.ok(files.has(match[1]!), `${d.key} : fichier source inconnu ${match[1]}`);
    }
  }
});

test('chaque instant se lit, porte un décalage explicite, celui de Europe/Paris à cette date', () => {
  for (const d of seedDispositifs) {
    for (const { where, value } of instants(d)) {
      const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?([+-]\d{2}:\d{2})$/.exec(value);
      assert.ok(match, `${where} : « ${value} » avec un décalage explicite`);
      const epoch = Date.parse(value);
      assert.ok(Number.isFinite(epoch), `${where} : « ${value} » se lit`);
      assert.equal(match[2], parisOffset(epoch), `${where} : décalage de Europe/Paris`);
    }
    const cal = d.calendrier;
    if (cal?.ouverture && cal.cloture) assert.ok(Date.parse(cal.ouverture) < Date.parse(cal.cloture), `${d.key} : ouverture avant clôture`);
    for (const vague of cal?.vagues ?? []) {
      if (vague.ouverture && vague.cloture) assert.ok(Date.parse(vague.ouverture) < Date.parse(vague.cloture), `${d.key} / ${vague.nom}`);
    }
    if (cal?.type === 'vagues') assert.ok((cal.vagues ?? []).length > 0, `${d.key} : calendrier par vagues sans vague`);
  }
});

test('montants, textes et champs vides sont cohérents', () => {
  for (const d of seedDispositifs) {
    assert.ok(d.nom.trim().length > 0 && d.description.trim().length > 0, `${d.key} : nom et description`);
    for (const amount of [d.montant_min, d.montant_max]) {
      if (amount !== null) assert.ok(Number.isFinite(amount) && amount > 0, `${d.key} : montant en euros`);
    }
    if (d.montant_min !== null && d.montant_max !== null) assert.ok(d.montant_min <= d.montant_max, `${d.key} : min ≤ max`);
    if (d.montant_min !== null || d.montant_max !== null) assert.ok(d.montant_texte, `${d.key} : montant tel que le dit le document`);
    assert.equal(d.date_verification, null, `${d.key} : rien n'a été vérifié au-delà des documents`);
    for (const porteur of d.porteurs) assert.ok(porteur.nom.trim().length > 0, `${d.key} : porteur nommé`);
    if (d.url !== null) assert.doesNotThrow(() => new URL(d.url!), `${d.key} : URL`);
  }
});

test("l'AMI PTCE de 004 : phase 1 close le mercredi 23 juin 2021 à minuit, heure de Paris", () => {
  const ami = byKey('ami-ptce');
  assert.equal(ami.calendrier?.type, 'vagues');
  const phase1 = ami.calendrier?.vagues?.[0];
  assert.ok(phase1?.cloture);
  // The end of 23 June in summer time (UTC+2): the last millisecond before 24 June 00:00 in Paris.
  assert.equal(Date.parse(phase1.cloture), Date.parse('2021-06-24T00:00:00+02:00') - 1);
  assert.equal(new Date(phase1.cloture).toISOString(), '2021-06-23T21:59:59.999Z');
  assert.equal(Date.parse(phase1.ouverture ?? ''), Date.parse('2021-05-11T22:00:00Z'));
  assert.deepEqual(ami.modeles, ['PTCE']);
  assert.deepEqual(ami.stades, ['emergence']);
  assert.equal(ami.montant_min, 100000);
  assert.equal(ami.montant_max, null);
  assert.deepEqual(ami.couverture, { niveau: 'national', codes: [] });
});

test('ce que les documents ne disent pas reste à compléter', () => {
  const fds = byKey('fds');
  const empty = champsACompleter(fds);
  for (const field of ['types_accompagnement', 'types_financement', 'stades', 'couverture', 'calendrier', 'url', 'contact'] as const) {
    assert.ok(empty.includes(field), `FDS : ${field} à compléter`);
  }
  assert.ok(!champsACompleter(byKey('ami-ptce')).includes('calendrier'));
});
