/** A domain rule said no: a stable code for programs and a French message for people. */
export class RuleError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
