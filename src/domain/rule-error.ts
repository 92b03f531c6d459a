/** What is wrong with one input of a form: the input's name (a dotted path for nested values) and a French message. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * How a refusal reads to whoever asked, without the domain knowing HTTP: the input is wrong (`invalid`), the
 * state of things forbids it (`conflict`), or what it names does not exist (`not_found`).
 */
export type RuleErrorKind = 'invalid' | 'conflict' | 'not_found';

export interface RuleErrorOptions {
  /** By default `invalid` when an input is named, else `conflict`. */
  kind?: RuleErrorKind;
  /** The input at fault, so that a form shows the message beside it. */
  field?: string;
  /** What the message introduces (what is missing, what may no longer change), one line each. */
  details?: readonly string[];
}

/** A domain rule said no: a stable code for programs, a French message for people, and what kind of no. */
export class RuleError extends Error {
  readonly kind: RuleErrorKind;
  readonly field?: string;
  readonly details: readonly string[];

  constructor(
    readonly code: string,
    message: string,
    options: RuleErrorOptions = {},
  ) {
    super(message);
    this.kind = options.kind ?? (options.field === undefined ? 'conflict' : 'invalid');
    this.field = options.field;
    this.details = options.details ?? [];
  }
}
