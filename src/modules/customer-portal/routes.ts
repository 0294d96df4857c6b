import type { FastifyInstance } from 'fastify';
import { operation, type ServerDeps } from '../../http/operation.js';
import { createPortalSession } from './service.js';

export function customerPortalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'create-customer-portal-session', async ({ ctx, caller, params, body }) => ({
    data: await createPortalSession(ctx, caller.portalId, params.customer_id, body.subscription_ids ?? []),
  }));
}
