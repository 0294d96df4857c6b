import type { FastifyInstance } from 'fastify';
import { testHelper, type ServerDeps } from '../../http/operation.js';
import { toStoredTime, toWireTime } from '../../kernel/time.js';
import { advanceSandboxClock } from './clock.js';

export function testHelperRoutes(app: FastifyInstance, deps: ServerDeps): void {
  testHelper(app, deps, 'GET', '/test-helpers/clock', async ({ ctx }) => ({
    data: { now: toWireTime(toStoredTime(ctx.clock.now())) },
  }));

  testHelper(app, deps, 'POST', '/test-helpers/clock/advance', async ({ ctx, body }) => {
    const now = await advanceSandboxClock(ctx, deps.wallClock, deps.dialect, body ?? {});
    return { data: { now: toWireTime(toStoredTime(now)) } };
  });
}
