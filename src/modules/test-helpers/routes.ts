import type { FastifyInstance } from 'fastify';
import { testHelper, type ServerDeps } from '../../http/operation.js';
import { AdvanceDrivers, advanceSandboxClock, readSandboxClock } from './clock.js';
import { payAsCustomer } from './pay.js';

export function testHelperRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Advances this app drives in the background; on close (SIGTERM) they stop after the unit in progress.
  const drivers = new AdvanceDrivers(deps.wallClock, (message, error) => app.log.error({ err: error }, message));
  app.addHook('preClose', () => drivers.stop());

  testHelper(app, deps, 'GET', '/test-helpers/clock', async ({ ctx }) => ({
    data: await readSandboxClock(ctx, deps.wallClock),
  }));

  testHelper(app, deps, 'POST', '/test-helpers/clock/advance', async ({ ctx, body }) => {
    const view = await advanceSandboxClock(ctx, deps.wallClock, drivers, body);
    return { data: view, status: view.status === 'ready' ? 200 : 202 };
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
