/**
 * Public open data: the awarded grants of calls in the SCDL « subventions » format (domain/scdl.ts). No account
 * needed: public bodies must publish these data (décret n° 2017-779), and a row names legal persons only. A
 * grant that cannot fill a required column without inventing it is left out: the CSV says how many in the
 * header `x-subventions-ecartees`, the JSON lists them with their reason.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { SCDL_SCHEMA } from '../../../domain/scdl.ts';
import { notFound } from '../../../web/errors.ts';
import { idParams } from '../../../platform/params.ts';
import { publicCallExists, scdlCsv, scdlExport, type ScdlExport } from './scdl.ts';

const SCHEMA_NOTE =
  `Schéma ${SCDL_SCHEMA.nom} version ${SCDL_SCHEMA.version} (${SCDL_SCHEMA.url}). Une ligne par convention d’une ` +
  'candidature lauréate ; bénéficiaire : le chef de file, désigné par son SIRET ; montant : les tranches fermes et les tranches ' +
  'conditionnelles dont la condition est constatée ; attribuant : le premier organisateur de l’appel qui a un SIRET. ' +
  'Une convention qui ne peut remplir une colonne obligatoire sans l’inventer est écartée. Licence Ouverte Etalab 2.0.';
const CSV_NOTE =
  'CSV UTF-8 sans BOM, séparateur virgule, fins de ligne CRLF, montants avec un point ; l’en-tête de réponse ' +
  '`x-subventions-ecartees` compte les conventions écartées (leurs motifs : la version JSON).';

const subventionSchema = z.object({
  nomAttribuant: z.string().describe('Nom de l’organisateur de l’appel qui attribue la subvention'),
  idAttribuant: z.string().describe('SIRET de l’attribuant (14 chiffres)'),
  dateConvention: z.string().describe('Date de la convention (AAAA-MM-JJ) : son début'),
  referenceDecision: z.string().nullable().describe('Référence de la décision (non tenue par Maillage : vide)'),
  nomBeneficiaire: z.string().describe('Nom du chef de file de la candidature'),
  idBeneficiaire: z.string().describe('SIRET du chef de file'),
  rnaBeneficiaire: z.string().nullable().describe('Numéro RNA (vide : le SIRET est toujours connu)'),
  objet: z.string().describe('« Appel — titre de la candidature », moins de 256 caractères'),
  montant: z.number().describe('Montant attribué en euros'),
  nature: z.string().describe('« aide en numéraire »'),
  conditionsVersement: z.string().describe('« unique » (une tranche) ou « échelonné » (plusieurs)'),
  datesPeriodeVersement: z.string().describe('Échéance de la tranche, ou période AAAA-MM-JJ/AAAA-MM-JJ de la première à la dernière'),
  idRAE: z.string().nullable().describe('Identifiant au Répertoire des aides aux entreprises (vide)'),
  notificationUE: z.enum(['oui', 'non']).describe('Aide notifiée à la Commission européenne : « non »'),
  pourcentageSubvention: z.number().describe('Part du bénéficiaire : 1 (bénéficiaire unique, le chef de file)'),
  dispositifAide: z.string().nullable().describe('Identifiant du dispositif de l’appel au schéma des dispositifs d’aide'),
});

const exportSchema = z.object({
  schema: z.object({ nom: z.string(), version: z.string(), url: z.string() }).describe('Le schéma suivi'),
  subventions: z.array(subventionSchema).describe('Les subventions, colonnes du schéma dans son ordre'),
  ecartees: z
    .array(
      z.object({
        appel_id: z.number().int(),
        appel: z.string(),
        candidature: z.string().describe('Titre de la candidature'),
        motif: z.string(),
      }),
    )
    .describe('Les conventions écartées et pourquoi'),
});

function sendCsv(reply: FastifyReply, data: ScdlExport, fileName: string) {
  return reply
    .type('text/csv; charset=utf-8; header=present')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('x-subventions-ecartees', data.ecartees.length)
    .send(scdlCsv(data.subventions));
}

export async function registerScdl(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const publicCall = async (id: number) => {
    if (!(await publicCallExists(db, id))) throw notFound(`Aucun appel ne porte l'identifiant ${id}.`);
  };

  app.get(
    '/api/v1/appels/:id/subventions.csv',
    {
      schema: {
        tags: ['Appels', 'Export'],
        summary: 'Subventions attribuées par un appel, au format SCDL (CSV)',
        description: `${SCHEMA_NOTE} ${CSV_NOTE}`,
        params: idParams,
      },
    },
    async (request, reply) => {
      await publicCall(request.params.id);
      return sendCsv(reply, await scdlExport(db, request.params.id), `subventions-appel-${request.params.id}.csv`);
    },
  );

  app.get(
    '/api/v1/appels/:id/subventions.json',
    {
      schema: {
        tags: ['Appels', 'Export'],
        summary: 'Subventions attribuées par un appel, au format SCDL (JSON), et les conventions écartées',
        description: SCHEMA_NOTE,
        params: idParams,
        response: { 200: exportSchema },
      },
    },
    async (request) => {
      await publicCall(request.params.id);
      return { schema: SCDL_SCHEMA, ...(await scdlExport(db, request.params.id)) };
    },
  );

  app.get(
    '/api/v1/subventions.csv',
    {
      schema: {
        tags: ['Appels', 'Export'],
        summary: 'Subventions attribuées par tous les appels, au format SCDL (CSV)',
        description: `${SCHEMA_NOTE} ${CSV_NOTE} Les appels en préparation n’y figurent pas.`,
      },
    },
    async (_request, reply) => {
      const stamp = new Date().toISOString().slice(0, 10);
      return sendCsv(reply, await scdlExport(db, null), `maillage-subventions-${stamp}.csv`);
    },
  );
}
