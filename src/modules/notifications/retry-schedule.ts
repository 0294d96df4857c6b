// When a failed webhook is tried again (Paddle: developer.paddle.com/webhooks/respond-to-webhooks). Sandbox: three
// retries within fifteen minutes (after 1, 3 and 9 minutes: 13 minutes in all). Live: sixty retries within three
// days with exponential backoff, matching Paddle's published counts: the first 20 a minute apart growing by 1.1
// (Paddle's own hint for picturing the schedule: 20 in the first hour), the next 27 growing by 1.125 (47 in the
// first day), every wait at most 3.5 hours (the sixtieth about 2.8 days after the failure).
import type { Environment } from '../../db/tables.js';

const SANDBOX_WAITS_SECONDS = [60, 180, 540];
const LIVE_RETRIES = 60;
const LONGEST_WAIT_SECONDS = 3.5 * 3600;

function liveWaitSeconds(retry: number): number {
  const early = 60 * 1.1 ** (Math.min(retry, 20) - 1);
  const later = retry > 20 ? 1.125 ** (retry - 20) : 1;
  return Math.min(LONGEST_WAIT_SECONDS, Math.round(early * later));
}

/**
 * Seconds to wait before the next attempt after `attemptsSoFar` failed attempts (1 after the first failure), or
 * undefined when the schedule is spent and the notification has failed for good.
 */
export function retryDelaySeconds(environment: Environment, attemptsSoFar: number): number | undefined {
  if (environment === 'sandbox') return SANDBOX_WAITS_SECONDS[attemptsSoFar - 1];
  return attemptsSoFar > LIVE_RETRIES ? undefined : liveWaitSeconds(attemptsSoFar);
}
