import type { FastifyInstance } from 'fastify';
import { includes, operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { createPrice, getPrice, listPrices, updatePrice } from './service.js';

/**
 * @NOTE the spec also names `billing_cycle.*`, `quantity.*` and `unit_price.*`; the shared order_by parser reads
 * none of the price list's fields (the dotted names end its match early), and the shared keyset paging cannot sort
 * numeric or JSON columns yet, so these are the fields ordered today.
 */
const ORDER_BY_FIELDS = ['id', 'product_id', 'status', 'tax_mode'];

export function priceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-prices', async (request) => {
    const { ctx, op, query } = request;
    const include = includes(request);
    const page = pageRequest({ ...op, orderByFields: ORDER_BY_FIELDS }, query);
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
