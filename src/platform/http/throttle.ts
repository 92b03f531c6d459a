/**
 * Sign-in throttles (OWASP Authentication Cheat Sheet: throttle rather than lock). Failures are counted per key
 * (a client address; an account and an address) in the database, so that every instance agrees and a restart
 * forgets nothing. Past `freeFailures` failures in a run, each failure makes the key wait before its next
 * attempt: `firstDelaySeconds`, then twice as long at each failure, up to `maxDelaySeconds`. A run is forgotten
 * `forgetAfterSeconds` after its last failure.
 *
 * An attempt is counted as a failure before the password is checked (reserveAttempt), inside a short
 * transaction holding the keys' rows: parallel attempts take turns, so a burst sent the instant a delay ends
 * gets one try, not one per request. A success then gives the failure back (attemptSucceeded).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { emailSubject } from './rate-limit.ts';

export interface ThrottleRule {
  /** First part of the key. */
  name: string;
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
  /** A success ends the run (the key's row is deleted); otherwise it only gives back its own failure. */
  resetOnSuccess: boolean;
}

const DAY = 24 * 3600;

export const SIGN_IN_THROTTLES = {
  /** One address guessing the password of one account: its owner elsewhere is never delayed. */
  perAccountAndAddress: {
    name: 'account-address',
    freeFailures: 5,
    firstDelaySeconds: 60,
    maxDelaySeconds: 3600,
    forgetAfterSeconds: DAY,
    resetOnSuccess: true,
  },
  /** One address trying many accounts (password spraying); people sharing an address make few mistakes a day. */
  perAddress: { name: 'address', freeFailures: 20, firstDelaySeconds: 60, maxDelaySeconds: 3600, forgetAfterSeconds: DAY, resetOnSuccess: false },
} satisfies Record<string, ThrottleRule>;

/** The keys a sign-in with this address from this client counts against (the address is kept as its SHA-256). */
export function signInThrottles(email: string, ip: string): ThrottleCheck[] {
  return [
    { rule: SIGN_IN_THROTTLES.perAccountAndAddress, subject: `${emailSubject(email)}:${ip}` },
    { rule: SIGN_IN_THROTTLES.perAddress, subject: ip },
  ];
}

/** How long a key waits after its `failures`-th failure of a run. */
export function delayAfterFailures(rule: ThrottleRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  return Math.min(rule.maxDelaySeconds, rule.firstDelaySeconds * 2 ** (failures - rule.freeFailures));
}

/** The failures of the run once one more is counted: a run forgotten (or never started) starts again at 1. */
export function failuresAfterOneMore(rule: ThrottleRule, failures: number, secondsSinceLastFailure: number | null): number {
  return secondsSinceLastFailure === null || secondsSinceLastFailure >= rule.forgetAfterSeconds ? 1 : failures + 1;
}

export interface ThrottleCheck {
  rule: ThrottleRule;
  subject: string;
}

/** What a reserved attempt changed on one key, to give it back on success. */
interface HeldKey {
  key: string;
  rule: ThrottleRule;
  /** The row as the attempt left it (timestamps as PostgreSQL text: exact to the microsecond). */
  failures: number;
  at: string;
  before: { failures: number; lastFailureAt: string | null; blockedUntil: string | null };
}

export type Attempt = { allowed: true; held: HeldKey[] } | { allowed: false; retryAfterSeconds: number };

const stateRow = z.object({
  key: z.string(),
  failures: z.number().int(),
  last_failure_at: z.string().nullable(),
  blocked_until: z.string().nullable(),
  since_failure: z.number().nullable(),
  blocked_for: z.number().nullable(),
  now: z.string(),
});

/**
 * Refuses the attempt while any of its keys waits (with the seconds left, for Retry-After: the end of a wait
 * never moves while it lasts, since refused attempts count nothing); otherwise counts it as a failure of every
 * key and starts the key's next wait when due.
 */
export async function reserveAttempt(db: Db, checks: ThrottleCheck[]): Promise<Attempt> {
  const keyed = checks.map((check) => ({ rule: check.rule, key: `${check.rule.name}:${check.subject}`.slice(0, 300) }));
  // Rows are created and locked in key order: two attempts never wait for each other's rows crosswise.
  keyed.sort((a, b) => (a.key < b.key ? -1 : 1));
  const attempt = await db.transaction(async (tx) => {
    const states = [];
    for (const { key } of keyed) {
      await tx.execute(sql`insert into sign_in_throttle (key) values (${key}) on conflict (key) do nothing`);
      const [state] = await checkedRows(
        tx,
        stateRow,
        sql`select key, failures, last_failure_at::text, blocked_until::text, now()::text as now,
          extract(epoch from now() - last_failure_at)::float8 as since_failure,
          extract(epoch from blocked_until - now())::float8 as blocked_for
        from sign_in_throttle where key = ${key} for update`,
      );
      states.push(state!);
    }
    const wait = Math.max(0, ...states.map((s) => s.blocked_for ?? 0));
    if (wait > 0) return { allowed: false as const, retryAfterSeconds: Math.ceil(wait) };
    const held: HeldKey[] = [];
    for (const [index, { key, rule }] of keyed.entries()) {
      const state = states[index]!;
      const failures = failuresAfterOneMore(rule, state.failures, state.since_failure);
      const delay = delayAfterFailures(rule, failures);
      await tx.execute(sql`update sign_in_throttle set failures = ${failures}, last_failure_at = ${state.now}::timestamptz,
          blocked_until = case when ${delay}::int > 0 then ${state.now}::timestamptz + make_interval(secs => ${delay}) end
        where key = ${key}`);
      held.push({
        key,
        rule,
        failures,
        at: state.now,
        before: { failures: state.failures, lastFailureAt: state.last_failure_at, blockedUntil: state.blocked_until },
      });
    }
    return { allowed: true as const, held };
  });
  if (Math.random() < 0.01) await pruneThrottles(db);
  return attempt;
}

/**
 * The attempt was a success: a key whose rule resets on success forgets its run; any other gets back the state
 * the attempt found, or, when failures were counted since, just loses the one the attempt added.
 */
export async function attemptSucceeded(db: Db, attempt: Extract<Attempt, { allowed: true }>): Promise<void> {
  for (const { key, rule, failures, at, before } of attempt.held) {
    if (rule.resetOnSuccess) {
      await db.execute(sql`delete from sign_in_throttle where key = ${key}`);
      continue;
    }
    const unchanged = sql`(failures = ${failures} and last_failure_at = ${at}::timestamptz)`;
    await db.execute(sql`update sign_in_throttle set
        failures = case when ${unchanged} then ${before.failures}::int else greatest(failures - 1, 0) end,
        last_failure_at = case when ${unchanged} then ${before.lastFailureAt}::timestamptz else last_failure_at end,
        blocked_until = case when ${unchanged} then ${before.blockedUntil}::timestamptz else blocked_until end
      where key = ${key}`);
  }
}

/** Forgets the runs of this e-mail address from every client address (its owner has just proven it is theirs). */
export async function forgetAccountThrottles(db: Db, email: string): Promise<void> {
  await db.execute(sql`delete from sign_in_throttle where key like ${`${SIGN_IN_THROTTLES.perAccountAndAddress.name}:${emailSubject(email)}:%`}`);
}

/** Drops the rows no run can still use (the longest memory is a day). */
export async function pruneThrottles(db: Db): Promise<void> {
  await db.execute(sql`delete from sign_in_throttle
    where coalesce(last_failure_at, '-infinity') < now() - interval '1 day' and coalesce(blocked_until, '-infinity') < now()`);
}
