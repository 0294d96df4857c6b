import type { FastifyInstance } from 'fastify';
import { testHelper, type ServerDeps } from '../../http/operation.js';
import { toStoredTime, toWireTime } from '../../kernel/time.js';
import { advanceSandboxClock } from './clock.js';
import { payAsCustomer } from './pay.js';

export function testHelperRoutes(app: FastifyInstance, deps: ServerDeps): void {
  testHelper(app, deps, 'GET', '/test-helpers/clock', async ({ ctx }) => ({
    data: { now: toWireTime(toStoredTime(ctx.clock.now())) },
  }));

  testHelper(app, deps, 'POST', '/test-helpers/clock/advance', async ({ ctx, body }) => {
    const now = await advanceSandboxClock(ctx, deps.wallClock, body);
    return { data: { now: toWireTime(toStoredTime(now)) } };
  });

  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/transactions/:transaction_id/pay',
    async ({ ctx, caller, params, body }) => ({
      data: await payAsCustomer(ctx, caller, params.transaction_id, body),
    }),
  );
}
