import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createDiscount, getDiscount, listDiscounts, updateDiscount } from './service.js';

export function discountRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-discounts', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listDiscounts(ctx, query, page);
    return { page: result.page, data: result.data, perPage: page.perPage };
  });
  operation(app, deps, 'create-discount', async ({ ctx, body }) => ({ data: await createDiscount(ctx, body) }));
  operation(app, deps, 'get-discount', async ({ ctx, params }) => ({
    data: await getDiscount(ctx, params.discount_id),
  }));
  operation(app, deps, 'update-discount', async ({ ctx, params, body }) => ({
    data: await updateDiscount(ctx, params.discount_id, body),
  }));
}
