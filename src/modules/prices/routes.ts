import type { FastifyInstance } from 'fastify';
import { includes, operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createPrice, getPrice, listPrices, updatePrice } from './service.js';

export function priceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-prices', async (request) => {
    const { ctx, op, query } = request;
    const include = includes(request);
    const page = pageRequest(op, query);
    const result = await listPrices(
      ctx,
      {
        id: query.id,
        product_id: query.product_id,
        status: query.status ?? ['active'],
        // @NOTE custom (non-catalog) prices are left out of lists unless asked for, like Paddle does.
        type: query.type ?? 'standard',
        recurring: query.recurring,
      },
      page,
      include,
    );
    return { page: result.page, data: result.data, perPage: page.perPage };
  });

  operation(app, deps, 'create-price', async ({ ctx, body }) => ({ data: await createPrice(ctx, body) }));

  operation(
    app,
    deps,
    'get-price',
    async (request) => ({
      data: await getPrice(request.ctx, request.params.price_id, includes(request)),
    }),
    { readsRow: 'prices' },
  );

  operation(app, deps, 'update-price', async ({ ctx, params, body }) => ({
    data: await updatePrice(ctx, params.price_id, body),
  }));
}
