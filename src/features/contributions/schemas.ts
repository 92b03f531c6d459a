/**
 * What a proposal may contain, for each kind of object: one Zod schema per kind validates the form (French
 * messages, one per field), types the proposal stored in contribution.data, and is applied again when a
 * moderator accepts or amends it. Field names are the public French ones; empty fields become null (or []).
 * The commune and coverage codes are checked against the COG in memory, hence the factory. Every message is a
 * sentence a person can act on: no field is left to Zod's generic messages, which name codes and types.
 */
import { z } from 'zod';
import type { ContributionAction, ContributionKind } from '../../domain/contribution.ts';
import { finalite, modele, modeleEconomique, roleMembre, stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { normaliseNaf, secteur, secteurFromNaf } from '../../domain/sector.ts';
import { normaliseIdentifier, siretError } from '../../domain/siret.ts';
import { isKnownNaf } from '../../data/naf.ts';
import { readForm, type FormValues } from '../../web/forms.ts';
import { departementsCovered, regionsOfDepartements, type TerritoryIndex } from '../../platform/territory-index.ts';

/** Control characters (other than line breaks and tabs) and bidirectional overrides never belong in a field. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/u;
const characters = (text: string) => [...text].length;

const blankToNull = (value: unknown) => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().normalize('NFC');
  return trimmed === '' ? null : trimmed;
};

/** A value posted twice under one name (a crafted form) is not a text. */
const ONE_VALUE = 'Ce champ attend une seule valeur : renvoyez le formulaire depuis la page.';

function text(max: number) {
  return z
    .string(ONE_VALUE)
    .refine((value) => characters(value) <= max, `Ce texte dépasse ${max} caractères : raccourcissez-le.`)
    .refine((value) => !FORBIDDEN.test(value), 'Ce texte contient des caractères non autorisés (caractères de contrôle).');
}

const optionalText = (max: number) => z.preprocess(blankToNull, text(max).nullable());
const requiredText = (missing: string, max: number) =>
  z
    .preprocess(blankToNull, text(max).nullable())
    .refine((value) => value !== null, missing)
    .transform((value) => value!);

function optionalCode<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToNull, schema.nullable());
}

/** One code of a closed list, refused with a sentence naming the list (never the codes themselves). */
function choice<const C extends readonly [string, ...string[]]>(list: { codes: C }, message: string) {
  return z.enum(list.codes, message);
}

/** A repeated form field (checkboxes): one value comes as a string, none as undefined. */
function codeList<T extends z.ZodType<string>>(schema: T) {
  return z.preprocess(
    (value) => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(schema, 'Cochez les cases de la liste proposée.').max(30, 'Cochez 30 cases au plus.'),
  );
}

const url = optionalText(300).refine(
  (value) => value === null || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value),
  'Indiquez une adresse web complète, commençant par https:// (par exemple https://exemple.fr).',
);

const legalForm = optionalCode(
  z
    .string(ONE_VALUE)
    .regex(/^\d{2}(\d{2})?$/, 'La forme juridique est un code INSEE de 2 ou 4 chiffres (ex. 92 ou 9220).')
    .refine((code) => code.slice(0, 2) in formeJuridique.labels, 'Cette catégorie juridique n’existe pas dans la nomenclature INSEE.'),
);

function communeField(territories: TerritoryIndex) {
  return optionalCode(
    z
      .string(ONE_VALUE)
      .regex(/^(\d{5}|2[AB]\d{3})$/, 'Un code commune INSEE compte 5 caractères (ex. 26281).')
      .refine(
        (code) => territories.has('commune', code),
        'Cette commune est inconnue du Code officiel géographique : vérifiez son code INSEE (ex. 26281 pour Romans-sur-Isère).',
      ),
  );
}

/** A SIRET, spaces allowed; its check digit verified. */
const siretField = z.preprocess(
  (value) => {
    const v = blankToNull(value);
    return typeof v === 'string' ? normaliseIdentifier(v) : v;
  },
  z
    .string(ONE_VALUE)
    .nullable()
    .superRefine((value, context) => {
      const error = value === null ? null : siretError(value);
      if (error) context.addIssue({ code: 'custom', message: error });
    }),
);

export function organisationSchema(territories: TerritoryIndex) {
  return z
    .object({
      siret: siretField,
      nom: requiredText('Indiquez le nom de la structure.', 300),
      forme_juridique: legalForm,
      statut_ess: optionalCode(choice(statutEss, 'Choisissez le statut ESS dans la liste proposée.')),
      code_naf: z.preprocess((value) => {
        const v = blankToNull(value);
        return typeof v === 'string' ? (normaliseNaf(v) ?? v) : v;
      }, z.string(ONE_VALUE).refine(isKnownNaf, 'Ce code NAF est inconnu : il s’écrit comme 88.99B.').nullable()),
      secteur: optionalCode(SECTEUR),
      commune: communeField(territories),
      adresse: optionalText(300),
      site_web: url,
      description: optionalText(4000),
    })
    .transform((data) => ({ ...data, secteur: data.secteur ?? secteurFromNaf(data.code_naf) }));
}

const SECTEUR = choice(secteur, 'Choisissez le secteur dans la liste proposée.');
const STADE = choice(stade, 'Choisissez le stade dans la liste proposée.');

const NO_MEMBER = { siret: null, nom: null, role: null, organisation: null };

/**
 * A line of the members' table: a structure by its SIRET (linked to its record when one holds it), or by the
 * record it is already linked to, or by its name alone; with its role. A blank line, or one ticked
 * « Retirer », is null: dropped after validation, so that each error keeps the index of its line.
 */
const memberLine = z.preprocess(
  (value) => {
    if (!value || typeof value !== 'object') return value;
    const line: Record<string, unknown> = { ...NO_MEMBER, ...value };
    const blank = [line.siret, line.nom, line.role, line.organisation].every((v) => blankToNull(v) === null);
    return blank || blankToNull(line.retirer) !== null ? null : line;
  },
  z
    .object(
      {
        organisation: z.preprocess((value) => {
          const v = blankToNull(value);
          return typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : v;
        }, z.number('Le lien vers la fiche de ce membre est abîmé : rechargez la page.').int().positive().nullable()),
        siret: siretField,
        nom: optionalText(300),
        role: z
          .preprocess(blankToNull, choice(roleMembre, 'Choisissez le rôle de ce membre dans la liste proposée.').nullable())
          .refine((v) => v !== null, 'Choisissez le rôle de ce membre dans la coopération.')
          .transform((v) => v!),
      },
      'Cette ligne de membre est illisible : renvoyez le formulaire depuis la page.',
    )
    .superRefine((line, context) => {
      if (!line.siret && !line.nom && !line.organisation)
        context.addIssue({ code: 'custom', path: ['nom'], message: 'Indiquez le SIRET ou le nom de ce membre, ou videz sa ligne.' });
    })
    .nullable(),
);

export const MEMBERS_MAX = 60;

const membersField = z.preprocess(
  (value) => value ?? [],
  z
    .array(memberLine, 'La liste des membres est illisible : renvoyez le formulaire depuis la page.')
    .max(MEMBERS_MAX, `Une coopération compte ${MEMBERS_MAX} membres au plus sur Maillage.`)
    .transform((lines) => lines.filter((line) => line !== null)),
);

export type CooperationMember = z.output<typeof memberLine> & object;

export function cooperationSchema(territories: TerritoryIndex) {
  return z.object({
    nom: requiredText('Indiquez le nom de la coopération.', 300),
    modele: z
      .preprocess(blankToNull, choice(modele, 'Choisissez le modèle de la coopération dans la liste proposée.').nullable())
      .refine((v) => v !== null, 'Choisissez le modèle de la coopération (ou « Sans modèle »).')
      .transform((v) => v!),
    finalite: optionalCode(choice(finalite, 'Choisissez la finalité dans la liste proposée.')),
    modele_economique: optionalCode(choice(modeleEconomique, 'Choisissez le modèle économique dans la liste proposée.')),
    stade: optionalCode(STADE),
    secteur: optionalCode(SECTEUR),
    forme_juridique: legalForm,
    commune: communeField(territories),
    territoire: optionalText(200),
    annee_creation: z.preprocess((value) => {
      const v = blankToNull(value);
      return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    }, z
      .number('L’année de création s’écrit en chiffres (ex. 2014).')
      .int('L’année de création s’écrit sans décimale (ex. 2014).')
      .min(1800, 'Indiquez une année de création entre 1800 et 2100.')
      .max(2100, 'Indiquez une année de création entre 1800 et 2100.')
      .nullable()),
    site_web: url,
    description: optionalText(4000),
    activites: optionalText(4000),
    gouvernance: optionalText(4000),
    ressources_partagees: optionalText(4000),
    historique: optionalText(4000),
    membres: membersField,
  });
}

const COVERAGE_LEVEL = { region: 'région', departement: 'département', epci: 'EPCI', commune: 'commune' } as const;

export function dispositifSchema(territories: TerritoryIndex) {
  return z
    .object({
      nom: requiredText('Indiquez le nom du dispositif.', 300),
      description: optionalText(4000),
      types_accompagnement: codeList(choice(typeAccompagnement, 'Cochez des types d’accompagnement de la liste proposée.')),
      types_financement: codeList(choice(typeFinancement, 'Cochez des types de financement de la liste proposée.')),
      porteurs: z.preprocess(
        (value) =>
          typeof value === 'string'
            ? value
                .split(/\r?\n/)
                .map((line) => line.trim())
                .filter(Boolean)
            : (value ?? []),
        z.array(text(200), 'Indiquez les porteurs dans la zone de texte, un par ligne.').max(20, 'Indiquez 20 porteurs au plus.'),
      ),
      stades: codeList(STADE),
      modeles: codeList(choice(modele, 'Cochez des modèles de la liste proposée.')),
      couverture_niveau: optionalCode(choice(niveauCouverture, 'Choisissez le niveau de couverture dans la liste proposée.')),
      couverture_codes: z.preprocess(
        (value) => (typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : (value ?? [])),
        z
          .array(
            z.string('Séparez les codes de territoire par des virgules.').max(10, 'Un code de territoire compte 10 caractères au plus (ex. 84 ou 26281).'),
            'Séparez les codes de territoire par des virgules.',
          )
          .max(200, 'Indiquez 200 territoires au plus.'),
      ),
      montant_texte: optionalText(500),
      duree_texte: optionalText(500),
      conditions: optionalText(4000),
      contact: optionalText(500),
      url,
    })
    .superRefine((data, context) => {
      const level = data.couverture_niveau;
      const issue = (message: string) => context.addIssue({ code: 'custom', path: ['couverture_codes'], message });
      if (level === 'national' || level === null) {
        if (data.couverture_codes.length)
          issue(level ? 'Une couverture nationale ne prend pas de codes de territoire.' : 'Choisissez le niveau de couverture des codes indiqués.');
        return;
      }
      if (!data.couverture_codes.length) return issue(`Indiquez les codes COG de chaque ${COVERAGE_LEVEL[level]} couvert.`);
      const unknown = data.couverture_codes.filter((code) => !territories.has(level, code));
      if (unknown.length) issue(`Codes inconnus pour le niveau ${COVERAGE_LEVEL[level]} : ${unknown.join(', ')}.`);
    });
}

export type OrganisationProposal = z.output<ReturnType<typeof organisationSchema>>;
export type CooperationProposal = z.output<ReturnType<typeof cooperationSchema>>;
export type DispositifProposal = z.output<ReturnType<typeof dispositifSchema>>;
export type Proposal = OrganisationProposal | CooperationProposal | DispositifProposal;

/**
 * The schema of a proposal: a new organisation must give its SIRET (claims and duplicates go by it), new
 * organisations and cooperations their commune (it decides the moderation queue).
 */
export function proposalSchema(kind: ContributionKind, action: ContributionAction, territories: TerritoryIndex): z.ZodType<Proposal> {
  if (kind === 'dispositif') return dispositifSchema(territories);
  const base = kind === 'organisation' ? organisationSchema(territories) : cooperationSchema(territories);
  if (action === 'modification') return base as z.ZodType<Proposal>;
  return (base as z.ZodType<OrganisationProposal | CooperationProposal>).superRefine((data, context) => {
    if (kind === 'organisation' && !(data as OrganisationProposal).siret) {
      context.addIssue({ code: 'custom', path: ['siret'], message: 'Indiquez le SIRET de la structure (14 chiffres).' });
    }
    if (!data.commune) context.addIssue({ code: 'custom', path: ['commune'], message: 'Indiquez le code INSEE de la commune (ex. 26281).' });
  });
}

/** The régions an object belongs to, from the proposal: its commune's, or those its coverage touches; none for a national scheme. */
export function proposalRegions(kind: ContributionKind, data: Proposal, territories: TerritoryIndex): string[] {
  if (kind === 'dispositif') {
    const d = data as DispositifProposal;
    if (!d.couverture_niveau || d.couverture_niveau === 'national') return [];
    return [...regionsOfDepartements(territories, departementsCovered(territories, { niveau: d.couverture_niveau, codes: d.couverture_codes }))].sort();
  }
  const commune = (data as OrganisationProposal | CooperationProposal).commune;
  const region = commune ? territories.communes.get(commune)?.regionCode : undefined;
  return region ? [region] : [];
}

/** The form fields of each kind, in their order (the diff tables follow it). */
export const PROPOSAL_FIELDS: Record<ContributionKind, readonly string[]> = {
  organisation: ['siret', 'nom', 'forme_juridique', 'statut_ess', 'code_naf', 'secteur', 'commune', 'adresse', 'site_web', 'description'],
  cooperation: [
    'nom',
    'modele',
    'finalite',
    'modele_economique',
    'stade',
    'secteur',
    'forme_juridique',
    'commune',
    'territoire',
    'annee_creation',
    'site_web',
    'description',
    'activites',
    'gouvernance',
    'ressources_partagees',
    'historique',
    'membres',
  ],
  dispositif: [
    'nom',
    'description',
    'types_accompagnement',
    'types_financement',
    'porteurs',
    'stades',
    'modeles',
    'couverture_niveau',
    'couverture_codes',
    'montant_texte',
    'duree_texte',
    'conditions',
    'contact',
    'url',
  ],
};

/** The fields a merge of duplicates chooses between: not the members, which the merge unites (duplicates/service.ts). */
export const MERGE_FIELDS: Record<ContributionKind, readonly string[]> = {
  organisation: PROPOSAL_FIELDS.organisation,
  cooperation: PROPOSAL_FIELDS.cooperation.filter((field) => field !== 'membres'),
  dispositif: PROPOSAL_FIELDS.dispositif,
};

const MEMBER_INPUT = /^membres\.(\d{1,3})\.(siret|nom|role|organisation|retirer)$/;

/**
 * The part of a form body a proposal reads (its fields only, repeated fields kept as lists). The members'
 * lines come as `membres.<line>.<field>` and are gathered in line order, blank lines included (their
 * errors keep their line); a body with no member line leaves the members as `current` has them.
 */
export function proposalInput(kind: ContributionKind, body: unknown, current?: Proposal | null): Record<string, unknown> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const input: Record<string, unknown> = Object.fromEntries(PROPOSAL_FIELDS[kind].map((field) => [field, source[field]]));
  if (kind !== 'cooperation') return input;
  const lines: Record<string, unknown>[] = [];
  for (const [name, value] of Object.entries(source)) {
    const match = MEMBER_INPUT.exec(name);
    if (!match || Number(match[1]) >= MEMBERS_MAX * 2) continue;
    const line = Number(match[1]);
    for (let i = lines.length; i <= line; i++) lines.push({});
    lines[line]![match[2]!] = value;
  }
  input.membres = lines.length ? lines : ((current as CooperationProposal | null | undefined)?.membres ?? []);
  return input;
}

/** Reads a proposal form: every error named by its input (`membres.2.siret` for a member's line). */
export function proposalReader(kind: ContributionKind, action: ContributionAction, territories: TerritoryIndex) {
  const schema = proposalSchema(kind, action, territories);
  return (values: FormValues): Proposal => readForm(schema, values, (path) => path.join('.'));
}

export const reportSchema = z.object({
  message: requiredText('Décrivez l’erreur constatée.', 4000),
  email: z.preprocess(
    blankToNull,
    z
      .string()
      .max(254, '254 caractères au plus.')
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, 'Indiquez une adresse e-mail valide, par exemple nom@exemple.fr, ou laissez le champ vide.')
      .nullable(),
  ),
});

export const claimRole = { membre: 'organisation_member', administrateur: 'organisation_admin' } as const;

export const claimSchema = z.object({
  role: z
    .preprocess(blankToNull, z.enum(['membre', 'administrateur']).nullable())
    .refine((v) => v !== null, 'Choisissez le rôle demandé : membre ou administrateur.')
    .transform((v) => v!),
  justification: requiredText('Expliquez votre lien avec la structure (fonction, mandat…).', 4000),
});

export const reasonSchema = z.object({ motif: optionalText(4000) });
