/** When a failed job runs again: exponential backoff (30 s, 2 min, 8 min…) capped at 6 hours. Pure. */
const BASE_SECONDS = 30;
const MAX_SECONDS = 6 * 3600;

/** Delay before the next attempt, after `attempts` runs (1 after the first failure). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_SECONDS, BASE_SECONDS * 4 ** Math.max(0, attempts - 1));
}

/** A job's error as it is stored: its message only (never a stack), bounded. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || 'erreur sans message').slice(0, 2000);
}
