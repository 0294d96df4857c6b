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
        id: query.id as string[] | undefined,
        product_id: query.product_id as string[] | undefined,
        status: (query.status as string[] | undefined) ?? ['active'],
        // @NOTE custom (non-catalog) prices are left out of lists unless asked for, as in Paddle.
        type: (query.type as string | undefined) ?? 'standard',
        recurring: query.recurring as boolean | undefined,
      },
      page,
      include,
    );
    return { page: result.page, data: result.data, perPage: page.perPage };
  });

  operation(app, deps, 'create-price', async ({ ctx, body }) => ({ data: await createPrice(ctx, body) }));

  operation(app, deps, 'get-price', async (request) => ({
    data: await getPrice(request.ctx, request.params.price_id as string, includes(request)),
  }));

  operation(app, deps, 'update-price', async ({ ctx, params, body }) => ({
    data: await updatePrice(ctx, params.price_id as string, body),
  }));
}
