import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createAdjustment, listAdjustments } from './service.js';

export function adjustmentRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-adjustments', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listAdjustments(ctx, query, page);
    return { page: result.page, data: result.data, perPage: page.perPage };
  });
  operation(app, deps, 'create-adjustment', async ({ ctx, body }) => ({ data: await createAdjustment(ctx, body) }));
}
