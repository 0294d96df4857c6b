import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createDiscountGroup, getDiscountGroup, listDiscountGroups, updateDiscountGroup } from './service.js';

export function discountGroupRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-discount-groups', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listDiscountGroups(ctx, query, page);
    return { page: result.page, data: result.data, perPage: page.perPage };
  });
  operation(app, deps, 'create-discount-group', async ({ ctx, body }) => ({
    data: await createDiscountGroup(ctx, body),
  }));
  operation(app, deps, 'get-discount-group', async ({ ctx, params }) => ({
    data: await getDiscountGroup(ctx, params.discount_group_id),
  }));
  operation(app, deps, 'update-discount-group', async ({ ctx, params, body }) => ({
    data: await updateDiscountGroup(ctx, params.discount_group_id, body),
  }));
}
