import type { FastifyInstance } from 'fastify';
import { includes, operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { withPrices } from '../prices/service.js';
import { createProduct, getProduct, listProducts, updateProduct } from './service.js';

export function productRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-products', async (request) => {
    const { ctx, op, query } = request;
    const include = includes(request);
    const page = pageRequest(op, query);
    const result = await listProducts(
      ctx,
      {
        id: query.id,
        status: query.status ?? ['active'],
        tax_category: query.tax_category,
        // @NOTE custom (non-catalog) products are left out of lists unless asked for, like Paddle does.
        type: query.type ?? 'standard',
      },
      page,
    );
    const data = include.has('prices') ? await withPrices(ctx, result.data) : result.data;
    return { page: result.page, data, perPage: page.perPage };
  });

  operation(app, deps, 'create-product', async ({ ctx, body }) => ({ data: await createProduct(ctx, body) }));

  operation(
    app,
    deps,
    'get-product',
    async (request) => {
      const product = await getProduct(request.ctx, request.params.product_id);
      return { data: includes(request).has('prices') ? (await withPrices(request.ctx, [product]))[0] : product };
    },
    { readsRow: 'products' },
  );

  operation(app, deps, 'update-product', async ({ ctx, params, body }) => ({
    data: await updateProduct(ctx, params.product_id, body),
  }));
}
