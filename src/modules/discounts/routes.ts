import type { FastifyInstance } from 'fastify';
import { includes, operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createDiscount, getDiscount, listDiscounts, updateDiscount, withDiscountGroups } from './service.js';

export function discountRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-discounts', async (request) => {
    const { ctx, op, query } = request;
    const page = pageRequest(op, query);
    const result = await listDiscounts(ctx, query, page);
    const data = includes(request).has('discount_group') ? await withDiscountGroups(ctx, result.data) : result.data;
    return { page: result.page, data, perPage: page.perPage };
  });
  operation(app, deps, 'create-discount', async ({ ctx, body }) => ({ data: await createDiscount(ctx, body) }));
  operation(
    app,
    deps,
    'get-discount',
    async (request) => {
      const discount = await getDiscount(request.ctx, request.params.discount_id);
      return {
        data: includes(request).has('discount_group')
          ? (await withDiscountGroups(request.ctx, [discount]))[0]
          : discount,
      };
    },
    { readsRow: 'discounts' },
  );
  operation(app, deps, 'update-discount', async ({ ctx, params, body }) => ({
    data: await updateDiscount(ctx, params.discount_id, body),
  }));
}
