/**
 * The Table Schemas (Frictionless Table Schema v1) of the public datasets, published at
 * /donnees/schemas/{jeu}.json. The cooperations schema is written to be proposed as the first public schema of
 * territorial cooperations (schema.data.gouv.fr conventions: name, title, description, version, licences,
 * fields with French descriptions and examples). The same field list types the rows read from the database
 * (`rowSchema`), so a dump cannot drift from its schema.
 */
import { z } from 'zod';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { statutEss } from '../../domain/organisation.ts';
import { SCDL_SCHEMA } from '../../domain/scdl.ts';
import { secteur } from '../../domain/sector.ts';

export const LICENCE = {
  name: 'etalab-2.0',
  title: 'Licence Ouverte / Open Licence version 2.0',
  path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
} as const;

type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

export interface SchemaField {
  name: string;
  title: string;
  description: string;
  type: FieldType;
  format?: 'uri';
  example?: string;
  constraints?: { required?: boolean; unique?: boolean; enum?: readonly string[]; pattern?: string; minimum?: number; maximum?: number; maxLength?: number };
}

export interface TableSchema {
  $schema: string;
  name: string;
  title: string;
  description: string;
  version: string;
  homepage: string;
  path: string;
  licenses: (typeof LICENCE)[];
  missingValues: string[];
  primaryKey?: string;
  fields: SchemaField[];
}

const field = (name: string, type: FieldType, title: string, description: string, more: Partial<SchemaField> = {}): SchemaField => ({
  name,
  title,
  description,
  type,
  ...more,
});
const required = { constraints: { required: true } };
const oneOf = (codes: readonly string[], isRequired = false) => ({ constraints: { enum: codes, ...(isRequired ? { required: true } : {}) } });
const pattern = (regex: string, example: string) => ({ constraints: { pattern: regex }, example });

/** Where every place of a record is: its commune and the territories the commune belongs to (COG, copied on write). */
const placeFields: SchemaField[] = [
  field('commune_code', 'string', 'Code commune', 'Code officiel géographique (COG) INSEE de la commune', pattern('(\\d{5}|2[AB]\\d{3})', '26281')),
  field('commune_nom', 'string', 'Commune', 'Nom de la commune au COG'),
  field('epci_code', 'string', 'EPCI', 'SIREN de l’établissement public de coopération intercommunale de la commune', pattern('\\d{9}', '200068781')),
  field('departement_code', 'string', 'Département', 'Code COG du département', pattern('(\\d{2,3}|2A|2B)', '26')),
  field('region_code', 'string', 'Région', 'Code COG de la région', pattern('\\d{2,3}', '84')),
  field('latitude', 'number', 'Latitude', 'Latitude WGS 84 en degrés décimaux', { constraints: { minimum: -90, maximum: 90 } }),
  field('longitude', 'number', 'Longitude', 'Longitude WGS 84 en degrés décimaux', { constraints: { minimum: -180, maximum: 180 } }),
];

const recordEnd: SchemaField[] = [
  field('exemple', 'boolean', 'Fiche d’exemple', 'Vrai pour une fiche d’exemple tirée des documents sources (démonstration)', required),
  field('source', 'string', 'Source', 'D’où vient la fiche (document, fichier importé, contribution)'),
  field('mise_a_jour', 'datetime', 'Mise à jour', 'Dernière modification de la fiche (UTC, ISO 8601)', required),
];

function schemaOf(name: string, title: string, description: string, fields: SchemaField[], primaryKey: string | undefined, baseUrl: string): TableSchema {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: `maillage-${name}`,
    title,
    description,
    version: '1.0.0',
    homepage: `${baseUrl}/donnees`,
    path: `${baseUrl}/donnees/schemas/${name}.json`,
    licenses: [LICENCE],
    missingValues: [''],
    ...(primaryKey ? { primaryKey } : {}),
    fields,
  };
}

const idField = (what: string) =>
  field('id', 'integer', 'Identifiant', `Identifiant Maillage ${what}, stable`, { constraints: { required: true, unique: true, minimum: 1 } });

/** Where a scheme or a call acts: the level, then the COG codes at that level. */
const coverageFields = () => [
  field(
    'couverture_niveau',
    'string',
    'Niveau de couverture',
    'National, ou le niveau des codes de couverture',
    oneOf(['national', 'region', 'departement', 'epci', 'commune']),
  ),
  field('couverture_codes', 'string', 'Territoires couverts', 'Codes COG séparés par « | »'),
];

export const DATASET_FIELDS = {
  cooperations: [
    idField('de la coopération'),
    field('nom', 'string', 'Nom', 'Nom de la coopération', { constraints: { required: true, maxLength: 300 } }),
    field(
      'modele',
      'string',
      'Modèle',
      `Modèle de coopération (typologie du Labo de l’ESS) : ${modele.codes.join(', ')} ; « aucun » pour une coopération non modélisée`,
      oneOf(modele.codes, true),
    ),
    field('finalite', 'string', 'Finalité', 'Ciblée (un enjeu circonscrit) ou systémique (plusieurs leviers d’une transition)', oneOf(finalite.codes)),
    field('modele_economique', 'string', 'Modèle économique', 'Non marchande, marchande ou hybride', oneOf(modeleEconomique.codes)),
    field('stade', 'string', 'Stade', 'Stade de la coopération : émergence, création, consolidation, changement d’échelle', oneOf(stade.codes)),
    field('secteur', 'string', 'Secteur', 'Secteur thématique principal', oneOf(secteur.codes)),
    field(
      'forme_juridique',
      'string',
      'Forme juridique',
      'Catégorie juridique INSEE de la structure porteuse (2 ou 4 chiffres)',
      pattern('\\d{2}(\\d{2})?', '5458'),
    ),
    ...placeFields,
    field('territoire', 'string', 'Territoire', 'Le territoire d’action tel que la coopération le nomme (« Pays de Vilaine »)'),
    field('description', 'string', 'Description', 'Présentation de la coopération'),
    field('gouvernance', 'string', 'Gouvernance', 'Comment la coopération est gouvernée'),
    field('activites', 'string', 'Activités', 'Activités menées ensemble'),
    field('ressources_partagees', 'string', 'Ressources partagées', 'Ressources mutualisées (locaux, emplois, matériel…)'),
    field('annee_creation', 'integer', 'Année de création', 'Année où la coopération a commencé', { constraints: { minimum: 1800, maximum: 2100 } }),
    field('site_web', 'string', 'Site web', 'Adresse du site, telle que déclarée'),
    field('nombre_membres', 'integer', 'Nombre de membres', 'Structures et collectifs membres connus de Maillage', {
      constraints: { required: true, minimum: 0 },
    }),
    ...recordEnd,
  ],
  organisations: [
    idField('de la structure'),
    field('nom', 'string', 'Nom', 'Dénomination de la structure', { constraints: { required: true, maxLength: 300 } }),
    field('siret', 'string', 'SIRET', 'SIRET de l’établissement (14 chiffres)', pattern('\\d{14}', '41816609600069')),
    field('siren', 'string', 'SIREN', 'SIREN de l’unité légale (9 chiffres)', pattern('\\d{9}', '418166096')),
    field('forme_juridique', 'string', 'Forme juridique', 'Catégorie juridique INSEE (2 ou 4 chiffres)', pattern('\\d{2}(\\d{2})?', '9220')),
    field('statut_ess', 'string', 'Statut ESS', 'ESS de droit, entreprise commerciale de l’ESS, agrément ESUS ou hors ESS', oneOf(statutEss.codes)),
    field('code_naf', 'string', 'Code NAF', 'Activité principale (NAF rév. 2)', pattern('\\d{2}\\.\\d{2}[A-Z]', '88.99B')),
    field('secteur', 'string', 'Secteur', 'Secteur thématique tiré du code NAF', oneOf(secteur.codes)),
    ...placeFields,
    field('site_web', 'string', 'Site web', 'Adresse du site, telle que déclarée'),
    field(
      'monnaies_locales',
      'string',
      'Monnaies locales acceptées',
      'Identifiants des monnaies locales complémentaires acceptées (voir /api/v1/monnaies-locales), séparés par « | »',
    ),
    ...recordEnd,
  ],
  dispositifs: [
    idField('du dispositif'),
    field('cle', 'string', 'Clé', 'Identifiant stable du dispositif (échanges de données)', {
      constraints: { required: true, unique: true, pattern: '[a-z0-9-]{1,80}' },
    }),
    field('nom', 'string', 'Nom', 'Nom du dispositif', required),
    field('description', 'string', 'Description', 'Ce que le dispositif apporte'),
    field('types_accompagnement', 'string', 'Types d’accompagnement', 'Codes séparés par « | »'),
    field('types_financement', 'string', 'Types de financement', 'Codes séparés par « | »'),
    field('stades', 'string', 'Stades', 'Stades éligibles, codes séparés par « | » (vide : tous ou non précisé)'),
    field('modeles', 'string', 'Modèles', 'Modèles de coopération éligibles, codes séparés par « | »'),
    ...coverageFields(),
    field('montant_min', 'number', 'Montant minimal', 'En euros', { constraints: { minimum: 0 } }),
    field('montant_max', 'number', 'Montant maximal', 'En euros', { constraints: { minimum: 0 } }),
    field('montant_texte', 'string', 'Montant', 'Ce que la source dit du montant'),
    field('url', 'string', 'Lien', 'Page du dispositif chez son porteur'),
    field('source', 'string', 'Source', 'Document ou fichier d’où vient la fiche'),
    field('date_verification', 'date', 'Vérifié le', 'Dernière vérification de la fiche'),
    field('statut', 'string', 'Statut', 'Actif ou clos', oneOf(['actif', 'clos'], true)),
  ],
  appels: [
    idField('de l’appel'),
    field('cle', 'string', 'Clé', 'Identifiant stable de l’appel', { constraints: { required: true, unique: true, pattern: '[a-z0-9-]{1,80}' } }),
    field('titre', 'string', 'Titre', 'Titre de l’appel', required),
    field('description', 'string', 'Description', 'Présentation de l’appel'),
    field(
      'statut',
      'string',
      'Statut',
      'En concertation, publié ou clos (les appels en préparation ne sont pas publics)',
      oneOf(['brouillon_concertation', 'publie', 'clos'], true),
    ),
    field('organisateurs', 'string', 'Organisateurs', 'Noms des organisateurs séparés par « | », dans leur ordre'),
    field('dispositif_id', 'integer', 'Dispositif', 'Identifiant du dispositif que l’appel met en œuvre (jeu « dispositifs »)'),
    field('budget', 'number', 'Budget', 'Enveloppe totale en euros, quand l’appel en donne une', { constraints: { minimum: 0 } }),
    field('budget_texte', 'string', 'Budget (texte)', 'Ce que l’appel dit de l’argent'),
    ...coverageFields(),
    field('public_depuis', 'datetime', 'Public depuis', 'Première publication (UTC, ISO 8601)'),
    field('exemple', 'boolean', 'Appel d’exemple', 'Vrai pour un appel tiré des documents sources', required),
    field('source', 'string', 'Source', 'Document d’où vient l’appel'),
  ],
  subventions: [
    field('nomAttribuant', 'string', 'Nom de l’attribuant', 'Organisateur de l’appel qui attribue la subvention', required),
    field('idAttribuant', 'string', 'SIRET de l’attribuant', 'SIRET (14 chiffres)', { constraints: { required: true, pattern: '\\d{14}' } }),
    field('dateConvention', 'date', 'Date de la convention', 'Début de la convention', required),
    field('referenceDecision', 'string', 'Référence de la décision', 'Non tenue par Maillage'),
    field('nomBeneficiaire', 'string', 'Nom du bénéficiaire', 'Chef de file de la candidature lauréate', required),
    field('idBeneficiaire', 'string', 'SIRET du bénéficiaire', 'SIRET (14 chiffres)', { constraints: { required: true, pattern: '\\d{14}' } }),
    field('rnaBeneficiaire', 'string', 'RNA du bénéficiaire', 'Numéro RNA', pattern('W\\d{9}', 'W751234567')),
    field('objet', 'string', 'Objet', '« Appel — titre de la candidature »', { constraints: { required: true, maxLength: 256 } }),
    field('montant', 'number', 'Montant', 'Montant attribué en euros', { constraints: { required: true, minimum: 0 } }),
    field('nature', 'string', 'Nature', 'Nature de l’aide', oneOf(['aide en numéraire', 'aide en nature'], true)),
    field('conditionsVersement', 'string', 'Conditions de versement', 'Unique ou échelonné', oneOf(['unique', 'échelonné'], true)),
    field('datesPeriodeVersement', 'string', 'Dates ou période de versement', 'AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ', {
      constraints: { required: true, pattern: '\\d{4}-\\d{2}-\\d{2}(/\\d{4}-\\d{2}-\\d{2})?' },
    }),
    field('idRAE', 'string', 'Identifiant RAE', 'Répertoire des aides aux entreprises'),
    field('notificationUE', 'string', 'Notification UE', 'Aide notifiée à la Commission européenne', oneOf(['oui', 'non'], true)),
    field('pourcentageSubvention', 'number', 'Part de la subvention', 'Part du bénéficiaire (1 : bénéficiaire unique)', {
      constraints: { required: true, minimum: 0, maximum: 1 },
    }),
    field('dispositifAide', 'string', 'Dispositif d’aide', 'Identifiant du dispositif au schéma des dispositifs d’aide'),
  ],
} satisfies Record<string, SchemaField[]>;

export type DatasetName = keyof typeof DATASET_FIELDS;
export const DATASET_NAMES = Object.keys(DATASET_FIELDS) as DatasetName[];

export const DATASET_INFO: Record<DatasetName, { title: string; description: string; api: string }> = {
  cooperations: {
    title: 'Coopérations territoriales',
    description:
      'Les coopérations que liste l’Atlas (PTCE, TZCLD, tiers-lieux, SCIC, CUMA, AMAP, pôles ESS… et les coopérations sans modèle), avec leur ' +
      'typologie (Labo de l’ESS), leur stade et leur territoire en codes officiels. Proposé comme premier schéma public des coopérations territoriales.',
    api: '/api/v1/cooperations',
  },
  organisations: {
    title: 'Structures de l’ESS',
    description:
      'Les structures (associations, coopératives, entreprises de l’ESS, collectivités membres…) avec SIRET, forme juridique, statut ESS et commune.',
    api: '/api/v1/organisations',
  },
  dispositifs: {
    title: 'Dispositifs d’accompagnement et de financement',
    description: 'Le catalogue des dispositifs : à qui ils s’adressent (stades, modèles), où (couverture) et pour combien.',
    api: '/api/v1/dispositifs',
  },
  appels: {
    title: 'Appels à projets et à manifestation d’intérêt',
    description: 'Les appels publics (en concertation, publiés ou clos), leurs organisateurs, budget et couverture.',
    api: '/api/v1/appels',
  },
  subventions: {
    title: 'Subventions attribuées',
    description: `Les subventions attribuées par les appels, dans les colonnes du schéma national ${SCDL_SCHEMA.nom} ${SCDL_SCHEMA.version} (${SCDL_SCHEMA.url}).`,
    api: '/api/v1/subventions.csv',
  },
};

export function tableSchema(name: DatasetName, baseUrl: string): TableSchema {
  const info = DATASET_INFO[name];
  return schemaOf(name, info.title, info.description, DATASET_FIELDS[name], name === 'subventions' ? undefined : 'id', baseUrl);
}

const ZOD_OF: Record<FieldType, z.ZodType> = {
  string: z.string(),
  integer: z.number().int(),
  number: z.number(),
  boolean: z.boolean(),
  date: z.string(),
  datetime: z.string(),
};

/** The Zod schema of a dataset's rows as read from the database: the schema's fields, in its order, nullable unless required. */
export function rowSchema(name: DatasetName) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of DATASET_FIELDS[name] as SchemaField[]) shape[f.name] = f.constraints?.required ? ZOD_OF[f.type] : ZOD_OF[f.type].nullable();
  return z.object(shape);
}
