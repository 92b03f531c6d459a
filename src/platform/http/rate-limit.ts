/**
 * Rate limits kept in the database, so that every app instance counts the same attempts (several stateless
 * instances run behind a load balancer). A sliding-window counter: the count of the current fixed window plus
 * the share of the previous one that still falls inside the sliding window; one upsert per attempt, with the
 * database's clock.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow } from '../../db/database.ts';
import { z } from 'zod';

export interface RateRule {
  /** Part of the key: 'reset:email', 'sign-up:ip'… */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const RATE_RULES = {
  resetPerEmail: { name: 'reset:email', limit: 3, windowSeconds: 60 * 60 },
  resetPerIp: { name: 'reset:ip', limit: 20, windowSeconds: 60 * 60 },
  signUpPerEmail: { name: 'sign-up:email', limit: 3, windowSeconds: 60 * 60 },
  signUpPerIp: { name: 'sign-up:ip', limit: 20, windowSeconds: 60 * 60 },
  resendPerAccount: { name: 'resend:account', limit: 3, windowSeconds: 60 * 60 },
} satisfies Record<string, RateRule>;

export interface RateDecision {
  allowed: boolean;
  /** Seconds until an attempt would be counted in a fresh window (for Retry-After). */
  retryAfterSeconds: number;
}

/** Addresses are counted by their SHA-256: the table holds no personal data in clear. */
export function emailSubject(email: string): string {
  return createHash('sha256').update(email).digest('hex');
}

const hitRow = z.object({ current: z.number(), previous: z.number(), elapsed: z.number() });

/** Counts one attempt for `subject` under `rule` and says whether it is within the limit. */
export async function hit(db: Db, rule: RateRule, subject: string): Promise<RateDecision> {
  const key = `${rule.name}:${subject}`.slice(0, 300);
  const w = rule.windowSeconds;
  const row = await checkedFirstRow(
    db,
    hitRow,
    sql`
    with w as (
      select to_timestamp(floor(extract(epoch from now()) / ${w}::int) * ${w}::int) as start,
             (extract(epoch from now()) - floor(extract(epoch from now()) / ${w}::int) * ${w}::int) / ${w}::int as elapsed
    ), upsert as (
      insert into rate_limit (key, window_start, count) select ${key}, w.start, 1 from w
      on conflict (key, window_start) do update set count = rate_limit.count + 1
      returning count
    )
    select upsert.count::int as current, coalesce(previous.count, 0)::int as previous, w.elapsed::float8 as elapsed
    from upsert cross join w
    left join rate_limit previous on previous.key = ${key} and previous.window_start = w.start - make_interval(secs => ${w}::int)`,
  );
  if (Math.random() < 0.01) await prune(db);
  const { current, previous, elapsed } = row!;
  const allowed = current + previous * (1 - elapsed) <= rule.limit;
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(secondsUntilAllowed(rule, current, previous, elapsed))) };
}

/**
 * How long until the sliding estimate falls back to the limit, if no other attempt comes: within this window
 * the previous window's share fades; past it, this window's count becomes the previous one and fades in turn.
 */
export function secondsUntilAllowed(rule: RateRule, current: number, previous: number, elapsed: number): number {
  const w = rule.windowSeconds;
  if (current <= rule.limit) return previous > 0 ? Math.max(0, 1 - (rule.limit - current) / previous - elapsed) * w : 0;
  return (1 - elapsed) * w + Math.max(0, 1 - rule.limit / current) * w;
}

/** Counts the attempt under every rule (all of them, so that each counter stays true) and combines the answers. */
export async function hitAll(db: Db, checks: [RateRule, string][]): Promise<RateDecision> {
  const decisions = await Promise.all(checks.map(([rule, subject]) => hit(db, rule, subject)));
  const refused = decisions.filter((d) => !d.allowed);
  return refused.length ? { allowed: false, retryAfterSeconds: Math.max(...refused.map((d) => d.retryAfterSeconds)) } : { allowed: true, retryAfterSeconds: 0 };
}

/** Drops the counters no window can still use (the longest window is an hour). */
export async function prune(db: Db): Promise<void> {
  await db.execute(sql`delete from rate_limit where window_start < now() - interval '1 day'`);
}
