/**
 * The forms toolkit: field errors read from Zod, the error that refuses a whole submission, the page sender and
 * the loop every form post follows — read the posted values, act, redirect (303); or, with nothing written, the
 * page again with every error of the submission at once (400), a rule's refusal at its status (409, or 400
 * beside the input it names), or another refusal meant for the person (401, 413, 429). What the pages draw
 * (fields, error summary, notices) is in form-fields.ts.
 */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { RuleError, type FieldError } from '../domain/rule-error.ts';
import { HttpError, ruleStatus, setErrorHeaders } from './errors.ts';
import { page, type PageOptions } from './layout.ts';

export type { FieldError };

/** What was posted (or stored), by input name: strings, lists of ticked boxes, nested answers. */
export type FormValues = Readonly<Record<string, unknown>>;

/** What a form page shows besides its fields. */
export interface FormState {
  /** The form the errors and values belong to, when several share a page. */
  form?: string;
  errors?: readonly FieldError[];
  /** What was posted, shown back instead of what is stored. */
  values?: FormValues;
  /** A refusal of the whole submission. */
  alert?: string;
  /** What the alert lists, one line each. */
  details?: readonly string[];
  notice?: string;
}

/** « Le formulaire contient une erreur », « … 3 erreurs ». */
export const errorHeading = (count: number) => `Le formulaire contient ${count > 1 ? `${count} erreurs` : 'une erreur'}`;

const firstKey = (path: readonly PropertyKey[]) => String(path[0] ?? '');

/** The first message of each input, in the order of the issues; `fieldOf` names the input of an issue's path. */
export function fieldErrors(error: z.ZodError, fieldOf: (path: readonly PropertyKey[]) => string = firstKey): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return errors;
}

/** A submission refused with the error of each input at fault (400, nothing written); the API lists them too. */
export class InvalidForm extends HttpError {
  constructor(readonly errors: readonly FieldError[]) {
    super(400, `${errorHeading(errors.length)} — ${errors.map((e) => `« ${e.field || 'formulaire'} » : ${e.message}`).join(' ; ')}`, undefined, errors);
  }
}

/** The value `schema` reads from `input`, or InvalidForm with the first error of each input. */
export function readForm<T extends z.ZodType>(schema: T, input: unknown, fieldOf?: (path: readonly PropertyKey[]) => string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidForm(fieldErrors(parsed.error, fieldOf));
  return parsed.data;
}

/**
 * Sends a page; the title of a refused request (`failed`, by default an error status) starts with « Erreur — »,
 * the first thing a screen reader says of the page.
 */
export function sendPage(reply: FastifyReply, options: PageOptions & { status?: number; failed?: boolean }) {
  const status = options.status ?? 200;
  const failed = options.failed ?? status >= 400;
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(page({ ...options, title: failed ? `Erreur — ${options.title}` : options.title }));
}

interface SubmissionBase<T, R> {
  reply: FastifyReply;
  /** The form of the page that was posted, when several share it. */
  form?: string;
  /** What was posted, shown back beside the errors (none: the page shows what is stored). */
  values?: FormValues;
  /** Reads the values: a Zod schema, or a reader that throws InvalidForm with every error at once; by default the values as they are. */
  parse?: z.ZodType<T> | ((values: FormValues) => T);
  act: (input: T) => Promise<R>;
  /** The page again, with this status and state. */
  render: (status: number, state: FormState) => unknown;
  /** A form of buttons and hidden inputs: its errors are said in the alert, having no field to stand by. */
  hiddenInputs?: boolean;
}

/** A success leads to another page (303), or is answered in place by a page saying it is done. */
type Success<R> = { redirect: (result: R) => string } | { done: (result: R) => unknown };

export type Submission<T, R> = SubmissionBase<T, R> & Success<R>;

/** Refusals told on the form's page: a refused sign-in, a file too large, too many attempts. */
const REFUSED_ON_THE_PAGE = [401, 413, 429];

/** What a refused submission shows; undefined for anything else (an unknown address, a missing right, a bug), left to the error page. */
function refusalOf(error: unknown): { status: number; state: FormState } | undefined {
  if (error instanceof InvalidForm) return { status: 400, state: { errors: error.errors } };
  if (error instanceof RuleError) {
    const state = error.field === undefined ? { alert: error.message, details: error.details } : { errors: [{ field: error.field, message: error.message }] };
    return { status: ruleStatus(error), state };
  }
  if (error instanceof HttpError && REFUSED_ON_THE_PAGE.includes(error.status)) {
    return { status: error.status, state: error.fields.length ? { errors: error.fields } : { alert: error.message } };
  }
  return undefined;
}

/** Parse → act → redirect (or the page of a success), or the page again with what refused it (see the module comment). */
export async function submitForm<T = FormValues, R = unknown>(submission: Submission<T, R>): Promise<unknown> {
  const { reply, form, values, parse = (posted: FormValues) => posted as T } = submission;
  let result: R;
  try {
    result = await submission.act('safeParse' in parse ? readForm(parse, values ?? {}) : parse(values ?? {}));
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    setErrorHeaders(reply, error);
    const { errors, ...state } = refusal.state;
    const shown = submission.hiddenInputs && errors ? { alert: errors.map((e) => e.message).join(' ') } : { errors };
    return submission.render(refusal.status, { form, values, ...state, ...shown });
  }
  return 'redirect' in submission ? reply.redirect(submission.redirect(result), 303) : submission.done(result);
}
