/**
 * An import that cannot start because of what it was given (unknown option, missing file, a file without
 * the expected columns): the message is for the user, in French, and the command exits with code 2.
 */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}
