/**
 * The plan form of the treasury pages: what a person posts (amounts in euros, the French way) read into the plan
 * the API receives (amounts in cents), and a stored plan written back as the form's values. Lines are numbered as
 * posted (`encaissements.3.montant`); blank lines and lines ticked « Retirer » are dropped, and every error found
 * afterwards — by the contract or by the domain — is named back after the input that holds it.
 */
import type { z } from 'zod';
import { parseEuros } from '../../domain/funding.ts';
import { firstValue, type FormBody } from '../../web/form-body.ts';
import { fieldErrors, InvalidForm, type FieldError, type FormValues } from '../../web/forms.ts';
import { planNameSchema, simulationInputSchema, type SimulationInput } from './schemas.ts';

export const LISTS = ['encaissements', 'decaissements', 'tranches'] as const;
export type PlanList = (typeof LISTS)[number];

/** The inputs of a line of each list; « retirer » is the box that drops it. */
export const LINE_FIELDS: Record<PlanList, readonly string[]> = {
  encaissements: ['libelle', 'montant', 'mois', 'jusqu_a', 'delai_jours'],
  decaissements: ['libelle', 'montant', 'mois', 'jusqu_a', 'delai_jours'],
  tranches: ['libelle', 'montant', 'date_convenue', 'date_prevue', 'dispositif_id'],
};

/** The profile's inputs the form offers; the API's other profile fields of a stored plan are kept (see readPlanForm). */
export const PROFILE_FIELDS = ['modele', 'finalite', 'modele_economique', 'stade', 'departement'] as const;
const PLACE_FIELDS = ['commune', 'epci', 'departement', 'region', 'territoire'] as const;
const PROFILE_INPUTS: readonly string[] = [...PROFILE_FIELDS, 'agrement_esus'];

/** A plan read from the form, and how an error on the plan's JSON is named in the form. */
export interface PlanForm {
  nom: string;
  avec_conventions: boolean;
  plan: SimulationInput;
  inputOf: (field: string) => string;
}

/** The line numbers a form posted for a list (`tranches.4.montant` → 4), in order. */
export function postedLines(body: FormBody, list: PlanList): number[] {
  const found = new Set<number>();
  const pattern = new RegExp(`^${list}\\.(\\d{1,3})\\.`);
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key);
    if (match) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

const AMOUNT_FORMAT = 'écrivez un montant en euros, avec au plus deux décimales (ex. 1 500,50)';

/** Cents from euros typed the French way; a leading minus only where `signed` (an overdraft). */
function readEuros(text: string, signed: boolean): number | null {
  const negative = signed && /^[-−]/.test(text);
  const cents = parseEuros(negative ? text.slice(1) : text);
  return cents === null ? null : negative ? -cents : cents;
}

/**
 * Reads the posted plan; throws InvalidForm with every error at once. `named`: a saved plan's name and the box of the
 * funding agreements are asked. `stored`: the plan being edited, whose profile fields the form does not show are kept.
 */
export function readPlanForm(body: FormBody, named: boolean, stored?: SimulationInput): PlanForm {
  const errors: FieldError[] = [];
  const text = (name: string) => firstValue(body[name]).trim();
  const optional = (name: string) => text(name) || undefined;
  const amount = (name: string, { required = true, signed = false } = {}) => {
    const typed = text(name);
    if (typed === '') {
      if (required) errors.push({ field: name, message: 'indiquez un montant en euros (ex. 1 500,50)' });
      return undefined;
    }
    const cents = readEuros(typed, signed);
    if (cents === null) errors.push({ field: name, message: signed ? `${AMOUNT_FORMAT}, précédé d’un signe moins pour un découvert` : AMOUNT_FORMAT });
    return cents ?? undefined;
  };
  const whole = (name: string, message: string) => {
    const typed = text(name);
    if (typed === '') return undefined;
    if (!/^-?\d{1,6}$/.test(typed)) errors.push({ field: name, message });
    return Number(typed);
  };
  const DAYS = 'un délai est un nombre entier de jours (ex. 30)';

  const kept: Record<PlanList, number[]> = { encaissements: [], decaissements: [], tranches: [] };
  const lines = (list: PlanList, read: (name: (field: string) => string) => Record<string, unknown>) =>
    postedLines(body, list)
      .filter((n) => text(`${list}.${n}.retirer`) !== 'oui' && LINE_FIELDS[list].some((f) => text(`${list}.${n}.${f}`) !== ''))
      .map((n) => {
        kept[list].push(n);
        return read((field) => `${list}.${n}.${field}`);
      });
  const flow = (name: (field: string) => string) => ({
    libelle: text(name('libelle')),
    montant: amount(name('montant')),
    mois: text(name('mois')),
    jusqu_a: optional(name('jusqu_a')),
    delai_jours: whole(name('delai_jours'), DAYS),
  });

  const raw = {
    debut: text('debut'),
    duree_mois: whole('duree_mois', 'la durée est un nombre entier de mois, de 12 à 36') ?? Number.NaN,
    solde_initial: amount('solde_initial', { signed: true }),
    seuil: amount('seuil', { required: false }),
    delai_clients_jours: whole('delai_clients_jours', DAYS),
    delai_fournisseurs_jours: whole('delai_fournisseurs_jours', DAYS),
    encaissements: lines('encaissements', flow),
    decaissements: lines('decaissements', flow),
    tranches: lines('tranches', (name) => ({
      libelle: text(name('libelle')),
      montant: amount(name('montant')),
      date_convenue: text(name('date_convenue')),
      date_prevue: optional(name('date_prevue')),
      dispositif_id: whole(name('dispositif_id'), 'le numéro d’un dispositif est un nombre entier (il figure dans son adresse, /dispositifs/12)'),
    })),
    profil: profileOf(body, stored?.profil),
  };
  const nom = named ? planNameSchema.safeParse(text('nom')) : undefined;
  if (nom && !nom.success) errors.push({ field: 'nom', message: nom.error.issues[0]!.message });

  const inputOf = (field: string) => formInput(field.split('.'), kept);
  const parsed = simulationInputSchema.safeParse(raw);
  if (!parsed.success) {
    // A list of the profile left on « — Choisir — »: the contract's message names codes, the form asks for a choice.
    const profileChoice = (e: FieldError) =>
      e.field.startsWith('profil.') && e.field !== 'profil.departement'
        ? { ...e, message: 'choisissez une valeur dans la liste, ou laissez tout le profil vide' }
        : e;
    errors.push(...fieldErrors(parsed.error as z.ZodError, (path) => formInput(path, kept)).map(profileChoice));
  }
  const firstOfEach = errors.filter((e, i) => errors.findIndex((o) => o.field === e.field) === i);
  if (firstOfEach.length || !parsed.success) throw new InvalidForm(firstOfEach);
  return { nom: nom?.success ? nom.data : '', avec_conventions: text('avec_conventions') === 'oui', plan: parsed.data, inputOf };
}

/**
 * The profile the form gives: none when its inputs are all blank. A stored plan's profile fields that the form does not
 * show (legal forms, sector…) are kept, and so is its place unless the form names a département.
 */
function profileOf(body: FormBody, stored: SimulationInput['profil']): Record<string, unknown> | undefined {
  const posted = Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, firstValue(body[`profil.${field}`]).trim() || undefined]).filter(([, value]) => value !== undefined),
  );
  const esus = firstValue(body['profil.agrement_esus']) === 'oui';
  if (Object.keys(posted).length === 0 && !esus) return undefined;
  const kept = { ...(stored ?? {}) } as Record<string, unknown>;
  delete kept.modelisee;
  if (posted.departement) for (const field of PLACE_FIELDS) delete kept[field];
  return { ...kept, ...posted, agrement_esus: esus };
}

/** The input of a path of the plan's JSON: its line numbered as posted, a profile's place at the département. */
function formInput(path: readonly PropertyKey[], kept: Record<PlanList, number[]>): string {
  const [head, second, third] = path.map(String);
  if ((LISTS as readonly string[]).includes(head ?? '') && second !== undefined) {
    const line = kept[head as PlanList][Number(second)] ?? Number(second);
    return `${head}.${line}.${third ?? 'libelle'}`;
  }
  // A profile field the form does not show (the place of a stored plan, its legal forms…) is told at the département.
  if (head === 'profil') return `profil.${PROFILE_INPUTS.includes(second ?? '') ? second : 'departement'}`;
  return head ?? '';
}

/** Euros as the form shows them: « 1500 », « 1500,50 », « -200 ». */
export function eurosInput(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const decimals = abs % 100;
  return `${sign}${Math.floor(abs / 100)}${decimals ? `,${String(decimals).padStart(2, '0')}` : ''}`;
}

/** A stored plan as the form's values, under the inputs' names. */
export function planFormValues(plan: SimulationInput, saved?: { nom: string; avec_conventions: boolean }): FormValues {
  const values: Record<string, unknown> = {
    debut: plan.debut,
    duree_mois: String(plan.duree_mois),
    solde_initial: eurosInput(plan.solde_initial),
    seuil: plan.seuil ? eurosInput(plan.seuil) : '',
    delai_clients_jours: String(plan.delai_clients_jours),
    delai_fournisseurs_jours: String(plan.delai_fournisseurs_jours),
  };
  if (saved) Object.assign(values, { nom: saved.nom, avec_conventions: saved.avec_conventions ? 'oui' : undefined });
  for (const list of LISTS) {
    plan[list].forEach((line, i) => {
      for (const [field, value] of Object.entries(line)) {
        if (value !== undefined) values[`${list}.${i}.${field}`] = field === 'montant' ? eurosInput(value as number) : String(value);
      }
    });
  }
  if (plan.profil) {
    for (const field of PROFILE_FIELDS) values[`profil.${field}`] = plan.profil[field];
    if (plan.profil.agrement_esus) values['profil.agrement_esus'] = 'oui';
  }
  return values;
}
