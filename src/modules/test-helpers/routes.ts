import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../http/openapi.js';
import { testHelper, type ServerDeps } from '../../http/operation.js';
import { ALL_PERMISSIONS } from '../../kernel/permissions.js';
import { AdvanceDrivers, advanceSandboxClock, readSandboxClock } from './clock.js';
import { freezeSandboxClock, unfreezeSandboxClock } from './clock-freeze.js';
import { payAsCustomer } from './pay.js';
import { readSeedDocument, SEED_PERMISSIONS, seedSandbox } from './seed.js';
import { deleteMadeSeller, listMadeSellers, makeSeller, readSellerRequest, resetSandbox } from './sellers.js';

/** Making, resetting and deleting sellers needs a sandbox key holding every permission (README, test helpers). */
const SELLER_ADMIN = { permissions: ALL_PERMISSIONS };
const ANY_SANDBOX_KEY = { permissions: [] };
/** Moving or stopping the clock decides when subscriptions renew, bill and charge. */
const CLOCK_MOVER = { permissions: ['subscription.write', 'transaction.write'] };

export function testHelperRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Advances this app drives in the background; on close (SIGTERM) they stop after the unit in progress.
  const drivers = new AdvanceDrivers(deps.wallClock, (message, error) => app.log.error({ err: error }, message));
  app.addHook('preClose', () => drivers.stop());

  // @NOTE the time is no one's data: any sandbox key reads it.
  testHelper(
    app,
    deps,
    'GET',
    '/test-helpers/clock',
    async ({ ctx }) => ({ data: await readSandboxClock(ctx, deps.wallClock) }),
    ANY_SANDBOX_KEY,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/clock/advance',
    async ({ ctx, body }) => {
      const view = await advanceSandboxClock(ctx, deps.wallClock, drivers, body);
      return { data: view, status: view.status === 'ready' ? 200 : 202 };
    },
    CLOCK_MOVER,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/clock/freeze',
    async ({ ctx, body }) => {
      await freezeSandboxClock(ctx, deps.wallClock, body);
      return { data: await readSandboxClock(ctx, deps.wallClock) };
    },
    CLOCK_MOVER,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/clock/unfreeze',
    async ({ ctx }) => {
      await unfreezeSandboxClock(ctx, deps.wallClock);
      return { data: await readSandboxClock(ctx, deps.wallClock) };
    },
    CLOCK_MOVER,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/transactions/:transaction_id/pay',
    async ({ ctx, caller, params, body }) => ({
      data: await payAsCustomer(ctx, caller, params.transaction_id, body),
    }),
    { permissions: ['transaction.write'] },
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/sellers',
    async ({ caller, body }) => ({
      status: 201,
      data: await makeSeller(deps.db, deps.wallClock, caller.tenant.seller_id, readSellerRequest(body)),
    }),
    SELLER_ADMIN,
  );
  testHelper(
    app,
    deps,
    'GET',
    '/test-helpers/sellers',
    async ({ caller }) => ({ data: await listMadeSellers(deps.db, caller.tenant.seller_id) }),
    SELLER_ADMIN,
  );
  testHelper(
    app,
    deps,
    'DELETE',
    '/test-helpers/sellers/:seller_id',
    async ({ caller, params }) => {
      await deleteMadeSeller(deps.db, deps.dialect, params.seller_id, caller.tenant.seller_id);
      return { noContent: true };
    },
    SELLER_ADMIN,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/reset',
    async ({ caller }) => ({
      data: { deleted: await resetSandbox(deps.db, deps.dialect, caller.tenant.seller_id, caller.tenant.seller_id) },
    }),
    SELLER_ADMIN,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/sellers/:seller_id/reset',
    async ({ caller, params }) => ({
      data: { deleted: await resetSandbox(deps.db, deps.dialect, params.seller_id, caller.tenant.seller_id) },
    }),
    SELLER_ADMIN,
  );
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/seed',
    async ({ ctx, caller, body }) => ({
      status: 201,
      data: await seedSandbox(ctx, caller, readSeedDocument(body), { check: validateBody }),
    }),
    { permissions: SEED_PERMISSIONS },
  );
}
