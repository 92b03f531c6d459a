/**
 * The server clock of calls: what decides whether a call is open and whether a submission is in time. Never
 * the client's clock. Tests set it (setCallsClock) to stand at a deadline; production never touches it.
 */
let clock: () => Date = () => new Date();

export function now(): Date {
  return clock();
}

/** For tests: the instant the calls feature reads from now on (each test file runs in its own process). */
export function setCallsClock(next: () => Date): void {
  clock = next;
}
