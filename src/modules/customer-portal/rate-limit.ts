// Rate limits kept in the database (issue #12 item 9): several server processes share one database, so no count
// lives in memory. A limit allows at most `max` requests of one subject (a client, an address) in any window of
// `windowSeconds` on the tenant's clock (a sliding window: one row per allowed request, by the subject's SHA-256).
import { createHash, randomUUID } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { toStoredTime } from '../../kernel/time.js';
import { countRateLimitHits, deleteRateLimitHit, deleteRateLimitHitsBefore, insertRateLimitHit } from './repository.js';

export interface RateLimit {
  /** Names the limit (`rate_limit_hits.bucket`): each limit counts its own requests. */
  bucket: string;
  max: number;
  windowSeconds: number;
}

function subjectHash(limit: RateLimit, subject: string): string {
  return createHash('sha256').update(`${limit.bucket}\n${subject}`).digest('hex');
}

/**
 * Counts one request of `subject` against `limit`: true when it is allowed (and counted), false when `max`
 * requests were already allowed in the window (nothing is counted then).
 * @NOTE race-safe across processes without locks: the hit is written (and committed: `ctx` must not be in a
 * transaction) before it is counted, so of any number of concurrent requests at most `max` are allowed; under a
 * race a request near the limit may be refused that a serial order would allow, never the other way round.
 */
export async function allowRequest(ctx: Ctx, limit: RateLimit, subject: string): Promise<boolean> {
  if (ctx.db.isTransaction) throw new Error('allowRequest must run outside a transaction (its hit must commit first)');
  const now = ctx.clock.now();
  const since = toStoredTime(now.subtract({ seconds: limit.windowSeconds }));
  const hash = subjectHash(limit, subject);
  // Old hits of this limit count for nothing: dropping them here keeps the table as small as the window.
  await deleteRateLimitHitsBefore(ctx.db, ctx.tenant, limit.bucket, since);
  if ((await countRateLimitHits(ctx.db, ctx.tenant, limit.bucket, hash, since)) >= limit.max) return false;
  const id = randomUUID();
  await insertRateLimitHit(ctx.db, {
    ...ctx.tenant,
    id,
    bucket: limit.bucket,
    subject_hash: hash,
    at: toStoredTime(now),
  });
  if ((await countRateLimitHits(ctx.db, ctx.tenant, limit.bucket, hash, since)) <= limit.max) return true;
  await deleteRateLimitHit(ctx.db, ctx.tenant, id);
  return false;
}
