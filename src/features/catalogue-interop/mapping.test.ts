import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dayEnd,
  dayStart,
  fromSchemaRow,
  joinList,
  readZone,
  SCHEMA_FIELDS,
  splitList,
  toSchemaRow,
  type InteropScheme,
  type SchemaRow,
  type TerritoryNames,
} from './mapping.ts';

const territories: TerritoryNames = {
  name: (level, code) =>
    (
      ({ 'region:84': 'Auvergne-Rhône-Alpes', 'departement:26': 'Drôme', 'departement:07': 'Ardèche', 'epci:200068781': 'CA Valence Romans Agglo' }) as Record<
        string,
        string
      >
    )[`${level}:${code}`],
  find: (name) =>
    (
      ({
        'auvergne-rhone-alpes': { level: 'region', code: '84' },
        drome: { level: 'departement', code: '26' },
        ardeche: { level: 'departement', code: '07' },
      }) as const
    )[name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() as 'drome'],
  has: (level, code) => (level === 'epci' && code === '200068781') || (level === 'departement' && ['26', '07'].includes(code)),
};

const scheme: InteropScheme = {
  key: 'ami-ptce',
  idAide: null,
  nom: 'AMI national PTCE',
  description: 'Soutien aux pôles, « coopération ».\nDeux lignes.',
  porteurs: [
    { nom: 'Ministère, ESS', siren: null },
    { nom: 'Banque des Territoires', siren: '180020026' },
  ],
  typesAccompagnement: ['animation', 'formation'],
  typesFinancement: ['subvention_projet', 'appel_a_projets', 'pret_honneur'],
  stades: ['emergence', 'consolidation', 'changement_echelle'],
  calendrier: { type: 'date', ouverture: '2021-04-01T00:00:00.000+02:00', cloture: '2021-06-23T23:59:59.999+02:00' },
  couverture: { niveau: 'departement', codes: ['26', '07'] },
  conditions: 'Être un PTCE',
  contact: 'ptce@exemple.fr',
  url: 'https://exemple.fr/ami',
  dateVerification: '2024-01-15',
  champs: {},
  modeles: ['PTCE'],
  finalites: [],
  modelesEconomiques: [],
  formesJuridiques: ['92'],
  esusRequis: null,
  montantMin: 10000,
  montantMax: null,
  montantTexte: 'jusqu’à 40 000 €',
  dureeTexte: null,
  source: '004_37a44aab6c3ef982.txt — « Un AMI national et permanent »',
  statut: 'actif',
};

const emptyRow = (values: Partial<SchemaRow>): SchemaRow => ({ ...Object.fromEntries(SCHEMA_FIELDS.map((f) => [f, ''])), ...values }) as SchemaRow;

describe('schema-dispositif-aide 0.0.1 : correspondance', () => {
  test('les 28 colonnes du schéma, dans son ordre', () => {
    assert.equal(SCHEMA_FIELDS.length, 28);
    assert.deepEqual(Object.keys(toSchemaRow(scheme, territories)), [...SCHEMA_FIELDS]);
  });

  test('export : colonnes tirées du catalogue, listes séparées par des virgules sans espace', () => {
    const row = toSchemaRow(scheme, territories);
    assert.equal(row.id_aide, 'ami-ptce');
    assert.equal(row.nom_aide, 'AMI national PTCE');
    assert.equal(row.porteur_aide, 'Ministère, ESS,Banque des Territoires');
    assert.equal(row.porteur_siren, '', 'un porteur sans SIREN : la colonne reste vide plutôt que fausse');
    assert.equal(row.types_aides, 'Subvention,Prêt,Technique');
    assert.equal(row.aap_ami, 'Oui');
    assert.equal(row.recurrence_aide, 'Ponctuelle');
    assert.equal(row.date_ouverture, '2021-04-01');
    assert.equal(row.date_cloture, '2021-06-23');
    assert.equal(row.etat_avancement_projet, 'Réflexion - conception,Usage - valorisation');
    assert.equal(row.zone_geographique, 'Drôme,Ardèche');
    assert.equal(row.url_descriptif, 'https://exemple.fr/ami');
    assert.match(row.condition_eligibilite, /^Être un PTCE\n\nDonnées Maillage \(pour un aller-retour exact, ne pas modifier\) : \{"cle":"ami-ptce",/);
    assert.equal(row.date_mise_a_jour, '2024-01-15');
    for (const field of ['beneficiaires_aide', 'thematique_aide', 'programme_aides', 'taux_subvention_minimum', 'url_demarche'] as const) {
      assert.equal(row[field], '', `${field} : Maillage ne le tient pas`);
    }
  });

  test('export : national, vagues, sans calendrier, EPCI avec leur code, SIREN quand tous les porteurs en ont', () => {
    const row = toSchemaRow(
      {
        ...scheme,
        idAide: 'ADEME-42',
        couverture: { niveau: 'national', codes: [] },
        porteurs: [{ nom: 'ADEME', siren: '385290309' }],
        calendrier: {
          type: 'vagues',
          vagues: [
            { nom: 'B', ouverture: '2025-09-01T00:00:00+02:00', cloture: '2025-10-01T23:59:59+02:00' },
            { nom: 'A', ouverture: '2025-01-10T00:00:00+01:00' },
          ],
        },
      },
      territories,
    );
    assert.deepEqual(
      [row.id_aide, row.zone_geographique, row.porteur_siren, row.recurrence_aide, row.date_ouverture, row.date_cloture],
      ['ADEME-42', 'France', '385290309', 'Récurrente', '2025-01-10', '2025-10-01'],
    );
    const epci = toSchemaRow({ ...scheme, calendrier: null, couverture: { niveau: 'epci', codes: ['200068781'] } }, territories);
    assert.deepEqual([epci.zone_geographique, epci.recurrence_aide, epci.date_ouverture], ['CA Valence Romans Agglo (200068781)', '', '']);
  });

  test('import : lecture des colonnes dans le vocabulaire de Maillage', () => {
    const result = fromSchemaRow(
      emptyRow({
        id_aide: 'X-1',
        nom_aide: 'Fonds vert',
        porteur_aide: 'ADEME,Région Grand Est',
        porteur_siren: '385290309,200052264',
        beneficiaires_aide: 'Communes,Entreprises publiques locales (Sem, Spl, SemOp)',
        types_aides: 'Subvention,Technique,Autre',
        aap_ami: 'Oui',
        recurrence_aide: 'Ponctuelle',
        date_ouverture: '2022-03-03',
        date_cloture: '2022-12-31',
        etat_avancement_projet: 'Mise en oeuvre - réalisation',
        zone_geographique: 'Auvergne-Rhône-Alpes',
        thematique_aide: 'Énergie > Chaleur',
        url_descriptif: 'https://aides.exemple.fr/1',
        description: 'Une aide',
      }),
      territories,
    );
    assert.ok(result.ok, JSON.stringify(result));
    const s = result.scheme;
    assert.deepEqual(s.porteurs, [
      { nom: 'ADEME', siren: '385290309' },
      { nom: 'Région Grand Est', siren: '200052264' },
    ]);
    assert.deepEqual(s.typesFinancement, ['subvention_projet', 'appel_a_projets']);
    assert.deepEqual(s.typesAccompagnement, ['developpement'], '« Technique » se relit en développement, la première sorte de la table');
    assert.deepEqual(s.stades, ['creation']);
    assert.deepEqual(s.couverture, { niveau: 'region', codes: ['84'] });
    assert.deepEqual(s.calendrier, { type: 'date', ouverture: '2022-03-03T00:00:00.000+01:00', cloture: '2022-12-31T23:59:59.999+01:00' });
    assert.equal(s.champs.beneficiaires_aide, 'Communes,Entreprises publiques locales (Sem, Spl, SemOp)');
    assert.equal(s.champs.thematique_aide, 'Énergie > Chaleur');
    assert.equal(s.champs.types_aides, 'Subvention,Technique,Autre');
  });

  test('aller-retour : une ligne importée puis exportée redonne la même ligne', () => {
    const original = toSchemaRow(scheme, territories);
    const imported = fromSchemaRow(original, territories);
    assert.ok(imported.ok);
    assert.deepEqual({ ...imported.scheme, idAide: null }, scheme, 'le bloc Maillage redonne le dispositif exact : sortes, stades, modèles, source, clé…');
    assert.deepEqual(toSchemaRow(imported.scheme, territories), { ...original, id_aide: 'ami-ptce' });
  });

  test('aller-retour sans bloc Maillage : chaque sorte relue par la même table, la formulation du fichier gardée quand elle dit plus', () => {
    for (const kind of ['developpement', 'animation', 'fonctions_support', 'appui_strategique', 'subvention_projet', 'pret']) {
      const row = toSchemaRow(
        {
          ...scheme,
          typesAccompagnement: [],
          typesFinancement: [],
          [kind.startsWith('pret') || kind.startsWith('sub') ? 'typesFinancement' : 'typesAccompagnement']: [kind],
        },
        territories,
      );
      const read = fromSchemaRow({ ...row, condition_eligibilite: '' }, territories);
      assert.ok(read.ok);
      const typeOf = (s: { typesAccompagnement: string[]; typesFinancement: string[] }) => toSchemaRow({ ...scheme, ...s }, territories).types_aides;
      assert.equal(typeOf(read.scheme), row.types_aides, kind);
      assert.deepEqual(read.scheme.champs, {}, `${kind} : rien à garder, Maillage réécrit la même ligne`);
    }
    const bare = fromSchemaRow(
      emptyRow({
        id_aide: 'X',
        nom_aide: 'X',
        types_aides: 'Subvention,Technique,Autre',
        condition_eligibilite: 'Données Maillage (pour un aller-retour exact, ne pas modifier) : {"cle":1}',
      }),
      territories,
    );
    assert.equal(bare.ok, false, 'un bloc illisible est refusé plutôt que lu à moitié');
  });

  test('import : chaque erreur de format est nommée, en français', () => {
    const cases: [Partial<SchemaRow>, RegExp][] = [
      [{ id_aide: '', nom_aide: 'A' }, /id_aide : obligatoire/],
      [{ id_aide: 'a', nom_aide: '' }, /nom_aide : obligatoire/],
      [{ types_aides: 'Subvention,Don' }, /types_aides : valeur hors de la liste du schéma : Don/],
      [{ beneficiaires_aide: 'Communes, Départements' }, /beneficiaires_aide : valeur hors de la liste/],
      [{ aap_ami: 'peut-être' }, /aap_ami : « Oui » ou « Non »/],
      [{ recurrence_aide: 'Annuelle' }, /recurrence_aide/],
      [{ date_cloture: '2022-02-30' }, /date_cloture : date au format AAAA-MM-JJ attendue/],
      [{ date_ouverture: '03/03/2022' }, /date_ouverture/],
      [{ date_ouverture: '2022-05-01', date_cloture: '2022-04-01' }, /antérieure/],
      [{ porteur_aide: 'A,B', porteur_siren: '385290309' }, /porteur_siren : 1 numéro pour 2 porteurs/],
      [{ porteur_aide: 'A', porteur_siren: '3852' }, /porteur_siren : numéros SIREN de 9 caractères/],
      [{ taux_subvention_maximum: '120' }, /taux_subvention_maximum : un pourcentage/],
      [{ url_descriptif: 'javascript:alert(1)' }, /url_descriptif : adresse web/],
      [{ nom_aide_normalise: 'x'.repeat(181) }, /nom_aide_normalise : 180 caractères/],
    ];
    for (const [values, reason] of cases) {
      const result = fromSchemaRow(emptyRow({ id_aide: 'id', nom_aide: 'Nom', ...values }), territories);
      assert.equal(result.ok, false, JSON.stringify(values));
      assert.match((result as { reasons: string[] }).reasons.join(' ; '), reason);
    }
  });

  test('zones : nationale, noms, codes entre parenthèses, inconnues', () => {
    assert.deepEqual(readZone('France entière', territories), { niveau: 'national', codes: [] });
    assert.deepEqual(readZone('Drome,Ardèche', territories), { niveau: 'departement', codes: ['26', '07'] });
    assert.deepEqual(readZone('CA Valence Romans Agglo (200068781)', territories), { niveau: 'epci', codes: ['200068781'] });
    assert.equal(readZone('Tarn', territories), undefined);
    assert.equal(readZone('Drôme,Auvergne-Rhône-Alpes', territories), undefined, 'deux niveaux : pas une couverture de Maillage');
    assert.equal(readZone('', territories), null);
  });

  test('listes et jours en heure de Paris', () => {
    assert.deepEqual(splitList('Communes,Entreprises publiques locales (Sem, Spl, SemOp)'), ['Communes', 'Entreprises publiques locales (Sem, Spl, SemOp)']);
    assert.equal(joinList(['A,B', 'C']), 'A, B,C');
    assert.equal(dayStart('2021-01-15'), '2021-01-15T00:00:00.000+01:00');
    assert.equal(dayEnd('2021-06-23'), '2021-06-23T23:59:59.999+02:00');
  });
});
