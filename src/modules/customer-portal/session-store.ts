// The server's side of a portal session (issue #12 item 7): the sealed cookie alone says who and until when, but a
// copied or kept cookie must stop working at sign-out, so every session is recorded (the SHA-256 of its id, never
// the id) and a session counts only while its record exists and is not ended. Expiry (idle and absolute) stays in
// the sealed cookie, on the tenant's clock.
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { toStoredTime } from '../../kernel/time.js';
import { endPortalSession, findPortalSession, insertPortalSession } from './repository.js';
import type { PortalSession } from './session.js';

function idHash(session: PortalSession): string {
  return createHash('sha256').update(session.sessionId).digest('hex');
}

/** Records a session that has just begun (after startSession). */
export async function recordSession(ctx: Ctx, session: PortalSession): Promise<void> {
  await insertPortalSession(ctx.db, {
    ...ctx.tenant,
    id_hash: idHash(session),
    customer_id: session.customerId,
    signed_in_at: toStoredTime(ctx.clock.now()),
    ended_at: null,
  });
}

/** Whether the session a valid cookie carries is still live on the server: recorded, for its customer, not ended. */
export async function sessionIsLive(ctx: Ctx, session: PortalSession): Promise<boolean> {
  const row = await findPortalSession(ctx.db, ctx.tenant, idHash(session));
  return row !== undefined && row.customer_id === session.customerId && row.ended_at === null;
}

/** Ends the session for good: its cookie, however copied, no longer signs anyone in. */
export async function endSession(ctx: Ctx, session: PortalSession): Promise<void> {
  await endPortalSession(ctx.db, ctx.tenant, idHash(session), toStoredTime(ctx.clock.now()));
}
